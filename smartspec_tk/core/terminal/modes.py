"""Terminal modes for TermScreen (a mixin): the alternate screen (DECSET 47/1047/1049, the
latter saving and restoring the cursor), DECSET 1048, and the input modes the view needs
(DECCKM, bracketed paste 2004, mouse 1000/1002/1003 and SGR 1006). DECCOLM is refused so
no program can resize the window to 132 columns.
"""

from __future__ import annotations

import copy
import logging
from collections import defaultdict
from typing import Any

import pyte
from pyte import modes as mo
from pyte.screens import Char, Cursor, StaticDefaultDict

log = logging.getLogger(__name__)

P = 5  # pyte shifts private (DEC) mode numbers left by 5 bits
DECCKM = 1 << P
ALT_MODES = (47 << P, 1047 << P, 1049 << P)
MOUSE_MODES = (1000 << P, 1002 << P, 1003 << P)
MOUSE_SGR = 1006 << P
BRACKETED_PASTE = 2004 << P
SAVE_CURSOR_1048 = 1048 << P
BLOCKED_MODES = frozenset({mo.DECCOLM})
#: the modes kept in `screen.mode` (ANSI as is, DEC private shifted): the ones pyte or we act on or
#: report; any other number a program sets is only remembered for DECRQM (xterm.py, capped), so a
#: stream of random mode numbers cannot grow the set
KEPT_ANSI = frozenset({4, 20})
KEPT_PRIVATE = frozenset(m << P for m in (1, 5, 6, 7, 9, 12, 25, 40, 41, 45, 47, 66, 69, 1000, 1001, 1002,
                                          1003, 1004, 1005, 1006, 1015, 1016, 1047, 1048, 1049, 2004, 2026))
MODES_SAVED_CAP = 64


class ModesMixin(pyte.Screen):
    """Mode handling; the concrete screen provides `materialize()` and `compact_cache`."""

    _main: tuple[Any, Cursor | None] | None = None  # the saved main screen while on the alt one
    _alt_kept: Any = None  # the alternate screen's cells after DECRESET 47 (shown again by 47/1047)
    compact_cache: dict[int, Any]

    def materialize(self) -> None:
        """Turn pending rows into pyte cells (implemented by TermScreen)."""

    @property
    def app_cursor(self) -> bool:
        return DECCKM in self.mode

    @property
    def bracketed_paste(self) -> bool:
        return BRACKETED_PASTE in self.mode

    @property
    def mouse_mode(self) -> int:
        """0 (off), 1000 (clicks), 1002 (drag) or 1003 (any motion)."""
        for mode in reversed(MOUSE_MODES):
            if mode in self.mode:
                return mode >> P
        return 0

    @property
    def mouse_sgr(self) -> bool:
        return MOUSE_SGR in self.mode

    @property
    def alt_screen(self) -> bool:
        return self._main is not None

    def _split(self, modes: tuple[int, ...], kwargs: dict[str, Any]) -> tuple[list[int], tuple[int, ...]]:
        shifted = [m << P for m in modes] if kwargs.get("private") else list(modes)
        known = KEPT_PRIVATE if kwargs.get("private") else KEPT_ANSI
        kept = tuple(m for m, s in zip(modes, shifted, strict=True) if s in known)
        self.materialize()
        self.compact_cache.clear()
        return shifted, kept

    def set_mode(self, *modes: int, **kwargs: Any) -> None:
        shifted, kept = self._split(modes, kwargs)
        if SAVE_CURSOR_1048 in shifted:
            self.save_cursor()
        for s in shifted:
            if s in ALT_MODES:  # 47/1047 show what the alternate screen kept; 1049 starts it clear
                self._enter_alt(save_cursor=s == ALT_MODES[2], keep=s != ALT_MODES[2])
        super().set_mode(*kept, **kwargs)

    def reset_mode(self, *modes: int, **kwargs: Any) -> None:
        shifted, kept = self._split(modes, kwargs)
        super().reset_mode(*kept, **kwargs)
        for s in shifted:
            if s in ALT_MODES:  # leaving with 47 keeps the alternate screen's text; 1047/1049 clear it
                self._leave_alt(keep=s == ALT_MODES[0])
        if SAVE_CURSOR_1048 in shifted:
            self.restore_cursor()

    def save_modes(self, *modes: int) -> None:
        """XTSAVE (`CSI ? Pm s`): remember whether these DEC private modes are set."""
        saved: dict[int, bool] = self.__dict__.setdefault("_saved_modes", {})
        for m in modes[:32]:
            if len(saved) < MODES_SAVED_CAP or m in saved:
                saved[m] = (m << P) in self.mode

    def restore_modes(self, *modes: int) -> None:
        """XTRESTORE (`CSI ? Pm r`): set or reset these modes as XTSAVE found them."""
        saved: dict[int, bool] = self.__dict__.get("_saved_modes", {})
        for m in modes[:32]:
            if m in saved:
                (self.set_mode if saved[m] else self.reset_mode)(m, private=True)

    def _new_buffer(self) -> Any:
        return defaultdict(lambda: StaticDefaultDict[int, Char](self.default_char))

    def _enter_alt(self, save_cursor: bool, keep: bool = False) -> None:
        if self._main is not None:
            return
        self._main = (self.buffer, copy.copy(self.cursor) if save_cursor else None)
        kept = self._alt_kept
        self._alt_kept = None
        self.buffer = kept if keep and kept is not None else self._new_buffer()
        self.dirty.update(range(self.lines))

    def _leave_alt(self, keep: bool = False) -> None:
        if self._main is None:
            return
        self._alt_kept = self.buffer if keep else None
        buffer, cursor = self._main
        self._main = None
        for y in [y for y in buffer if y >= self.lines]:
            del buffer[y]
        for line in buffer.values():
            for x in [x for x in line if x >= self.columns]:
                del line[x]
        self.buffer = buffer
        if cursor is not None:
            self.cursor = cursor
            self.ensure_hbounds()
            self.ensure_vbounds()
        self.dirty.update(range(self.lines))
