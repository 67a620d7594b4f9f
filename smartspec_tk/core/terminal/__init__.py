"""Terminal core (Tk-free): pty backends, a fast pyte-based screen with compact scrollback,
and `TerminalSession`, the object a terminal tab drives. The contract is in docs/terminal.md.

Typical use (Tk thread):
    session = start_session(cwd, cols=80, rows=24)          # spawns the login shell
    more = session.process(0.005); dirty = session.take_dirty(); session.line_runs(y)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from .backend import PtyBackend
from .render import DEFAULT_STYLE, Style, resolve_colors
from .session import TerminalSession
from .shell import login_shell_argv, make_backend, spawn_backend, spawn_shell, terminal_env

__all__ = ["DEFAULT_STYLE", "PtyBackend", "Style", "TerminalSession", "login_shell_argv", "make_backend",
           "resolve_colors", "spawn_backend", "spawn_shell", "start_session", "terminal_env"]


def start_session(cwd: str | Path, cols: int = 80, rows: int = 24, *, argv: Sequence[str] | None = None,
                  env: Mapping[str, str] | None = None, shell: str = "", scrollback: int = 10_000,
                  allow_clipboard_write: bool = False) -> TerminalSession:
    """Spawn `argv` (default: the login shell) on a new pty and wrap it in a session; a program
    that cannot start gives a session that shows why and ends (never an exception)."""
    backend = spawn_backend(list(argv), cwd, cols, rows, env) if argv else spawn_shell(shell, cwd, cols, rows, env)
    return TerminalSession(backend, cols, rows, scrollback, allow_clipboard_write=allow_clipboard_write)
