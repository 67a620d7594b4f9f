"""The terminal's colour table for OSC 4/5/10–19 and their resets (104/105/110–119): colours a
program sets are remembered (8 bits per channel, as xterm keeps them) and reported back as
`rgb:rrrr/gggg/bbbb`. Queries answer numbers parsed from a colour spec, never text a program sent.
The view draws what `drawn()` gives: indexes 0–15 and the default fore/background a program set
(`version` counts changes, so the view knows when to recolour).
"""

from __future__ import annotations

from collections.abc import Callable

from pyte.graphics import FG_BG_256

RGB = tuple[int, int, int]
#: OSC 10.. defaults: foreground, background, cursor, then the mouse and highlight colours
DYNAMIC_DEFAULTS: dict[int, RGB] = {10: (0, 0, 0), 11: (255, 255, 255), 12: (0, 0, 0), 13: (0, 0, 0),
                                    14: (255, 255, 255), 15: (0, 0, 0), 16: (255, 255, 255),
                                    17: (0, 0, 0), 18: (0, 0, 0), 19: (255, 255, 255)}
SPECIAL = 5  # OSC 5: bold, underline, blink, reverse, italic colours (OSC 4 256+n)
MAX_SPECS = 64  # colour pairs handled in one OSC


def _palette() -> dict[int, RGB]:
    return {i: (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))
            for i, h in enumerate(FG_BG_256)}


def parse_color(spec: str) -> RGB | None:
    """`rgb:r/g/b` (1–4 hex digits a channel, scaled), `rgbi:r/g/b` (0.0–1.0) or
    `#rgb`…`#rrrrggggbbbb` (left-justified)."""
    spec = spec.strip().lower()
    try:
        if spec.startswith("rgb:"):
            parts = spec[4:].split("/")
            if len(parts) != 3 or not all(1 <= len(p) <= 4 for p in parts):
                return None
            scaled = [int(p, 16) * 0xFFFF // (16 ** len(p) - 1) >> 8 for p in parts]
            return scaled[0], scaled[1], scaled[2]
        if spec.startswith("rgbi:"):
            values = [float(p) for p in spec[5:].split("/")]
            if len(values) != 3 or not all(0.0 <= v <= 1.0 for v in values):
                return None
            return tuple(int(v * 0xFFFF + 0.5) >> 8 for v in values)  # type: ignore[return-value]
        if spec.startswith("#") and len(spec) in (4, 7, 10, 13):
            n = (len(spec) - 1) // 3
            parts = [spec[1 + k * n:1 + (k + 1) * n] for k in range(3)]
            return tuple((int(p, 16) << (16 - 4 * n)) >> 8 for p in parts)  # type: ignore[return-value]
    except ValueError:
        return None
    return None


def format_color(rgb: RGB) -> str:
    return "rgb:" + "/".join(f"{c:02x}{c:02x}" for c in rgb)


class ColorTable:
    """Indexed (0–255), special (OSC 5) and dynamic (OSC 10–19) colours; `reply` sends answers."""

    def __init__(self, reply: Callable[[str], None]) -> None:
        self.reply = reply
        self.indexed = _palette()
        self.special: dict[int, RGB] = {}
        self.defaults = dict(DYNAMIC_DEFAULTS)  # OSC 10/11/12 become the theme's (`set_theme_colors`)
        self.dynamic = dict(DYNAMIC_DEFAULTS)
        self.set_indexed: set[int] = set()  # indexes a program changed (and did not reset)
        self.set_dynamic: set[int] = set()
        self.version = 0  # bumped on every change that `drawn()` can see

    def drawn(self) -> tuple[dict[int, str], str | None, str | None]:
        """What the view paints differently: ({index 0–15: '#rrggbb'}, foreground, background)
        for the colours a program set (None: the theme's own)."""
        def hex_(rgb: RGB) -> str:
            return "#{:02x}{:02x}{:02x}".format(*rgb)

        ansi = {i: hex_(self.indexed[i]) for i in sorted(self.set_indexed) if i < 16}
        fg = hex_(self.dynamic[10]) if 10 in self.set_dynamic else None
        bg = hex_(self.dynamic[11]) if 11 in self.set_dynamic else None
        return ansi, fg, bg

    def set_theme_colors(self, foreground: str, background: str, cursor: str) -> None:
        """The colours the view paints when no program set them ('#rrggbb'): OSC 10/11/12 queries
        answer these, so a program asking whether the background is dark gets the truth."""
        for code, spec in ((10, foreground), (11, background), (12, cursor)):
            rgb = parse_color(spec)
            if rgb is None:
                continue
            self.defaults[code] = rgb
            if code not in self.set_dynamic:
                self.dynamic[code] = rgb

    def osc(self, code: int, param: str) -> bool:
        """Handle OSC `code`; False when it is not a colour OSC."""
        args = param.split(";") if param else []
        if code in (4, SPECIAL):
            for k in range(0, min(len(args) - 1, 2 * MAX_SPECS), 2):
                self._indexed(code, args[k], args[k + 1])
        elif code in (104, 105):
            self._reset_indexed(code, args)
        elif 10 <= code <= 19:
            for offset, spec in enumerate(args[:10]):
                if code + offset > 19:
                    break
                self._dynamic(code + offset, spec)
        elif 110 <= code <= 119:
            self.dynamic[code - 100] = self.defaults[code - 100]
            self.set_dynamic.discard(code - 100)
            self.version += 1
        else:
            return False
        return True

    def _indexed(self, code: int, index_text: str, spec: str) -> None:
        if not index_text.isdigit():
            return
        index = int(index_text)
        table = self.indexed
        if code == SPECIAL or index >= 256:
            index, table = (index - 256 if code == 4 else index), self.special
            if not 0 <= index <= 4:
                return
        elif index > 255:
            return
        if spec == "?":
            self.reply(f"\x1b]{code};{index_text};{format_color(table.get(index, (0, 0, 0)))}\x1b\\")
            return
        parsed = parse_color(spec)
        if parsed is not None:
            table[index] = parsed
            if table is self.indexed:
                self.set_indexed.add(index)
                self.version += 1

    def _reset_indexed(self, code: int, args: list[str]) -> None:
        numbers = [int(a) for a in args if a.isdigit()]
        if code == 104:
            defaults = _palette()
            if not numbers:
                self.indexed = defaults
                self.set_indexed.clear()
            for n in numbers:
                if n in defaults:
                    self.indexed[n] = defaults[n]
                    self.set_indexed.discard(n)
            self.version += 1
        elif not numbers:
            self.special.clear()
        else:
            for n in numbers:
                self.special.pop(n, None)

    def _dynamic(self, code: int, spec: str) -> None:
        if spec == "?":
            self.reply(f"\x1b]{code};{format_color(self.dynamic[code])}\x1b\\")
            return
        rgb = parse_color(spec)
        if rgb is not None:
            self.dynamic[code] = rgb
            self.set_dynamic.add(code)
            self.version += 1
