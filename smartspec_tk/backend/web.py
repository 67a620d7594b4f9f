"""Small HTTP building blocks over `http.server`: the request view, responses, chunked streams.

Handlers receive a `Request` and return a `Response`, or write a `ChunkedStream`
themselves and return None.
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


class BodyTooLarge(Exception):
    """The request body is larger than the server accepts."""


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, data: Any, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(data, separators=(",", ":")).encode()
    return Response(status, body, "application/json", dict(headers or {}))


def detail(status: int, message: Any, headers: dict[str, str] | None = None) -> Response:
    """FastAPI's default error body: {"detail": ...}."""
    return json_response(status, {"detail": message}, headers)


class Request:
    """One request as the routes see it; the body is read on first use."""

    def __init__(self, handler: BaseHTTPRequestHandler, client: str) -> None:
        self.handler = handler
        self.method = handler.command
        parts = urlsplit(handler.path)
        self.path = unquote(parts.path)
        self.query = parse_qs(parts.query, keep_blank_values=True)
        self.headers = handler.headers
        self.client = client
        self.params: dict[str, str] = {}
        self._body: bytes | None = None
        self.read_bps = 0  # throttles body reading when > 0
        self.max_body = 0

    def header(self, name: str) -> str:
        return self.headers.get(name, "") or ""

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    @property
    def content_length(self) -> int | None:
        raw = self.header("Content-Length").strip()
        return int(raw) if raw.isdigit() else None

    def body(self) -> bytes:
        if self._body is None:
            if "chunked" in self.header("Transfer-Encoding").lower():
                self._body = self._read_chunked()
            else:
                self._body = self._read(self.content_length or 0)
        return self._body

    def json(self) -> Any:
        """The JSON body, or None when it is not valid JSON."""
        try:
            return json.loads(self.body() or b"null")
        except ValueError:
            return None

    def _read(self, size: int) -> bytes:
        parts: list[bytes] = []
        left = size
        step = 65536 if self.read_bps <= 0 else max(1, self.read_bps // 10)
        while left > 0:
            piece = self.handler.rfile.read(min(step, left))
            if not piece:
                break
            parts.append(piece)
            left -= len(piece)
            if self.read_bps > 0:
                time.sleep(len(piece) / self.read_bps)
        return b"".join(parts)

    def _read_chunked(self) -> bytes:
        parts: list[bytes] = []
        total = 0
        while True:
            line = self.handler.rfile.readline(1024).strip()
            size = int(line.split(b";")[0] or b"0", 16)
            if size == 0:
                while self.handler.rfile.readline(1024).strip():
                    pass
                return b"".join(parts)
            total += size
            if self.max_body and total > self.max_body:
                raise BodyTooLarge
            parts.append(self._read(size))
            self.handler.rfile.readline(8)


class ChunkedStream:
    """A `Transfer-Encoding: chunked` response body written piece by piece."""

    def __init__(self, handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str]) -> None:
        self.handler = handler
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        handler.stream_started = True  # type: ignore[attr-defined]
        self.closed = False

    def write(self, data: bytes) -> None:
        if data:
            self.handler.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    def finish(self) -> None:
        if not self.closed:
            self.handler.wfile.write(b"0\r\n\r\n")
            self.closed = True

    def reset(self) -> None:
        """Drop the connection mid-body (the client sees an incomplete message)."""
        self.closed = True
        self.handler.close_connection = True
        sock: socket.socket = self.handler.connection
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
