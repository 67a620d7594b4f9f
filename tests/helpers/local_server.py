"""Building blocks of the tests' loopback HTTP servers: serve in a thread, quiet handlers, JSON replies."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Seen:
    """One request a test server received (header names lower-cased)."""

    method: str
    path: str
    headers: dict[str, str]


def seen(handler: BaseHTTPRequestHandler) -> Seen:
    return Seen(handler.command, handler.path, {k.lower(): v for k, v in handler.headers.items()})


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that logs nothing and answers JSON with `send_json`."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def send_json(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
        raw = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(raw)


@contextmanager
def serving(server: ThreadingHTTPServer, scheme: str = "http") -> Iterator[str]:
    """Serve `server` in a daemon thread; yields its base URL; shut down and closed on exit."""
    thread = threading.Thread(target=server.serve_forever, name=f"test-server-{server.server_address[1]}", daemon=True)
    thread.start()
    try:
        yield f"{scheme}://{server.server_address[0]}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
