"""A tiny loopback HTTP server that records every request it gets (for credential-scope tests)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer

from tests.helpers.local_server import QuietHandler, Seen, seen, serving


@dataclass
class CaptureServer:
    url: str
    requests: list[Seen] = field(default_factory=list)


Responder = Callable[[QuietHandler], None]


def _default_response(handler: QuietHandler) -> None:
    handler.send_json(200, {"ok": True})


@contextmanager
def capture_server(respond: Responder = _default_response, host: str = "127.0.0.1") -> Iterator[CaptureServer]:
    """Run a recording server on a free port of `host`; stopped on exit."""
    record = CaptureServer(url="")

    class Handler(QuietHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            record.requests.append(seen(self))
            respond(self)

        do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _handle

    with serving(ThreadingHTTPServer((host, 0), Handler)) as url:
        record.url = url
        yield record
