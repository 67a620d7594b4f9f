"""The terminal view on real Tk and a real bash: keys reach the pty, app-cursor keys, copy,
bracketed and confirmed paste, mouse reports, scrollback, search, exit and restart."""

from __future__ import annotations

import re
import time
import tkinter as tk
import webbrowser
from collections.abc import Callable, Iterator
from pathlib import Path
from tkinter import ttk

import pytest

from smartspec_tk.ui.terminal import input as terminal_input
from smartspec_tk.ui.terminal import links as terminal_links
from smartspec_tk.ui.terminal.notebook import TerminalNotebook
from smartspec_tk.ui.terminal.paste_dialog import ask_multiline_paste
from smartspec_tk.ui.terminal.view import TerminalView

from .helpers import foreground_runs
from .ui_helpers import (
    CONTROL,
    SHIFT,
    make_notebook,
    open_bash,
    press,
    probe_command,
    screen_lines,
    shown,
    type_text,
)

Wait = Callable[..., None]


@pytest.fixture
def notebook(tk_root: object) -> Iterator[TerminalNotebook]:
    notebook = make_notebook(tk_root)  # type: ignore[arg-type]
    yield notebook
    notebook.close_all()


@pytest.fixture
def view(notebook: TerminalNotebook, wait_until: Wait) -> TerminalView:
    view = open_bash(notebook)
    wait_until(lambda: "$" in shown(view), what="the bash prompt")
    return view


def run_probe(view: TerminalView, tmp_path: Path, wait_until: Wait, mode: str, end: str) -> None:
    view.session.write(probe_command(tmp_path, mode, end).encode())
    wait_until(lambda: "READY" in screen_lines(view), what="the probe to start")


def probe_result(view: TerminalView, wait_until: Wait) -> str:
    wait_until(lambda: any(line.startswith("GOT ") for line in screen_lines(view)), what="the probe's output")
    return next(line for line in screen_lines(view) if line.startswith("GOT "))[4:]


def test_typed_keys_reach_the_shell(view: TerminalView, wait_until: Wait) -> None:
    type_text(view, "echo hi")
    press(view, "Return")
    wait_until(lambda: "hi" in screen_lines(view), what="'hi' printed by bash")
    assert view.text.get("1.0", "end").count("echo hi") == 1  # the Text inserted nothing itself


def test_ctrl_c_interrupts_the_foreground_program(view: TerminalView, wait_until: Wait) -> None:
    view.session.write(b"sleep 30\r")
    wait_until(lambda: foreground_runs(view.session, "sleep"), what="sleep exec'd in the foreground")
    press(view, "c", CONTROL)
    wait_until(lambda: not view.foreground_busy(), what="sleep interrupted by Ctrl+C")


def test_arrow_keys_in_app_cursor_mode(view: TerminalView, tmp_path: Path, wait_until: Wait) -> None:
    run_probe(view, tmp_path, wait_until, r"\x1b[?1h", "B")
    wait_until(lambda: view.session.app_cursor, what="app-cursor mode on")
    press(view, "Up")
    press(view, "Down")
    assert probe_result(view, wait_until) == r"b'\x1bOA\x1bOB'"


def test_special_keys_and_alt(view: TerminalView, tmp_path: Path, wait_until: Wait) -> None:
    run_probe(view, tmp_path, wait_until, "", "~")
    press(view, "b", 0x8)  # Alt+b (Mod1)
    press(view, "Tab")
    press(view, "ISO_Left_Tab", SHIFT)
    press(view, "BackSpace")
    press(view, "F5")
    assert probe_result(view, wait_until) == r"b'\x1bb\t\x1b[Z\x7f\x1b[15~'"


def test_selection_and_ctrl_shift_c_copy(view: TerminalView, wait_until: Wait) -> None:
    view.session.write(b"echo copy-me-please\r")
    wait_until(lambda: "copy-me-please" in screen_lines(view), what="the output")
    line = view.renderer.screen_line(screen_lines(view).index("copy-me-please"))
    view.text.see(f"{line}.0")
    view.update()
    x0, y0, *_ = view.text.bbox(f"{line}.0")
    x1, y1, w1, _ = view.text.bbox(f"{line}.13")
    view.text.event_generate("<ButtonPress-1>", x=x0 + 1, y=y0 + 2)
    view.text.event_generate("<B1-Motion>", x=x1 + w1 - 1, y=y1 + 2, state=0x100)
    view.text.event_generate("<ButtonRelease-1>", x=x1 + w1 - 1, y=y1 + 2)
    view.clipboard_clear()
    press(view, "C", CONTROL | SHIFT)
    assert view.clipboard_get() == "copy-me-please"


