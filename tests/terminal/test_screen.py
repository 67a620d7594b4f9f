"""Unit tests of the emulator: equivalence with stock pyte (also for scrollback), the alternate
screen, wide characters, titles, modes, OSC 52, replies and resize."""

from __future__ import annotations

import random
import re
import unicodedata

import pyte
import pytest

from smartspec_tk.core.terminal.history import History, compact
from smartspec_tk.core.terminal.render import DEFAULT_STYLE, Style, resolve_colors, row_runs
from smartspec_tk.core.terminal.rows import undefer_row
from smartspec_tk.core.terminal.screen import TermScreen
from smartspec_tk.core.terminal.stream import FastStream


def make(cols: int = 80, rows: int = 24, scrollback: int = 1000, *,
         defer: bool = True) -> tuple[TermScreen, FastStream]:
    """A screen as TerminalSession builds it; `defer=False`: no decoder for deferred rows."""
    screen = TermScreen(cols, rows, History(scrollback, undefer=undefer_row if defer else None))
    return screen, FastStream(screen)


def corpus(kind: str, lines: int, seed: int = 7) -> str:
    rnd = random.Random(seed)
    out = []
    for k in range(lines):
        words = " ".join("".join(rnd.choice("abcxyz") for _ in range(rnd.randint(1, 9)))
                         for _ in range(rnd.randint(0, 25)))
        if kind == "color" and k % 2:
            words = f"\x1b[01;3{k % 8}m{words[:9]}\x1b[0m {words[9:]}\x1b[4{k % 8}m  \x1b[m"
        elif kind == "utf8":
            words = " ".join(rnd.choice(["café", "Größe", "привет", "λόγος", "—", "│box│", "naïve", "x"])
                             for _ in range(rnd.randint(0, 20)))
            if k % 3 == 0:
                words = f"\x1b[1;3{k % 8}m{words[:7]}\x1b[0m{words[7:]}"
        elif kind == "wide":  # (combining marks differ from pyte at the margin: test_conformance.py)
            words = "".join(rnd.choice(["漢字", "テスト", "한국어", "ab", " ", "😀", "é", "ＡＢ", "x"])
                            for _ in range(rnd.randint(0, 30)))
            if k % 4 == 0:
                words = f"\x1b[3{k % 8}m{words[:5]}\x1b[0m{words[5:]}"
        elif kind == "mixed":
            words += rnd.choice(["", "\ttab", "\x1b[2K", "é", "漢字", "\x1b[1A\x1b[2C", "\x08x", "\x1b[?25l"])
        out.append(words)
    return "\r\n".join(out) + "\r\ntail"


class _Reference(pyte.HistoryScreen):
    def select_graphic_rendition(self, *attrs: int, **_: object) -> None:
        super().select_graphic_rendition(*attrs)

    def tab(self) -> None:
        """xterm, not pyte: a tab at a pending wrap leaves the wrap pending (docs/terminal.md)."""
        if self.cursor.x < self.columns:
            super().tab()


def reference(text: str, cols: int, rows: int) -> _Reference:
    screen = _Reference(cols, rows, history=100_000)
    pyte.Stream(screen).feed(text)
    return screen


@pytest.mark.parametrize("kind", ["plain", "color", "utf8", "wide", "mixed"])
@pytest.mark.parametrize("cols,rows", [(80, 24), (33, 7)])
@pytest.mark.parametrize("defer", [True, False])
def test_same_screen_and_scrollback_as_stock_pyte(kind: str, cols: int, rows: int, defer: bool) -> None:
    text = corpus(kind, 600)
    ref = reference(text, cols, rows)
    rnd = random.Random(3)
    screen, stream = make(cols, rows, scrollback=100_000, defer=defer)
    pos = 0
    while pos < len(text):
        size = rnd.choice([1, 5, 80, 999, 8000])
        stream.feed(text[pos:pos + size])
        pos += size
    default = ref.default_char
    assert [screen.history.row(i) for i in range(len(screen.history))] == \
        [compact(row_runs(line, cols, default)) for line in ref.history.top]  # text and styles
    screen.materialize()
    for y in range(rows):  # every cell: character, wide-character stub, colours and attributes
        assert [screen.buffer[y][x] for x in range(cols)] == [ref.buffer[y][x] for x in range(cols)], y
    assert (screen.cursor.x, screen.cursor.y, screen.cursor.attrs) == (ref.cursor.x, ref.cursor.y, ref.cursor.attrs)


def test_bulk_path_keeps_styles_in_scrollback() -> None:
    screen, stream = make(20, 3)
    stream.feed("\x1b[31mred\x1b[0m plain\r\n" * 10)
    runs = screen.history.runs(0)
    assert runs == [("red", Style(fg="#cd0000")), (" plain", DEFAULT_STYLE)]
    assert screen.row_runs(1) == runs


