"""Our own xterm semantics on top of pyte's screen (a mixin for TermScreen): the controls pyte
lacks or gets wrong, and the replies xterm gives.

Owned here (see docs/terminal.md, "Who owns what"):
- replies: DA1, DA2 (`CSI > 41;…c`), XTVERSION, DSR/CPR/DECXCPR and the DEC DSRs, DECRQM,
  DECRQSS (SGR, DECSTBM, DECSCUSR, DECSCL, DECSCA, DECSLPP), XTGETTCAP (`TN`, `Co`, `RGB`),
  `CSI 14/16/18/19 t`, and DECRQCRA only when `SMARTSPEC_TERMINAL_CHECKSUMS=1` (it lets a program
  read the screen). Nothing answers with text a program put on the screen or in a title.
- controls: NEL, SCOSC/SCORC (`CSI s`/`CSI u`), SU/SD, CHT/CBT, HPA (`` CSI ` ``), REP, DECSTR,
  DECSCL, `CSI 3 J` (scrollback only), DECALN homing, the cursor moving outside the scroll region,
  DECSCNM kept as a mode (cells are never rewritten), colon SGR sub-parameters, the title stack.

Each method that edits cells goes through `_edit()` (lazy rows materialised, cached history
forms and soft-wrap marks dropped), like the pyte methods wrapped in screen.py.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

import pyte
from pyte import modes as mo
from pyte.screens import Char, Margins
from wcwidth import wcwidth

from .colors import ColorTable
from .history import History
from .rect import lr_scroll
from .reports import checksums_enabled

P = 5  # pyte's shift of private mode numbers
MAX_REP = 65535
MODE_FLAGS_CAP = 512
_BLANK = Char(data=" ", fg="default", bg="default")


class XtermMixin(pyte.Screen):
    """See the module docstring; the concrete screen provides materialize/compact_cache/soft/history."""

    compact_cache: dict[int, Any]
    soft: set[int]
    history: History
    _main: Any
    title: str
    title_version: int
    lr_margins: tuple[int, int] | None
    _saved: dict[bool, Any]
    protect_kind: str | None
    tab_limit: Callable[[], int]  # cursor.py

    def materialize(self) -> None:
        """Turn pending rows into cells (TermScreen)."""

    def _edit(self) -> None:
        self.materialize()
        self.compact_cache.clear()
        self.soft = set()

    def _say(self, text: str) -> None:
        self.write_process_input(text)

    def _xterm_init(self) -> None:
        self.checksums = checksums_enabled()
        self.cursor_style = 1
        self.last_char = ""
        self._lr_pending: tuple[int, int] | None = None  # where a draw stopped at the right margin
        self.conformance = 64  # DECSCL level (6x)
        #: modes set/reset that we do not act on, remembered for DECRQM (private?, number) -> set
        self.mode_flags: dict[tuple[bool, int], bool] = {}
        self.colors = ColorTable(self._say)
        #: DECSCA, DECSACE, DECSASD, DECSSDT as last set (we act on none), for DECRQSS
        self.settings: dict[str, str] = {}

    # -- drawing (the general path; screen.py has the fast one) ---------------------------------
    def draw_slow(self, data: str) -> None:
        """Characters of any width. Zero-width ones (combining marks, ZWJ, variation selectors)
        join the previous cell and never stop the text; unprintable ones are skipped. A wide
        character meeting the last column is cut there (pyte's rule, shared with the bulk path)."""
        data = data.translate(self.g1_charset if self.charset else self.g0_charset)
        cursor, columns = self.cursor, self.columns
        margins = self.lr_margins
        pending = margins is not None and self._lr_pending == (cursor.x, cursor.y)
        for char in data:
            width = wcwidth(char)
            if width < 0:
                continue
            if width == 0:
                self._join_previous(char)
                continue
            edge = columns
            if margins is not None and (cursor.x <= margins[1] or pending):
                edge = margins[1] + 1  # text that started inside the margins wraps at the right one
            if cursor.x >= edge:
                if mo.DECAWM in self.mode:
                    self.dirty.add(cursor.y)
                    self.carriage_return()
                    self.linefeed()
                else:
                    cursor.x = edge - width
            if mo.IRM in self.mode:
                self.insert_characters(width)
            line = self.buffer[cursor.y]
            self._split_wide(line, cursor.x, width)
            line[cursor.x] = cursor.attrs._replace(data=char)
            if width == 2 and cursor.x + 1 < columns:
                line[cursor.x + 1] = cursor.attrs._replace(data="")
            cursor.x = min(cursor.x + width, edge if mo.DECAWM in self.mode or margins is None else edge - 1)
            pending = margins is not None and cursor.x == edge == margins[1] + 1
            self.last_char = char
        self._lr_pending = (cursor.x, cursor.y) if pending else None
        self.dirty.add(cursor.y)

    def _split_wide(self, line: Any, x: int, width: int) -> None:
        """Overwriting half of a wide character blanks its other half (xterm)."""
        if x > 0 and x in line and line[x].data == "":
            line[x - 1] = line[x - 1]._replace(data=" ")
        end = x + width
        if end < self.columns and end in line and line[end].data == "":
            line[end] = line[end]._replace(data=" ")

    def _join_previous(self, char: str) -> None:
        x, y = self.cursor.x - 1, self.cursor.y
        if x < 0:
            if y == 0:
                return
            x, y = self.columns - 1, y - 1
        line = self.buffer[y]
        if x > 0 and line[x].data == "" and line[x - 1].data:
            x -= 1  # the stub of a wide character: join the character itself
        last = line[x]
        if len(last.data) < 16:  # a bound: a flood of marks on one cell stays small
            line[x] = last._replace(data=unicodedata.normalize("NFC", last.data + char))
            self.dirty.add(y)

    # -- modes ---------------------------------------------------------------------------------
    @property
    def default_char(self) -> Char:
        """A blank with default colours; never reversed (pyte reverses it under DECSCNM, but here
        the view draws the whole screen reversed, so erased cells must stay plain)."""
        return _BLANK

    def _remember(self, modes: tuple[int, ...], private: bool, value: bool) -> None:
        for m in modes[:32]:
            if len(self.mode_flags) < MODE_FLAGS_CAP or (private, m) in self.mode_flags:
                self.mode_flags[(private, m)] = value

    def set_mode(self, *modes: int, **kwargs: Any) -> None:
        self._remember(modes, bool(kwargs.get("private")), True)
        if kwargs.get("private") and 5 in modes:  # DECSCNM: a flag for the view, cells untouched
            self.mode.add(mo.DECSCNM)
            self.dirty.update(range(self.lines))
            modes = tuple(m for m in modes if m != 5)
        super().set_mode(*modes, **kwargs)

    def reset_mode(self, *modes: int, **kwargs: Any) -> None:
        self._remember(modes, bool(kwargs.get("private")), False)
        if kwargs.get("private") and 5 in modes:
            self.mode.discard(mo.DECSCNM)
            self.dirty.update(range(self.lines))
            modes = tuple(m for m in modes if m != 5)
        super().reset_mode(*modes, **kwargs)

    # -- cursor movement --------------------------------------------------------------------
    def _region(self) -> tuple[int, int]:
        """(top, bottom) that limits vertical moves: the margins only when the cursor is inside them."""
        top, bottom = self.margins or Margins(0, self.lines - 1)
        y = self.cursor.y
        if top <= y <= bottom:
            return top, bottom
        return 0, self.lines - 1

    def cursor_up(self, count: int | None = None) -> None:
        top, _ = self.margins or Margins(0, self.lines - 1)
        limit = top if self.cursor.y >= top else 0
        self.cursor.y = max(self.cursor.y - (count or 1), limit)
        self._unwrap_x()

    def cursor_down(self, count: int | None = None) -> None:
        _, bottom = self.margins or Margins(0, self.lines - 1)
        limit = bottom if self.cursor.y <= bottom else self.lines - 1
        self.cursor.y = min(self.cursor.y + (count or 1), limit)
        self._unwrap_x()

    def _unwrap_x(self) -> None:
        if self.cursor.x >= self.columns:
            self.cursor.x = self.columns - 1

    def next_line(self) -> None:
        """NEL: index, then carriage return (xterm's order: whether it scrolls depends on the column
        it started in, when left/right margins are set)."""
        self.index()
        self.carriage_return()

    def cursor_to_line(self, line: int | None = None) -> None:
        y = (line or 1) - 1
        if mo.DECOM in self.mode and self.margins is not None:
            y = min(y + self.margins.top, self.margins.bottom)
        self.cursor.y = max(0, min(y, self.lines - 1))
        self._unwrap_x()

    def cursor_to_column(self, column: int | None = None) -> None:
        x = (column or 1) - 1
        if self.lr_margins is not None and mo.DECOM in self.mode:
            x = min(x + self.lr_margins[0], self.lr_margins[1])
        self.cursor.x = max(0, min(x, self.columns - 1))

    def forward_tab(self, count: int | None = None) -> None:
        """CHT: to the next tab stop, `count` times (the last column at most)."""
        self._unwrap_x()
        limit = self.tab_limit()
        for _ in range(min(count or 1, self.columns)):
            stops = [t for t in self.tabstops if t > self.cursor.x]
            self.cursor.x = min(min(stops) if stops else limit, limit)

    def backward_tab(self, count: int | None = None) -> None:
        """CBT: to the previous tab stop, `count` times (column 1 at least)."""
        self._unwrap_x()
        for _ in range(min(count or 1, self.columns)):
            stops = [t for t in self.tabstops if t < self.cursor.x]
            self.cursor.x = max(stops) if stops else 0

    def save_cursor_sco(self, *params: int) -> None:
        if not params or params == (0,):
            self.save_cursor()

    def restore_cursor_sco(self, *params: int) -> None:
        if not params or params == (0,):
            self.restore_cursor()

    # -- editing -----------------------------------------------------------------------------
    def scroll_up(self, count: int | None = None) -> None:
        """SU: the scroll region's lines move up `count` rows; blank rows enter at the bottom."""
        if self.lr_margins is not None:
            lr_scroll(self, count, up=True)
            return
        self._edit()
        top, bottom = self.margins or Margins(0, self.lines - 1)
        count = min(count or 1, bottom - top + 1)
        buffer = self.buffer
        for y in range(top, bottom + 1):
            src = y + count
            if src <= bottom and src in buffer:
                buffer[y] = buffer[src]
            else:
                buffer.pop(y, None)
        self.dirty.update(range(top, bottom + 1))

    def scroll_down(self, count: int | None = None) -> None:
        """SD: the scroll region's lines move down `count` rows; blank rows enter at the top."""
        if self.lr_margins is not None:
            lr_scroll(self, count, up=False)
            return
        self._edit()
        top, bottom = self.margins or Margins(0, self.lines - 1)
        count = min(count or 1, bottom - top + 1)
        buffer = self.buffer
        for y in range(bottom, top - 1, -1):
            src = y - count
            if src >= top and src in buffer:
                buffer[y] = buffer[src]
            else:
                buffer.pop(y, None)
        self.dirty.update(range(top, bottom + 1))

    def repeat_char(self, count: int | None = None) -> None:
        """REP: draw the last graphic character again `count` times — at most a screenful and a row:
        more would only repeat identical rows (a bound for hostile input)."""
        if self.last_char:
            self.draw(self.last_char * min(count or 1, MAX_REP, self.columns * (self.lines + 1)))

    def erase_scrollback(self) -> None:
        self.history.clear()

    def alignment_display(self) -> None:
        """DECALN: the screen filled with E, margins reset, cursor home."""
        self._edit()
        self.margins = None
        self.lr_margins = None
        cell = self.default_char._replace(data="E")
        for y in range(self.lines):
            line = self.buffer[y]
            for x in range(self.columns):
                line[x] = cell
        self.dirty.update(range(self.lines))
        self.cursor.x = self.cursor.y = 0

    def soft_reset(self) -> None:
        """DECSTR (also done by DECSCL): modes, margins, SGR and the saved cursor back to defaults;
        the screen's text and the cursor position stay."""
        self.mode.discard(mo.IRM)
        self.mode.discard(mo.DECOM)
        self.mode.discard(1 << P)  # DECCKM
        self.mode.discard(45 << P)  # reverse wraparound
        self.mode.discard(69 << P)  # DECLRMM
        self.mode.add(mo.DECAWM)
        self.mode.add(mo.DECTCEM)
        self.cursor.hidden = False
        self.margins = None
        self.lr_margins = None
        self.cursor.attrs = self.default_char  # also ends DECSCA/SPA protection
        self.protect_kind = None
        self._saved.clear()  # DECSC's saved cursors (cursor.py)
        self.charset = 0
        self.g0_charset = pyte.charsets.LAT1_MAP
        self.g1_charset = pyte.charsets.VT100_MAP
        self.cursor_style = 1
        self._unwrap_x()

    def set_conformance(self, *params: int) -> None:
        level = params[0] if params else 0
        if 61 <= level <= 65:
            self.conformance = min(level, 64)
        self.soft_reset()
