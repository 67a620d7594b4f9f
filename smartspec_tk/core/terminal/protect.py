"""Protected cells, as xterm does them (a mixin for TermScreen): DEC protection (DECSCA 1) and ISO
protection (SPA `ESC V` … EPA `ESC W`) both set one bit of pyte's `bold` attribute (like dim and
conceal, render.py). The selective erases DECSED/DECSEL (and DECSERA, rect.py) always keep protected
cells; ED, EL and ECH keep them only while ISO protection was the last kind used (xterm's rule).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyte
from pyte.screens import Char

from .render import PROTECTED

ISO, DEC = "iso", "dec"


def flags_of(cell: Char) -> int:
    return int(cell.bold or 0)


def with_flags(cell: Char, flags: int) -> Char:
    """`cell` with bold/dim/conceal/protected bits `flags` (plain True/False when only bold)."""
    return cell._replace(bold=flags if flags & ~1 else bool(flags))  # type: ignore[arg-type]


class ProtectMixin(pyte.Screen):
    """See the module docstring; the concrete screen provides `settings` and `_cells` (rect.py)."""

    settings: dict[str, str]
    _cells: Callable[..., None]
    protect_kind: str | None = None  # the kind of protection used last: ISO, DEC or None

    def _protect(self, on: bool, kind: str) -> None:
        self.protect_kind = kind
        flags = flags_of(self.cursor.attrs)
        self.cursor.attrs = with_flags(self.cursor.attrs, flags | PROTECTED if on else flags & ~PROTECTED)

    def set_protection(self, *params: int) -> None:
        """DECSCA: 1 protects what is drawn next from the selective erases; 0 and 2 do not."""
        mode = params[0] if params else 0
        self.settings['"q'] = str(mode)
        if mode in (0, 1, 2):
            self._protect(mode == 1, DEC)

    def start_protected_area(self) -> None:
        """SPA: what is drawn next is protected from every erase (ISO protection)."""
        self._protect(True, ISO)

    def end_protected_area(self) -> None:
        """EPA: the end of an ISO protected area."""
        self._protect(False, ISO)

    def selective_erase_display(self, how: int = 0) -> None:
        """DECSED: as ED 0/1/2, but protected cells stay (3 would be the scrollback: nothing here)."""
        self._erase_display(how, keep_rendition=True)

    def selective_erase_line(self, how: int = 0) -> None:
        """DECSEL: as EL 0/1/2, but protected cells stay."""
        self._erase_line(self.cursor.y, how, keep_rendition=True)

    def _erase_display(self, how: int, *, keep_rendition: bool) -> None:
        if how not in (0, 1, 2):
            return
        top, bottom = {0: (self.cursor.y, self.lines - 1), 1: (0, self.cursor.y)}.get(how, (0, self.lines - 1))
        for y in range(top, bottom + 1):
            self._erase_line(y, how if y == self.cursor.y else 2, keep_rendition=keep_rendition)

    def _erase_line(self, y: int, how: int, *, keep_rendition: bool) -> None:
        x = min(self.cursor.x, self.columns - 1)
        start, end = {0: (x, self.columns - 1), 1: (0, x)}.get(how, (0, self.columns - 1))
        self._erase_cells(y, start, end, keep_rendition=keep_rendition)

    def _erase_cells(self, y: int, start: int, end: int, *, keep_rendition: bool) -> None:
        blank = with_flags(self.cursor.attrs, flags_of(self.cursor.attrs) & ~PROTECTED)._replace(data=" ")

        def change(old: Char) -> Char | None:
            if flags_of(old) & PROTECTED:
                return None
            return old._replace(data=" ") if keep_rendition else blank

        self._cells((y, start, y, end), change)

    # -- ED/EL/ECH while ISO protection is in use (TermScreen calls these instead of pyte's) --------
    def iso_erase(self, name: str, *args: Any) -> bool:
        """Run ED/EL/ECH keeping protected cells when ISO protection is in use; False otherwise."""
        if self.protect_kind != ISO:
            return False
        how = int(args[0]) if args and isinstance(args[0], int) else 0
        if name == "erase_in_display":
            self._erase_display(how, keep_rendition=False)
        elif name == "erase_in_line":
            self._erase_line(self.cursor.y, how, keep_rendition=False)
        else:  # erase_characters
            x = min(self.cursor.x, self.columns - 1)
            self._erase_cells(self.cursor.y, x, min(x + max(how, 1) - 1, self.columns - 1), keep_rendition=False)
        return True
