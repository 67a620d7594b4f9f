"""The terminal's colours and fonts: the theme's terminal palette (dark or light), pyte colour
names → hex, and one Tk text tag per distinct style (created lazily, recoloured on a theme switch).
"""

from __future__ import annotations

import logging
import tkinter as tk
from dataclasses import replace
from functools import cache
from tkinter import font as tkfont
from typing import Any, Protocol

from wcwidth import wcwidth

from smartspec_tk.core.theme import DARK_TERMINAL, TerminalPalette
from smartspec_tk.ui import theme
from smartspec_tk.ui.theme.platform import mono_preferences

log = logging.getLogger(__name__)

# The colours come from the theme (core/theme.py: DARK_TERMINAL, LIGHT_TERMINAL); these names
# keep the dark ones for code and tests that want a fixed reference.
BACKGROUND = DARK_TERMINAL.background
FOREGROUND = DARK_TERMINAL.foreground
CURSOR = DARK_TERMINAL.cursor
SELECTION = DARK_TERMINAL.selection
SEARCH_HIT = DARK_TERMINAL.search_hit
ANSI = DARK_TERMINAL.ansi
_NAMES = ("black", "red", "green", "brown", "blue", "magenta", "cyan", "white")
# The core gives indexes 0–15 as xterm's own hex values in lower case; show our palette instead.
# An exact colour equal to one of them comes as '#rrrrggggbbbb' (core/terminal/render.py) and stays exact.
_XTERM_16 = (
    "000000", "cd0000", "00cd00", "cdcd00", "0000ee", "cd00cd", "00cdcd", "e5e5e5",
    "7f7f7f", "ff0000", "00ff00", "ffff00", "5c5cff", "ff00ff", "00ffff", "ffffff",
)  # fmt: skip


def colours() -> TerminalPalette:
    """The terminal colours of the current theme."""
    return theme.current().terminal


@cache
def named(palette: TerminalPalette) -> dict[str, str]:
    """pyte's colour names (and xterm's 16 hex values) → this palette's colours."""
    ansi = palette.ansi
    names = {name: ansi[i] for i, name in enumerate(_NAMES)} | {"bright" + n: ansi[8 + i] for i, n in enumerate(_NAMES)}
    names["yellow"], names["brightyellow"] = names["brown"], names["brightbrown"]
    return names | {hex_: ansi[i] for i, hex_ in enumerate(_XTERM_16)}


NAMED = named(DARK_TERMINAL)
BASE_TAG = "base_font"  # the real font for blanks and newlines (the Text's own font is 1 px)
FALLBACK_FONTS = ("DejaVu Sans Mono", "Liberation Mono", "Consolas", "Menlo", "Courier New")


class StyleLike(Protocol):
    """What the view needs from a run's style (core.terminal.render.Style)."""

    fg: str | None
    bg: str | None
    bold: bool
    italic: bool
    underline: bool
    reverse: bool
    strike: bool
    dim: bool
    conceal: bool


def resolve(color: str | None, default: str, palette: TerminalPalette = DARK_TERMINAL) -> str:
    """A core colour (None, '#rrggbb', or a pyte name) as a Tk colour from `palette`."""
    if not color or color == "default":
        return default
    table = named(palette)
    found = table.get(color)
    if found is not None:
        return found
    hex_ = color.lower().lstrip("#")
    if not all(c in "0123456789abcdef" for c in hex_):
        return default
    if len(hex_) == 12:  # exact, 16 bits a channel: never a palette index
        return "#" + hex_[0:2] + hex_[4:6] + hex_[8:10]
    if len(hex_) == 6:
        return table.get(hex_, "#" + hex_)
    return default


def mix(a: str, b: str, t: float) -> str:
    """'#rrggbb' a moved a fraction t of the way to b (a unchanged if either is not '#rrggbb')."""
    try:
        ca = [int(a[i:i + 2], 16) for i in (1, 3, 5)]
        cb = [int(b[i:i + 2], 16) for i in (1, 3, 5)]
    except ValueError:
        return a
    if len(a) != 7 or len(b) != 7:
        return a
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb, strict=True))


def program_palette(palette: TerminalPalette, ansi: dict[int, str], fg: str | None, bg: str | None,
                    reverse: bool) -> TerminalPalette:
    """The theme's palette with the colours a program set (OSC 4 indexes 0–15, OSC 10/11) and,
    under DECSCNM (`CSI ? 5 h`), the default fore/background swapped."""
    if not ansi and fg is None and bg is None and not reverse:
        return palette
    colours_ = tuple(ansi.get(i, c) for i, c in enumerate(palette.ansi))
    fore, back = fg or palette.foreground, bg or palette.background
    if reverse:
        fore, back = back, fore
    return replace(palette, foreground=fore, background=back, ansi=colours_)


_PICKED: dict[str, str] = {}


