"""Keeps the embedded demo backend running: when the child dies on its own (a crash, a `kill -9`),
it is started again after a short back-off and the app is told (`DemoBackendChanged`).

A watcher thread waits for the child to exit. The back-off grows while the child keeps dying
soon after it started (0.5 s, 1 s, 2 s, 5 s, 10 s) and the watcher gives up after
`MAX_QUICK_DEATHS` in a row. Tests pass their own `Clock` instead of sleeping.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from smartspec_tk.core.embedded import READY_TIMEOUT, EmbeddedBackend
from smartspec_tk.core.messages import Message

log = logging.getLogger(__name__)

BACKOFF_S = (0.5, 1.0, 2.0, 5.0, 10.0)
STABLE_S = 60.0  # a child that ran this long was not crash-looping: the back-off starts over
MAX_QUICK_DEATHS = 6

DemoBackendState = Literal["restarting", "restarted", "gave-up"]
RESTARTING: DemoBackendState = "restarting"
RESTARTED: DemoBackendState = "restarted"
GAVE_UP: DemoBackendState = "gave-up"


@dataclass(frozen=True, slots=True)
class DemoBackendChanged(Message):
    """The demo backend the app started died (`restarting`), answers again (`restarted`), or could
    not be started again (`gave-up`); `text` says so in plain words for the status bar."""

    state: DemoBackendState
    text: str


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def wait(self, seconds: float) -> bool:
        """Wait `seconds`; True when the watcher was stopped meanwhile."""


class RealClock:
    def __init__(self, stop: threading.Event) -> None:
        self._stop = stop

    def monotonic(self) -> float:
        return time.monotonic()

    def wait(self, seconds: float) -> bool:
        return self._stop.wait(seconds)


class BackendWatcher:
    """Restarts `backend` whenever its child exits without `stop()`; posts to `post` (any thread)."""

    def __init__(self, backend: EmbeddedBackend, post: Callable[[Message], None], clock: Clock | None = None,
                 ready_timeout: float = READY_TIMEOUT) -> None:  # fmt: skip
        self.backend = backend
        self.ready_timeout = ready_timeout  # how long a new child may take to answer
        self._post = post
        self._stop = threading.Event()
        self.clock: Clock = clock or RealClock(self._stop)
        self.delays: list[float] = []  # the back-offs waited, for tests and the log
        self._started = 0.0  # when the running child started (clock time)
        self._thread = threading.Thread(target=self.run, name="demo-backend-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        """The watcher thread: wait for each child to exit, then start the next one."""
        quick = 0
        self._started = self.clock.monotonic()
        while True:
            code = self.backend.process.wait()
            if self.backend.stopped or self._stop.is_set():
                return
            quick = quick + 1 if self.clock.monotonic() - self._started < STABLE_S else 1
            log.warning("the demo backend exited by itself (status %s); restarting it", code)
            self._post(DemoBackendChanged(RESTARTING, f"Demo backend stopped (exit status {code}); restarting…"))
            if not self._restart(quick):
                return

    def _restart(self, quick: int) -> bool:
        """Start the child again, backing off between failed tries; False when giving up or stopped."""
        while quick <= MAX_QUICK_DEATHS:
            delay = BACKOFF_S[min(quick, len(BACKOFF_S)) - 1]
            self.delays.append(delay)
            if self.clock.wait(delay) or self.backend.stopped:
                return False
            if self.backend.restart(self.ready_timeout):
                self._started = self.clock.monotonic()  # before the news: a test may move its clock on it
                self._post(DemoBackendChanged(RESTARTED, "Demo backend restarted"))
                return True
            quick += 1
        log.error("the demo backend could not be restarted; see %s", self.backend.log_path)
        self._post(DemoBackendChanged(
            GAVE_UP, f"Demo backend could not be restarted — see {self.backend.log_path.name} (Help → Open log folder)"
        ))  # fmt: skip
        return False
