"""Shell fallback and failed spawns, Tk-free.

`FallbackBackend` tries a chain of shells (on Windows: SMARTSPEC_SHELL, pwsh, powershell,
then %COMSPEC%/cmd.exe): a shell that cannot start, or that ends within `quick_exit_s` of its
start (AppLocker/WDAC often block PowerShell; Wine's powershell.exe is a stub that exits at
once), is replaced by the next one in the same tab. The first line the tab shows says which
shell runs and why, e.g. `[cmd.exe via WinPTY — powershell.exe ended at once (status 0)]`.

`FailedBackend` is what a tab runs when nothing could start: it prints the reason and ends,
so the tab shows the error (with "press Enter to restart") instead of the app failing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .backend import PtyBackend

log = logging.getLogger(__name__)

QUICK_EXIT_S = 1.0
DIM, RESET = "\x1b[2m", "\x1b[0m"


@dataclass(frozen=True, slots=True)
class ShellChoice:
    """One shell of the chain: its command line and the name the tab shows."""

    argv: list[str]
    label: str


def notice_line(text: str) -> bytes:
    return f"{DIM}[{text}]{RESET}\r\n".encode()


class FailedBackend:
    """A PtyBackend whose 'program' printed why it could not start and ended."""

    def __init__(self, message: str) -> None:
        self.message = message
        self._pending = f"\x1b[31m{message}\x1b[0m\r\n".encode()
        self._lock = threading.Lock()

    def spawn(self, argv: Sequence[str], cwd: str, env: Mapping[str, str], cols: int, rows: int) -> None:
        return None

    def read(self, max_bytes: int) -> bytes:
        with self._lock:
            data, self._pending = self._pending, b""
        return data

    def write(self, data: bytes) -> None:
        return None

    def resize(self, cols: int, rows: int) -> None:
        return None

    def terminate(self) -> None:
        return None

    @property
    def pid(self) -> int:
        return 0

    def is_alive(self) -> bool:
        return False

    def exit_status(self) -> int | None:
        return None

    def foreground_busy(self) -> bool:
        return False

    def fileno(self) -> int:
        return -1


class FallbackBackend:
    """A PtyBackend that runs the first shell of `choices` that starts and stays up."""

    def __init__(self, choices: Sequence[ShellChoice], make: Callable[[], PtyBackend], *,
                 notes: Sequence[str] = (), quick_exit_s: float = QUICK_EXIT_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._choices = list(choices)
        self._make = make
        self._notes = list(notes)  # e.g. "pwsh.exe not found"
        self._quick_exit_s = quick_exit_s
        self._clock = clock
        self._lock = threading.Lock()
        self._inner: PtyBackend | None = None
        self._next = 0
        self._started_at = 0.0
        self._pending = b""
        self._closed = False
        self._where: tuple[str, Mapping[str, str], int, int] = ("", {}, 80, 24)
        self.label = ""

    @property
    def description(self) -> str:
        """Which shell runs, and why not the ones before it."""
        transport = getattr(self._inner, "transport", "")
        head = f"{self.label} via {transport}" if transport else self.label
        return head + (f" — {'; '.join(self._notes)}" if self._notes else "")

    def spawn(self, argv: Sequence[str], cwd: str, env: Mapping[str, str], cols: int, rows: int) -> None:
        """Start the first shell that starts (`argv` is ignored: the chain says what runs)."""
        self._where = (cwd, env, cols, rows)
        if not self._start_next():
            raise OSError("no shell could start: " + "; ".join(self._notes))

    def _start_next(self) -> bool:
        cwd, env, cols, rows = self._where
        while self._next < len(self._choices):
            choice = self._choices[self._next]
            self._next += 1
            backend = self._make()
            try:
                backend.spawn(choice.argv, cwd, env, cols, rows)
            except Exception as exc:  # noqa: BLE001 - a shell that cannot start is skipped
                log.info("terminal: %s could not start: %s", choice.label, exc)
                self._notes.append(f"{choice.label} could not start: {exc}")
                continue
            with self._lock:
                self._inner = backend
                self.label = choice.label
                self._started_at = self._clock()
                self._pending += notice_line(self.description)
            log.info("terminal: running %s", self.description)
            return True
        return False

    def read(self, max_bytes: int) -> bytes:
        while True:
            with self._lock:
                if self._pending:
                    data, self._pending = self._pending, b""
                    return data
                inner = self._inner
            if inner is None or self._closed:
                return b""
            data = inner.read(max_bytes)
            if data:
                return data
            quick = self._clock() - self._started_at < self._quick_exit_s
            if self._closed or not quick or self._next >= len(self._choices):
                return b""
            status = inner.exit_status()
            shown = f" (status {status})" if status is not None else ""
            self._notes.append(f"{self.label} ended at once{shown}")
            inner.terminate()
            if not self._start_next():
                return b""

    def _current(self) -> PtyBackend | None:
        with self._lock:
            return self._inner

    def write(self, data: bytes) -> None:
        inner = self._current()
        if inner is not None:
            inner.write(data)

    def resize(self, cols: int, rows: int) -> None:
        cwd, env, _cols, _rows = self._where
        self._where = (cwd, env, cols, rows)
        inner = self._current()
        if inner is not None:
            inner.resize(cols, rows)

    def terminate(self) -> None:
        self._closed = True
        inner = self._current()
        if inner is not None:
            inner.terminate()

    @property
    def pid(self) -> int:
        inner = self._current()
        return inner.pid if inner is not None else 0

    def is_alive(self) -> bool:
        inner = self._current()
        return inner is not None and inner.is_alive()

    def exit_status(self) -> int | None:
        inner = self._current()
        return inner.exit_status() if inner is not None else None

    def foreground_busy(self) -> bool:
        inner = self._current()
        return inner is not None and inner.foreground_busy()

    def fileno(self) -> int:
        inner = self._current()
        return inner.fileno() if inner is not None else -1
