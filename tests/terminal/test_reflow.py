"""Reflow on resize (core/terminal/reflow.py): soft-wrapped lines are cut again at the new width on
the main screen and in the scrollback, not on the alternate screen; the cursor stays on its character;
wide characters are never split. Fed as bytes to the product's screen and stream, and once through
a real pty session."""

from __future__ import annotations

import sys
import time

from smartspec_tk.core.terminal import start_session

from .helpers import pump_until
from .test_conformance import Term

LINE = "".join(chr(ord("a") + k % 26) for k in range(50))


def rows(t: Term) -> list[str]:
    return [t.text(y) for y in range(t.screen.lines)]


def under_cursor(t: Term) -> str:
    return str(t.cell(t.screen.cursor.x, t.screen.cursor.y).data)


def test_a_wrapped_line_is_cut_again_when_wider_and_narrower() -> None:
    t = Term(20, 6).feed(LINE + "\r\n$ ")
    assert rows(t)[:4] == [LINE[:20], LINE[20:40], LINE[40:], "$"]
    t.screen.resize(6, 50)
    assert rows(t)[:2] == [LINE, "$"] and not t.screen.row_wrapped(0)
    assert (t.screen.cursor.x, t.screen.cursor.y) == (2, 1)
    t.screen.resize(6, 15)
    assert rows(t)[:5] == [LINE[:15], LINE[15:30], LINE[30:45], LINE[45:], "$"]
    assert [t.screen.row_wrapped(y) for y in range(5)] == [True, True, True, False, False]


def test_the_cursor_stays_on_its_character() -> None:
    t = Term(20, 6).feed(LINE + "\x1b[2;7H")  # on LINE[26]
    assert under_cursor(t) == LINE[26]
    t.screen.resize(6, 30)
    assert under_cursor(t) == LINE[26] and (t.screen.cursor.x, t.screen.cursor.y) == (26, 0)
    t.screen.resize(6, 8)  # 7 rows now: the first goes to the scrollback
    assert under_cursor(t) == LINE[26] and (t.screen.cursor.x, t.screen.cursor.y) == (2, 2)
    assert t.screen.history.text(len(t.screen.history) - 1) == LINE[:8]


def test_rows_pushed_off_the_top_go_to_the_scrollback_and_the_scrollback_is_rewrapped() -> None:
    t = Term(20, 3).feed(LINE + "\r\nshort\r\n" + LINE + "\r\n$ ")
    history = t.screen.history
    texts = [history.text(i) for i in range(len(history))]
    assert texts == [LINE[:20], LINE[20:40], LINE[40:], "short", LINE[:20]]
    t.screen.resize(3, 25)
    texts = [history.text(i) for i in range(len(history))]
    # the second LINE runs from the scrollback onto the screen: each part is cut on its own
    assert texts == [LINE[:25], LINE[25:], "short", LINE[:20]]
    assert [history.wrapped(i) for i in range(len(history))] == [True, False, False, True]
    assert rows(t) == [LINE[20:45], LINE[45:], "$"]


def test_wide_characters_move_whole_to_the_next_row() -> None:
    t = Term(11, 6).feed("abc" + "漢字" * 4 + "\r\n")
    assert rows(t)[:2] == ["abc漢字漢字", "漢字漢字"]
    t.screen.resize(6, 6)
    assert rows(t)[:5] == ["abc漢", "字漢字", "漢字漢", "字", ""]
    assert [t.screen.row_wrapped(y) for y in range(4)] == [True, True, True, False]


def test_the_alternate_screen_is_not_reflowed_and_the_main_one_is_after_it() -> None:
    t = Term(20, 6).feed(LINE + "\r\n\x1b[?1049h" + LINE)
    t.screen.resize(6, 50)
    assert rows(t)[3:] == [LINE[:20], LINE[20:40], LINE[40:]]
    assert not any(t.screen.row_wrapped(y) for y in range(6))
    t.feed("\x1b[?1049l")
    assert rows(t)[0] == LINE[:20]  # the main screen waited on the side: cut, not reflowed


def test_reflow_through_a_real_pty_session() -> None:
    script = f"print({LINE!r}); import time; time.sleep(30)"
    session = start_session(".", cols=20, rows=6, argv=[sys.executable, "-c", script])
    try:
        pump_until(session, lambda: session.line_text(2) == LINE[40:], timeout=20)
        session.resize(50, 6)
        assert session.line_text(0) == LINE and session.line_text(1) == ""
        session.resize(25, 6)
        assert [session.line_text(y) for y in range(2)] == [LINE[:25], LINE[25:]]
        assert session.line_wrapped(0) and not session.line_wrapped(1)
    finally:
        session.close()
        time.sleep(0.05)