def test_coloured_lines_are_deferred_only_with_a_decoder() -> None:
    flood = "".join(f"\x1b[3{i % 8}mline {i}\x1b[0m tail\r\n" for i in range(50))
    screens = {defer: make(20, 5, defer=defer) for defer in (True, False)}
    for _screen, stream in screens.values():
        stream.feed(flood)
    deferred, decoded = screens[True][0], screens[False][0]
    assert any(isinstance(runs, str) for runs in deferred.history.styles)  # kept raw until shown
    assert not any(isinstance(runs, str) for runs in decoded.history.styles)
    assert deferred.lazy and any(pieces is None for pieces, _ in deferred.lazy.values())
    assert [deferred.history.runs(i) for i in range(46)] == [decoded.history.runs(i) for i in range(46)]
    assert deferred.history.runs(7) == [("line 7", Style(fg="#e5e5e5")), (" tail", DEFAULT_STYLE)]
    assert [deferred.row_runs(y) for y in range(5)] == [decoded.row_runs(y) for y in range(5)]
    assert deferred.display == decoded.display  # materialised from the raw rows


def test_a_deferred_row_without_its_decoder_is_a_clear_error() -> None:
    history = History(10)
    history.append(("x", "\x00x"))
    with pytest.raises(ValueError, match="deferred terminal row"):
        history.runs(0)


def test_scrollback_is_bounded() -> None:
    screen, stream = make(10, 4, scrollback=100)
    stream.feed("".join(f"{i}\r\n" for i in range(1000)))
    assert len(screen.history) == 100
    assert screen.history.text(99) == "996"
    assert screen.history.added == 997


def test_alternate_screen_1049_saves_cursor_and_keeps_no_scrollback() -> None:
    screen, stream = make(20, 5)
    stream.feed("one\r\ntwo")
    stream.feed("\x1b[?1049h\x1b[H\x1b[2J")
    assert screen.alt_screen
    stream.feed("x\r\n" * 30)  # scrolls the alt screen
    assert len(screen.history) == 0
    stream.feed("\x1b[?1049l")
    assert not screen.alt_screen
    assert [screen.row_runs(y)[0][0] if screen.row_runs(y) else "" for y in range(2)] == ["one", "two"]
    assert (screen.cursor.x, screen.cursor.y) == (3, 1)


def test_alternate_screen_47_switches_buffers() -> None:
    screen, stream = make(20, 5)
    stream.feed("main")
    stream.feed("\x1b[?47h")
    assert screen.row_runs(0) == []
    stream.feed("\x1b[?47l")
    assert screen.row_runs(0)[0][0] == "main"


def test_wide_characters_take_two_cells() -> None:
    screen, stream = make(10, 3)
    stream.feed("漢字ab😀")
    assert screen.cursor.x == 8
    assert screen.row_runs(0) == [("漢字ab😀", DEFAULT_STYLE)]
    stream.feed("字")  # 2 cells do not fit in the last column... wrap
    assert screen.cursor.y in (0, 1)


def test_title_is_sanitised_and_capped() -> None:
    screen, stream = make()
    stream.feed("\x1b]0;bad\x07title\x1b\\")  # BEL ends the OSC early; the rest is text
    assert screen.title == "bad"
    stream.feed("\x1b]2;a\x01b\x1b\\")
    assert screen.title == "ab"
    stream.feed("\x1b]2;" + "x" * 5000 + "\x07")
    assert screen.title == "x" * 120


def test_modes_are_tracked() -> None:
    screen, stream = make()
    assert not (screen.app_cursor or screen.bracketed_paste or screen.mouse_mode or screen.mouse_sgr)
    stream.feed("\x1b[?1h\x1b[?2004h\x1b[?1002h\x1b[?1006h")
    assert screen.app_cursor and screen.bracketed_paste and screen.mouse_sgr
    assert screen.mouse_mode == 1002
    stream.feed("\x1b[?1l\x1b[?2004l\x1b[?1002l\x1b[?1006l")
    assert not (screen.app_cursor or screen.bracketed_paste or screen.mouse_mode or screen.mouse_sgr)


def test_deccolm_cannot_resize_the_window() -> None:
    screen, stream = make(80, 24)
    stream.feed("\x1b[?3h")
    assert screen.columns == 80


def test_device_queries_are_answered() -> None:
    screen, stream = make()
    replies: list[str] = []
    screen.reply = replies.append
    stream.feed("\x1b[5;7H\x1b[6n\x1b[c\x1b[5n")
    assert replies == ["\x1b[5;7R", "\x1b[?64;1;2;6;9;15;16;17;18;21;22;28;29c", "\x1b[0n"]


def test_osc52_reaches_the_hook_only_through_the_stream_callback() -> None:
    screen, stream = make()
    seen: list[str] = []
    stream.feed("\x1b]52;c;aGVsbG8=\x07")  # no hook: ignored silently
    stream.on_osc52 = seen.append
    stream.feed("\x1b]52;c;aGVsbG8=\x07")
    assert seen == ["c;aGVsbG8="]
    assert screen.row_runs(0) == []


