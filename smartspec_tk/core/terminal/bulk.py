"""Bulk scrolling: a block of complete `text\\r\\n` lines (one-cell characters and SGR only)
arriving while the cursor sits at column 0 of a blank bottom row is applied in one go.

Rows that would scroll off go straight into the compact history and only the rows that
stay visible become pyte cells, which is what pyte itself would end up with, minus the
per-character work. `FastStream` decides when the preconditions hold (see `ready`).
"""

from __future__ import annotations

import logging
import re
from itertools import groupby

from pyte import charsets as cs
from pyte import modes as mo
from pyte.screens import Char

from .history import STYLES, CompactRow, encode_runs, style_id
from .render import DEFAULT_STYLE, NARROW_RUN, char_kind, is_wide_run, style_of_char
from .screen import Piece, TermScreen

log = logging.getLogger(__name__)

#: One or more complete lines of printable text and SGR sequences, each ended by CR+ LF.
LINES = re.compile(r"(?:(?:[^\x00-\x1f\x7f-\x9f]++|\x1b\[[0-9;]*+m)*+\r++\n)++")
_SGR_SPLIT = re.compile(r"\x1b\[([0-9;]*)m")
Row = tuple[list[Piece], CompactRow]
DEFAULT_ID = style_id(DEFAULT_STYLE)


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


def _cut(pieces: list[Piece], columns: int) -> list[list[Piece]]:
    """Wrap pieces into rows of `columns` cells the way pyte's draw() does (a wide character
    that meets the last column is drawn there, cut, before the wrap)."""
    rows: list[list[Piece]] = []
    row: list[Piece] = []
    room = columns
    for text, attrs in pieces:
        wide = is_wide_run(text)
        while text:
            if not room:
                rows.append(row)
                row, room = [], columns
            take = text[:(room // 2 or 1) if wide else room]
            row.append((take, attrs))
            room = max(0, room - len(take) * (2 if wide else 1))
            text = text[len(take):]
    rows.append(row)
    return rows


def _segments(text: str, attrs: Char, out: list[Piece]) -> int | None:
    """Append text as all-narrow / all-wide pieces; its width in cells, None if unsupported."""
    if text.isascii() or NARROW_RUN.fullmatch(text):
        out.append((text, attrs))
        return len(text)
    width = 0
    for kind, group in groupby(text, char_kind):
        if not kind:
            return None  # combining, zero-width or unprintable: pyte's own draw() handles those
        chunk = "".join(group)
        out.append((chunk, attrs))
        width += kind * len(chunk)
    return width


class _Styles(dict[Char, int]):
    """pyte attributes -> style id, memoised for one block."""

    def __missing__(self, attrs: Char) -> int:
        sid = self[attrs] = style_id(style_of_char(attrs))
        return sid


def _trims(sid: int) -> bool:
    """Trailing blanks of this style are not kept (default background, not reversed)."""
    style = STYLES[sid]
    return style.bg is None and not style.reverse


def _plain_row(text: str, attrs: Char, sid: int) -> Row:
    pieces = [(text, attrs)] if text else []
    if _trims(sid):
        text = text.rstrip(" ")
    if not text:
        return pieces, ("", None)
    return pieces, (text, None if sid == DEFAULT_ID else encode_runs((len(text), sid)))


def _styled_row(pieces: list[Piece], styles: _Styles) -> Row:
    """A row's (pieces, history form): trailing default blanks trimmed, like render.row_runs."""
    kept = list(pieces)
    while kept:
        text, attrs = kept[-1]
        if not _trims(styles[attrs]):
            break
        stripped = text.rstrip(" ")
        if stripped:
            kept[-1] = (stripped, attrs)
            break
        kept.pop()
    flat: list[int] = []
    last = -1
    for text, attrs in kept:
        sid = styles[attrs]
        if sid == last:
            flat[-2] += len(text)
        else:
            flat += (len(text), sid)
            last = sid
    text = "".join([t for t, _ in kept])
    if not flat or (len(flat) == 2 and last == DEFAULT_ID):
        return pieces, (text, None)
    return pieces, (text, encode_runs(flat))


def split_rows(screen: TermScreen, data: str, start: int, end: int) -> tuple[list[Row], int]:
    """Cut the lines of data[start:end] into screen rows (pieces + history form), applying
    SGRs on the way. Stops before a line it cannot handle; returns the rows and where it stopped."""
    columns = screen.columns
    attrs = screen.cursor.attrs
    styles = _Styles()
    sgr_cache: dict[tuple[Char, str], Char] = {}
    rows: list[Row] = []
    pos = start
    while pos < end:
        stop = data.find("\n", pos, end)
        line = data[pos:stop].rstrip("\r")
        if "\x1b" not in line and (line.isascii() or NARROW_RUN.fullmatch(line)):
            sid = styles[attrs]
            rows.extend(_plain_row(line[i:i + columns], attrs, sid) for i in range(0, max(len(line), 1), columns))
            pos = stop + 1
            continue
        pieces: list[Piece] = []
        width: int | None = 0
        line_attrs = attrs
        for i, part in enumerate(_SGR_SPLIT.split(line)):
            if i % 2 == 0:
                cells = _segments(part, line_attrs, pieces) if part else 0
                if cells is None or width is None:
                    width = None
                    break
                width += cells
                continue
            new = sgr_cache.get((line_attrs, part))
            if new is None:
                screen.cursor.attrs = line_attrs
                screen.select_graphic_rendition(*_params(part))
                new = sgr_cache[(line_attrs, part)] = screen.cursor.attrs
            line_attrs = new
        if width is None:
            break
        attrs = line_attrs
        if width <= columns:
            rows.append(_styled_row(pieces, styles))
        else:
            rows.extend(_styled_row(row, styles) for row in _cut(pieces, columns))
        pos = stop + 1
    screen.cursor.attrs = attrs
    return rows, pos


def apply_lines(screen: TermScreen, data: str, start: int, end: int) -> int:
    """Apply the LINES match data[start:end] as if each row had been drawn and line-fed at the
    bottom; returns where it stopped (before the first line it cannot handle).

    Rows scrolled off go to the history; the rows left on screen are stored in
    `screen.lazy` and become pyte cells only if something needs them (`materialize`).
    """
    rows, stopped = split_rows(screen, data, start, end)
    if not rows:
        return stopped
    keep = screen.lines - 1
    count = len(rows)
    shift = min(count, keep)
    history = screen.history
    if history.max_lines:
        old = [screen.compact_row(y) for y in range(shift)]
        start = max(0, count - keep - history.max_lines)
        history.extend(old + [row[1] for row in rows[start:max(0, count - keep)]], start)
    cache = screen.compact_cache
    for y in range(shift):
        cache.pop(id(screen.buffer.get(y)), None)
    screen.shift_up(shift)
    first = keep - min(count, keep)
    for y, row in enumerate(rows[max(0, count - keep):], first):
        screen.lazy[y] = row
    return stopped
