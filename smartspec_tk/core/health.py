"""Backend health poller: a worker thread that tells the GUI whether the backend answers."""

from __future__ import annotations

import logging
import threading

import httpx

from smartspec_tk.core.messages import BackendStatusChanged
from smartspec_tk.core.outbox import Outbox

log = logging.getLogger(__name__)

HEALTH_PATHS = ("/health", "/healthz")


def probe_backend(http: httpx.Client, base_url: str, timeout: float = 3.0) -> tuple[bool, str]:
    """Any thread: (reachable, detail). 200 (or 503 "unhealthy") means something answers."""
    last = ""
    for path in HEALTH_PATHS:
        try:
            response = http.get(base_url + path, timeout=timeout)
        except httpx.HTTPError as exc:
            return False, f"not reachable ({type(exc).__name__})"
        if response.status_code == 404:
            last = "answers, but has no health route"
            continue
        if response.status_code in (401, 403):
            return True, f"answers (HTTP {response.status_code} on {path})"
        if response.status_code == 503:
            return True, "answers, reports itself unhealthy"
        if response.is_success:
            return True, "online"
        return True, f"answers with HTTP {response.status_code}"
    return True, last


class HealthPoller:
    """Polls the backend every `interval` seconds and posts `BackendStatusChanged` on change."""

    def __init__(
        self, http: httpx.Client, base_url: str, outbox: Outbox, *, interval: float = 5.0, demo: bool = False
    ) -> None:
        self._http = http
        self._base_url = base_url
        self._outbox = outbox
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="health-poller", daemon=True)
        self.demo = demo
        self._wake = threading.Event()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def poll_now(self) -> None:
        """Ask for an early poll (any thread): the demo backend was restarted (core/embedded_watch.py)."""
        self._wake.set()

    def _run(self) -> None:
        last: tuple[bool, str] | None = None
        while not self._stop.is_set():
            state = probe_backend(self._http, self._base_url)
            if state != last:
                log.info("backend %s: %s", self._base_url, state[1])
                self._outbox.post(BackendStatusChanged(self._base_url, state[0], state[1], self.demo))
                last = state
            self._wake.wait(self._interval)
            self._wake.clear()
