"""The terminal tabs on real Tk: open/close/switch/rename/reorder, OSC titles, closing ends
the process group (asking first when busy), the window's quit handling and self-check."""

from __future__ import annotations

import functools
import re
import tkinter as tk
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from smartspec_tk.ui.terminal import actions as terminal_actions
from smartspec_tk.ui.terminal import notebook as terminal_notebook
from smartspec_tk.ui.terminal import wiring as terminal_wiring
from smartspec_tk.ui.terminal.notebook import TerminalNotebook
from smartspec_tk.ui.window.main_window import MainWindow
from smartspec_tk.ui.window.pump import Pump

from .helpers import pid_alive
from .ui_helpers import CONTROL, SHIFT, make_notebook, make_services, open_bash, press, screen_lines, shown

Wait = Callable[..., None]


@pytest.fixture
def notebook(tk_root: tk.Tk) -> Iterator[TerminalNotebook]:
    notebook = make_notebook(tk_root)
    yield notebook
    notebook.close_all()


def tab_texts(notebook: TerminalNotebook) -> list[str]:
    return [notebook.tab(tab, "text") for tab in notebook.tabs()]


def test_tab_shortcuts_open_switch_reorder_and_close(notebook: TerminalNotebook, wait_until: Wait) -> None:
    first = open_bash(notebook)
    press(first, "T", CONTROL | SHIFT)
    assert len(notebook.tabs()) == 2
    second = notebook.current_view()
    assert second is not first and second.focus_get() is second.text
    press(second, "Tab", CONTROL)
    assert notebook.current_view() is first
    press(first, "ISO_Left_Tab", CONTROL | SHIFT)
    assert notebook.current_view() is second
    press(second, "Prior", CONTROL | SHIFT)  # move the current tab left
    assert notebook.index(second) == 0
    press(second, "W", CONTROL | SHIFT)
    assert notebook.views() == [first]


def test_hidden_tab_keeps_processing_and_redraws_when_shown(notebook: TerminalNotebook, wait_until: Wait) -> None:
    first = open_bash(notebook)
    wait_until(lambda: "$" in shown(first), what="prompt")
    second = open_bash(notebook)
    assert not first.visible and second.visible
    first.session.write(b"sleep 0.3; echo done-in-background\r")  # all its output comes while hidden
    wait_until(lambda: any(first.session.line_text(y) == "done-in-background" for y in range(first.rows)),
               what="the hidden tab's output parsed")
    assert notebook.tab(first, "image")  # the hidden tab is marked as having new output
    assert not notebook.tab(second, "image")
    notebook.select_view(first)
    wait_until(lambda: "done-in-background" in screen_lines(first), what="the output drawn once shown")
    assert not notebook.tab(first, "image")


