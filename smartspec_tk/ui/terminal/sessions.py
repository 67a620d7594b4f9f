"""How a terminal tab's session is made: `session_factory(settings, argv, env, cwd)` gives the
(cols, rows) → TerminalSession callable a TerminalView calls on start and restart.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from smartspec_tk.core.terminal import TerminalSession, start_session, terminal_env
from smartspec_tk.ui import theme
from smartspec_tk.ui.terminal.view import SessionFactory

if TYPE_CHECKING:
    from smartspec_tk.core.settings import Settings

log = logging.getLogger(__name__)

# Tells vim & co. whether the background is dark or light (they cannot ask: OSC 11 is not answered).
DARK_BACKGROUND_ENV = {"COLORFGBG": "15;0"}
LIGHT_BACKGROUND_ENV = {"COLORFGBG": "0;15"}


def background_env() -> dict[str, str]:
    return dict(LIGHT_BACKGROUND_ENV if theme.current().name == "light" else DARK_BACKGROUND_ENV)


def session_factory(settings: Settings, *, argv: list[str] | None = None, env: Mapping[str, str] | None = None,
                    cwd: str | Path | None = None) -> SessionFactory:
    """A (cols, rows) → TerminalSession factory; `env` adds variables to the terminal env."""

    def make(cols: int, rows: int) -> TerminalSession:
        return start_session(
            cwd or settings.workspace, cols, rows, argv=argv,
            env=terminal_env(extra={**background_env(), **(env or {})}), shell=settings.shell,
            scrollback=settings.scrollback_lines, allow_clipboard_write=settings.allow_clipboard_write,
        )  # fmt: skip

    return make
