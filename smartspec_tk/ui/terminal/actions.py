"""The terminal's menu entries (Tabs, Edit, View's zoom), quit handling and the `--self-test`
check, wired to a TerminalNotebook by `install_actions` (its keys: `TerminalNotebook.shortcuts`).
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import tkinter as tk
from collections.abc import Callable, Mapping
from tkinter import messagebox
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smartspec_tk.ui.terminal.notebook import TerminalNotebook
    from smartspec_tk.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

SELF_TEST_EXPECTED = "smartspec-self-test-42"


def self_test_program(platform: str = sys.platform, environ: Mapping[str, str] | None = None) -> tuple[list[str], str]:
    """(argv, keys) of the terminal self-check. Its output differs from what is typed, so seeing it
    proves keys → pty → shell → screen → Text all work. A plain interactive shell, not the login
    shell (a slow ~/.bashrc must not fail the check); on Windows cmd.exe, present everywhere
    (PowerShell is often blocked): cmd removes the caret of `4^2` when it runs the echo."""
    env = os.environ if environ is None else environ
    if platform == "win32":
        return [env.get("COMSPEC") or "cmd.exe"], "echo smartspec-self-test-4^2\r"
    return ["/bin/sh", "-i"], "echo smartspec-self-test-$((6*7))\r"


def confirm_quit(window: MainWindow) -> bool:
    return bool(messagebox.askyesno(
        "Quit SmartSpec Tk?", "A program is still running in a terminal tab. Quit anyway?",
        parent=window.root,
    ))  # fmt: skip


def install_actions(window: MainWindow, notebook: TerminalNotebook) -> None:
    """Menus (their keys are the notebook's shortcuts, registered in the window's `shortcuts`),
    quit handling and the self-check."""
    _add_menus(window, notebook)

    def on_close() -> bool:
        return not notebook.any_busy() or confirm_quit(window)

    window.close_handlers.append(on_close)
    window.quit_handlers.append(notebook.close_all)
    window.add_self_check("terminal echo", lambda wait_until: self_check(notebook, wait_until))


def _add_menus(window: MainWindow, notebook: TerminalNotebook) -> None:
    keys = notebook.shortcuts

    def add(menu: tk.Menu, label: str, action: str, command: Callable[[], object]) -> None:
        menu.add_command(label=label, accelerator=keys.accelerator(action), command=command)

    tabs = window.menu("Tabs")
    add(tabs, "New tab", "new_tab", notebook.new_tab)
    add(tabs, "New tab here", "new_tab_here", notebook.new_tab_here)
    add(tabs, "Close tab", "close_tab", notebook.close_tab)
    tabs.add_separator()
    add(tabs, "Next tab", "next_tab", lambda: notebook.step(1))
    add(tabs, "Previous tab", "previous_tab", lambda: notebook.step(-1))
    add(tabs, "Move tab left", "move_tab_left", lambda: notebook.move_tab(-1))
    add(tabs, "Move tab right", "move_tab_right", lambda: notebook.move_tab(1))
    tabs.add_command(label="Rename tab…", accelerator="F2 / double-click", command=notebook.rename_tab)
    edit = window.menu("Edit")
    for label, action in (("Copy (terminal)", "copy"), ("Paste (terminal)", "paste"), ("Find in terminal…", "find")):
        add(edit, label, action, functools.partial(keys.run, action))
    view = window.menu("View")
    for label, action in (("Zoom in", "zoom_in"), ("Zoom out", "zoom_out"), ("Reset zoom", "zoom_reset")):
        add(view, label, action, functools.partial(keys.run, action))


def self_check(notebook: TerminalNotebook, wait_until: Callable[..., None]) -> None:
    """Open a tab, run an echo through the real shell and wait for its output on screen."""
    argv, keys = self_test_program()
    view = notebook.open_session(argv=argv, title="self-test")
    wait_until(lambda: view.session is not None, 5, "the self-test shell to start")
    session = view.session
    if session is None:
        raise AssertionError("the self-test shell ended at once")
    session.write(keys.encode())

    def shown() -> bool:
        return SELF_TEST_EXPECTED in view.text.get("1.0", "end")

    wait_until(shown, 15, f"'{SELF_TEST_EXPECTED}' in the terminal")
    notebook.close_tab(view, ask=False)