def test_bracketed_paste_is_wrapped(view: TerminalView, tmp_path: Path, wait_until: Wait,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(terminal_input, "confirm_multiline_paste", lambda _p, text: asked.append(text) or "paste")
    run_probe(view, tmp_path, wait_until, r"\x1b[?2004h", "201~")
    wait_until(lambda: view.session.bracketed_paste, what="bracketed paste on")
    view.clipboard_clear()
    view.clipboard_append("one\ntwo")
    press(view, "V", CONTROL | SHIFT)
    assert probe_result(view, wait_until) == r"b'\x1b[200~one\rtwo\x1b[201~'"
    assert asked == []  # the program asked for bracketed paste: no confirmation needed


def test_multiline_paste_without_brackets_asks_first(view: TerminalView, tmp_path: Path, wait_until: Wait,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    answers: list[str | None] = [None, "paste", "one-line"]
    asked: list[str] = []

    def answer(_parent: object, text: str) -> str | None:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(terminal_input, "confirm_multiline_paste", answer)
    run_probe(view, tmp_path, wait_until, "", "END")
    assert view.input.paste("rm -rf x\nsecond") is False  # the user said no: nothing is sent
    assert view.input.paste("one\ntwo|") is True
    assert view.input.paste("three\n\n  four\nEND\n") is True  # as one line: no line break left
    assert probe_result(view, wait_until) == r"b'one\rtwo|three four END'"
    assert asked == ["rm -rf x\nsecond", "one\ntwo|", "three\n\n  four\nEND\n"]


def test_paste_dialog_offers_paste_one_line_and_cancel(tk_root: tk.Tk) -> None:
    results = []
    for button in ("Paste", "Paste as one line", "Cancel"):
        def click(label: str = button) -> None:
            dialog = next(w for w in tk_root.winfo_children() if isinstance(w, tk.Toplevel))
            assert "2 lines" in str(dialog.winfo_children()[0].winfo_children()[0].cget("text"))
            find_button(dialog, label).invoke()

        tk_root.after(50, click)
        results.append(ask_multiline_paste(tk_root, "ls\nrm x"))
    assert results == ["paste", "one-line", None]


def find_button(widget: tk.Misc, label: str) -> ttk.Button:
    for child in widget.winfo_children():
        if isinstance(child, ttk.Button) and child.cget("text") == label:
            return child
        found = find_button(child, label) if child.winfo_children() else None
        if found is not None:
            return found
    return None  # type: ignore[return-value]


def test_mouse_clicks_and_drags_are_reported_when_enabled(view: TerminalView, tmp_path: Path,
                                                          wait_until: Wait) -> None:
    run_probe(view, tmp_path, wait_until, r"\x1b[?1002h\x1b[?1006h", "m")
    wait_until(lambda: view.session.mouse_mode == 1002, what="mouse mode on")
    cell_w, _ = view.cell_size()
    x, y, *_ = view.text.bbox(f"{view.renderer.screen_line(2)}.0")
    view.text.event_generate("<ButtonPress-1>", x=x + 1, y=y + 1)
    view.text.event_generate("<Motion>", x=x + 2, y=y + 1, state=0x100)  # same cell: not reported
    view.text.event_generate("<Motion>", x=x + 3 * cell_w + 1, y=y + 1, state=0x100)
    view.text.event_generate("<ButtonRelease-1>", x=x + 3 * cell_w + 1, y=y + 1, state=0x100)
    assert probe_result(view, wait_until) == r"b'\x1b[<0;1;3M\x1b[<32;4;3M\x1b[<0;4;3m'"
    assert not view.text.tag_ranges("sel")  # the program got the mouse, not the selection


def test_scrollback_stays_put_while_scrolled_up(view: TerminalView, wait_until: Wait) -> None:
    view.session.write(b"seq 1 3000\r")
    wait_until(lambda: "3000" in screen_lines(view), what="seq to finish")
    wait_until(lambda: view.renderer.behind == 0, what="the scrollback to catch up")
    assert re.search(r"\n1\n2\n3\n", shown(view))  # the first lines are in the scrollback
    press(view, "Prior", SHIFT)
    view.update()
    top = view.text.index("@0,0")
    assert view.text.yview()[1] < 1.0
    view.session.write(b"echo more\r")
    wait_until(lambda: "more" in screen_lines(view), what="new output")
    assert view.text.index("@0,0") == top  # not snapped to the bottom
    press(view, "Next", SHIFT)
    press(view, "Next", SHIFT)
    view.update()
    assert view.text.yview()[1] == pytest.approx(1.0)


def test_widget_keeps_a_bounded_window_of_a_flood(view: TerminalView, wait_until: Wait) -> None:
    view.session.write(b"seq 1 40000\r")
    wait_until(lambda: "40000" in screen_lines(view), timeout=30, what="seq to finish")
    wait_until(lambda: view.renderer.behind == 0, what="the scrollback to catch up")
    lines = shown(view).split("\n")
    assert len(lines) <= view.renderer.max_history + view.rows + 2
    history = lines[: view.renderer.shown_history]
    numbers = [int(x) for x in history if x.isdigit()]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))  # in order, none lost
    assert len(numbers) >= view.renderer.max_history - 5
    assert screen_lines(view)[0].isdigit() and int(screen_lines(view)[0]) == numbers[-1] + 1


