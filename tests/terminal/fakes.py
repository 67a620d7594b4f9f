"""A scripted PtyBackend for tests: serves given output chunks, records input."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence


class FakeBackend:
    """Serves `chunks` to read() (then EOF, or blocks until `finish()` when hold_open)."""

    def __init__(self, chunks: Iterable[bytes] = (), *, hold_open: bool = False, exit_code: int = 0) -> None:
        self.chunks = list(chunks)
        self.written = bytearray()
        self.sizes: list[tuple[int, int]] = []
        self.terminated = False
        self.code = exit_code
        self._open = threading.Event()
        if not hold_open:
            self._open.set()
        self._lock = threading.Lock()
        self._more = threading.Condition(self._lock)

    def spawn(self, argv: Sequence[str], cwd: str, env: Mapping[str, str], cols: int, rows: int) -> None:
        self.sizes.append((cols, rows))

    def push(self, data: bytes) -> None:
        with self._more:
            self.chunks.append(data)
            self._more.notify_all()

    def finish(self) -> None:
        self._open.set()
        with self._more:
            self._more.notify_all()

    def read(self, max_bytes: int) -> bytes:
        with self._more:
            while not self.chunks and not (self._open.is_set() or self.terminated):
                self._more.wait(0.1)
            if self.chunks:
                return self.chunks.pop(0)
        return b""

    def write(self, data: bytes) -> None:
        self.written += data

    def resize(self, cols: int, rows: int) -> None:
        self.sizes.append((cols, rows))

    def terminate(self) -> None:
        self.terminated = True
        self.finish()

    @property
    def pid(self) -> int:
        return 4242

    def is_alive(self) -> bool:
        return not (self._open.is_set() and not self.chunks) and not self.terminated

    def exit_status(self) -> int | None:
        return None if self.is_alive() else self.code

    def foreground_busy(self) -> bool:
        return False

    def fileno(self) -> int:
        return -1
