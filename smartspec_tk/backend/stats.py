"""Reference-only observability: stream counters behind `GET /_reference/stats` (loopback only).

Not part of the real backend's contract; tests use it to see what the server saw,
e.g. that a client's Stop reached it as a failed write (`client_disconnects`).
"""

from __future__ import annotations

import threading

from smartspec_tk.backend.middleware import is_loopback
from smartspec_tk.backend.routing import Route, route
from smartspec_tk.backend.web import Request, Response, detail, json_response

STATS_PATH = "/_reference/stats"
COUNTERS = ("streams_started", "streams_completed", "streams_cut", "client_disconnects")


class StreamStats:
    """Thread-safe counters; every streamed chat answer (offline or relayed) counts here."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts = dict.fromkeys(COUNTERS, 0)

    def count(self, name: str) -> None:
        with self._lock:
            self._counts[name] += 1

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)


def routes(counters: StreamStats) -> list[Route]:
    def stats(req: Request) -> Response:
        if not is_loopback(req.client):  # even with --allow-remote: this is for local tests only
            return detail(403, "Forbidden (localhost only)")
        return json_response(200, counters.snapshot())

    return [route("GET", STATS_PATH, stats)]