def test_split_escape_sequences_are_carried_over() -> None:
    screen, stream = make()
    for piece in ["ab\x1b", "[3", "1mred\x1b]", "2;ti", "tle\x07", "\x1b[0m."]:
        stream.feed(piece)
    assert screen.row_runs(0) == [("ab", DEFAULT_STYLE), ("red", Style(fg="#cd0000")), (".", DEFAULT_STYLE)]
    assert screen.title == "title"


def test_resize_shrink_keeps_cursor_row_and_pushes_top_rows_to_scrollback() -> None:
    screen, stream = make(20, 6)
    stream.feed("\r\n".join(f"row{i}" for i in range(6)))
    screen.resize(lines=3, columns=10)
    assert [screen.row_runs(y)[0][0] for y in range(3)] == ["row3", "row4", "row5"]
    assert [screen.history.text(i) for i in range(3)] == ["row0", "row1", "row2"]
    assert screen.cursor.y == 2
    screen.resize(lines=6, columns=30)
    stream.feed("\r\nnext")
    assert screen.row_runs(3)[0][0] == "next"


def test_resolve_colors_applies_reverse() -> None:
    assert resolve_colors(Style(fg="#111111"), "#fff", "#000") == ("#111111", "#000")
    assert resolve_colors(Style(fg="#111111", reverse=True), "#fff", "#000") == ("#000", "#111111")


def test_stray_control_characters_do_not_swallow_the_rest() -> None:
    screen, stream = make()
    stream.feed("abc\x01\x02déf\x7fg")
    assert screen.row_runs(0)[0][0] == "abcdéfg"


def test_string_sequences_are_swallowed_even_when_split() -> None:
    screen, stream = make()
    for piece in ["a\x1bP+q436f", "\x1b", "\\b\x1b_apc\x07c\x1b]2;ti", "tle\x1b", "\\d"]:
        stream.feed(piece)
    assert screen.row_runs(0)[0][0] == "abcd"
    assert screen.title == "title"


def test_style_table_overflow_keeps_styles_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    from smartspec_tk.core.terminal import history

    cap = len(history.STYLES)
    monkeypatch.setattr(history, "STYLE_CAP", cap)  # table "full" from now on
    screen, stream = make(40, 3, scrollback=100)
    lines = [f"\x1b[38;2;{i};{255 - i};7mcolour {i}\x1b[0m tail" for i in range(60)]
    stream.feed("\r\n".join(lines) + "\r\n")
    assert screen.history.runs(10) == [("colour 10", Style(fg="#0af507")), (" tail", DEFAULT_STYLE)]
    assert screen.row_runs(0)[0] == ("colour 58", Style(fg="#3ac507"))
    assert len(history.STYLES) == cap


@pytest.mark.parametrize("kind", ["plain", "color", "utf8", "wide"])
@pytest.mark.parametrize("whole", [True, False])
def test_soft_wraps_rejoin_the_printed_lines(kind: str, whole: bool) -> None:
    # Fed whole, most lines take the bulk path; fed 3 characters at a time, the draw paths.
    text = corpus(kind, 300)
    screen, stream = make(33, 7, scrollback=100_000)
    for pos in range(0, len(text), len(text) if whole else 3):
        stream.feed(text[pos:pos + (len(text) if whole else 3)])
    history = screen.history
    rows = [(history.text(i), history.wrapped(i)) for i in range(len(history))]
    rows += [("".join(t for t, _ in screen.row_runs(y)), screen.row_wrapped(y)) for y in range(screen.lines)]
    logical, current = [], ""
    for row, wrapped in rows:
        current += row
        if not wrapped:
            logical.append(current)
            current = ""

    def canon(line: str) -> str:
        return unicodedata.normalize("NFC", re.sub(r"\x1b\[[0-9;]*m", "", line)).replace(" ", "")

    printed = [canon(line) for line in text.split("\r\n")]
    assert [canon(line) for line in logical if line.strip()] == [line for line in printed if line]
    assert any(wrapped for _, wrapped in rows)


def test_erasing_forgets_soft_wraps_and_resizing_rewraps_them() -> None:
    screen, stream = make(10, 4)
    stream.feed("x" * 25)
    assert [screen.row_wrapped(y) for y in range(4)] == [True, True, False, False]
    stream.feed("\x1b[2;1H\x1b[K")  # erase row 1: it no longer runs on
    assert [screen.row_wrapped(y) for y in range(4)] == [True, False, False, False]
    stream.feed("\x1b[1;1H\x1b[J")
    assert not any(screen.row_wrapped(y) for y in range(4))
    stream.feed("\x1b[4;1H" + "y" * 25)  # wraps at the bottom: the marks scroll with the rows
    assert [screen.row_wrapped(y) for y in range(4)] == [False, True, True, False]
    assert screen.history.wrapped(len(screen.history) - 1) is False
    screen.resize(4, 12)  # reflow: the 25 y's are cut again at 12 columns
    assert [screen.row_wrapped(y) for y in range(4)] == [False, True, True, False]
    assert [screen.display[y].rstrip() for y in range(4)] == ["", "y" * 12, "y" * 12, "y"]
