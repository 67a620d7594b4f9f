"""Windows Terminal's keys on real Tk and a real bash, with the setting that turns them on outside
Windows: Ctrl+C copies when there is a selection and otherwise interrupts, Ctrl+V pastes."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from smartspec_tk.core.settings import Settings
from smartspec_tk.ui.terminal.notebook import TerminalNotebook
from smartspec_tk.ui.terminal.view import TerminalView

from .ui_helpers import CONTROL, make_notebook, open_bash, press, screen_lines, shown

Wait = Callable[..., None]


def test_the_setting_defaults_to_windows_only() -> None:
    assert Settings().ctrl_c_copies_on("win32") and not Settings().ctrl_c_copies_on("linux")
    assert Settings(ctrl_c_copies="ON").ctrl_c_copies_on("linux")
    assert not Settings(ctrl_c_copies="off").ctrl_c_copies_on("win32")


@pytest.fixture
def view(tk_root: object, wait_until: Wait, monkeypatch: pytest.MonkeyPatch) -> Iterator[TerminalView]:
    monkeypatch.setenv("SMARTSPEC_CTRL_C_COPIES", "on")
    notebook: TerminalNotebook = make_notebook(tk_root)  # type: ignore[arg-type]
    view = open_bash(notebook)
    assert view.input.ctrl_c_copies
    wait_until(lambda: "$" in shown(view), what="the bash prompt")
    yield view
    notebook.close_all()


def select_word(view: TerminalView, word: str) -> None:
    line = view.renderer.screen_line(screen_lines(view).index(word))
    view.text.tag_add("sel", f"{line}.0", f"{line}.{len(word)}")


def test_ctrl_c_copies_a_selection_else_interrupts_and_ctrl_v_pastes(view: TerminalView, wait_until: Wait) -> None:
    view.session.write(b"echo copy-me\r")
    wait_until(lambda: "copy-me" in screen_lines(view), what="the output")
    select_word(view, "copy-me")
    view.clipboard_clear()
    press(view, "c", CONTROL)
    assert view.clipboard_get() == "copy-me" and view.selected_text() == ""  # copied; selection gone
    view.session.write(b"sleep 30\r")
    wait_until(view.foreground_busy, what="sleep to run")
    press(view, "c", CONTROL)  # no selection now: ^C reaches sleep
    wait_until(lambda: not view.foreground_busy(), what="sleep to be interrupted")
    view.clipboard_clear()
    view.clipboard_append("echo pasted-$((2*21))")
    press(view, "v", CONTROL)
    press(view, "Return")
    wait_until(lambda: "pasted-42" in screen_lines(view), what="the pasted command's output")
