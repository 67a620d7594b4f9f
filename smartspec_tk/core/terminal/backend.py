"""The pty backend protocol: one implementation per platform (backend_posix, backend_windows).

`read` blocks and returns b"" at end of output; `terminate` ends the child's whole
process group and session so nothing it started survives; `foreground_busy` tells
whether a program other than the shell owns the terminal (closing asks first).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

log = logging.getLogger(__name__)


@runtime_checkable
class PtyBackend(Protocol):
    """A child process attached to a pseudo-terminal."""

    def spawn(self, argv: Sequence[str], cwd: str, env: Mapping[str, str], cols: int, rows: int) -> None:
        """Start `argv` in `cwd` with exactly `env`, on a pty of cols x rows."""

    def read(self, max_bytes: int) -> bytes:
        """Block until output is available; b"" once the child's output has ended."""

    def write(self, data: bytes) -> None:
        """Send input to the child (may block while the pty's input buffer is full)."""

    def resize(self, cols: int, rows: int) -> None:
        """Set the pty size (the child gets SIGWINCH)."""

    def terminate(self) -> None:
        """End the child, its process group and every process of its session."""

    @property
    def pid(self) -> int:
        """The child's process id (0 before spawn)."""

    def is_alive(self) -> bool:
        """True while the child runs."""

    def exit_status(self) -> int | None:
        """The exit code, -signal if it was killed, or None while it runs."""

    def foreground_busy(self) -> bool:
        """True when a program other than the shell is in the terminal's foreground."""

    def fileno(self) -> int:
        """The pty master fd (-1 where there is none, e.g. Windows)."""