def test_search_highlights_hits(view: TerminalView, wait_until: Wait) -> None:
    view.session.write(b"echo needle-1; echo needle-2\r")
    wait_until(lambda: "needle-2" in screen_lines(view), what="the output")
    press(view, "F", CONTROL | SHIFT)
    view.search.query.set("needle-")
    assert len(view.search.hits) == 4  # two in the command line, two printed
    deadline = time.monotonic() + 0.3
    wait_until(lambda: time.monotonic() > deadline, what="a few frames")
    assert len(view.text.tag_ranges("search_hit")) == 8  # still highlighted (4 start/end pairs)
    view.search.step()
    assert view.text.tag_ranges("search_current")
    view.search.close()
    assert not view.text.tag_ranges("search_hit")


def test_resize_reaches_the_program(view: TerminalView, tk_root: object, wait_until: Wait) -> None:
    tk_root.geometry("700x400")  # type: ignore[attr-defined]
    wait_until(lambda: view.session.cols < 80, what="the session to shrink")
    cols, rows = view.session.cols, view.session.rows
    view.session.write(b"stty size\r")
    wait_until(lambda: f"{rows} {cols}" in screen_lines(view), what="stty size to match")


def test_exit_shows_banner_and_enter_restarts(notebook: TerminalNotebook, view: TerminalView,
                                              wait_until: Wait) -> None:
    label = notebook.tab(view, "text")
    view.session.write(b"exit 3\r")
    wait_until(lambda: view.exited, what="the shell to exit")
    assert "exited with code 3" in view.banner.cget("text")
    assert notebook.tab(view, "text") == "[exited 3]"
    old = view.session
    press(view, "Return")
    wait_until(lambda: view.session is not old and "$" in screen_lines(view)[0], what="a new prompt")
    assert not view.exited and not view.banner.winfo_ismapped()
    assert notebook.tab(view, "text") == label


def test_font_zoom_changes_size(view: TerminalView, wait_until: Wait) -> None:
    cols = view.cols
    press(view, "plus", CONTROL)
    press(view, "plus", CONTROL | SHIFT)  # on most layouts "+" needs Shift
    wait_until(lambda: view.session.cols < cols, what="fewer columns after zoom in")
    press(view, "0", CONTROL)
    wait_until(lambda: view.session.cols == cols, what="the original size back")


def test_middle_click_pastes_the_primary_selection(view: TerminalView, wait_until: Wait) -> None:
    view.session.write(b"echo primary-text\r")
    wait_until(lambda: "primary-text" in screen_lines(view), what="the output")
    line = view.renderer.screen_line(screen_lines(view).index("primary-text"))
    view.text.tag_add("sel", f"{line}.0", f"{line}.end")  # exportselection: this is PRIMARY now
    x, y, *_ = view.text.bbox(f"{view.renderer.screen_line(5)}.0")
    view.text.event_generate("<ButtonPress-2>", x=x, y=y)
    wait_until(lambda: any(line.endswith("$ primary-text") for line in screen_lines(view)),
               what="the primary selection typed at the prompt")


def test_any_motion_and_wheel_in_legacy_x10_encoding(view: TerminalView, tmp_path: Path, wait_until: Wait) -> None:
    run_probe(view, tmp_path, wait_until, r"\x1b[?1003h", "\x61")  # ends at the wheel-down report's 'a'
    wait_until(lambda: view.session.mouse_mode == 1003, what="any-motion mode on")
    cell_w, cell_h = view.cell_size()
    x, y, *_ = view.text.bbox(f"{view.renderer.screen_line(0)}.0")
    view.text.event_generate("<Motion>", x=x + 2 * cell_w + 1, y=y + cell_h + 1)  # no button: code 3+32
    view.text.event_generate("<Button-5>", x=x + 1, y=y + 1)  # wheel down: 65+32 = 'a'
    assert probe_result(view, wait_until) == r"""b'\x1b[MC#"\x1b[Ma!!'"""


