"""Shared helpers for the terminal tests: run a real pty session and pump it like the Tk loop does."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from smartspec_tk.core.terminal import TerminalSession, start_session


def bash_session(cwd: Path, cols: int = 80, rows: int = 24, **kwargs: object) -> TerminalSession:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd), "PS1": "$ ",
           "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    return start_session(cwd, cols, rows, argv=["bash", "--norc", "--noprofile", "-i"], env=env,
                         **kwargs)  # type: ignore[arg-type]


def screen_text(session: TerminalSession) -> str:
    return "\n".join(session.line_text(y) for y in range(session.rows))


def pump_until(session: TerminalSession, condition: Callable[[], bool], timeout: float = 30.0,
               what: str = "condition") -> None:
    """Process output like the UI loop until condition() holds; fail with the screen if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        session.process(0.005)
        if condition():
            return
        time.sleep(0.005)
    raise AssertionError(f"timed out waiting for {what}; screen:\n{screen_text(session)}")


def foreground_runs(session: TerminalSession, program: str) -> bool:
    """True once the pty's foreground process group leader has exec'd `program`.

    `foreground_busy()` turns true as soon as bash has forked the job and handed it the
    terminal, but before the child's exec: a Ctrl+C in that window reaches bash's own
    SIGINT handler in the child, is lost, and `sleep` then runs to its end.
    """
    try:
        pgid = os.tcgetpgrp(session.backend.fileno())
        return Path(f"/proc/{pgid}/comm").read_text().strip() == program
    except OSError:
        return False


def pid_alive(pid: int) -> bool:
    """True if pid exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return False
    return stat[stat.rfind(b")") + 2:][:1] != b"Z"
