"""A reverse proxy that buffers whole responses, as some corporate proxies do with SSE.

It forwards each request to the upstream, reads the complete answer (a stream too),
and only then sends it on with a Content-Length: the client sees the whole stream
arrive at once, after the full generation time. Runs in a thread of the test process.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from tests.helpers.local_server import serving

HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "proxy-connection"}


def _handler(upstream: str) -> type[BaseHTTPRequestHandler]:
    class BufferingHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
            with httpx.Client(trust_env=False, timeout=120) as http:
                answer = http.request(self.command, upstream + self.path, content=body, headers=headers)
            data = answer.content  # the whole body, however it was streamed upstream
            self.send_response(answer.status_code)
            for name, value in answer.headers.multi_items():
                if name.lower() not in HOP_HEADERS | {"content-encoding"}:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_OPTIONS = _forward

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
            pass

    return BufferingHandler


@contextmanager
def buffering_proxy(upstream: str) -> Iterator[str]:
    """Serve a buffering proxy for `upstream` on a free loopback port; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(upstream.rstrip("/")))
    server.daemon_threads = True
    with serving(server) as url:
        yield url
