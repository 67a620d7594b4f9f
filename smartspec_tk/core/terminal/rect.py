"""VT420 rectangle operations and column insert/delete, as xterm does them (a mixin for TermScreen):
DECFRA, DECERA, DECSERA, DECCRA, DECCARA, DECRARA, DECIC, DECDC, and the left/right margins they
respect (DECLRMM, mode 69; DECSLRM, `CSI l;r s`).

Rectangles are given as top;left;bottom;right (1-based, 0 or missing = the screen's edge), relative
to the margins' corner in origin mode (DECOM), clipped to the screen; an empty one does nothing. The
cursor never moves. DECSERA keeps protected cells (protect.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyte
from pyte import modes as mo
from pyte.screens import Char, Margins

from .protect import flags_of as _flags
from .protect import with_flags as _with_flags
from .render import PROTECTED

DECLRMM = 69 << 5  # pyte's private mode numbering
_CARA_SET = {1: ("bold", True), 4: ("underscore", True), 5: ("blink", True), 7: ("reverse", True),
             22: ("bold", False), 24: ("underscore", False), 25: ("blink", False), 27: ("reverse", False)}
_RARA_FLIP = {1: "bold", 4: "underscore", 5: "blink", 7: "reverse"}


class RectMixin(pyte.Screen):
    """See the module docstring; the concrete screen provides `_edit`, `settings` and `lr_margins`."""

    settings: dict[str, str]
    lr_margins: tuple[int, int] | None = None  # (left, right), 0-based; None: the whole width

    def _edit(self) -> None: ...

    # -- left/right margins ------------------------------------------------------------------
    def _lr(self) -> tuple[int, int]:
        """(left, right) columns of the left/right margins (the whole width when DECLRMM is off)."""
        margins = self.lr_margins  # only ever set while DECLRMM is
        return (0, self.columns - 1) if margins is None else margins

    def set_lr_margins(self, left: int = 0, right: int = 0) -> None:
        """DECSLRM (when DECLRMM is set): left/right margins, cursor home (as DECSTBM)."""
        lo = max((left or 1) - 1, 0)
        hi = min((right or self.columns) - 1, self.columns - 1)
        if hi <= lo:
            return
        self.lr_margins = (lo, hi) if (lo, hi) != (0, self.columns - 1) else None
        self.cursor_position()

    def reset_mode(self, *modes: int, **kwargs: Any) -> None:
        if kwargs.get("private") and 69 in modes:
            self.lr_margins = None  # leaving DECLRMM drops the margins (xterm)
        super().reset_mode(*modes, **kwargs)

    def save_or_margins(self, *params: int) -> None:
        """`CSI s`: DECSLRM when DECLRMM is set, else SCOSC (save the cursor)."""
        if DECLRMM in self.mode and getattr(self, "conformance", 64) >= 64:  # DECSLRM is VT420 (level 4)
            self.set_lr_margins(*params[:2])
        elif not params or params == (0,):
            self.save_cursor()

    def cursor_back(self, count: int | None = None) -> None:
        """CUB/BS: stop at the left margin when starting at or right of it."""
        margins = self.lr_margins
        if margins is None:
            super().cursor_back(count)
            return
        x = min(self.cursor.x, self.columns - 1)
        self.cursor.x = max(x - (count or 1), margins[0] if x >= margins[0] else 0)

    def cursor_forward(self, count: int | None = None) -> None:
        """CUF: stop at the right margin when starting at or left of it."""
        margins = self.lr_margins
        if margins is None:
            super().cursor_forward(count)
            return
        x = self.cursor.x
        self.cursor.x = min(x + (count or 1), margins[1] if x <= margins[1] else self.columns - 1)

    def cursor_position(self, line: int | None = None, column: int | None = None) -> None:
        """CUP/HVP: in origin mode the column counts from the left margin too (clamped to the right one)."""
        super().cursor_position(line, column)
        margins = self.lr_margins
        if margins is not None and mo.DECOM in self.mode:
            self.cursor.x = min((column or 1) - 1 + margins[0], margins[1])

    # -- rectangles --------------------------------------------------------------------------
    def _rect(self, params: tuple[int, ...], first: int = 0) -> tuple[int, int, int, int] | None:
        """(top, left, bottom, right), 0-based and inclusive, from params[first:first+4]."""
        p = [*params[first:first + 4], 0, 0, 0, 0][:4]
        top, left = (p[0] or 1) - 1, (p[1] or 1) - 1
        bottom, right = (p[2] or self.lines) - 1, (p[3] or self.columns) - 1
        if mo.DECOM in self.mode:
            t0, _ = self.margins or Margins(0, self.lines - 1)
            l0, _ = self._lr()
            top, bottom, left, right = top + t0, bottom + t0, left + l0, right + l0
        bottom, right = min(bottom, self.lines - 1), min(right, self.columns - 1)
        if top > bottom or left > right:
            return None
        return top, left, bottom, right

    def _cells(self, rect: tuple[int, int, int, int], change: Any) -> None:
        """Replace every cell of `rect` with change(cell) (None: leave it)."""
        self._edit()
        top, left, bottom, right = rect
        for y in range(top, bottom + 1):
            line = self.buffer[y]
            for x in range(left, right + 1):
                new = change(line[x])
                if new is not None:
                    line[x] = new
            self.dirty.add(y)

    def fill_rectangle(self, *params: int) -> None:
        """DECFRA: Pch;Pt;Pl;Pb;Pr — fill with a character in the current rendition."""
        code = params[0] if params else 0
        if not (32 <= code <= 126 or 160 <= code <= 255):
            return
        rect = self._rect(params, 1)
        if rect is not None:
            cell = self.cursor.attrs._replace(data=chr(code))
            self._cells(rect, lambda _old: cell)

    def erase_rectangle(self, *params: int) -> None:
        """DECERA: Pt;Pl;Pb;Pr — blanks with the default rendition."""
        rect = self._rect(params)
        if rect is not None:
            blank = self.default_char
            self._cells(rect, lambda _old: blank)

    def selective_erase_rectangle(self, *params: int) -> None:
        """DECSERA: Pt;Pl;Pb;Pr — only cells not protected by DECSCA become blank (their rendition stays);
        while ISO protection (SPA/EPA) is the kind in use, no cell is kept (xterm)."""
        rect = self._rect(params)
        if rect is not None:
            keep = PROTECTED if getattr(self, "protect_kind", None) != "iso" else 0  # ISO protection: not kept
            self._cells(rect, lambda old: None if _flags(old) & keep else old._replace(data=" "))

    def copy_rectangle(self, *params: int) -> None:
        """DECCRA: Pts;Pls;Pbs;Prs;Pps;Ptd;Pld;Ppd — copy a rectangle (one page: pages ignored)."""
        src = self._rect(params)
        if src is None:
            return
        p = [*params[5:7], 0, 0][:2]
        dtop, dleft = (p[0] or 1) - 1, (p[1] or 1) - 1
        if mo.DECOM in self.mode:
            dtop += (self.margins or Margins(0, 0)).top
            dleft += self._lr()[0]
        top, left, bottom, right = src
        self._edit()
        rows = [[self.buffer[y][x] for x in range(left, right + 1)] for y in range(top, bottom + 1)]
        for dy, row in enumerate(rows):
            y = dtop + dy
            if y >= self.lines:
                break
            line = self.buffer[y]
            for dx, cell in enumerate(row):
                if dleft + dx < self.columns:
                    line[dleft + dx] = cell
            self.dirty.add(y)

    def _attr_area(self, rect: tuple[int, int, int, int], change: Any) -> None:
        """DECCARA/DECRARA's area: the rectangle when DECSACE is 2, else the character stream
        from the first corner to the last (whole lines between)."""
        if self.settings.get("*x", "0") == "2":
            self._cells(rect, change)
            return
        top, left, bottom, right = rect
        for y in range(top, bottom + 1):
            start = left if y == top else 0
            end = right if y == bottom else self.columns - 1
            if start <= end:
                self._cells((y, start, y, end), change)

    def change_rect_attrs(self, *params: int) -> None:
        """DECCARA: Pt;Pl;Pb;Pr;Ps… — set SGR 0/1/4/5/7 (and 22/24/25/27) in the area."""
        rect = self._rect(params)
        if rect is None:
            return
        replace: dict[str, bool] = {}
        reset = False
        for code in params[4:] or (0,):
            if code == 0:
                reset, replace = True, {}
            elif code in _CARA_SET:
                name, value = _CARA_SET[code]
                replace[name] = value

        def change(cell: Char) -> Char:
            if reset:
                cell = _with_flags(cell, _flags(cell) & ~1)._replace(underscore=False, blink=False, reverse=False)
            if "bold" in replace:
                cell = _with_flags(cell, (_flags(cell) & ~1) | (1 if replace["bold"] else 0))
            other = {k: v for k, v in replace.items() if k != "bold"}
            return cell._replace(**other) if other else cell  # type: ignore[arg-type]

        self._attr_area(rect, change)

    def reverse_rect_attrs(self, *params: int) -> None:
        """DECRARA: Pt;Pl;Pb;Pr;Ps… — toggle SGR 1/4/5/7 (0: all four) in the area."""
        rect = self._rect(params)
        if rect is None:
            return
        names = set()
        for code in params[4:] or (0,):
            names |= set(_RARA_FLIP.values()) if code == 0 else {_RARA_FLIP[code]} if code in _RARA_FLIP else set()

        def change(cell: Char) -> Char:
            out: dict[str, Any] = {n: not getattr(cell, n) for n in names if n != "bold"}
            if "bold" in names:
                cell = _with_flags(cell, _flags(cell) ^ 1)
            return cell._replace(**out)

        self._attr_area(rect, change)

    # -- columns -------------------------------------------------------------------------------
    def _in_margins(self) -> tuple[int, int, int, int] | None:
        top, bottom = self.margins or Margins(0, self.lines - 1)
        left, right = self._lr()
        x, y = self.cursor.x, self.cursor.y
        if not (top <= y <= bottom and left <= x <= right):
            return None
        return top, left, bottom, right

    def insert_columns(self, count: int = 0) -> None:
        """DECIC: `count` blank columns at the cursor's column, within the margins."""
        self._shift_columns(count or 1, insert=True)

    def delete_columns(self, count: int = 0) -> None:
        """DECDC: remove `count` columns at the cursor's column, blanks enter at the right margin."""
        self._shift_columns(count or 1, insert=False)

    def _shift_columns(self, count: int, *, insert: bool) -> None:
        area = self._in_margins()
        if area is None:
            return
        top, _left, bottom, right = area
        x = self.cursor.x
        count = min(count, right - x + 1)
        blank = self.default_char
        self._edit()
        for y in range(top, bottom + 1):
            line = self.buffer[y]
            cells = [line[c] for c in range(x, right + 1)]
            cells = [blank] * count + cells[:len(cells) - count] if insert else cells[count:] + [blank] * count
            for c, cell in enumerate(cells, x):
                line[c] = cell
            self.dirty.add(y)


