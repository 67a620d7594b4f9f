"""The terminal screen: a pyte.Screen subclass (not a fork) with a fast ASCII draw path,
compact scrollback fed from `index()`, the alternate screen, tracked input modes,
sanitised titles, device replies routed back to the pty through `reply`, and soft wraps
(`soft`: the rows whose text ran on into the next row at the right margin; copying joins them).

Thread rule: only the thread that calls `TerminalSession.process()` touches it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pyte
from pyte import charsets as cs
from pyte import modes as mo
from pyte.screens import Char, StaticDefaultDict

from .cursor import CursorMixin
from .history import CompactRow, History, compact, expand
from .modes import ModesMixin
from .protect import ProtectMixin
from .rect import LR_CONTROLS, RectMixin, lr_index
from .reflow import reflow_history, reflow_screen
from .render import NARROW_RUN, Piece, Run, is_wide_run, row_runs
from .reports import ReportsMixin
from .sgr import SgrMixin
from .winops import WinopsMixin
from .xterm import XtermMixin

log = logging.getLogger(__name__)

_STRAY_CONTROLS = dict.fromkeys([*range(0, 32), 127])


class CharCache(dict[str, Char]):
    """char -> Char with one set of attributes; Char is an immutable namedtuple, so shared."""

    def __init__(self, attrs: Char) -> None:
        super().__init__()
        self.attrs = attrs

    def __missing__(self, char: str) -> Char:
        cell = self[char] = self.attrs._replace(data=char)
        return cell


class TermScreen(XtermMixin, WinopsMixin, ReportsMixin, SgrMixin, CursorMixin, ProtectMixin, RectMixin, ModesMixin,
                 pyte.Screen):
    """pyte.Screen with the speed-ups and features described in the module docstring."""

    def __init__(self, columns: int, lines: int, history: History | None = None) -> None:
        self.history = history if history is not None else History(10_000)
        self.reply: Callable[[str], None] | None = None
        self.bell_count = 0
        self.title_version = 0
        self.lazy: dict[int, tuple[list[Piece] | None, CompactRow]] = {}  # rows not yet turned into cells
        self._chars: dict[Char, dict[str, Char]] = {}
        self._sgr: dict[tuple[Char, tuple[int, ...]], Char] = {}
        self.compact_cache: dict[int, tuple[Any, CompactRow]] = {}  # id(line) -> (line, its history form)
        self.soft: set[int] = set()  # screen rows that wrapped at the right margin
        self._main_soft: set[int] = set()
        self._in_draw = False
        self._xterm_init()
        self._winops_init()
        super().__init__(columns, lines)

    def reset(self) -> None:
        if getattr(self, "_main", None) is not None:
            self._main = None
        self._alt_kept = None
        self.compact_cache = {}
        self.lazy = {}
        self.soft = set()
        self.lr_margins = None
        self.title_modes = set()
        self.forget_saved_cursors()
        self.protect_kind = None
        super().reset()
        if self.allow_window_ops and self.columns == 132:  # RIS leaves 132-column mode (xterm)
            self.program_resize(self.lines, 80)

    # -- output --------------------------------------------------------------------------
    def draw(self, data: str) -> None:
        if not (data.isprintable() if data.isascii() else NARROW_RUN.fullmatch(data)) or self.charset or \
                self.g0_charset is not cs.LAT1_MAP or mo.IRM in self.mode or self.lr_margins is not None:
            self.materialize()
            self.compact_cache.clear()
            # pyte stops drawing at the first unprintable character; xterm ignores stray C0/DEL
            self._in_draw = True
            try:
                self.draw_slow(data.translate(_STRAY_CONTROLS))
            finally:
                self._in_draw = False
            return
        forget = self.compact_cache.pop
        self.last_char = data[-1]
        cursor = self.cursor
        cache = self._chars.get(cursor.attrs)
        if cache is None:
            cache = self._char_cache(cursor.attrs)
        columns, pos, end = self.columns, 0, len(data)
        while pos < end:
            if cursor.x >= columns:
                if mo.DECAWM not in self.mode:
                    forget(id(self.buffer[cursor.y]), None)
                    self.buffer[cursor.y][columns - 1] = cache[data[-1]]
                    break
                self.dirty.add(cursor.y)
                self.soft.add(cursor.y)
                self.carriage_return()
                self.linefeed()
            x = cursor.x
            chunk = data[pos:pos + columns - x]
            line = self.buffer[cursor.y]
            forget(id(line), None)
            line.update(zip(range(x, x + len(chunk)), map(cache.__getitem__, chunk),
                                             strict=False))
            cursor.x = x + len(chunk)
            pos += len(chunk)
        self.dirty.add(cursor.y)

    def carriage_return(self) -> None:
        if self._in_draw and self.cursor.x >= self.columns:  # pyte's draw wrapping at the margin
            self.soft.add(self.cursor.y)
        margins = self.lr_margins
        if margins is not None:  # to the left margin, unless left of it (origin mode: always)
            self.cursor.x = margins[0] if self.cursor.x >= margins[0] or mo.DECOM in self.mode else 0
            return
        super().carriage_return()

    def _enter_alt(self, save_cursor: bool, keep: bool = False) -> None:
        if self._main is None:
            self._main_soft, self.soft = self.soft, set()
        super()._enter_alt(save_cursor, keep)

    def _leave_alt(self, keep: bool = False) -> None:
        if self._main is not None:
            self.soft, self._main_soft = {y for y in self._main_soft if y < self.lines}, set()
        super()._leave_alt(keep)

    def row_wrapped(self, y: int) -> bool:
        """True when row y's text runs on into row y + 1 (it wrapped at the right margin)."""
        return y in self.soft

    def _char_cache(self, attrs: Char) -> dict[str, Char]:
        if len(self._chars) > 512:
            self._chars.clear()
        cache = self._chars[attrs] = CharCache(attrs)
        return cache

    def chars_for(self, attrs: Char) -> dict[str, Char]:
        """Shared (immutable) Char instances of one set of attributes, made on first use."""
        return self._chars.get(attrs) or self._char_cache(attrs)

    def index(self) -> None:
        if self.lr_margins is not None:
            lr_index(self)
            return
        top, bottom = self.margins or (0, self.lines - 1)
        if self.cursor.y != bottom:
            if self.cursor.y < self.lines - 1:  # outside the region too: move, never jump into it
                self.cursor.y += 1
            return
        if top == 0 and self._main is None and self.history.max_lines:
            self.history.append(self.compact_row(0), wrapped=0 in self.soft)
        if bottom != self.lines - 1 or top != 0:
            self.materialize()
            super().index()
            self.soft = {y - 1 if top < y <= bottom else y for y in self.soft if y != top}
            return
        self.compact_cache.pop(id(self.buffer.get(0)), None)
        self.shift_up(1)

    def shift_up(self, count: int) -> None:
        """Scroll the whole screen up by `count` rows (the rows leaving the top are dropped)."""
        buffer = self.buffer
        rows = [(y - count, line) for y, line in buffer.items() if count <= y < self.lines]
        buffer.clear()
        buffer.update(rows)
        if self.lazy:
            self.lazy = {y - count: row for y, row in self.lazy.items() if y >= count}
        if self.soft:
            self.soft = {y - count for y in self.soft if y >= count}
        self.dirty.update(range(self.lines))

    # -- lazy rows: bulk output waiting to become pyte cells ------------------------------
    def materialize(self) -> None:
        """Turn pending bulk rows into pyte cells (done before anything edits the buffer)."""
        if not self.lazy:
            return
        lazy, self.lazy = self.lazy, {}
        for y, (pieces, row) in lazy.items():
            if pieces is None:  # a deferred row (raw text with SGRs): decode it now
                pieces, row = self.undefer(row)
            line = self.cells_from_pieces(pieces)
            if line is not None:
                self.buffer[y] = line
                self.compact_cache[id(line)] = (line, row)

    def undefer(self, row: CompactRow) -> tuple[list[Piece], CompactRow]:
        """A deferred row's pieces and history form, decoded by the history's `undefer`."""
        raw, decode = row[1], self.history.undefer
        if not isinstance(raw, str) or decode is None:
            raise ValueError("a lazy terminal row with neither pieces nor a way to decode them")
        return decode(raw)

    def cells_from_pieces(self, pieces: list[Piece]) -> StaticDefaultDict[int, Char] | None:
        if not pieces:
            return None
        line = StaticDefaultDict[int, Char](self.default_char)
        x = 0
        for text, attrs in pieces:
            chars = self.chars_for(attrs)
            if is_wide_run(text):  # two cells each: the character, then pyte's "" stub
                end = min(x + 2 * len(text), self.columns)
                line.update(zip(range(x, end, 2), map(chars.__getitem__, text), strict=False))
                line.update(dict.fromkeys(range(x + 1, end, 2), chars[""]))
                x = end
            else:
                line.update(zip(range(x, x + len(text)), map(chars.__getitem__, text), strict=False))
                x += len(text)
        return line

    @property
    def display(self) -> list[str]:
        self.materialize()
        return super().display

    def compact_row(self, y: int) -> CompactRow:
        """Row y in history form (cached per line object until the line is modified)."""
        pending = self.lazy.get(y)
        if pending is not None:
            return pending[1]
        line = self.buffer.get(y)
        if not line:
            return ("", None)
        hit = self.compact_cache.get(id(line))
        if hit is not None and hit[0] is line:
            return hit[1]
        return compact(row_runs(line, self.columns, self.default_char))

    def row_runs(self, y: int) -> list[Run]:
        pending = self.lazy.get(y)
        if pending is not None:
            return expand(pending[1], self.history.undefer)
        line = self.buffer.get(y)
        return row_runs(line, self.columns, self.default_char) if line else []

    def resize(self, lines: int | None = None, columns: int | None = None) -> None:
        lines, columns = lines or self.lines, columns or self.columns
        if lines == self.lines and columns == self.columns:
            return
        self.materialize()
        self.compact_cache.clear()
        self.lr_margins = None
        reflowed = columns != self.columns and self._main is None  # never the alternate screen
        if reflowed:
            reflow_history(self.history, columns)
            pushed = reflow_screen(self, columns)
            if pushed:
                wraps = [k for k, (_, soft) in enumerate(pushed) if soft]
                self.history.extend([row for row, _ in pushed], wrapped=wraps)
        excess = self.lines - lines
        if excess > 0:
            from_top = max(0, excess - (self.lines - 1 - self.cursor.y))
            if from_top and self._main is None:
                self.history.extend([self.compact_row(y) for y in range(from_top)],
                                    wrapped=[y for y in range(from_top) if y in self.soft])
            rows = [self.buffer.get(y) for y in range(from_top, from_top + lines)]
            self.buffer.clear()
            self.buffer.update((y, row) for y, row in enumerate(rows) if row)
            self.cursor.y -= from_top
            self.soft = {y - from_top for y in self.soft if from_top <= y < from_top + lines}
        if columns < self.columns and not reflowed:
            for line in self.buffer.values():
                for x in [x for x in line if x >= columns]:
                    del line[x]
        if self.tabstops == set(range(8, self.columns, 8)):
            self.tabstops = set(range(8, columns, 8))
        self.lines, self.columns = lines, columns
        if not reflowed:
            self.soft = set()  # the alternate screen is not re-flowed: what wrapped there no longer does
        self.margins = None
        self.ensure_hbounds()
        self.ensure_vbounds()
        self.dirty.update(range(lines))

    # -- titles, bell, replies -------------------------------------------------------------
    def bell(self, *args: Any) -> None:
        self.bell_count += 1

    def write_process_input(self, data: str) -> None:
        if self.reply is not None:
            self.reply(data)


