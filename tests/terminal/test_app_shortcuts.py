"""The application's shortcuts driven from a FOCUSED real terminal (a bash on a real pty in the
real main window under Xvfb): each one does its job and never reaches the shell; the keys
come from the `shortcuts` setting; Ctrl+A selects all in text fields (and still reaches the
shell in a terminal); Help → Keyboard shortcuts lists the keys in use."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from tkinter import ttk

import pytest

from smartspec_tk.core.shortcuts import ACTION_NAMES, build_keymap, parse_chord, parse_overrides, table
from smartspec_tk.ui.terminal import wiring as terminal_wiring
from smartspec_tk.ui.terminal.notebook import TerminalNotebook
from smartspec_tk.ui.terminal.view import TerminalView
from smartspec_tk.ui.window.main_window import MainWindow
from smartspec_tk.ui.window.pump import Pump
from smartspec_tk.ui.window.shortcuts_dialog import ShortcutsDialog

from .ui_helpers import BASH, BASH_ENV, CONTROL, SHIFT, make_services, press, screen_lines, type_text

Wait = Callable[..., None]


@dataclass
class App:
    window: MainWindow
    notebook: TerminalNotebook
    quits: list[str]

    def bash(self) -> TerminalView:
        return self.notebook.open_session(argv=BASH, env=BASH_ENV)


@contextmanager
def running_app(tk_root: tk.Tk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    """The real main window with the real terminal feature (settings read from the environment)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    services = make_services()
    window = MainWindow(tk_root, services.backend_url, build_keymap(services.settings.shortcuts))
    ttk.Label(window.chat_area, text="chat").pack()
    notebook = terminal_wiring.attach(window, Pump(tk_root, services.outbox), services)
    quits: list[str] = []
    window.quit_handlers.insert(0, lambda: quits.append("quit"))
    notebook.close_tab(ask=False)  # the login shell's tab: tests use a plain bash
    try:
        yield App(window, notebook, quits)
    finally:
        notebook.close_all()
        services.close()