def test_osc_title_and_user_rename(notebook: TerminalNotebook, wait_until: Wait,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    view = open_bash(notebook)
    view.session.write(b"printf '\\033]0;build logs\\007'\r")
    wait_until(lambda: tab_texts(notebook) == ["build logs"], what="the OSC title on the tab")
    monkeypatch.setattr(terminal_notebook, "ask_tab_name", lambda _parent, current: "mine")
    notebook.rename_tab()
    view.session.write(b"printf '\\033]0;other\\007'\r")
    wait_until(lambda: view.session.title == "other", what="the new title parsed")
    notebook.update()
    assert tab_texts(notebook) == ["mine"]  # the user's name wins


def test_f2_renames_at_the_prompt_but_reaches_full_screen_programs(
        notebook: TerminalNotebook, wait_until: Wait, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(terminal_notebook, "ask_tab_name", lambda _parent, current: asked.append(current))
    view = open_bash(notebook)
    wait_until(lambda: "$" in shown(view), what="prompt")
    press(view, "F2")
    assert len(asked) == 1
    view.session.write(b"cat -v\r")
    wait_until(view.foreground_busy, what="cat in the foreground")
    press(view, "F2")
    press(view, "Return")
    wait_until(lambda: "^[OQ" in screen_lines(view), what="cat to echo F2's bytes")
    assert len(asked) == 1


def test_closing_a_tab_ends_its_process_group(notebook: TerminalNotebook, wait_until: Wait) -> None:
    view = open_bash(notebook)
    view.session.write(b"sleep 300 & echo bg=$!\r")
    wait_until(lambda: re.search(r"^bg=(\d+)", shown(view), re.M) is not None, what="the background pid")
    pid = int(re.search(r"^bg=(\d+)", shown(view), re.M).group(1))  # type: ignore[union-attr]
    shell = view.session.backend.pid
    assert pid_alive(pid)
    assert notebook.close_tab(view)
    wait_until(lambda: not pid_alive(pid) and not pid_alive(shell), timeout=10, what="sleep and bash gone")
    assert notebook.tabs() == ()


def test_closing_a_busy_tab_asks_first(notebook: TerminalNotebook, wait_until: Wait,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    answers = [False, True]
    monkeypatch.setattr(terminal_notebook, "confirm_close", lambda _parent, _what: answers.pop(0))
    view = open_bash(notebook)
    view.session.write(b"sleep 300\r")
    wait_until(view.foreground_busy, what="sleep in the foreground")
    assert notebook.close_tab(view) is False
    assert notebook.views() == [view]
    assert notebook.close_tab(view) is True
    assert answers == []


def test_open_session_with_header_and_rerun(notebook: TerminalNotebook, wait_until: Wait) -> None:
    headers: list[tk.Widget] = []

    def header(parent: tk.Misc, _view: object) -> tk.Widget:
        headers.append(tk.Label(parent, text="command bar"))
        return headers[-1]

    view = notebook.open_session(argv=["sh", "-c", "echo first-run:$GREETING; exit 4"], env={"GREETING": "hello"},
                                 title="Kilo", header_widget_factory=header)
    wait_until(lambda: view.exited, what="the command to end")
    assert "first-run:hello" in screen_lines(view) and view.exit_code == 4
    assert headers[0].winfo_ismapped() and notebook.tab(view, "text") == "Kilo"
    notebook.rerun(view, ["sh", "-c", "echo second-run; sleep 30"])
    wait_until(lambda: "second-run" in screen_lines(view), what="the second command's output")
    assert not view.exited and notebook.tab(view, "text") == "Kilo"


def test_paste_into_current_and_selected_text(notebook: TerminalNotebook, wait_until: Wait) -> None:
    view = open_bash(notebook)
    wait_until(lambda: "$" in shown(view), what="prompt")
    assert notebook.paste_into_current("echo from-chat")
    wait_until(lambda: "$ echo from-chat" in screen_lines(view), what="the pasted text at the prompt")
    assert "from-chat" not in screen_lines(view)  # pasted, never run
    view.text.tag_add("sel", f"{view.renderer.screen_line(0)}.2", f"{view.renderer.screen_line(0)}.6")
    assert notebook.selected_text() == "echo"
    view.session.write(b"\x15")  # Ctrl+U clears the line
    assert notebook.paste_into_current("echo typed-$((40+2))\n", bracketed=False)  # typed: runs
    wait_until(lambda: "typed-42" in screen_lines(view), what="the typed command's output")
    assert notebook.current_session() is view.session


def test_attach_adds_menus_quit_handling_and_self_check(tk_root: tk.Tk, wait_until: Wait, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # the real login shell, without this machine's ~/.bashrc
    services = make_services()
    window = MainWindow(tk_root, services.backend_url)
    notebook = terminal_wiring.attach(window, Pump(tk_root, services.outbox), services)
    try:
        assert len(notebook.tabs()) == 1  # the first tab opens at start
        tabs = window.menu("Tabs")
        labels = [tabs.entrycget(i, "label") for i in range(tabs.index("end") + 1) if tabs.type(i) == "command"]
        assert {"New tab", "Close tab", "Next tab", "Previous tab", "Rename tab…"} <= set(labels)
        checks = dict(window.self_checks)
        checks["terminal echo"](wait_until)
        assert len(notebook.tabs()) == 1  # the self-test closed its own tab
        view = notebook.current_view()
        wait_until(lambda: view.session is not None and view.session.pending_bytes == 0, what="shell started")
        view.session.write(b"sleep 300\r")
        wait_until(view.foreground_busy, what="busy")
        monkeypatch.setattr(terminal_actions, "confirm_quit", lambda _window: False)
        assert window.close_handlers[-1]() is False  # busy tab: the user declined to quit
        shell = view.session.backend.pid
        window.quit()
        assert not pid_alive(shell)
    finally:
        notebook.close_all()
        services.close()


def tab_center(notebook: TerminalNotebook, index: int) -> tuple[int, int]:
    """A point inside tab `index` of the tab strip (found by probing, like a user would aim)."""
    notebook.update()
    y = 8
    xs = [x for x in range(0, notebook.winfo_width(), 4)
          if notebook.identify(x, y) and notebook.index(f"@{x},{y}") == index]
    assert xs, f"tab {index} not found on the strip"
    return (xs[0] + xs[-1]) // 2, y


def test_drag_reorders_and_double_click_renames(notebook: TerminalNotebook, wait_until: Wait,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = open_bash(notebook), open_bash(notebook)
    notebook.tab(first, text="first-tab")
    notebook.tab(second, text="second-tab")
    x0, y = tab_center(notebook, 0)
    x1, _ = tab_center(notebook, 1)
    notebook.event_generate("<ButtonPress-1>", x=x0, y=y)
    notebook.event_generate("<B1-Motion>", x=x1, y=y, state=0x100)
    notebook.event_generate("<ButtonRelease-1>", x=x1, y=y)
    assert notebook.views() == [second, first]
    monkeypatch.setattr(terminal_notebook, "ask_tab_name", lambda _parent, current: f"renamed {current}")
    x, y = tab_center(notebook, 1)
    for _ in range(2):  # two quick clicks make a double-click
        notebook.event_generate("<ButtonPress-1>", x=x, y=y, time=1000)
        notebook.event_generate("<ButtonRelease-1>", x=x, y=y, time=1000)
    assert tab_texts(notebook) == ["second-tab", "renamed first-tab"]


class PlainTab(tk.Frame):
    """The least a tab of another kind must offer (ui/handles.TerminalTab, as the Remote tab does)."""

    exited = False

    def __init__(self, master: tk.Misc) -> None:
        super().__init__(master)
        self.shown: list[bool] = []
        self.closed = False
        self.pasted: list[str] = []

    def set_visible(self, visible: bool) -> None:
        self.shown.append(visible)

    def foreground_busy(self) -> bool:
        return False

    def focus_terminal(self) -> None:
        self.focus_set()

    def close(self) -> None:
        self.closed = True

    def selected_text(self) -> str:
        return "from the plain tab"

    def copy(self) -> None: ...

    def paste(self, text: str) -> bool:
        self.pasted.append(text)
        return True

    def paste_clipboard(self) -> None: ...

    def find(self) -> None: ...


def test_add_tab_of_another_kind(notebook: TerminalNotebook, wait_until: Wait) -> None:
    view = open_bash(notebook)
    view.session.write(b"printf '\\033]0;shell title\\007'\r")
    plain = notebook.add_tab(PlainTab, "Plain")
    assert notebook.current_tab() is plain and plain.shown[-1] is True and not view.visible
    assert notebook.current_view() is None and notebook.current_session() is None  # not a terminal
    assert notebook.selected_text() == "from the plain tab"
    assert notebook.paste_into_current("ls") and plain.pasted == ["ls"]
    assert not notebook.paste_into_current("ls", bracketed=False)  # typing needs a terminal
    notebook.step(-1)
    assert notebook.current_view() is view and plain.shown[-1] is False
    wait_until(lambda: "shell title" in tab_texts(notebook), what="the shell's title")
    assert tab_texts(notebook) == ["shell title", "Plain"]
    assert not notebook.any_busy()
    notebook.close_all()
    assert plain.closed


def test_bell_flashes_the_border_or_marks_the_hidden_tab(notebook: TerminalNotebook, wait_until: Wait) -> None:
    first = open_bash(notebook)
    wait_until(lambda: "$" in shown(first), what="prompt")
    first.session.write(b"printf 'ding\\a\\n'\r")
    wait_until(lambda: first.visual_bell.flashes == 1, what="the border to light up")
    wait_until(lambda: not first.visual_bell.lit, what="the flash to end")
    assert not notebook.tab(first, "image")  # the visible tab is not marked
    rung: list[int] = []
    first.visual_bell.on_bell = lambda: rung.append(1)
    assert first.visual_bell.ring(visible=False) is False  # rate-limited: a bell flood does not strobe
    assert rung == []
    second = open_bash(notebook)
    wait_until(lambda: "$" in shown(second), what="second prompt")
    first.visual_bell.on_bell = functools.partial(notebook._mark_bell, first)
    first.session.write(b"sleep 0.6; printf '\\a'\r")  # after the rate limit's gap
    wait_until(lambda: str(first) in notebook._rung, what="the hidden tab marked by its bell")
    assert notebook.tab(first, "image") and first.visual_bell.flashes == 1  # hidden: no flash
    notebook.select_view(first)
    wait_until(lambda: not notebook.tab(first, "image"), what="the mark cleared once shown")