def test_shift_bypasses_mouse_reporting_for_local_selection(view: TerminalView, wait_until: Wait) -> None:
    view.session.write(b"echo select-me; printf '\\033[?1000h'\r")
    wait_until(lambda: view.session.mouse_mode == 1000 and "select-me" in screen_lines(view), what="mouse mode on")
    line = view.renderer.screen_line(screen_lines(view).index("select-me"))
    x0, y0, *_ = view.text.bbox(f"{line}.0")
    x1, y1, w1, _ = view.text.bbox(f"{line}.8")
    view.text.event_generate("<ButtonPress-1>", x=x0 + 1, y=y0 + 2, state=SHIFT)
    view.text.event_generate("<B1-Motion>", x=x1 + w1 - 1, y=y1 + 2, state=SHIFT | 0x100)
    view.text.event_generate("<ButtonRelease-1>", x=x1 + w1 - 1, y=y1 + 2, state=SHIFT | 0x100)
    assert view.selected_text() == "select-me"


def test_copy_joins_rows_that_wrapped_at_the_margin(view: TerminalView, wait_until: Wait) -> None:
    long = "wrap-" + "0" * 190 + "-end"  # wider than the view: it runs on over 2+ rows
    assert len(long) > view.session.cols
    view.session.write(b"printf 'wrap-%0190d-end\\n' 0; echo next-line\r")
    wait_until(lambda: "next-line" in screen_lines(view), what="the output")

    def select_output() -> str:
        lines = shown(view).split("\n")
        start = next(n for n, line in enumerate(lines, 1) if line.startswith("wrap-0"))
        end = lines.index("next-line") + 1
        view.text.tag_remove("sel", "1.0", "end")
        view.text.tag_add("sel", f"{start}.0", f"{end}.end")
        return view.selected_text()

    assert select_output() == long + "\nnext-line"  # on the screen
    view.session.write(b"seq 1 100\r")
    wait_until(lambda: "100" in screen_lines(view) and view.renderer.behind == 0, what="the rows to scroll off")
    assert not any(line.startswith("wrap-0") for line in screen_lines(view))
    assert select_output() == long + "\nnext-line"  # in the scrollback


def test_ctrl_click_opens_a_link_and_ctrl_hover_underlines_it(view: TerminalView, wait_until: Wait,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, new=0: opened.append(url) or True)
    long = "https://example.org/" + "p" * 200 + "?q=1"  # wraps over two or more rows
    view.session.write(f"echo 'docs: https://example.org/guide.'; echo '{long}'\r".encode())
    wait_until(lambda: "docs: https://example.org/guide." in screen_lines(view), what="the output")
    row = view.renderer.screen_line(screen_lines(view).index("docs: https://example.org/guide."))

    def point(line: int, column: int) -> tuple[int, int]:
        x, y, w, h = view.text.bbox(f"{line}.{column}")  # type: ignore[misc]
        return x + w // 2, y + h // 2

    x, y = point(row, 10)
    view.text.event_generate("<ButtonPress-1>", x=x, y=y)  # a plain click only starts a selection
    view.text.event_generate("<ButtonRelease-1>", x=x, y=y)
    view.text.event_generate("<Motion>", x=x, y=y, state=CONTROL)
    ranges = view.text.tag_ranges(terminal_links.LINK_TAG)
    assert [str(i) for i in ranges] == [f"{row}.6", f"{row}.31"]  # underlined without the final '.'
    view.text.event_generate("<ButtonPress-1>", x=x, y=y, state=CONTROL)
    view.text.event_generate("<Motion>", x=x, y=y)  # Ctrl released: no underline
    assert not view.text.tag_ranges(terminal_links.LINK_TAG)
    x, y = point(row + 2, 3)  # on the second row of the wrapped link
    view.text.event_generate("<ButtonPress-1>", x=x, y=y, state=CONTROL)
    x, y = point(row, 2)  # "docs:" is no link
    view.text.event_generate("<ButtonPress-1>", x=x, y=y, state=CONTROL)
    wait_until(lambda: len(opened) == 2, what="the browser to be asked twice")
    assert opened == ["https://example.org/guide", long]


def test_search_and_copy_see_wide_characters_without_their_pads(view: TerminalView, wait_until: Wait) -> None:
    view.session.write("echo 'x日本語y'\r".encode())
    wait_until(lambda: "x日本語y" in [line.replace("\t", "") for line in screen_lines(view)], what="the output")
    view.search.open()
    view.search.query.set("日本語Y")
    assert len(view.search.hits) == 2  # the command line and the output
    ranges = view.text.tag_ranges("search_hit")
    assert [view.text.get(a, b).replace("\t", "") for a, b in zip(ranges[::2], ranges[1::2], strict=True)] == \
        ["日本語y", "日本語y"]
    view.search.close()
    line = view.renderer.screen_line([line.replace("\t", "") for line in screen_lines(view)].index("x日本語y"))
    view.text.tag_add("sel", f"{line}.0", f"{line}.end")
    assert view.selected_text() == "x日本語y"