def _forgetting(name: str) -> Callable[..., None]:
    base = getattr(pyte.Screen, name)

    lr = LR_CONTROLS.get(name)
    iso = name in ("erase_in_display", "erase_in_line", "erase_characters")

    def method(self: TermScreen, *args: Any, **kwargs: Any) -> None:
        self.materialize()
        self.compact_cache.clear()
        if iso and self.iso_erase(name, *args):
            return
        if lr is not None and self.lr_margins is not None:
            self.soft = set()
            lr(self, *args)
            return
        if self.soft:
            _forget_wraps(self, name, int(args[0]) if args and isinstance(args[0], int) else 0)
        base(self, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"pyte's {name}; drops cached history forms (it edits lines in place)."
    return method


def _forget_wraps(screen: TermScreen, name: str, how: int) -> None:
    """An erased row no longer runs on; edits that move rows drop the wrap marks (rare in
    the plain output a user copies from)."""
    y = screen.cursor.y
    if name == "erase_in_line" and how in (0, 2):
        screen.soft.discard(y)
    elif name == "erase_in_display" and how in (0, 1):
        screen.soft = {row for row in screen.soft if (row < y if how == 0 else row > y)}
    elif name not in ("insert_characters", "delete_characters", "erase_characters"):
        screen.soft = set()


for _name in ("erase_in_line", "erase_in_display", "insert_characters", "delete_characters",
              "erase_characters", "insert_lines", "delete_lines", "reverse_index"):
    setattr(TermScreen, _name, _forgetting(_name))
