"""Compact scrollback. A row is stored as its text (str) plus its style runs packed into
bytes (None when the whole row has the default style): two objects the garbage collector
never has to visit, so 10,000 rows x 20 tabs cost neither much memory nor GC pauses.

`CompactRow = (text, runs)` is the exchange form; runs are (length, Style) pairs encoded
with `encode_runs` (style ids index a process-wide, append-only style table whose id 0 is
`DEFAULT_STYLE`). A row may also be *deferred* (its runs a str: raw text with SGRs); the
`undefer` function given to `History` turns one back into pieces and packed runs.
"""

from __future__ import annotations

import logging
import struct
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from typing import cast

from .render import DEFAULT_STYLE, Piece, Run, Style, intern_style

log = logging.getLogger(__name__)

StyleRef = int | Style  # an id in STYLES, or the Style itself once the table is full
PackedRuns = bytes | tuple[tuple[int, Style], ...]
CompactRow = tuple[str, PackedRuns | str | None]  # a str is a deferred row (see Undefer)
Undefer = Callable[[str], tuple[list[Piece], CompactRow]]
"""A deferred row's raw text -> its pieces (for the screen) and its decoded history form."""
STYLE_CAP = 4_096  # distinct styles with an id; beyond that rows pack the styles themselves (LiteralRuns)
DEFAULT_ID = 0
STYLES: list[Style] = [DEFAULT_STYLE]
_STYLE_IDS: dict[Style, int] = {DEFAULT_STYLE: DEFAULT_ID}


def style_id(style: Style) -> StyleRef:
    """The process-wide id of a style (append-only, capped table); the style itself when full."""
    sid = _STYLE_IDS.get(style)
    if sid is None:
        if len(STYLES) >= STYLE_CAP:
            return style
        sid = _STYLE_IDS[style] = len(STYLES)
        STYLES.append(style)
    return sid


def style_of_ref(ref: StyleRef) -> Style:
    return ref if isinstance(ref, Style) else STYLES[ref]


class LiteralRuns(bytes):
    """Runs whose styles have no id (the table is full: a flood of distinct truecolour cells), the
    styles packed into the bytes: 11 bytes a run — length (uint16), fg and bg (uint32 each: 0 default,
    1<<24 | rgb for '#rrggbb', 2<<24 | rgb for '#rrrrggggbbbb') and the flags (a byte) — instead of a
    Style object and two colour strings (about 300 bytes)."""


_FLAGS = ("bold", "italic", "underline", "reverse", "strike", "blink", "dim", "conceal")
_RUN = struct.Struct("<HIIB")


def _color_code(color: str | None) -> int:
    if color is None:
        return 0
    if len(color) == 7:
        return 1 << 24 | int(color[1:], 16)
    if len(color) == 13:
        return 2 << 24 | int(color[1:3] + color[5:7] + color[9:11], 16)
    raise ValueError(f"not a style colour: {color!r}")


def _color_of(code: int) -> str | None:
    kind, rgb = code >> 24, f"{code & 0xFFFFFF:06x}"
    if kind == 0:
        return None
    return "#" + rgb if kind == 1 else "#" + "".join(rgb[i:i + 2] * 2 for i in (0, 2, 4))


def _pack_literal(lengths: Sequence[int], styles: Iterable[Style]) -> LiteralRuns:
    out = bytearray()
    for length, style in zip(lengths, styles, strict=True):
        if length > 0xFFFF:
            raise ValueError("a run too long to pack")
        flags = sum(1 << k for k, name in enumerate(_FLAGS) if getattr(style, name))
        out += _RUN.pack(length, _color_code(style.fg), _color_code(style.bg), flags)
    return LiteralRuns(out)


def _unpack_literal(data: LiteralRuns) -> list[tuple[int, Style]]:
    return [(length, intern_style(Style(_color_of(fg), _color_of(bg), *(bool(flags >> k & 1) for k in range(8)))))
            for length, fg, bg, flags in _RUN.iter_unpack(data)]


def encode_runs(pairs: Sequence[int | Style]) -> PackedRuns:
    """Flat (length, style ref, length, style ref, …) → bytes; LiteralRuns when a style has no id
    (table full)."""
    lengths, refs = cast("Sequence[int]", pairs[0::2]), pairs[1::2]
    if any(isinstance(ref, Style) for ref in refs):
        styles = [style_of_ref(ref) for ref in refs]
        try:
            return _pack_literal(lengths, styles)
        except ValueError:  # a colour the packing does not know: keep the objects
            return tuple(zip(lengths, styles, strict=True))
    return array("I", cast("Sequence[int]", pairs)).tobytes()  # every ref is an id here


