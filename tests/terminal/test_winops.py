"""Window operations and titles (core/terminal/winops.py) fed as bytes to the product's screen and
stream: the title stack, title reports and resizes only with SMARTSPEC_TERMINAL_WINDOW_OPS=1 (as
xterm's allowWindowOps), hex title modes, DECCOLM behind mode 40, DECSLPP, RIS leaving 132 columns."""

from __future__ import annotations

import pytest

from .test_conformance import Term


@pytest.fixture
def allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTSPEC_TERMINAL_WINDOW_OPS", "1")


def test_title_reports_are_refused_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMARTSPEC_TERMINAL_WINDOW_OPS", raising=False)
    t = Term().feed("\x1b]0;rm -rf ~\x07\x1b[21t\x1b[20t")
    assert t.screen.title == "rm -rf ~" and t.replies == []


def test_title_reports_when_allowed(allowed: None) -> None:
    t = Term().feed("\x1b]2;win\x07\x1b]1;ico\x07\x1b[21t\x1b[20t")
    assert t.replies == ["\x1b]lwin\x1b\\", "\x1b]Lico\x1b\\"]


def test_title_modes_hex_set_and_query(allowed: None) -> None:
    t = Term().feed("\x1b[>0;1t\x1b]2;6162\x07\x1b[21t")
    assert t.screen.title == "ab" and t.replies == ["\x1b]l6162\x1b\\"]
    t.replies.clear()
    t.feed("\x1b[>0;1T\x1b]2;6162\x07\x1b[21t")
    assert t.replies == ["\x1b]l6162\x1b\\"] and t.screen.title == "6162"


def test_title_stack_pops_the_parts_pushed() -> None:
    t = Term().feed("\x1b]0;first\x07\x1b[22;0t\x1b]2;x\x07\x1b]1;x\x07\x1b[23;1t")
    assert (t.screen.icon_name, t.screen.title) == ("first", "x")
    t.feed("\x1b[23;2t")  # the entry is gone: nothing left to pop
    assert t.screen.title == "x"
    # icon pushed, then window pushed; popping both reaches down for the icon
    t.feed("\x1b]2;w1\x07\x1b]1;i1\x07\x1b[22;1t\x1b[22;2t\x1b]2;y\x07\x1b]1;z\x07\x1b[23;0t")
    assert (t.screen.icon_name, t.screen.title) == ("i1", "w1")


def test_resize_requests_are_ignored_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMARTSPEC_TERMINAL_WINDOW_OPS", raising=False)
    t = Term(80, 25).feed("\x1b[8;10;90t\x1b[?40h\x1b[?3h\x1b[30t")
    assert (t.screen.columns, t.screen.lines) == (80, 25)


def test_resize_chars_and_decslpp_when_allowed(allowed: None) -> None:
    t = Term(80, 25)
    sizes: list[tuple[int, int]] = []
    t.screen.on_resize = lambda c, r: sizes.append((c, r))
    t.feed("\x1b[8;10;90t\x1b[18t")
    assert (t.screen.columns, t.screen.lines) == (90, 10) and t.replies[-1] == "\x1b[8;10;90t"
    t.feed("\x1b[24t")
    assert (t.screen.columns, t.screen.lines) == (90, 24)
    t.feed("\x1b[8;;70t")  # an omitted height keeps the current one
    assert sizes == [(90, 10), (90, 24), (70, 24)]


def test_deccolm_needs_mode_40_clears_and_homes(allowed: None) -> None:
    t = Term(80, 25).feed("\x1b[5;5Hxyz\x1b[?3h")
    assert t.screen.columns == 80  # mode 40 not set
    t.feed("\x1b[?40h\x1b[1;2r\x1b[?3h")
    assert t.screen.columns == 132 and t.text(4) == "" and (t.screen.cursor.x, t.screen.cursor.y) == (0, 0)
    assert t.screen.margins is None
    t.feed("\x1b[?3$p")
    assert t.replies[-1] == "\x1b[?3;1$y"
    t.feed("\x1bc")  # RIS: back to 80 columns
    assert t.screen.columns == 80


def test_window_position_is_virtual_and_reported(allowed: None) -> None:
    t = Term().feed("\x1b[3;12;34t\x1b[13t")
    assert t.replies == ["\x1b[3;12;34t"]
