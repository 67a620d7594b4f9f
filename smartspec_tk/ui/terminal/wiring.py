"""Wires the terminal tabs into the app: the notebook in the window, its menus, shortcuts,
quit handling and self-check; returns it as the other features' `terminals` handle."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from smartspec_tk.ui.terminal.actions import install_actions
from smartspec_tk.ui.terminal.notebook import TerminalNotebook
from smartspec_tk.ui.terminal.restore import install_restore

if TYPE_CHECKING:
    from smartspec_tk.core.settings import Settings
    from smartspec_tk.services import Services
    from smartspec_tk.ui.window.main_window import MainWindow
    from smartspec_tk.ui.window.pump import Pump


def attach(window: MainWindow, pump: Pump, services: Services) -> TerminalNotebook:
    """Put the notebook in the window with the saved session's tabs, or a first tab, open."""
    notebook = TerminalNotebook(window.terminal_area, services, window.shortcuts)
    notebook.pack(fill="both", expand=True)
    install_actions(window, notebook)
    services.settings_listeners.append(functools.partial(_apply_settings, notebook))
    if not install_restore(window, notebook, services):  # the saved tabs, else one new tab
        notebook.new_tab()
    return notebook


def _apply_settings(notebook: TerminalNotebook, settings: Settings) -> None:
    """Settings saved: the font and the Ctrl+C/Ctrl+V keys change in every open tab at once
    (shell, folder, scrollback: new tabs read them when they open)."""
    for view in notebook.views():
        view.set_font(settings.font_family, settings.font_size)
        view.input.ctrl_c_copies = settings.ctrl_c_copies_on()
