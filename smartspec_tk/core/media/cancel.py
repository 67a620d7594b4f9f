"""CancelScope: the sockets of one upload's own connections, shut down the moment it is cancelled.

An upload runs on an HTTP client of its own (a fresh connection pool), so every
connection it uses was opened for it; httpcore's `trace` extension hands over each
new connection's stream, and `abort()` (any thread) shuts their sockets down. A
worker blocked in presign, in the PUT or waiting for a slow store's answer, or in
complete wakes at once with a transport error (issue 13, finding 6).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Any

import httpx

CONNECTED = "connection.connect_tcp.complete"


class CancelScope:
    def __init__(self, cancel: threading.Event | None = None) -> None:
        self.cancel = cancel or threading.Event()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []

    def attach(self, client: httpx.Client) -> None:
        """Every request `client` sends reports its new connections to this scope."""
        hooks = dict(client.event_hooks)
        hooks["request"] = [*hooks.get("request", []), self._hook]
        client.event_hooks = hooks

    def abort(self) -> None:
        """Any thread: mark cancelled and shut every socket down (a blocked read or write fails at once)."""
        self.cancel.set()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _hook(self, request: httpx.Request) -> None:
        request.extensions = {**request.extensions, "trace": self._trace}

    def _trace(self, name: str, info: dict[str, Any]) -> None:
        if name != CONNECTED:
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if isinstance(sock, socket.socket):
            with self._lock:
                self._sockets.append(sock)
            if self.cancel.is_set():  # cancelled while connecting
                self.abort()
