"""The defects of issue 11, each fed as the issue's exact bytes to the product's screen and stream
(TermScreen + FastStream, the objects TerminalSession uses), checking cells, attributes and replies.
The replies are also checked through a real pty (a program asks, reads the answer from its stdin)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from smartspec_tk.core.terminal import start_session
from smartspec_tk.core.terminal.history import History
from smartspec_tk.core.terminal.screen import TermScreen
from smartspec_tk.core.terminal.stream import FastStream

from .helpers import pump_until


class Term:
    def __init__(self, cols: int = 80, rows: int = 24) -> None:
        self.screen = TermScreen(cols, rows, History(1000))
        self.replies: list[str] = []
        self.screen.reply = self.replies.append
        self.stream = FastStream(self.screen)

    def feed(self, data: bytes | str) -> Term:
        self.stream.feed(data.decode() if isinstance(data, bytes) else data)
        return self

    def text(self, y: int) -> str:
        return "".join(t for t, _ in self.screen.row_runs(y))

    def cell(self, x: int, y: int):  # type: ignore[no-untyped-def]
        self.screen.materialize()
        return self.screen.buffer[y][x]


def test_defect1_text_after_variation_selector_and_zwj_is_kept() -> None:
    t = Term().feed(b"A\xe2\x9d\xa4\xef\xb8\x8fB|end\r\n")
    assert t.text(0) == "A\u2764\ufe0fB|end"
    t.feed("Z\U0001f468\u200d\U0001f469|x\r\n")
    assert t.text(1) == "Z\U0001f468\u200d\U0001f469|x"
    assert t.screen.cursor.x == 0 and t.cell(5, 1).data == "|"  # Z, two wide chars, then |


def test_combining_mark_at_the_right_margin_joins_the_last_cell_without_wrapping() -> None:
    t = Term(5, 3).feed("abcde\u0301")
    assert t.text(0) == "abcd\u00e9" and t.text(1) == "" and t.screen.cursor.y == 0


def test_defect2_decscnm_reset_keeps_reverse_video() -> None:
    t = Term().feed("\x1b[7mrev\x1b[0m plain\r\n\x1b[?5h\x1b[?5l")
    assert t.cell(0, 0).reverse and not t.cell(4, 0).reverse
    assert t.text(0) == "rev plain"


def test_defect3_colon_sgr() -> None:
    t = Term().feed(b"\x1b[4:3mx\x1b[38:2::255:0:0my\x1b[0m\n")
    assert t.text(0) == "xy"
    assert t.cell(0, 0).underscore and t.cell(1, 0).fg == "ff0000" and t.cell(1, 0).underscore
    t.feed("\r\x1b[4:0mz\x1b[38:5:200mw")
    assert not t.cell(0, 1).underscore and t.cell(1, 1).fg == "ff00d7"


def test_defect5_csi_s_u() -> None:
    assert Term().feed(b"x\x1b[s\x1b[5Cy\x1b[uZ\n").text(0) == "xZ    y"


def test_defect6_cursor_below_scroll_region_stays_outside() -> None:
    t = Term().feed(b"\x1b[2;4r\x1b[7;1HB\n\nC\x1b[r")
    assert t.text(6) == "B" and t.text(8) == " C"
    t = Term().feed("\x1b[2;4r\x1b[7;1H\x1b[3A")  # CUU from below the region stops at the top line
    assert t.screen.cursor.y == 3
    t = Term().feed("\x1b[5;10r\x1b[2;1H\x1b[20B")  # CUD from above stops at the bottom margin
    assert t.screen.cursor.y == 9
    t = Term().feed("\x1b[2;4r\x1b[24;1H\x1bD\x1bD")  # IND on the last line outside: no move
    assert t.screen.cursor.y == 23


def test_defect7_nel_returns_to_column_1() -> None:
    t = Term().feed("abc\x1bEd")
    assert t.text(1) == "d" and (t.screen.cursor.x, t.screen.cursor.y) == (1, 1)


def test_defect8_su_sd() -> None:
    t = Term().feed("1\r\n2\r\n3\r\n4\x1b[2S")
    assert [t.text(y) for y in range(3)] == ["3", "4", ""]
    t.feed("\x1b[3T")
    assert [t.text(y) for y in range(5)] == ["", "", "", "3", "4"]


@pytest.mark.parametrize(("query", "answer"), [
    ("\x1b[18t", "\x1b[8;24;80t"),
    ("\x1b[14t", "\x1b[4;480;800t"),
    ("\x1b[>c", "\x1b[>41;379;0c"),
    ("\x1b[c", "\x1b[?64;1;2;6;9;15;16;17;18;21;22;28;29c"),
    ("\x1b[>q", "\x1bP>|XTerm(379) SmartSpecTk(0.1.0)\x1b\\"),  # tmux: truecolour for "XTerm("
    ("\x1b[3;5H\x1b[?6n", "\x1b[?3;5;1R"),
    ("\x1b[3;5H\x1b[6n", "\x1b[3;5R"),
    ("\x1b[?2004h\x1b[?2004$p", "\x1b[?2004;1$y"),
    ("\x1b[?1000$p", "\x1b[?1000;2$y"),
    ("\x1b[4h\x1b[4$p", "\x1b[4;1$y"),
    ("\x1b[19$p", "\x1b[19;4$y"),  # EBM: permanently reset
    ("\x1b[?1234$p", "\x1b[?1234;0$y"),  # never seen: not recognised
    ("\x1b[?95h\x1b[?95$p", "\x1b[?95;1$y"),  # remembered
    ("\x1b[1;31mx\x1bP$qm\x1b\\", "\x1bP1$r0;1;31m\x1b\\"),
    ("\x1b[3;9r\x1bP$qr\x1b\\", "\x1bP1$r3;9r\x1b\\"),
    ("\x1b[4 q\x1bP$q q\x1b\\", "\x1bP1$r4 q\x1b\\"),
    ("\x1b[1\"q\x1bP$q\"q\x1b\\", "\x1bP1$r1\"q\x1b\\"),  # DECSCA as last set
    ("\x1bP+q544E\x1b\\", "\x1bP1+r544E=787465726D2D323536636F6C6F72\x1b\\"),
    ("\x1bP+q436F\x1b\\", "\x1bP1+r436F=323536\x1b\\"),
    ("\x1bP+q5A5A\x1b\\", "\x1bP0+r5A5A\x1b\\"),
])
def test_defect9_replies(query: str, answer: str) -> None:
    t = Term().feed(query)
    assert t.replies == [answer]


def test_defect9_no_title_report_and_checksums_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMARTSPEC_TERMINAL_CHECKSUMS", raising=False)
    t = Term().feed("\x1b]2;rm -rf ~\x07\x1b[21t\x1b[20t\x1b[1;1;1;1;1;1*y")
    assert t.replies == []
    monkeypatch.setenv("SMARTSPEC_TERMINAL_CHECKSUMS", "1")
    t = Term().feed("AB\x1b[7;1;1;1;1;2*y")
    assert t.replies == [f"\x1bP7!~{-(ord('A') + ord('B')) & 0xFFFF:04X}\x1b\\"]
    t.replies.clear()
    t.feed("\x1b[8;1;1;1;1;3*y")  # the blank third cell counts as a space
    assert t.replies == [f"\x1bP8!~{-(ord('A') + ord('B') + 32) & 0xFFFF:04X}\x1b\\"]


def test_colour_queries_report_what_was_set() -> None:
    t = Term().feed("\x1b]4;1;#f0f0f0;2;rgb:80/0/0\x07\x1b]4;1;?;2;?\x1b\\\x1b]11;?\x07")
    assert t.replies == ["\x1b]4;1;rgb:f0f0/f0f0/f0f0\x1b\\", "\x1b]4;2;rgb:8080/0000/0000\x1b\\",
                         "\x1b]11;rgb:ffff/ffff/ffff\x1b\\"]
    t.replies.clear()
    t.feed("\x1b]104\x07\x1b]4;1;?\x07\x1b]10;rgbi:1/0.5/0\x07\x1b]10;?\x07")
    assert t.replies == ["\x1b]4;1;rgb:cdcd/0000/0000\x1b\\", "\x1b]10;rgb:ffff/8080/0000\x1b\\"]
    t.replies.clear()
    t.feed("\x1b]4;1;$(reboot)\x07\x1b]4;1;?\x07")  # a bad spec changes nothing and is never echoed
    assert t.replies == ["\x1b]4;1;rgb:cdcd/0000/0000\x1b\\"]


def test_colour_queries_answer_the_theme_until_a_program_sets_its_own() -> None:
    """The dark theme painted #1e1f22 but OSC 11 answered xterm's white, so the Kilo CLI chose its light look."""
    t = Term()
    t.screen.colors.set_theme_colors("#d4d4d4", "#1e1f22", "#f0c674")
    t.feed("\x1b]11;?\x07\x1b]10;?\x07\x1b]12;?\x07")
    assert t.replies == ["\x1b]11;rgb:1e1e/1f1f/2222\x1b\\", "\x1b]10;rgb:d4d4/d4d4/d4d4\x1b\\",
                         "\x1b]12;rgb:f0f0/c6c6/7474\x1b\\"]
    t.replies.clear()
    t.feed("\x1b]11;#000080\x07")  # the program's own background wins over a later theme switch…
    t.screen.colors.set_theme_colors("#1f2328", "#ffffff", "#0b63c5")
    t.feed("\x1b]11;?\x07\x1b]111\x07\x1b]11;?\x07")  # …until it resets it to the (new) theme's
    assert t.replies == ["\x1b]11;rgb:0000/0000/8080\x1b\\", "\x1b]11;rgb:ffff/ffff/ffff\x1b\\"]


