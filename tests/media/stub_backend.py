"""A tiny control-plane stub and a separate capturing store, on two loopback origins, for media tests.

The backend (127.0.0.1) implements the control-plane artifact routes in memory and
presigns URLs on the store's origin (127.0.0.2 when that address works, else
another port). The store records every request's headers, keeps the bytes, and can
read uploads slowly (`bytes_per_second`) so tests can watch progress and cancel.
`hold` ("presign", "put" after the body, "complete") makes that step never answer until
`release` is set, and records in `hung_up` that the client closed the connection meanwhile.
"""

from __future__ import annotations

import json
import select
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.helpers.local_server import QuietHandler, Seen, seen, serving


@dataclass
class StubState:
    """What both servers share: sessions, objects, requests seen, switches."""

    backend_url: str = ""
    store_url: str = ""
    sessions: set[str] = field(default_factory=set)
    artifacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    objects: dict[str, bytes] = field(default_factory=dict)
    backend_seen: list[Seen] = field(default_factory=list)
    store_seen: list[Seen] = field(default_factory=list)
    bytes_per_second: int = 0
    hold: str = ""  # a step that never answers until `release`: presign, put, complete
    held: threading.Event = field(default_factory=threading.Event)  # the held step's request arrived
    release: threading.Event = field(default_factory=threading.Event)
    hung_up: threading.Event = field(default_factory=threading.Event)  # the client closed the held connection
    expires_in: int = 600
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Quiet(QuietHandler):
    protocol_version = "HTTP/1.1"
    state: StubState

    def reply(self, status: int, body: Any) -> None:
        """JSON, or bytes as the store's XML."""
        if not isinstance(body, bytes):
            return self.send_json(status, body)
        self.send_response(status)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def seen(self) -> Seen:
        return seen(self)

    def held_up(self, step: str) -> bool:
        """When `step` is held: answer nothing until released; True when the client hung up meanwhile."""
        if self.state.hold != step:
            return False
        self.state.held.set()
        while not self.state.release.is_set():
            readable, _, _ = select.select([self.connection], [], [], 0.05)
            if readable and not self.connection.recv(1, socket.MSG_PEEK):
                self.state.hung_up.set()
                return True
        return False


class _Backend(_Quiet):
    def do_POST(self) -> None:
        self.state.backend_seen.append(self.seen())
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        parts = urlsplit(self.path).path.strip("/").split("/")
        route = "/".join(parts[-2:])
        if parts[-1] == "projects":
            return self.reply(200, {"project": {"id": "p-" + uuid.uuid4().hex[:8], "name": body.get("name")}})
        if parts[-1] == "sessions":
            session_id = "s-" + uuid.uuid4().hex[:8]
            self.state.sessions.add(session_id)
            return self.reply(200, {"session": {"id": session_id, "projectId": parts[-2]}})
        session_id = parts[-3]
        if session_id not in self.state.sessions:
            return self.reply(200, {"error": "session_not_found"})  # HTTP 200, like the real proxy
        if route == "artifacts/presign-put":
            if self.held_up("presign"):
                return None
            key = f"{session_id}/{body['name']}"
            self.state.artifacts[key] = {"size": body["sizeBytes"], "type": body["contentType"], "done": False}
            return self.reply(200, {"url": f"{self.state.store_url}/bucket/{key}?X-Sig=ok", "key": key,
                                    "expiresInSeconds": self.state.expires_in})
        if route == "artifacts/complete":
            if self.held_up("complete"):
                return None
            self.state.artifacts[body["key"]]["done"] = True
            self.state.artifacts[body["key"]]["sha256"] = body["sha256"]
            return self.reply(200, {"artifact": {"key": body["key"], "status": "complete"}})
        return self.reply(404, {"detail": "Not Found"})

    def do_GET(self) -> None:
        self.state.backend_seen.append(self.seen())
        url = urlsplit(self.path)
        parts = url.path.strip("/").split("/")
        if parts[-2] == "sessions":
            known = parts[-1] in self.state.sessions
            return self.reply(200, {"session": {"id": parts[-1]} if known else None})
        key = parse_qs(url.query)["key"][0]
        if not self.state.artifacts.get(key, {}).get("done"):
            return self.reply(200, {"error": "artifact_not_found_or_not_complete"})
        return self.reply(200, {"url": f"{self.state.store_url}/bucket/{key}?X-Sig=get", "key": key,
                                "expiresInSeconds": self.state.expires_in})


class _Store(_Quiet):
    def do_PUT(self) -> None:
        self.state.store_seen.append(self.seen())
        length = int(self.headers.get("Content-Length") or 0)
        data = bytearray()
        while len(data) < length:
            block = self.rfile.read(min(65536, length - len(data)))
            if not block:
                return
            data += block
            if self.state.bytes_per_second:
                time.sleep(len(block) / self.state.bytes_per_second)
        if self.held_up("put"):
            return
        self.state.objects[urlsplit(self.path).path.split("/bucket/", 1)[1]] = bytes(data)
        self.reply(200, b"")

    def do_GET(self) -> None:
        self.state.store_seen.append(self.seen())
        data = self.state.objects.get(urlsplit(self.path).path.split("/bucket/", 1)[1])
        self.reply(200, data) if data is not None else self.reply(404, b"<Code>NoSuchKey</Code>")


def second_loopback_host() -> str:
    """127.0.0.2 where the OS routes it (Linux does), else 127.0.0.1 (another port = another origin)."""
    try:
        with socket.socket() as sock:
            sock.bind(("127.0.0.2", 0))
        return "127.0.0.2"
    except OSError:
        return "127.0.0.1"


@contextmanager
def stub_servers() -> Iterator[StubState]:
    """Start the backend stub and the store; both stop on exit."""
    state = StubState()
    backend = ThreadingHTTPServer(("127.0.0.1", 0), type("B", (_Backend,), {"state": state}))
    store_host = second_loopback_host()
    store = ThreadingHTTPServer((store_host, 0), type("S", (_Store,), {"state": state}))
    with serving(backend) as state.backend_url, serving(store) as state.store_url:
        yield state