# -- left/right margins in the controls pyte owns (called by TermScreen while DECLRMM margins are set) --
def box_scroll(screen: Any, top: int, bottom: int, left: int, right: int, count: int, *, up: bool) -> None:
    """Move the cells of the box rows top..bottom × columns left..right up (or down) by `count`
    rows; blank cells enter. Columns outside the box stay."""
    screen._edit()
    count = min(count, bottom - top + 1)
    blank = screen.default_char
    buffer = screen.buffer
    rows = range(top, bottom + 1) if up else range(bottom, top - 1, -1)
    for y in rows:
        src = y + count if up else y - count
        inside = top <= src <= bottom
        line = buffer[y]
        source = buffer[src] if inside else None
        for x in range(left, right + 1):
            line[x] = source[x] if source is not None else blank
        screen.dirty.add(y)


def _in_box(screen: Any) -> tuple[int, int, int, int] | None:
    """The scroll region and left/right margins when the cursor is inside both, else None."""
    top, bottom = screen.margins or Margins(0, screen.lines - 1)
    left, right = screen.lr_margins
    if top <= screen.cursor.y <= bottom and left <= screen.cursor.x <= right:
        return top, bottom, left, right
    return None


def lr_index(screen: Any) -> None:
    """IND/LF at the bottom margin scroll only the box; outside the left/right margins they only move."""
    _top, bottom = screen.margins or Margins(0, screen.lines - 1)
    if screen.cursor.y == bottom:
        box = _in_box(screen)
        if box is not None:
            box_scroll(screen, *box, 1, up=True)
    elif screen.cursor.y < screen.lines - 1:
        screen.cursor.y += 1


