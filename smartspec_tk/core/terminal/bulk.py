"""Bulk scrolling: a block of complete `text\\r\\n` lines (printable ASCII and SGR only)
arriving while the cursor sits at column 0 of a blank bottom row is applied in one go.

Rows that would scroll off go straight into the compact history and only the rows that
stay visible become pyte cells, which is what pyte itself would end up with, minus the
per-character work. `FastStream` decides when the preconditions hold (see `ready`).
"""

from __future__ import annotations

import logging
import re

from pyte import charsets as cs
from pyte import modes as mo
from pyte.screens import Char, StaticDefaultDict

from .history import CompactRow
from .render import DEFAULT_STYLE, style_of_char
from .screen import TermScreen

log = logging.getLogger(__name__)

#: One or more complete lines of printable ASCII and SGR sequences, each ended by CR+ LF.
LINES = re.compile(r"(?:(?:[ -~]++|\x1b\[[0-9;]*+m)*+\r++\n)++")
_SGR_SPLIT = re.compile(r"\x1b\[([0-9;]*)m")
Piece = tuple[str, Char]


def ready(screen: TermScreen) -> bool:
    """True when the next complete lines can be applied by `apply_lines`."""
    bottom = screen.lines - 1
    return (screen.cursor.x == 0 and screen.cursor.y == bottom and screen.margins is None
            and not screen.alt_screen and not screen.buffer.get(bottom)
            and mo.DECAWM in screen.mode and mo.IRM not in screen.mode
            and mo.DECSCNM not in screen.mode and not screen.charset
            and screen.g0_charset is cs.LAT1_MAP)


def _params(text: str) -> tuple[int, ...]:
    return tuple(min(int(p or 0), 9999) for p in text.split(";"))


def _cut(pieces: list[Piece], columns: int, rows: list[list[Piece]]) -> None:
    row: list[Piece] = []
    room = columns
    for text, attrs in pieces:
        while text:
            if not room:
                rows.append(row)
                row, room = [], columns
            take = text[:room]
            row.append((take, attrs))
            room -= len(take)
            text = text[len(take):]
    rows.append(row)


def split_rows(screen: TermScreen, block: str) -> list[list[Piece]]:
    """Cut a LINES block into screen rows of (text, attrs) pieces, applying SGRs on the way."""
    columns = screen.columns
    attrs = screen.cursor.attrs
    sgr_cache: dict[tuple[Char, str], Char] = {}
    rows: list[list[Piece]] = []
    for line in block.split("\n")[:-1]:
        line = line.rstrip("\r")
        if "\x1b" not in line:
            if len(line) <= columns:
                rows.append([(line, attrs)] if line else [])
            else:
                _cut([(line, attrs)], columns, rows)
            continue
        pieces: list[Piece] = []
        for i, part in enumerate(_SGR_SPLIT.split(line)):
            if i % 2 == 0:
                if part:
                    pieces.append((part, attrs))
                continue
            new = sgr_cache.get((attrs, part))
            if new is None:
                screen.cursor.attrs = attrs
                screen.select_graphic_rendition(*_params(part))
                new = sgr_cache[(attrs, part)] = screen.cursor.attrs
            attrs = new
        _cut(pieces, columns, rows)
    screen.cursor.attrs = attrs
    return rows


def compact_pieces(row: list[Piece]) -> CompactRow:
    """The history form of a row (trailing default blanks trimmed, like render.row_runs)."""
    pieces = list(row)
    while pieces:
        text, attrs = pieces[-1]
        if attrs.bg != "default" or attrs.reverse:
            break
        stripped = text.rstrip(" ")
        if stripped:
            pieces[-1] = (stripped, attrs)
            break
        pieces.pop()
    if not pieces:
        return ("", None)
    if len(pieces) == 1:
        text, attrs = pieces[0]
        style = style_of_char(attrs)
        return (text, None) if style is DEFAULT_STYLE else (text, ((len(text), style),))
    runs: list[tuple[int, object]] = []
    for text, attrs in pieces:
        style = style_of_char(attrs)
        if runs and runs[-1][1] is style:
            runs[-1] = (runs[-1][0] + len(text), style)
        else:
            runs.append((len(text), style))
    text = "".join(t for t, _ in pieces)
    if len(runs) == 1 and runs[0][1] is DEFAULT_STYLE:
        return (text, None)
    return (text, tuple(runs))  # type: ignore[arg-type]


def _cells(screen: TermScreen, row: list[Piece]) -> StaticDefaultDict[int, Char] | None:
    if not row:
        return None
    line = StaticDefaultDict[int, Char](screen.default_char)
    x = 0
    for text, attrs in row:
        chars = screen.chars_for(attrs)
        line.update(zip(range(x, x + len(text)), map(chars.__getitem__, text), strict=False))
        x += len(text)
    return line


def apply_lines(screen: TermScreen, block: str) -> None:
    """Apply a LINES block as if each row had been drawn and line-fed at the bottom."""
    rows = split_rows(screen, block)
    keep = screen.lines - 1
    count = len(rows)
    old_out = min(count, keep)
    history = screen.history
    if history.max_lines:
        old = [screen.compact_row(y) for y in range(old_out)]
        start = max(0, count - keep - history.max_lines)
        history.extend(old + [compact_pieces(r) for r in rows[start:max(0, count - keep)]], start)
    buffer = screen.buffer
    kept = [buffer.get(y) for y in range(old_out, keep)]
    kept.extend(_cells(screen, r) for r in rows[max(0, count - keep):])
    buffer.clear()
    buffer.update((y, line) for y, line in enumerate(kept) if line)
    screen.dirty.update(range(screen.lines))
