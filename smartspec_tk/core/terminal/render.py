"""Styles and run extraction: pyte cells → `(text, Style)` runs the Tk view can insert.

Colours are resolved here to '#rrggbb' or None (= the theme's default). `reverse` is
NOT applied here: the view swaps fg/bg with `resolve_colors(style, fg, bg)` because only
it knows the theme's default colours. Wide characters keep their text once; the stub
cell after them (pyte's data "") contributes nothing, so a run's `len()` can be smaller
than the number of cells it covers. Trailing default-styled blanks are trimmed.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from itertools import groupby, repeat
from operator import itemgetter
from typing import NamedTuple

from pyte.graphics import FG_BG_256
from pyte.screens import Char
from wcwidth import wcwidth

log = logging.getLogger(__name__)

Piece = tuple[str, Char]  # a run of characters drawn with one set of pyte attributes


class Style(NamedTuple):
    """One run's look; hashable and interned, so `is`/`==` comparisons are cheap."""

    fg: str | None = None
    bg: str | None = None
    bold: bool = False
    italic: bool = False
    underline: bool = False
    reverse: bool = False
    strike: bool = False
    blink: bool = False
    dim: bool = False  # SGR 2 (faint): drawn halfway to the background
    conceal: bool = False  # SGR 8: drawn in the background colour


DEFAULT_STYLE = Style()
Run = tuple[str, Style]

_NAMES = ("black", "red", "green", "brown", "blue", "magenta", "cyan", "white")
#: xterm's 16 colours; pyte calls yellow "brown".
ANSI_16 = {name: "#" + FG_BG_256[i] for i, name in enumerate(_NAMES)}
ANSI_16.update({"bright" + name: "#" + FG_BG_256[i + 8] for i, name in enumerate(_NAMES)})
ANSI_16["bfightmagenta"] = ANSI_16["brightmagenta"]  # a typo in pyte's BG_AIXTERM table
#: An exact colour (`38;2;r;g;b`, or a 256-colour index 16–255) equal to one of these 16 values is
#: written with 16 bits a channel ('#rrrrggggbbbb', the same colour to Tk), so the view, which paints
#: indexes 0–15 ('#rrggbb' of these values) in the theme's palette, keeps it exact.
_XTERM_16_HEX = frozenset(FG_BG_256[:16])
#: pyte's `bold` attribute carries SGR 2 and 8 too (screen.select_graphic_rendition): bit 1 bold,
#: bit 2 dim, bit 4 conceal; True == 1, so plain bold compares equal to stock pyte's.
BOLD, DIM, CONCEAL, PROTECTED = 1, 2, 4, 8  # PROTECTED: DECSCA 1 (rect.py)

_ATTRS = itemgetter(1, 2, 3, 4, 5, 6, 7, 8)
_DATA = itemgetter(0)
_STYLES: dict[tuple[object, ...], Style] = {}


def _narrow_class() -> str:
    """A regex character class of the printable characters one cell wide (ASCII, Latin,
    Greek, Cyrillic, punctuation, box drawing …) as pyte's wcwidth sees them."""
    ranges: list[list[int]] = [[0x20, 0x7E]]
    for code in range(0xA0, 0x3000):
        char = chr(code)
        if wcwidth(char) == 1 and char.isprintable() and not unicodedata.combining(char):
            if ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges) + "]"


#: Characters the fast paths may draw one per cell.
NARROW = _narrow_class()
NARROW_RUN = re.compile(NARROW + "+")
_KINDS: dict[str, int] = {}


def char_kind(char: str) -> int:
    """1 or 2: the cells pyte gives a printable, non-combining character; 0: anything else."""
    kind = _KINDS.get(char)
    if kind is None:
        width = wcwidth(char)
        ok = width in (1, 2) and char.isprintable() and not unicodedata.combining(char)
        kind = width if ok else 0
        if len(_KINDS) > 65536:
            _KINDS.clear()
        _KINDS[char] = kind
    return kind


def is_wide_run(text: str) -> bool:
    """True for a run of two-cell characters (bulk pieces are all-narrow or all-wide)."""
    return not text.isascii() and char_kind(text[0]) == 2


def _color(name: str) -> str | None:
    if name == "default":
        return None
    named = ANSI_16.get(name)
    if named is not None:
        return named
    if len(name) == 6:
        name = name.lower()
        if name in _XTERM_16_HEX:
            return "#" + "".join(name[i:i + 2] * 2 for i in (0, 2, 4))
        return "#" + name
    return None


_BY_LOOK: dict[Style, Style] = {}


def intern_style(style: Style) -> Style:
    """One object per look (bounded: the table starts again past 4096 looks)."""
    found = _BY_LOOK.get(style)
    if found is None:
        if len(_BY_LOOK) > 4096:
            _BY_LOOK.clear()
        found = _BY_LOOK[style] = style
    return found


def style_of(attrs: tuple[object, ...]) -> Style:
    """The interned Style for pyte attributes (fg, bg, bold, italics, underscore, strike, reverse, blink)."""
    style = _STYLES.get(attrs)
    if style is None:
        fg, bg, bold, italics, underscore, strike, reverse, blink = attrs
        flags = int(bold or 0)  # type: ignore[call-overload]
        style = Style(_color(str(fg)), _color(str(bg)), bool(flags & BOLD), bool(italics),
                      bool(underscore), bool(reverse), bool(strike), bool(blink),
                      bool(flags & DIM), bool(flags & CONCEAL))
        if len(_STYLES) > 4096:
            _STYLES.clear()
        _STYLES[attrs] = style
    return style


def style_of_char(char: Char) -> Style:
    return style_of(_ATTRS(char))


def resolve_colors(style: Style, default_fg: str, default_bg: str) -> tuple[str, str]:
    """The (foreground, background) to paint, with reverse video applied."""
    fg = style.fg or default_fg
    bg = style.bg or default_bg
    return (bg, fg) if style.reverse else (fg, bg)


def _is_blank(char: Char) -> bool:
    return char.data in (" ", "") and char.bg == "default" and not char.reverse


def row_runs(line: dict[int, Char], columns: int, default: Char) -> list[Run]:
    """Runs of one pyte buffer row (a dict column → Char), trailing blanks trimmed."""
    if not line:
        return []
    end = columns if default.reverse else min(columns, max(line) + 1)
    while end and _is_blank(line.get(end - 1, default)):
        end -= 1
    cells = list(map(line.get, range(end), repeat(default, end)))
    runs: list[Run] = []
    for attrs, group in groupby(cells, _ATTRS):
        runs.append(("".join(map(_DATA, group)), style_of(attrs)))
    return runs


def runs_text(runs: list[Run]) -> str:
    return "".join(text for text, _ in runs)
