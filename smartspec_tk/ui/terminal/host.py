"""InputHost: what a terminal's keyboard and mouse handlers need of the TerminalView they serve."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from smartspec_tk.core.terminal import TerminalSession

if TYPE_CHECKING:
    from smartspec_tk.ui.window.shortcuts import Shortcuts


class InputHost(Protocol):
    """What input needs of the terminal it serves (a TerminalView), read fresh each time."""

    text: tk.Text
    cols: int
    rows: int
    exited: bool
    shortcuts: Shortcuts | None  # the window's (None: a view on its own gets the default keys)
    on_rename: Callable[[], None]  # F2 at a shell prompt

    @property
    def session(self) -> TerminalSession | None: ...

    def restart(self) -> None: ...

    def input_sent(self) -> None: ...

    def zoom(self, step: int) -> None: ...

    def find(self) -> None: ...

    def foreground_busy(self) -> bool: ...

    def selected_text(self) -> str: ...

    def focus_terminal(self) -> None: ...

    def cell_size(self) -> tuple[int, int]: ...

    def screen_line(self) -> int:
        """The Text line of the screen's first row."""
        ...

    def context_entries(self) -> list[tuple[str, Callable[[], None]]]:
        """The right-click entries other features added."""
        ...
