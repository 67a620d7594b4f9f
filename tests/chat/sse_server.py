"""A tiny stdlib OpenAI-style chat server for the chat tests: scripted answers and recorded disconnects."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any

from tests.helpers.local_server import QuietHandler, serving


@dataclass
class Plan:
    """How the server answers the next chat requests (tests change it between requests)."""

    tokens: list[str] = field(default_factory=lambda: ["Hello", ", ", "world", "!"])
    delay: float = 0.0  # seconds between events
    crlf: bool = False
    cut_after: int | None = None  # close the connection after this many tokens, without [DONE]
    stall_after: int | None = None  # stop writing (but keep the connection) after this many tokens
    keepalive_every: float = 3.0  # seconds between comments while stalled
    status: int = 200
    error_body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    usage: bool = True
    refuse_streaming: bool = False  # 501 for stream:true, JSON for stream:false
    raw: bytes | None = None  # written as the whole event stream (in 64 KB writes) instead of the tokens
    before_token: Callable[[int], None] | None = None  # called (server thread) before token `index` is written


class ChatServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.plan = Plan()
        self.bodies: list[dict[str, Any]] = []
        self.disconnected = threading.Event()
        self.finished_streams = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(QuietHandler):
    server: ChatServer

    def do_GET(self) -> None:
        if self.path.startswith("/v1/models"):
            self.send_json(200, {"object": "list", "data": [{"id": "echo-1", "object": "model"}, {"id": "echo-2"}]})
        elif self.path.startswith("/health"):
            self.send_json(200, {"status": "healthy"})
        else:
            self.send_json(404, {"detail": "Not Found"})

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", 0))
        body = json.loads(self.rfile.read(length) or b"{}")
        self.server.bodies.append(body)
        plan = self.server.plan
        if plan.status != 200:
            self.send_json(plan.status, plan.error_body, plan.headers)
        elif plan.refuse_streaming and body.get("stream"):
            self.send_json(501, {"detail": "Streaming not supported in direct proxy mode."})
        elif not body.get("stream"):
            answer = {"choices": [{"message": {"role": "assistant", "content": "".join(plan.tokens)}}]}
            self.send_json(200, answer | {"usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}})
        else:
            self._stream(plan)

    def _stream(self, plan: Plan) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        end = b"\r\n\r\n" if plan.crlf else b"\n\n"
        try:
            if plan.raw is not None:
                for start in range(0, len(plan.raw), 65536):
                    self.wfile.write(plan.raw[start : start + 65536])
                self.wfile.flush()
                return
            for index, token in enumerate(plan.tokens):
                if plan.before_token is not None:
                    plan.before_token(index)
                if plan.cut_after is not None and index >= plan.cut_after:
                    return
                while plan.stall_after is not None and index >= plan.stall_after:
                    time.sleep(plan.keepalive_every)
                    self.wfile.write(b": keep-alive" + end)  # probes the socket
                    self.wfile.flush()
                chunk = {"choices": [{"delta": {"content": token}}]}
                self.wfile.write(b"data: " + json.dumps(chunk).encode() + end)
                self.wfile.flush()
                if plan.delay:
                    time.sleep(plan.delay)
            if plan.usage:
                usage = {
                    "choices": [],
                    "usage": {
                        "prompt_tokens": 5,
                        "completion_tokens": len(plan.tokens),
                        "total_tokens": 5 + len(plan.tokens),
                    },
                }
                self.wfile.write(b"data: " + json.dumps(usage).encode() + end)
            self.wfile.write(b"data: [DONE]" + end)
            self.wfile.flush()
            self.server.finished_streams += 1
        except (BrokenPipeError, ConnectionResetError):
            self.server.disconnected.set()


@contextmanager
def chat_server() -> Iterator[ChatServer]:
    server = ChatServer()
    with serving(server):
        yield server