def test_defect11_csi_3j_keeps_the_screen() -> None:
    t = Term(rows=3).feed("1\r\n2\r\n3\r\n4\r\n5\x1b[3J")
    assert len(t.screen.history) == 0
    assert [t.text(y) for y in range(3)] == ["3", "4", "5"]


def test_defect12_cht_cbt_hpa_rep_decstr_decaln() -> None:
    t = Term().feed("\x1b[2Ia\x1b[2Zb")
    assert t.text(0) == "        b       a"
    t = Term().feed("\x1b[10`x\x1b[3b")
    assert t.text(0) == " " * 9 + "xxxx"
    t = Term().feed("\x1b[?6h\x1b[4h\x1b[1m\x1b[3;5r\x1b[!p")
    assert t.screen.margins is None and not t.screen.cursor.attrs.bold
    assert t.replies == [] and t.text(0) == ""  # DECSTR prints nothing
    t.feed("\x1b[4$p")
    assert t.replies == ["\x1b[4;2$y"]
    t = Term(10, 3).feed("\x1b[2;3r\x1b[3;4H\x1b#8")
    assert t.text(0) == "E" * 10 and (t.screen.cursor.x, t.screen.cursor.y) == (0, 0)
    assert t.screen.margins is None


def test_defect14_unterminated_osc_and_huge_sgr_are_bounded() -> None:
    t = Term()
    t.feed("\x1b]0;")
    for _ in range(100):
        t.feed("A" * 65536)
    assert t.stream._string_len <= 65538
    t.feed("\x07after")
    assert t.text(0) == "after" and len(t.screen.title) <= 120
    sgr = "\x1b[" + ";".join(["1"] * 50_000) + "m"
    for _ in range(20):
        t.feed(sgr)
    assert len(t.stream._params) < 1024 and all(len(k) <= 64 for k in t.stream._params)
    assert all(len(k[1]) <= 16 for k in t.screen._sgr)