def pick_family(root: tk.Misc, wanted: str) -> str:
    """The user's monospace family when installed, else the first fallback, else TkFixedFont's
    (remembered: listing the system's fonts is slow)."""
    picked = _PICKED.get(wanted)
    if picked is None:
        families = set(tkfont.families(root))
        candidates = [f for f in (wanted, *mono_preferences(), *FALLBACK_FONTS) if f and f in families]
        picked = candidates[0] if candidates else str(tkfont.nametofont("TkFixedFont", root).actual("family"))
        _PICKED[wanted] = picked
    return picked


class TagCache:
    """Creates one Tk tag per distinct style on a Text widget, on first use."""

    def __init__(self, text: tk.Text, fonts: dict[tuple[bool, bool], tkfont.Font],
                 palette: TerminalPalette | None = None) -> None:  # fmt: skip
        self._text = text
        self._fonts = fonts
        self.palette = palette or colours()
        self._tags: dict[tuple[Any, ...], str] = {}
        self._styles: dict[str, StyleLike] = {}
        self._tag_faces: dict[str, tuple[bool, bool]] = {"": (False, False)}
        self._pads: dict[tuple[str, str], int] = {}
        text.tag_configure(BASE_TAG, font=fonts[(False, False)])
        text.tag_lower(BASE_TAG)

    def pad_px(self, char: str, tag: str) -> int:
        """Pixels a glyph falls short of its cells (a CJK char from a fallback font is drawn
        15 px wide where two cells are 18): the renderer pads it so the row stays on the grid."""
        key = (char, tag)
        pad = self._pads.get(key)
        if pad is None:
            cells = wcwidth(char)
            font = self._fonts[self._tag_faces.get(tag, (False, False))]
            want = cells * max(self._fonts[(False, False)].measure("0"), 1)
            pad = self._pads[key] = max(want - font.measure(char), 0) if cells > 0 else 0
        return pad

    def forget_measures(self) -> None:
        """After a font size change the glyph widths differ."""
        self._pads.clear()

    def tag_for(self, style: StyleLike) -> str:
        key = (style.fg, style.bg, style.bold, style.italic, style.underline, style.reverse,
               style.strike, style.dim, style.conceal)  # fmt: skip
        tag = self._tags.get(key)
        if tag is None:
            tag = f"s{len(self._tags)}"
            self._text.tag_configure(tag, **self._options(style))
            self._text.tag_lower(tag)  # selection, search and cursor tags stay on top
            self._tags[key] = tag
            self._styles[tag] = style
            self._tag_faces[tag] = (style.bold, style.italic)
        return tag

    def retheme(self, palette: TerminalPalette) -> None:
        """New colours for every style tag made so far (a live theme switch)."""
        self.palette = palette
        for tag, style in self._styles.items():
            options = self._options(style)
            options.setdefault("background", "")  # back to the Text's own background
            self._text.tag_configure(tag, **options)

    def _options(self, style: StyleLike) -> dict[str, Any]:
        palette = self.palette
        fg = resolve(style.fg, palette.foreground, palette)
        bg = resolve(style.bg, palette.background, palette)
        if style.reverse:
            fg, bg = bg, fg
        if style.conceal:
            fg = bg  # SGR 8: the text is there (copy finds it) but not seen
        elif style.dim:
            fg = mix(fg, bg, 0.5)  # SGR 2: halfway to the background, as xterm's faint
        options: dict[str, Any] = {"foreground": fg, "font": self._fonts[(style.bold, style.italic)]}
        if bg != palette.background:
            options["background"] = bg
        if style.underline:
            options["underline"] = True
        if style.strike:
            options["overstrike"] = True
        return options


def make_fonts(root: tk.Misc, family: str, size: int) -> dict[tuple[bool, bool], tkfont.Font]:
    """The four faces (regular, bold, italic, bold italic) of one monospace family and size."""
    return {
        (bold, italic): tkfont.Font(
            root, family=family, size=size,
            weight="bold" if bold else "normal", slant="italic" if italic else "roman",
        )
        for bold in (False, True)
        for italic in (False, True)
    }  # fmt: skip


def tiny_font(root: tk.Misc, family: str) -> tkfont.Font:
    """The Text's own font: 1 px, so a tab (whose advance is at least the widget font's
    character width) can pad a glyph by a single pixel. Drawn text always has a tag font."""
    return tkfont.Font(root, family=family, size=-1)


def cell_tabs(fonts: dict[tuple[bool, bool], tkfont.Font]) -> tuple[int, int]:
    """Text -tabs for a tab stop at every cell (Tk extends the list at the same spacing)."""
    cell = max(fonts[(False, False)].measure("0"), 1)
    return cell, 2 * cell


def resize_fonts(fonts: dict[tuple[bool, bool], tkfont.Font], size: int) -> None:
    """Font zoom: every tag shares these Font objects, so one configure updates them all."""
    for font in fonts.values():
        font.configure(size=size)
