"""Cursor controls of core/terminal/cursor.py fed as bytes to the product's screen and stream:
reverse wraparound (mode 45), DECBI/DECFI, DECSC/DECRC per screen with origin mode, DECID."""

from __future__ import annotations

from .test_conformance import Term


def pos(t: Term) -> tuple[int, int]:
    return t.screen.cursor.x + 1, t.screen.cursor.y + 1


def test_reverse_wrap_needs_mode_45_and_decawm() -> None:
    t = Term(80, 25).feed("\x1b[3;1H\b")
    assert pos(t) == (1, 3)
    t.feed("\x1b[?45h\x1b[3;1H\b")
    assert pos(t) == (80, 2)
    t.feed("\x1b[?7l\x1b[3;1H\b")
    assert pos(t) == (1, 3)
    t.feed("\x1b[?7h\x1b[!p\x1b[3;1H\b")  # DECSTR ends reverse wraparound
    assert pos(t) == (1, 3)


def test_reverse_wrap_from_the_regions_top_goes_to_its_bottom_and_respects_margins() -> None:
    t = Term(80, 25).feed("\x1b[?45h\x1b[2;5r\x1b[2;1H\b")
    assert pos(t) == (80, 5)
    t.feed("\x1b[r\x1b[?69h\x1b[5;10s\x1b[3;5H\b")
    assert pos(t) == (10, 2)
    t.feed("\x1b[3;1H\b")  # left of the left margin: from the screen's edge to the right margin
    assert pos(t) == (10, 2)


def test_reverse_wrap_first_step_cancels_a_pending_wrap_and_cub_counts_across_rows() -> None:
    t = Term(80, 25).feed("\x1b[?45h\x1b[1;79Hab\bX")
    assert t.text(0).endswith("aX")
    t.feed("\x1b[1;79Habcd\x1b[4D")  # c and d wrapped to row 2; four back is column 79 of row 1
    assert pos(t) == (79, 1)


def test_decbi_and_decfi_move_or_scroll_the_margin_box() -> None:
    t = Term(80, 25).feed("\x1b[6;5H\x1b6")
    assert pos(t) == (4, 6)
    t.feed("\x1b[1;1Hx\x1b[1;1H\x1b6")  # at the left edge: the screen's columns move right
    assert t.text(0) == " x"
    t = Term(80, 25)
    for y, s in enumerate(["abcde", "fghij", "klmno", "pqrst", "uvwxy"], 3):
        t.feed(f"\x1b[{y};2H{s}")
    t.feed("\x1b[?69h\x1b[3;5s\x1b[4;6r\x1b[5;3H\x1b6")
    assert [t.text(y)[1:6] for y in range(2, 7)] == ["abcde", "f ghj", "k lmo", "p qrt", "uvwxy"]
    t.feed("\x1b[5;5H\x1b9")  # at the right margin: the box moves left
    assert [t.text(y)[1:6] for y in range(2, 7)] == ["abcde", "fgh j", "klm o", "pqr t", "uvwxy"]
    t.feed("\x1b[1;6H\x1b9")  # right of the margin: just moves
    assert pos(t) == (7, 1)


def test_saved_cursor_is_per_screen_restorable_twice_and_restores_origin_mode() -> None:
    t = Term(80, 25).feed("\x1b[3;2H\x1b7\x1b[?1049h\x1b[7;6H\x1b7\x1b[?1049l\x1b8")
    assert pos(t) == (2, 3)
    t.feed("\x1b[?1049h\x1b8")
    assert pos(t) == (6, 7)
    t = Term(80, 25).feed("\x1b[6;5H\x1b7\x1b[5;7r\x1b[?6h\x1b8\x1b[1;1HX\x1b8\x1b8")
    assert t.text(0) == "X" and pos(t) == (5, 6)


def test_saved_cursor_keeps_a_pending_wrap_but_not_decawm() -> None:
    t = Term(80, 25).feed("\x1b[1;80Hx\x1b7\x1b[1;1H\x1b8y")
    assert t.text(1) == "y"
    t.feed("\x1b[?7h\x1b7\x1b[?7l\x1b8\x1b[1;79Habcd")  # DECRC leaves DECAWM off (xterm)
    assert t.screen.cursor.y == 0


def test_decid_answers_as_da1() -> None:
    t = Term().feed("\x1bZ")
    assert t.replies and t.replies[0].startswith("\x1b[?64;")
