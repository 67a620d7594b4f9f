"""The terminal screen: a pyte.Screen subclass (not a fork) with a fast ASCII draw path,
compact scrollback fed from `index()`, the alternate screen, tracked input modes,
sanitised titles, and device replies routed back to the pty through `reply`.

Thread rule: only the thread that calls `TerminalSession.process()` touches it.
"""

from __future__ import annotations

import copy
import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pyte
from pyte import charsets as cs
from pyte import modes as mo
from pyte.screens import Char, Cursor, StaticDefaultDict

from .history import CompactRow, History, compact
from .render import Run, row_runs

log = logging.getLogger(__name__)

P = 5  # pyte shifts private (DEC) mode numbers left by 5 bits
DECCKM = 1 << P
ALT_MODES = (47 << P, 1047 << P, 1049 << P)
MOUSE_MODES = (1000 << P, 1002 << P, 1003 << P)
MOUSE_SGR = 1006 << P
BRACKETED_PASTE = 2004 << P
SAVE_CURSOR_1048 = 1048 << P
BLOCKED_MODES = frozenset({mo.DECCOLM})  # a program must not resize our window to 132 columns
TITLE_MAX = 120
_PRINTABLE = [chr(c) for c in range(32, 127)]
_CONTROL = dict.fromkeys([*range(0, 32), *range(127, 160)])


def sanitize_title(text: str) -> str:
    """Strip control characters and cap the length of an OSC 0/2 title."""
    return text.translate(_CONTROL).strip()[:TITLE_MAX]


