"""The terminal's menu entries (Tabs, Edit), window-wide tab shortcuts, quit handling and
the `--self-test` check, wired to a TerminalNotebook by `install_actions`.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping
from tkinter import messagebox
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smartspec_tk.ui.handles import TerminalTab
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
    _add_menus(window, notebook)
    # Window-wide so they also work while the chat has the focus (the terminal's own key
    # handler runs these first and stops the event there).
    root = window.root
    root.bind_all("<Control-T>", lambda _e: _run(notebook.new_tab))
    root.bind_all("<Control-W>", lambda _e: _run(notebook.close_tab))
    root.bind_all("<Control-Tab>", lambda _e: _run(lambda: notebook.step(1)))
    root.bind_all("<Control-ISO_Left_Tab>", lambda _e: _run(lambda: notebook.step(-1)))

    def on_close() -> bool:
        return not notebook.any_busy() or confirm_quit(window)

    window.close_handlers.append(on_close)
    window.quit_handlers.append(notebook.close_all)
    window.add_self_check("terminal echo", lambda wait_until: self_check(notebook, wait_until))


def _run(action: Callable[[], object]) -> str:
    action()
    return "break"


def _add_menus(window: MainWindow, notebook: TerminalNotebook) -> None:
    tabs = window.menu("Tabs")
    tabs.add_command(label="New Tab", accelerator="Ctrl+Shift+T", command=notebook.new_tab)
    tabs.add_command(label="Close Tab", accelerator="Ctrl+Shift+W", command=notebook.close_tab)
    tabs.add_separator()
    tabs.add_command(label="Next Tab", accelerator="Ctrl+Tab", command=lambda: notebook.step(1))
    tabs.add_command(label="Previous Tab", accelerator="Ctrl+Shift+Tab", command=lambda: notebook.step(-1))
    tabs.add_command(label="Move Tab Left", accelerator="Ctrl+Shift+PgUp", command=lambda: notebook.move_tab(-1))
    tabs.add_command(label="Move Tab Right", accelerator="Ctrl+Shift+PgDn", command=lambda: notebook.move_tab(1))
    tabs.add_command(label="Rename Tab…", accelerator="F2 / double-click", command=notebook.rename_tab)
    edit = window.menu("Edit")

    def on_tab(action: Callable[[TerminalTab], None]) -> Callable[[], None]:
        def run() -> None:
            tab = notebook.current_tab()
            if tab is not None:
                action(tab)

        return run

    edit.add_command(label="Copy (terminal)", accelerator="Ctrl+Shift+C", command=on_tab(lambda t: t.copy()))
    edit.add_command(label="Paste (terminal)", accelerator="Ctrl+Shift+V",
                     command=on_tab(lambda t: t.paste_clipboard()))  # fmt: skip
    edit.add_command(label="Find in terminal…", accelerator="Ctrl+Shift+F", command=on_tab(lambda t: t.find()))


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
