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

from .history import STYLES, CompactRow, History, encode_runs, set_deferred_decoder, style_id
from .render import DEFAULT_STYLE, NARROW_RUN, char_kind, is_wide_run, style_of_char
from .screen import Piece, TermScreen

log = logging.getLogger(__name__)

#: One or more complete lines of printable text and SGR sequences, each ended by CR+ LF.
LINES = re.compile(r"(?:(?:[^\x00-\x1f\x7f-\x9f]++|\x1b\[[0-9;]*+m)*+\r++\n)++")
_SGR_SPLIT = re.compile(r"\x1b\[([0-9;]*)m")
_SGR_SUB = re.compile(r"\x1b\[[0-9;]*m")
Row = tuple[list[Piece] | None, CompactRow]  # pieces None: a deferred history row
_ATTRS: list[Char] = []  # deferred rows start with chr(index of their starting attributes)
_ATTR_IDS: dict[Char, int] = {}
_SCRATCH: list[TermScreen] = []
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


_TRIMS: dict[int, bool] = {}


def _trims(sid: int) -> bool:
    """Trailing blanks of this style are not kept (default background, not reversed)."""
    trims = _TRIMS.get(sid)
    if trims is None:
        style = STYLES[sid]
        trims = _TRIMS[sid] = style.bg is None and not style.reverse
    return trims


def _plain_row(text: str, attrs: Char, sid: int) -> Row:
    pieces = [(text, attrs)] if text else []
    if _trims(sid):
        text = text.rstrip(" ")
    if not text:
        return pieces, ("", None)
    return pieces, (text, None if sid == DEFAULT_ID else encode_runs((len(text), sid)))


def _styled_row(pieces: list[Piece], sids: list[int]) -> Row:
    """A row's (pieces, history form): trailing default blanks trimmed, like render.row_runs."""
    texts = [t for t, _ in pieces]
    n = len(texts)
    while n and _trims(sids[n - 1]):
        stripped = texts[n - 1].rstrip(" ")
        if stripped:
            texts[n - 1] = stripped
            break
        n -= 1
    flat: list[int] = []
    last = -1
    for text, sid in zip(texts[:n], sids, strict=False):
        if sid == last:
            flat[-2] += len(text)
        else:
            flat += (len(text), sid)
            last = sid
    text = "".join(texts[:n])
    if not flat or (len(flat) == 2 and last == DEFAULT_ID):
        return pieces, (text, None)
    return pieces, (text, encode_runs(flat))


