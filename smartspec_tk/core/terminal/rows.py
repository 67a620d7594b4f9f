"""Row building for the bulk path: lines of text and SGR codes → screen rows as pyte-ready
pieces plus their scrollback form, with pyte's wrapping rules for narrow and wide characters.

A coloured ASCII line bound for the scrollback can be *deferred*: kept as its raw text and
decoded (`undefer_row`) only when the scrollback row is shown. A screen defers rows only when
its history was given `undefer_row` (`History(n, undefer=undefer_row)`, as TerminalSession does).
"""

from __future__ import annotations

import logging
import re
from itertools import groupby

from pyte.screens import Char

from .history import DEFAULT_ID, CompactRow, History, StyleRef, encode_runs, style_id, style_of_ref
from .render import NARROW_RUN, Piece, char_kind, is_wide_run, style_of_char
from .screen import TermScreen

log = logging.getLogger(__name__)

_SGR_SPLIT = re.compile(r"\x1b\[([0-9;]*)m")
_SGR_SUB = re.compile(r"\x1b\[[0-9;]*m")
Row = tuple[list[Piece] | None, CompactRow]  # pieces None: a deferred history row
_ATTRS: list[Char] = []  # deferred rows start with chr(index of their starting attributes)
_ATTR_IDS: dict[Char, int] = {}
ATTRS_CAP = 65_536  # beyond that many distinct starting attributes, rows are not deferred
_DECODER: list[Splitter] = []  # one splitter on a scratch screen decodes deferred rows


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


def _trims(sid: StyleRef) -> bool:
    """Trailing blanks of this style are not kept (default background, not reversed)."""
    trims = _TRIMS.get(sid) if isinstance(sid, int) else None
    if trims is None:
        style = style_of_ref(sid)
        trims = style.bg is None and not style.reverse
        if isinstance(sid, int):
            _TRIMS[sid] = trims
    return trims


def plain_row(text: str, attrs: Char, sid: StyleRef) -> Row:
    pieces = [(text, attrs)] if text else []
    if _trims(sid):
        text = text.rstrip(" ")
    if not text:
        return pieces, ("", None)
    return pieces, (text, None if sid == DEFAULT_ID else encode_runs((len(text), sid)))


def _styled_row(pieces: list[Piece], sids: list[StyleRef]) -> Row:
    """A row's (pieces, history form): trailing default blanks trimmed, like render.row_runs."""
    texts = [t for t, _ in pieces]
    n = len(texts)
    while n and _trims(sids[n - 1]):
        stripped = texts[n - 1].rstrip(" ")
        if stripped:
            texts[n - 1] = stripped
            break
        n -= 1
    flat: list[int | StyleRef] = []
    last: StyleRef = -1
    for text, sid in zip(texts[:n], sids, strict=False):
        if sid == last:
            flat[-2] += len(text)  # type: ignore[operator]
        else:
            flat += (len(text), sid)
            last = sid
    text = "".join(texts[:n])
    if not flat or (len(flat) == 2 and last == DEFAULT_ID):
        return pieces, (text, None)
    return pieces, (text, encode_runs(flat))


class Splitter:
    """Turns lines into rows for one block; caches SGR results and style ids by object id.
    Every attrs object used as a key is pinned (referenced from `sids` or `sgr` values) for
    the splitter's lifetime, so an id cannot be reused by another object meanwhile."""

    def __init__(self, screen: TermScreen) -> None:
        self.screen = screen
        self.columns = screen.columns
        self.attrs = screen.cursor.attrs
        self.sids: dict[int, tuple[Char, StyleRef]] = {}
        self.sgr: dict[tuple[int, str], tuple[Char, StyleRef]] = {}
        self.ends: dict[tuple[int, tuple[str, ...]], Char] = {}
        self.reset = screen.default_char  # what SGR 0 gives
        self.sid(self.reset)  # pinned
        self.indexes: dict[int, int] = {}

    def sid(self, attrs: Char) -> StyleRef:
        hit = self.sids.get(id(attrs))
        if hit is None:
            hit = self.sids[id(attrs)] = (attrs, style_id(style_of_char(attrs)))
        return hit[1]

    def apply_sgr(self, attrs: Char, params: str) -> tuple[Char, StyleRef]:
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
        if self.screen.history.undefer is None:
            return None  # nobody could decode it
        plain = _SGR_SUB.sub("", line)
        if len(plain) > self.columns or plain.endswith(" "):
            return None
        attrs = self.attrs
        self.sid(attrs)  # pins attrs: the caches below are keyed by its id
        index = self.indexes.get(id(attrs))
        if index is None:
            index = _ATTR_IDS.get(attrs)
            if index is None:
                if len(_ATTRS) >= ATTRS_CAP:
                    return None
                index = _ATTR_IDS[attrs] = len(_ATTRS)
                _ATTRS.append(attrs)
            self.indexes[id(attrs)] = index
        self.attrs = self.end_state(attrs, _SGR_SPLIT.findall(line))
        return None, (plain, chr(index) + line)

    def end_state(self, attrs: Char, params: list[str]) -> Char:
        """The attributes after a line's SGRs; only those after its last full reset matter."""
        for k in range(len(params) - 1, -1, -1):
            if params[k] in ("", "0"):
                attrs, params = self.reset, params[k + 1:]
                break
        key = (id(attrs), tuple(params))
        end = self.ends.get(key)
        if end is None:
            end = attrs
            for param in params:
                end = (self.sgr.get((id(end), param)) or self.apply_sgr(end, param))[0]
            self.ends[key] = end
        return end

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
        sids: list[StyleRef] = []
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


def undefer_row(raw: str) -> tuple[list[Piece], CompactRow]:
    """Pieces and packed runs of a deferred row: the `undefer` a History is given."""
    if not _DECODER or len(_DECODER[0].sgr) + len(_DECODER[0].sids) > 20_000:
        _DECODER[:] = [Splitter(TermScreen(4096, 1, History(0)))]  # caches kept between rows
    pieces, row = _DECODER[0].undefer(raw)
    assert pieces is not None
    return pieces, row