def test_defect14_titles_lose_format_characters() -> None:
    t = Term().feed("\x1b]2;a\u202eb\u2066c\u200bd\u2069\x07")
    assert t.screen.title == "abcd"


def test_replies_reach_a_program_through_the_pty(tmp_path: Path) -> None:
    """A real program on a real pty asks CSI 18 t, DA2 and DECRQSS and prints what it read."""
    script = tmp_path / "ask.py"
    script.write_text(
        "import os, sys, termios, tty\n"
        "tty.setraw(0)\n"
        "def ask(q, end):\n"
        "    os.write(1, q)\n"
        "    got = b''\n"
        "    while not got.endswith(end):\n"
        "        got += os.read(0, 1)\n"
        "    return got\n"
        "a = ask(b'\\x1b[18t', b't'); b = ask(b'\\x1b[>c', b'c'); c = ask(b'\\x1bP$qr\\x1b\\\\', b'\\\\')\n"
        "os.write(1, b'\\r\\nGOT ' + repr(a + b + c).encode() + b'\\r\\n')\n")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TERM": "xterm-256color"}
    session = start_session(tmp_path, 80, 24, argv=[sys.executable, str(script)], env=env)
    try:
        pump_until(session, lambda: any("GOT" in session.line_text(y) for y in range(24)), what="answers")
        line = next(session.line_text(y) for y in range(24) if "GOT" in session.line_text(y))
        assert "[8;24;80t" in line and "[>41;379;0c" in line and "P1$r1;24r" in line
    finally:
        session.close()


def _grid(t: Term, rows: int) -> list[str]:
    return [t.text(y) for y in range(rows)]


def _abc(t: Term) -> Term:
    return t.feed("abcdef\r\nghijkl\r\nmnopqr\r\nstuvwx\r\n")


def test_vt420_rectangles_fill_erase_copy() -> None:
    t = _abc(Term(10, 6)).feed("\x1b[1;1H\x1b[31m\x1b[37;2;2;3;4$x")  # DECFRA '%' rows 2-3, cols 2-4
    assert _grid(t, 4) == ["abcdef", "g%%%kl", "m%%%qr", "stuvwx"]
    assert t.cell(1, 1).fg == "red" and (t.screen.cursor.x, t.screen.cursor.y) == (0, 0)  # cursor stays
    t.feed("\x1b[3;3;2;2$x")  # empty rectangle: nothing
    assert _grid(t, 4) == ["abcdef", "g%%%kl", "m%%%qr", "stuvwx"]
    t.feed("\x1b[1;1;1;2$z")  # DECERA
    assert t.text(0) == "  cdef"
    t.feed("\x1b[1;3;2;4;1;4;5;1$v")  # DECCRA rows 1-2 cols 3-4 to row 4 col 5
    assert _grid(t, 5) == ["  cdef", "g%%%kl", "m%%%qr", "stuvcd", "    %%"]
    t.feed("\x1b[?6h\x1b[2;5r\x1b[1;1;1;1$z\x1b[?6l\x1b[r")  # origin mode: relative to the margins
    assert t.text(1) == " %%%kl"