def resolve(row: CompactRow, undefer: Undefer | None) -> tuple[str, PackedRuns | None]:
    """A row with its runs decoded if they were deferred (which needs `undefer`)."""
    text, runs = row
    if isinstance(runs, str):
        if undefer is None:
            raise ValueError("a deferred terminal row without the function that decodes it")
        text, runs = undefer(runs)[1]
        if isinstance(runs, str):
            raise ValueError("decoding a deferred terminal row gave a deferred row")
    return text, runs


def decode_runs(data: PackedRuns) -> list[tuple[int, Style]]:
    if isinstance(data, tuple):
        return list(data)
    if isinstance(data, LiteralRuns):
        return _unpack_literal(data)
    flat = array("I")
    flat.frombytes(data)
    return [(flat[i], STYLES[flat[i + 1]]) for i in range(0, len(flat), 2)]


def compact(runs: list[Run]) -> CompactRow:
    """Runs → the stored form (adjacent runs of the same style merged)."""
    text = "".join([t for t, _ in runs])
    flat: list[int | Style] = []
    last: Style | None = None
    for chunk, style in runs:
        if not chunk:
            continue
        if style is last or style == last:
            flat[-2] += len(chunk)  # type: ignore[operator]
        else:
            flat += (len(chunk), style_id(style))
            last = style
    if not flat or (len(flat) == 2 and last == DEFAULT_STYLE):
        return (text, None)
    return (text, encode_runs(flat))


def expand(row: CompactRow, undefer: Undefer | None = None) -> list[Run]:
    """The stored form → runs."""
    text, runs = resolve(row, undefer)
    if runs is None:
        return [(text, DEFAULT_STYLE)] if text else []
    out: list[Run] = []
    pos = 0
    for length, style in decode_runs(runs):
        out.append((text[pos:pos + length], style))
        pos += length
    return out


class History:
    """A bounded list of compact rows, oldest first. `undefer` decodes deferred rows; without
    it nobody may store one (the bulk path then keeps every row decoded)."""

    def __init__(self, max_lines: int = 10_000, undefer: Undefer | None = None) -> None:
        self.max_lines = max(0, max_lines)
        self.undefer = undefer
        self.texts: deque[str] = deque(maxlen=self.max_lines)
        self.styles: deque[PackedRuns | str | None] = deque(maxlen=self.max_lines)
        self.added = 0  # total rows ever appended (lets a view notice growth after the cap)
        self.soft: set[int] = set()  # rows (numbered by `added` order) that wrapped into the next

    def _mark(self, first: int, offsets: Iterable[int]) -> None:
        self.soft.update(first + offset for offset in offsets)
        if len(self.soft) > 2 * self.max_lines:  # prune now and then: amortised O(1)
            oldest = self.added - len(self.texts)
            self.soft = {n for n in self.soft if n >= oldest}

    def __len__(self) -> int:
        return len(self.texts)

    def append(self, row: CompactRow, *, wrapped: bool = False) -> None:
        if self.max_lines:
            self.texts.append(row[0])
            self.styles.append(row[1])
            self.added += 1
            if wrapped:
                self._mark(self.added - 1, (0,))

    def extend(self, rows: list[CompactRow], skipped: int = 0, wrapped: Iterable[int] = ()) -> None:
        """Append rows; `skipped` counts older rows that were never built (they would fall off);
        `wrapped` lists the offsets in `rows` of the rows that ran on into the next one."""
        if self.max_lines and (rows or skipped):
            self.texts.extend([r[0] for r in rows])
            self.styles.extend([r[1] for r in rows])
            self.added += len(rows) + skipped
            self._mark(self.added - len(rows), wrapped)

    def wrapped(self, index: int) -> bool:
        """True when row `index` ran on into the next row (a soft wrap, joined when copied)."""
        return self.added - len(self.texts) + index in self.soft

    def row(self, index: int) -> CompactRow:
        """Row `index` with its runs decoded (text, packed runs or None)."""
        return resolve((self.texts[index], self.styles[index]), self.undefer)

    def runs(self, index: int) -> list[Run]:
        return expand(self.row(index))

    def text(self, index: int) -> str:
        return self.texts[index]

    def clear(self) -> None:
        self.texts.clear()
        self.styles.clear()
        self.soft.clear()