class _Splitter:
    """Turns lines into rows for one block; caches SGR results and style ids by object id.
    Every attrs object used as a key is pinned (referenced from `sids` or `sgr` values) for
    the splitter's lifetime, so an id cannot be reused by another object meanwhile."""

    def __init__(self, screen: TermScreen) -> None:
        self.screen = screen
        self.columns = screen.columns
        self.attrs = screen.cursor.attrs
        self.sids: dict[int, tuple[Char, int]] = {}
        self.sgr: dict[tuple[int, str], tuple[Char, int]] = {}
        self.ends: dict[tuple[int, tuple[str, ...]], Char] = {}
        self.indexes: dict[int, int] = {}

    def sid(self, attrs: Char) -> int:
        hit = self.sids.get(id(attrs))
        if hit is None:
            hit = self.sids[id(attrs)] = (attrs, style_id(style_of_char(attrs)))
        return hit[1]

    def apply_sgr(self, attrs: Char, params: str) -> tuple[Char, int]:
        hit = self.sgr.get((id(attrs), params))
        if hit is None:
            screen = self.screen
            screen.cursor.attrs = attrs
            screen.select_graphic_rendition(*_params(params))
            new = screen.cursor.attrs
            hit = self.sgr[(id(attrs), params)] = (new, self.sid(new))
        return hit

    def deferred(self, line: str) -> Row | None:
        """An ASCII line with SGRs that fits one row, kept as raw text for the history: its
        styles are decoded only if someone looks (history_runs). None if it does not qualify."""
        plain = _SGR_SUB.sub("", line)
        if len(plain) > self.columns or plain.endswith(" "):
            return None
        attrs = self.attrs
        self.sid(attrs)  # pins attrs: the caches below are keyed by its id
        index = self.indexes.get(id(attrs))
        if index is None:
            index = _ATTR_IDS.get(attrs)
            if index is None:
                if len(_ATTRS) >= 0x10FFFF:
                    return None
                index = _ATTR_IDS[attrs] = len(_ATTRS)
                _ATTRS.append(attrs)
            self.indexes[id(attrs)] = index
        params = tuple(_SGR_SPLIT.findall(line))
        end = self.ends.get((id(attrs), params))
        if end is None:
            end = attrs
            for param in params:
                end = (self.sgr.get((id(end), param)) or self.apply_sgr(end, param))[0]
            self.ends[(id(attrs), params)] = end
        self.attrs = end
        return None, (plain, chr(index) + line)

    def undefer(self, raw: str) -> Row:
        """The full row (pieces and packed runs) of a deferred one."""
        saved, self.attrs = self.attrs, _ATTRS[ord(raw[0])]
        rows: list[Row] = []
        self.styled(raw[1:], rows)
        self.attrs = saved
        return rows[0]

    def styled(self, line: str, rows: list[Row]) -> bool:
        """Rows of a line with SGRs or non-ASCII text; False (nothing added) if unsupported."""
        parts = _SGR_SPLIT.split(line)
        params = parts[1::2]
        attrs, sid = self.attrs, self.sid(self.attrs)
        pieces: list[Piece] = []
        sids: list[int] = []
        width = 0
        sgr = self.sgr
        for k, text in enumerate(parts[0::2]):
            if text.isascii():
                if text:
                    pieces.append((text, attrs))
                    sids.append(sid)
                    width += len(text)
            else:
                before = len(pieces)
                cells = _segments(text, attrs, pieces)
                if cells is None:
                    return False
                sids += [sid] * (len(pieces) - before)
                width += cells
            if k < len(params):
                attrs, sid = sgr.get((id(attrs), params[k])) or self.apply_sgr(attrs, params[k])
        self.attrs = attrs
        if width <= self.columns:
            rows.append(_styled_row(pieces, sids))
        else:
            rows.extend(_styled_row(row, [self.sid(a) for _, a in row]) for row in _cut(pieces, self.columns))
        return True


def split_rows(screen: TermScreen, data: str, start: int, end: int) -> tuple[list[Row], int]:
    """Cut the lines of data[start:end] into screen rows (pieces + history form), applying
    SGRs on the way. Stops before a line it cannot handle; returns the rows and where it stopped."""
    splitter = _Splitter(screen)
    columns = splitter.columns
    rows: list[Row] = []
    pos = start
    while pos < end:
        stop = data.find("\n", pos, end)
        line = data[pos:stop].rstrip("\r")
        if line.isascii():
            if "\x1b" not in line:
                attrs = splitter.attrs
                sid = splitter.sid(attrs)
                rows.extend(_plain_row(line[i:i + columns], attrs, sid)
                            for i in range(0, max(len(line), 1), columns))
                pos = stop + 1
                continue
            row = splitter.deferred(line)
            if row is not None:
                rows.append(row)
                pos = stop + 1
                continue
        if not splitter.styled(line, rows):
            break
        pos = stop + 1
    keep = screen.lines - 1  # rows that stay on screen need their pieces
    for i in range(max(0, len(rows) - keep), len(rows)):
        if rows[i][0] is None:
            rows[i] = splitter.undefer(rows[i][1][1])  # type: ignore[arg-type]
    screen.cursor.attrs = splitter.attrs  # last: computing SGRs borrows the cursor
    return rows, pos


def decode_deferred(raw: str) -> CompactRow:
    """Packed runs of a deferred history row (registered with history.set_deferred_decoder)."""
    if not _SCRATCH:
        _SCRATCH.append(TermScreen(4096, 1, History(0)))
    return _Splitter(_SCRATCH[0]).undefer(raw)[1]


set_deferred_decoder(decode_deferred)


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