class TermScreen(pyte.Screen):
    """pyte.Screen with the speed-ups and features described in the module docstring."""

    def __init__(self, columns: int, lines: int, history: History | None = None) -> None:
        self.history = history if history is not None else History(10_000)
        self.reply: Callable[[str], None] | None = None
        self.bell_count = 0
        self.title_version = 0
        self._main: tuple[Any, Cursor | None] | None = None  # saved main screen while on alt
        self._chars: dict[Char, dict[str, Char]] = {}
        self._sgr: dict[tuple[Char, tuple[int, ...]], Char] = {}
        super().__init__(columns, lines)

    # -- modes ---------------------------------------------------------------------------
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

    def set_mode(self, *modes: int, **kwargs: Any) -> None:
        private = bool(kwargs.get("private"))
        shifted = [m << P for m in modes] if private else list(modes)
        kept = tuple(m for m, s in zip(modes, shifted, strict=True) if s not in BLOCKED_MODES)
        if SAVE_CURSOR_1048 in shifted:
            self.save_cursor()
        for s in shifted:
            if s in ALT_MODES:
                self._enter_alt(save_cursor=s == ALT_MODES[2])
        super().set_mode(*kept, **kwargs)

    def reset_mode(self, *modes: int, **kwargs: Any) -> None:
        private = bool(kwargs.get("private"))
        shifted = [m << P for m in modes] if private else list(modes)
        kept = tuple(m for m, s in zip(modes, shifted, strict=True) if s not in BLOCKED_MODES)
        super().reset_mode(*kept, **kwargs)
        for s in shifted:
            if s in ALT_MODES:
                self._leave_alt()
        if SAVE_CURSOR_1048 in shifted:
            self.restore_cursor()

    def _new_buffer(self) -> Any:
        return defaultdict(lambda: StaticDefaultDict[int, Char](self.default_char))

    def _enter_alt(self, save_cursor: bool) -> None:
        if self._main is not None:
            return
        self._main = (self.buffer, copy.copy(self.cursor) if save_cursor else None)
        self.buffer = self._new_buffer()
        self.dirty.update(range(self.lines))

    def _leave_alt(self) -> None:
        if self._main is None:
            return
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

    def reset(self) -> None:
        if getattr(self, "_main", None) is not None:
            self._main = None
        super().reset()

    # -- output --------------------------------------------------------------------------
    def draw(self, data: str) -> None:
        if not (data.isascii() and data.isprintable()) or self.charset or \
                self.g0_charset is not cs.LAT1_MAP or mo.IRM in self.mode:
            super().draw(data)
            return
        cursor = self.cursor
        cache = self._chars.get(cursor.attrs)
        if cache is None:
            cache = self._char_cache(cursor.attrs)
        columns, pos, end = self.columns, 0, len(data)
        while pos < end:
            if cursor.x >= columns:
                if mo.DECAWM not in self.mode:
                    self.buffer[cursor.y][columns - 1] = cache[data[-1]]
                    break
                self.dirty.add(cursor.y)
                self.carriage_return()
                self.linefeed()
            x = cursor.x
            chunk = data[pos:pos + columns - x]
            self.buffer[cursor.y].update(zip(range(x, x + len(chunk)), map(cache.__getitem__, chunk),
                                             strict=False))
            cursor.x = x + len(chunk)
            pos += len(chunk)
        self.dirty.add(cursor.y)

    def _char_cache(self, attrs: Char) -> dict[str, Char]:
        if len(self._chars) > 512:
            self._chars.clear()
        cache = {c: attrs._replace(data=c) for c in _PRINTABLE}
        self._chars[attrs] = cache
        return cache

    def chars_for(self, attrs: Char) -> dict[str, Char]:
        """Shared Char instances of the printable ASCII characters in `attrs`."""
        return self._chars.get(attrs) or self._char_cache(attrs)

    def select_graphic_rendition(self, *attrs: int, **_: Any) -> None:
        key = (self.cursor.attrs, attrs)
        new = self._sgr.get(key)
        if new is not None:
            self.cursor.attrs = new
            return
        super().select_graphic_rendition(*attrs)
        if mo.DECSCNM not in self.mode:
            if len(self._sgr) > 4096:
                self._sgr.clear()
            self._sgr[key] = self.cursor.attrs

    def index(self) -> None:
        top, bottom = self.margins or (0, self.lines - 1)
        if self.cursor.y == bottom and top == 0 and self._main is None:
            self.history.append(self.compact_row(0))
        super().index()

    def compact_row(self, y: int) -> CompactRow:
        line = self.buffer.get(y)
        return compact(row_runs(line, self.columns, self.default_char)) if line else ("", None)

    def row_runs(self, y: int) -> list[Run]:
        line = self.buffer.get(y)
        return row_runs(line, self.columns, self.default_char) if line else []

    def resize(self, lines: int | None = None, columns: int | None = None) -> None:
        lines, columns = lines or self.lines, columns or self.columns
        if lines == self.lines and columns == self.columns:
            return
        excess = self.lines - lines
        if excess > 0:
            from_top = max(0, excess - (self.lines - 1 - self.cursor.y))
            if from_top and self._main is None:
                self.history.extend([self.compact_row(y) for y in range(from_top)])
            rows = [self.buffer.get(y) for y in range(from_top, from_top + lines)]
            self.buffer.clear()
            self.buffer.update((y, row) for y, row in enumerate(rows) if row)
            self.cursor.y -= from_top
        if columns < self.columns:
            for line in self.buffer.values():
                for x in [x for x in line if x >= columns]:
                    del line[x]
        if self.tabstops == set(range(8, self.columns, 8)):
            self.tabstops = set(range(8, columns, 8))
        self.lines, self.columns = lines, columns
        self.margins = None
        self.ensure_hbounds()
        self.ensure_vbounds()
        self.dirty.update(range(lines))

    # -- titles, bell, replies -------------------------------------------------------------
    def set_title(self, param: str) -> None:
        self.title = sanitize_title(param)
        self.title_version += 1

    def set_icon_name(self, param: str) -> None:
        self.icon_name = sanitize_title(param)

    def bell(self, *args: Any) -> None:
        self.bell_count += 1

    def write_process_input(self, data: str) -> None:
        if self.reply is not None:
            self.reply(data)
