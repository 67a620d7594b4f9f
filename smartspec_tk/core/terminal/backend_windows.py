"""Windows pty backend on pywinpty (ConPTY). pywinpty is imported lazily so this module
loads everywhere; the unit tests drive it with a fake `winpty` module.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import subprocess
from collections.abc import Mapping, Sequence
from typing import Any

log = logging.getLogger(__name__)


def _winpty() -> Any:
    return importlib.import_module("winpty")


class WindowsPtyBackend:
    """PtyBackend for Windows; pywinpty hands out text, which is re-encoded as UTF-8."""

    def __init__(self) -> None:
        self._proc: Any = None
        self._closed = False

    def spawn(self, argv: Sequence[str], cwd: str, env: Mapping[str, str], cols: int, rows: int) -> None:
        self._proc = _winpty().PtyProcess.spawn(list(argv), cwd=cwd, env=dict(env), dimensions=(rows, cols))

    @property
    def pid(self) -> int:
        return int(self._proc.pid) if self._proc is not None else 0

    def fileno(self) -> int:
        return -1

    def read(self, max_bytes: int) -> bytes:
        while not self._closed and self._proc is not None:
            try:
                text = self._proc.read(max_bytes)
            except EOFError:
                return b""
            except OSError as exc:
                log.debug("winpty read failed: %s", exc)
                return b""
            if text:
                return text.encode("utf-8", "replace") if isinstance(text, str) else bytes(text)
            if not self._proc.isalive():
                return b""
        return b""

    def write(self, data: bytes) -> None:
        if self._proc is not None and not self._closed:
            with contextlib.suppress(OSError, EOFError):
                self._proc.write(data.decode("utf-8", "replace"))

    def resize(self, cols: int, rows: int) -> None:
        if self._proc is not None:
            with contextlib.suppress(OSError):
                self._proc.setwinsize(rows, cols)

    def is_alive(self) -> bool:
        return self._proc is not None and bool(self._proc.isalive())

    def exit_status(self) -> int | None:
        if self._proc is None or self._proc.isalive():
            return None
        status = self._proc.exitstatus
        return int(status) if status is not None else None

    def foreground_busy(self) -> bool:
        """ConPTY has no foreground process group; a live child process of the shell counts."""
        if not self.is_alive():
            return False
        with contextlib.suppress(OSError, subprocess.SubprocessError, ValueError):
            out = subprocess.run(
                ["wmic", "process", "where", f"ParentProcessId={self.pid}", "get", "ProcessId"],
                capture_output=True, text=True, timeout=5).stdout
            return any(part.strip().isdigit() for part in out.splitlines()[1:])
        return False

    def terminate(self) -> None:
        """Kill the child and its whole process tree (taskkill /T /F)."""
        if self._proc is None:
            return
        self._closed = True
        if self._proc.isalive():
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                subprocess.run(["taskkill", "/T", "/F", "/PID", str(self.pid)],
                               capture_output=True, timeout=10)
        with contextlib.suppress(OSError, EOFError):
            self._proc.terminate(force=True)