@pytest.fixture
def app(tk_root: tk.Tk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    with running_app(tk_root, tmp_path, monkeypatch) as app:
        yield app


def ready(view: TerminalView, wait_until: Wait) -> TerminalView:
    wait_until(lambda: any(screen_lines(view)), what="the shell's prompt")  # bash's "$ " or the login shell's
    view.text.focus_force()
    tk_root = view.winfo_toplevel()
    wait_until(lambda: tk_root.focus_get() is view.text, what="the terminal to have the focus")
    return view


def shell_line_is_clean(view: TerminalView, wait_until: Wait) -> None:
    """Nothing the shortcuts pressed reached the shell: a command typed now runs as typed."""
    type_text(view, "echo clean-line")
    press(view, "Return")
    wait_until(lambda: "clean-line" in screen_lines(view), what="the command's output")  # the whole line


def test_tab_shortcuts_from_a_focused_terminal(app: App, wait_until: Wait) -> None:
    first = ready(app.bash(), wait_until)
    press(first, "T", CONTROL | SHIFT)  # new tab
    assert len(app.notebook.tabs()) == 2
    second = app.notebook.current_view()
    assert second is not first
    ready(second, wait_until)
    press(second, "Tab", CONTROL)  # next tab (wraps)
    assert app.notebook.current_view() is first
    press(first, "ISO_Left_Tab", CONTROL | SHIFT)  # previous tab (X11's Shift+Tab)
    assert app.notebook.current_view() is second
    press(second, "Prior", CONTROL | SHIFT)  # move tab left
    assert app.notebook.index(second) == 0
    press(second, "W", CONTROL | SHIFT)  # close tab
    assert app.notebook.views() == [first]
    shell_line_is_clean(ready(first, wait_until), wait_until)


def test_window_shortcuts_from_a_focused_terminal(app: App, wait_until: Wait) -> None:
    view = ready(app.bash(), wait_until)
    panes = app.window.paned.panes  # type: ignore[no-untyped-call]
    assert len(panes()) == 2
    press(view, "B", CONTROL | SHIFT)  # toggle chat pane
    assert len(panes()) == 1
    press(view, "B", CONTROL | SHIFT)
    assert len(panes()) == 2
    size = view.fonts[(False, False)].cget("size")
    press(view, "equal", CONTROL)  # zoom in
    press(view, "plus", CONTROL | SHIFT)  # zoom in, with the Shift a "+" needs on most layouts
    assert view.fonts[(False, False)].cget("size") == size + 2
    press(view, "minus", CONTROL)
    assert view.fonts[(False, False)].cget("size") == size + 1
    press(view, "0", CONTROL)  # reset
    assert view.fonts[(False, False)].cget("size") == size
    press(view, "F", CONTROL | SHIFT)  # find
    assert view.search.is_open
    view.search.close()
    shell_line_is_clean(ready(view, wait_until), wait_until)
    press(view, "Q", CONTROL | SHIFT)  # quit: the window's quit handlers run (the shells end)
    assert app.quits == ["quit"]
    wait_until(lambda: view.session is None, what="the tab's shell ended by quitting")


def test_shortcuts_follow_the_setting_and_the_menus_show_them(
        tk_root: tk.Tk, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, wait_until: Wait) -> None:
    monkeypatch.setenv("SMARTSPEC_SHORTCUTS", "toggle_chat=Ctrl+Shift+L; new_tab=Ctrl+Alt+N|Ctrl+Shift+T")
    with running_app(tk_root, tmp_path, monkeypatch) as app:
        view = ready(app.bash(), wait_until)
        view_menu = app.window.menu("View")
        accelerators = {view_menu.entrycget(i, "label"): view_menu.entrycget(i, "accelerator")
                        for i in range(view_menu.index("end") + 1) if view_menu.type(i) == "command"}
        assert accelerators["Toggle chat pane"] == "Ctrl+Shift+L"
        assert accelerators["Zoom in"] == "Ctrl+=" and accelerators["Reset zoom"] == "Ctrl+0"
        press(view, "B", CONTROL | SHIFT)  # the default key no longer toggles
        assert len(app.window.paned.panes()) == 2  # type: ignore[no-untyped-call]
        press(view, "L", CONTROL | SHIFT)
        assert len(app.window.paned.panes()) == 1  # type: ignore[no-untyped-call]
        press(view, "n", CONTROL | 0x8)  # Ctrl+Alt+N (Alt is Mod1)
        assert len(app.notebook.tabs()) == 2
        dialog = ShortcutsDialog(app.window.root, app.window.shortcuts.keymap)
        rows = dict(dialog.rows())
        assert rows["Toggle chat pane"] == "Ctrl+Shift+L"
        assert rows["New tab"] == "Ctrl+Alt+N or Ctrl+Shift+T"
        dialog.destroy()


def test_ctrl_a_selects_all_in_text_fields_and_reaches_the_shell_in_a_terminal(app: App, wait_until: Wait) -> None:
    entry = ttk.Entry(app.window.chat_area)
    combo = ttk.Combobox(app.window.chat_area)
    text = tk.Text(app.window.chat_area, height=2)
    for widget in (entry, combo, text):
        widget.pack()
        widget.insert("end", "build logs")
        widget.focus_force()
        wait_until(lambda w=widget: w.focus_get() is w, what="the field to have the focus")
        widget.event_generate("<Control-Key-a>")
        if isinstance(widget, tk.Text):
            assert widget.get("sel.first", "sel.last") == "build logs"
        else:
            assert widget.selection_present() and widget.selection_get() == "build logs"
        widget.event_generate("<Key>", keysym="x")  # typing replaces the selection, as users expect
        got = widget.get("1.0", "end-1c") if isinstance(widget, tk.Text) else widget.get()
        assert got == "x"
    view = ready(app.bash(), wait_until)
    type_text(view, "cho ctrl-a-works")
    press(view, "a", CONTROL)  # readline: to the line start
    type_text(view, "e")
    press(view, "Return")
    wait_until(lambda: "ctrl-a-works" in screen_lines(view), what="echo to run after Ctrl+A")


def test_ctrl_tab_in_a_text_field_switches_tabs_instead_of_moving_the_focus(app: App, wait_until: Wait) -> None:
    first, second = ready(app.bash(), wait_until), app.bash()
    text = tk.Text(app.window.chat_area, height=2)
    text.pack()
    text.focus_force()
    wait_until(lambda: text.focus_get() is text, what="the text field to have the focus")
    text.event_generate("<Control-Key-Tab>")
    assert app.notebook.current_view() is first
    assert text.focus_get() is not second.text


def test_the_keymap_and_its_setting() -> None:
    keymap = build_keymap()
    assert keymap.action_for("t", True, True, False) == "new_tab" == keymap.action_for("T", True, True, False)
    assert keymap.action_for("t", True, False, False) is None  # Ctrl+T stays the shell's
    assert keymap.action_for("q", True, False, False) is None  # Ctrl+Q (XON) too
    assert keymap.action_for("ISO_Left_Tab", True, True, False) == "previous_tab"
    assert keymap.action_for("KP_Add", True, False, False) == "zoom_in"
    assert keymap.accelerator("zoom_out") == "Ctrl+-" and keymap.accelerator("move_tab_left") == "Ctrl+Shift+PgUp"
    assert parse_chord("ctrl+shift+pageup") == parse_chord("Ctrl+Shift+PgUp")
    assert parse_overrides("quit=none; zoom_in = Ctrl+Up | Ctrl++") == {
        "quit": (), "zoom_in": (parse_chord("Ctrl+Up"), parse_chord("Ctrl+plus"))}
    with pytest.raises(ValueError, match="'toggle' is not an action"):
        parse_overrides("toggle=Ctrl+B")
    with pytest.raises(ValueError, match="toggle_chat: 'Hyper' is not a modifier"):
        parse_overrides("toggle_chat=Hyper+B")


def test_the_readme_lists_every_shortcut_with_its_default_keys() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for action, keys in table(build_keymap()):
        assert f"| {action} | {keys} |" in readme
    for action in ACTION_NAMES:
        assert f"`{action}`" in readme