def lr_reverse_index(screen: Any) -> None:
    top, _bottom = screen.margins or Margins(0, screen.lines - 1)
    if screen.cursor.y == top:
        box = _in_box(screen)
        if box is not None:
            box_scroll(screen, *box, 1, up=False)
    elif screen.cursor.y > 0:
        screen.cursor.y -= 1


def lr_lines(screen: Any, count: int | None, *, insert: bool) -> None:
    """IL/DL inside the box from the cursor's row down; the cursor goes to the left margin."""
    box = _in_box(screen)
    if box is None:
        return
    _top, bottom, left, right = box
    box_scroll(screen, screen.cursor.y, bottom, left, right, count or 1, up=not insert)
    screen.cursor.x = left


def lr_chars(screen: Any, count: int | None, *, insert: bool) -> None:
    """ICH/DCH between the cursor and the right margin (nothing outside the margins)."""
    left, right = screen.lr_margins
    x = screen.cursor.x
    if not left <= x <= right:
        return
    screen._edit()
    count = min(count or 1, right - x + 1)
    line = screen.buffer[screen.cursor.y]
    cells = [line[c] for c in range(x, right + 1)]
    blank = screen.default_char
    cells = [blank] * count + cells[:len(cells) - count] if insert else cells[count:] + [blank] * count
    for c, cell in enumerate(cells, x):
        line[c] = cell
    screen.dirty.add(screen.cursor.y)


def lr_scroll(screen: Any, count: int | None, *, up: bool) -> None:
    """SU/SD: the box of the scroll region and the left/right margins, wherever the cursor is."""
    top, bottom = screen.margins or Margins(0, screen.lines - 1)
    left, right = screen.lr_margins
    box_scroll(screen, top, bottom, left, right, count or 1, up=up)


LR_CONTROLS: dict[str, Callable[..., None]] = {
    "insert_characters": lambda s, n=None, *_: lr_chars(s, n, insert=True),
    "delete_characters": lambda s, n=None, *_: lr_chars(s, n, insert=False),
    "insert_lines": lambda s, n=None, *_: lr_lines(s, n, insert=True),
    "delete_lines": lambda s, n=None, *_: lr_lines(s, n, insert=False),
    "reverse_index": lambda s, *_: lr_reverse_index(s),
}
