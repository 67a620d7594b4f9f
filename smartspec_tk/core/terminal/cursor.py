"""Cursor controls as xterm does them, a mixin for TermScreen: reverse wraparound (mode 45 with
DECAWM: BS/CUB past the left margin continue at the right margin of the row above; from the top-left
corner of the scroll region to its bottom-right), DECBI/DECFI (`ESC 6`/`ESC 9`: move, or scroll the
margins' box a column when at the left/right margin), and DECSC/DECRC (`ESC 7`/`ESC 8`, `CSI s`/`CSI u`,
mode 1048): one saved cursor per screen (main and alternate), restorable many times, keeping the
position (with a pending wrap), attributes, character sets and origin mode — not DECAWM (xterm).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, NamedTuple

import pyte
from pyte import modes as mo
from pyte.screens import Cursor, Margins

REVERSE_WRAP = 45 << 5  # pyte's private mode numbering
MORE_FIX = 41 << 5  # xterm's "more(1) fix": a tab at a pending wrap wraps first


class Saved(NamedTuple):
    cursor: Cursor
    g0: Any
    g1: Any
    charset: int
    origin: bool
    columns: int


class CursorMixin(pyte.Screen):
    """See the module docstring; the concrete screen provides `_lr`, `_shift_columns`, `_main`."""

    _main: Any
    _saved: dict[bool, Saved]  # made by reset() (forget_saved_cursors)
    _lr_pending: tuple[int, int] | None
    # provided by RectMixin / ReportsMixin (annotations only: a stub here would shadow them)
    _lr: Callable[[], tuple[int, int]]
    _shift_columns: Callable[..., None]
    report_device_attributes: Callable[..., None]

    def _pending_wrap(self) -> bool:
        x = self.cursor.x
        return x >= self.columns or self._lr_pending == (x, self.cursor.y)

    # -- reverse wraparound ------------------------------------------------------------------------
    def cursor_back(self, count: int | None = None) -> None:
        if mo.DECAWM not in self.mode or REVERSE_WRAP not in self.mode:
            super().cursor_back(count)
            return
        n = count or 1
        pending = self._pending_wrap()
        before = self.cursor.x - 1 if pending else self.cursor.x
        self._lr_pending = None
        n -= 1 if pending else 0  # the first step only cancels the pending wrap
        left, right = self._lr()
        if before < left:
            left = 0  # left of the left margin: the row runs from the screen's edge
        col = before - n
        if col >= left:
            self.cursor.x = col
            return
        width = right - left + 1
        top, bottom = self.margins or Margins(0, self.lines - 1)
        y = self.cursor.y
        if before == left and y == top and self._lr()[0] <= before <= right:
            offset = (bottom + 1) * width - 1  # the region's top-left corner: to its bottom-right
        else:
            offset = width * y + col - left
            if offset < 0:
                length = width * self.lines
                offset += (-offset // length + 1) * length
        self.cursor.y = offset // width
        self.cursor.x = offset % width + left

    # -- tabs ----------------------------------------------------------------------------------------
    def tab_limit(self) -> int:
        """The last column a tab may reach: the right margin when the cursor is not right of it."""
        _, right = self._lr()
        return right if min(self.cursor.x, self.columns - 1) <= right else self.columns - 1

    def tab(self) -> None:
        """HT: to the next tab stop, never past the right margin (from inside it); at a pending wrap
        it does nothing, unless mode 41 (with DECAWM) is set: then the line wraps first."""
        if self._pending_wrap():
            if MORE_FIX not in self.mode or mo.DECAWM not in self.mode:
                return  # the wrap stays pending: the next character starts the next line
            self.carriage_return()
            self.index()
        limit = self.tab_limit()
        x = min(self.cursor.x, self.columns - 1)
        stops = [t for t in self.tabstops if t > x]
        self.cursor.x = min(min(stops) if stops else limit, limit)
        self._lr_pending = None

    # -- DECBI / DECFI -------------------------------------------------------------------------------
    def back_index(self) -> None:
        """DECBI: one column left; at the left margin the box's columns move right (a blank column enters)."""
        left, _ = self._lr()
        x = min(self.cursor.x, self.columns - 1)
        if x == left:
            self._shift_columns(1, insert=True)
        elif x > 0:
            self.cursor.x = x - 1

    def forward_index(self) -> None:
        """DECFI: one column right; at the right margin the box's columns move left (blank at the right)."""
        left, right = self._lr()
        x = min(self.cursor.x, self.columns - 1)
        if x == right:
            self.cursor.x = left
            self._shift_columns(1, insert=False)
            self.cursor.x = x
        elif x < self.columns - 1:
            self.cursor.x = x + 1

    def identify(self) -> None:
        """DECID (`ESC Z`): answered as DA1."""
        self.report_device_attributes()

    # -- DECSC / DECRC -----------------------------------------------------------------------------
    def save_cursor(self) -> None:
        self._saved[self._main is not None] = Saved(
            copy.copy(self.cursor), self.g0_charset, self.g1_charset, self.charset,
            mo.DECOM in self.mode, self.columns)

    def restore_cursor(self) -> None:
        saved = self._saved.get(self._main is not None)
        if saved is None:
            self.mode.discard(mo.DECOM)
            self.cursor_position()
            return
        self.g0_charset, self.g1_charset, self.charset = saved.g0, saved.g1, saved.charset
        (self.mode.add if saved.origin else self.mode.discard)(mo.DECOM)
        self.cursor = copy.copy(saved.cursor)
        if self.cursor.x >= self.columns and saved.columns != self.columns:
            self.cursor.x = self.columns - 1
        self.cursor.y = min(self.cursor.y, self.lines - 1)

    def forget_saved_cursors(self) -> None:
        self._saved = {}
