"""ISO and DEC protection (core/terminal/protect.py), tabs at the right margin and xterm's mode 41,
XTSAVE/XTRESTORE, the alternate screen kept by mode 47, and small reports (DECRQSS DECSLRM,
DECSNLS, DECRQM at level 2, DECRQCRA in origin mode with left/right margins), fed as bytes to the
product's screen and stream."""

from __future__ import annotations

import pytest

from .test_conformance import Term


def test_iso_protection_is_kept_by_ed_el_ech_and_dec_protection_is_not() -> None:
    t = Term().feed("ab\x1bVc\x1bW\x1b[1;1H\x1b[0J")
    assert t.text(0) == "  c"
    t = Term().feed("ab\x1bVc\x1bW\x1b[1;1H\x1b[2K")
    assert t.text(0) == "  c"
    t = Term().feed("ab\x1bVc\x1bW\x1b[1;1H\x1b[3X")
    assert t.text(0) == "  c"
    t = Term().feed('ab\x1b[1"qc\x1b[0"q\x1b[1;1H\x1b[0J')  # DECSCA: ED erases it anyway
    assert t.text(0) == ""


def test_selective_erases_keep_protected_cells_but_decsera_ignores_iso_protection() -> None:
    t = Term().feed('a\x1b[1"qb\x1b[0"q\x1b[?2J')
    assert t.text(0) == " b"
    t = Term().feed('a\x1b[1"qb\x1b[0"q\x1b[?3J')  # DECSED 3: the screen is left alone
    assert t.text(0) == "ab"
    t = Term().feed("a\x1bVb\x1bW\x1b[1;1;1;2${")
    assert t.text(0) == ""


def test_tab_stops_at_the_right_margin_and_mode_41_wraps_first() -> None:
    t = Term(80, 24).feed("\x1b[?69h\x1b[10;20s\x1b[1;1H\t\t\t")
    assert t.screen.cursor.x == 19
    t.feed("\t\x1b[1;7H\x1b[5I")  # CHT too
    assert t.screen.cursor.x == 19
    t = Term(80, 24).feed("\r\n" + "x" * 80 + "\t2")  # a tab at a pending wrap does nothing
    assert t.text(2) == "2"
    t = Term(80, 24).feed("\x1b[?41h\r\n" + "x" * 80 + "\t1")
    assert t.text(2) == " " * 8 + "1"


def test_xtsave_and_xtrestore_dec_modes() -> None:
    t = Term(80, 24).feed("\x1b[?7h\x1b[?7s\x1b[?7l\x1b[?7r\x1b[1;79Hxxx")
    assert t.screen.cursor.y == 1  # DECAWM came back on: the third x wrapped
    t = Term(80, 24).feed("\x1b[?7l\x1b[?7s\x1b[?7h\x1b[?7r\x1b[1;79Hxxx")
    assert t.screen.cursor.y == 0


def test_mode_47_shows_the_alternate_screen_it_left_and_1047_clears_it() -> None:
    t = Term().feed("abc\x1b[?47h\x1b[2Jdef\x1b[?47l")
    assert t.text(0) == "abc"
    t.feed("\x1b[?47h")
    assert t.text(0).strip() == "def"
    t.feed("\x1b[?47l\x1b[?1047h")
    assert t.text(0).strip() == "def"
    t.feed("\x1b[?1047l\x1b[?1047h")
    assert t.text(0) == ""


def test_decrqss_decslrm_and_decrqm_silent_at_level_2() -> None:
    t = Term().feed("\x1b[?69h\x1b[3;4s\x1bP$qs\x1b\\")
    assert t.replies == ["\x1bP1$r3;4s\x1b\\"]
    t = Term().feed('\x1b[62;1"p\x1b[4$p')
    assert t.replies == []


def test_decsnls_resizes_only_when_window_operations_are_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMARTSPEC_TERMINAL_WINDOW_OPS", raising=False)
    assert Term(80, 25).feed("\x1b[24*|").screen.lines == 25
    monkeypatch.setenv("SMARTSPEC_TERMINAL_WINDOW_OPS", "1")
    t = Term(80, 25).feed("\x1b[24*|\x1bP$q*|\x1b\\")
    assert t.screen.lines == 24 and t.replies == ["\x1bP1$r24*|\x1b\\"]


def test_decrqcra_counts_from_the_margins_in_origin_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTSPEC_TERMINAL_CHECKSUMS", "1")
    t = Term().feed("\x1b[5;5HX\x1b[5;7r\x1b[?69h\x1b[5;7s\x1b[?6h\x1b[1;1;1;1;1;1*y")
    assert t.replies == [f"\x1bP1!~{-ord('X') & 0xFFFF:04X}\x1b\\"]