def test_protected_cells_survive_only_the_selective_erases() -> None:
    t = Term(10, 3).feed('ab\x1b[1"qCD\x1b[0"qef\x1b[1;1H\x1b[?2K')  # DECSEL 2 keeps CD
    assert t.text(0) == "  CD"
    t.feed('\x1b[1"q\x1b[0mX\x1b[0"q')  # SGR 0 does not end protection
    t.feed("\x1b[1;1H\x1b[?J")
    assert t.text(0) == "X CD"
    t.feed("\x1b[1;1;1;10${")  # DECSERA
    assert t.text(0) == "X CD"
    t.feed("\x1b[2K")  # plain EL erases protected cells too (xterm)
    assert t.text(0) == ""


def test_decic_decdc_and_left_right_margins() -> None:
    t = _abc(Term(10, 6)).feed("\x1b[1;3H\x1b[2'}")  # DECIC 2 at column 3
    assert _grid(t, 4) == ["ab  cdef", "gh  ijkl", "mn  opqr", "st  uvwx"]
    t.feed("\x1b[2'~")  # DECDC 2
    assert _grid(t, 4) == ["abcdef", "ghijkl", "mnopqr", "stuvwx"]
    t.feed("\x1b[?69h\x1b[2;5s")  # DECLRMM + DECSLRM 2-5 (CSI s is not SCOSC now); cursor homes
    assert t.screen.lr_margins == (1, 4) and (t.screen.cursor.x, t.screen.cursor.y) == (0, 0)
    t.feed("\x1b[1;2H\x1b['~")  # DECDC inside the margins: the column at the right margin is blank
    assert t.text(0) == "acde f"
    t.feed("\x1b[?69l")
    assert t.screen.lr_margins is None


def test_deccara_decrara_change_attributes_in_a_rectangle() -> None:
    t = _abc(Term(10, 6)).feed("\x1b[2*x\x1b[1;2;2;3;1;4$r")  # DECSACE 2: a rectangle; bold+underline
    assert t.cell(1, 0).bold and t.cell(2, 1).underscore and not t.cell(0, 0).bold and not t.cell(3, 1).bold
    t.feed("\x1b[1;2;2;3;1$t")  # DECRARA flips bold off again
    assert not t.cell(1, 0).bold and t.cell(1, 0).underscore
    t.feed("\x1b[0*x\x1b[1;5;2;7;7$r")  # stream extent: (1,5) to the end of row 1, then row 2 to col 7
    assert t.cell(4, 0).reverse and t.cell(9, 0).reverse and t.cell(0, 1).reverse and t.cell(6, 1).reverse
    assert not t.cell(3, 0).reverse and not t.cell(7, 1).reverse


def test_left_right_margins_limit_wrapping_scrolling_and_editing() -> None:
    t = _abc(Term(8, 6)).feed("\x1b[?69h\x1b[2;4s\x1b[1;4r")  # margins: columns 2-4, rows 1-4
    t.feed("\x1b[2;3HXYZ")  # wraps at the right margin to the left margin of the next row
    assert _grid(t, 4) == ["abcdef", "ghXYkl", "mZopqr", "stuvwx"]
    t.feed("\x1b[4;2H\n")  # LF at the bottom margin, inside the margins: only the box scrolls
    assert _grid(t, 4) == ["ahXYef", "gZopkl", "mtuvqr", "s   wx"]
    t.feed("\x1b[4;6H\n")  # outside the left/right margins: no scroll
    assert t.text(3) == "s   wx" and t.screen.cursor.y == 3
    t.feed("\x1b[1;3H\x1b[L")  # IL inside the box; the cursor goes to the left margin
    assert _grid(t, 4) == ["a   ef", "ghXYkl", "mZopqr", "stuvwx"] and t.screen.cursor.x == 1
    t.feed("\x1b[1;6H\r")  # CR right of the left margin goes to it
    assert t.screen.cursor.x == 1
    t.feed("\x1b[S")  # SU: the box only
    assert _grid(t, 4) == ["ahXYef", "gZopkl", "mtuvqr", "s   wx"]
    t.feed("\x1b[?69l\x1b[r")
    assert t.screen.lr_margins is None
