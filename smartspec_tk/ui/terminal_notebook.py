"""TerminalNotebook: the terminal tabs (placeholder until the terminal feature lands)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smartspec_tk.ui.main_window import placeholder

if TYPE_CHECKING:
    from smartspec_tk.services import Services
    from smartspec_tk.ui.main_window import MainWindow
    from smartspec_tk.ui.pump import Pump


def attach(window: MainWindow, pump: Pump, services: Services) -> None:
    placeholder(window.terminal_area, "Terminals: not yet available")
