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

import os
import unicodedata
from typing import Any

import pyte
from pyte import modes as mo
from pyte.screens import Char, Margins
from wcwidth import wcwidth

from smartspec_tk import __version__

from .colors import ColorTable
from .history import History
from .rect import lr_scroll
from .render import BOLD, CONCEAL, DIM

P = 5  # pyte's shift of private mode numbers
NAME = "SmartSpecTk"
#: xterm's DA1 for a VT420 with colour (decTerminalID 420)
DA1 = "\x1b[?64;1;2;6;9;15;16;17;18;21;22;28;29c"
#: DA2 names the xterm patch level whose behaviour we follow (programs compare it); our own name
#: and version are in XTVERSION
XTERM_PATCH = 379
CELL_PX = (10, 20)  # (width, height) reported by CSI 14/16 t when the view has not told us
TITLE_STACK = 10
MAX_REP = 65535

# DECRQM: modes we implement, by number (private) -> the pyte mode value
_PRIVATE_MODES = frozenset({1, 3, 5, 6, 7, 12, 25, 47, 1000, 1002, 1003, 1006, 1047, 1048, 1049, 2004})
_PERMANENT_RESET = frozenset({60})  # DEC modes xterm reports as permanently reset
_ANSI_PERMANENT_RESET = frozenset({1, 5, 7, 10, 11, 13, 14, 15, 16, 17, 18, 19})
#: DEC modes neither we nor xterm implement (DECARM, DECVCCM, DECPCCM, DECKBUM, DECXRLM, DECKPM): not recognised
_UNRECOGNISED = frozenset({8, 61, 64, 68, 73, 81})
MODE_FLAGS_CAP = 512
REMEMBERED_SETTINGS = ('"q', "*x", "$}", "$~")
_ANSI_MODES = {4: mo.IRM, 20: mo.LNM}
_BLANK = Char(data=" ", fg="default", bg="default")
_CAPS = {"TN": "xterm-256color", "Co": "256", "colors": "256", "RGB": "8/8/8"}
_CURSOR_STYLES = range(0, 7)


def checksums_enabled() -> bool:
    return os.environ.get("SMARTSPEC_TERMINAL_CHECKSUMS", "") == "1"


def _ints(text: str, cap: int = 32) -> list[int]:
    """CSI parameters (empty -> 0), at most `cap` of them, each ≤ 65535."""
    return [min(int(p), 65535) if p.isdigit() else 0 for p in text.split(";")[:cap]]


class XtermMixin(pyte.Screen):
    """See the module docstring; the concrete screen provides materialize/compact_cache/soft/history."""

    compact_cache: dict[int, Any]
    soft: set[int]
    history: History
    _main: Any
    title: str
    title_version: int
    lr_margins: tuple[int, int] | None

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
        self.cell_px = CELL_PX
        self.cursor_style = 1
        self.last_char = ""
        self.titles: list[str] = []
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
        for _ in range(min(count or 1, self.columns)):
            stops = [t for t in self.tabstops if t > self.cursor.x]
            self.cursor.x = min(stops) if stops else self.columns - 1

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
        """REP: draw the last graphic character again `count` times."""
        if self.last_char:
            self.draw(self.last_char * min(count or 1, MAX_REP))

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
        self.mode.add(mo.DECAWM)
        self.mode.add(mo.DECTCEM)
        self.cursor.hidden = False
        self.margins = None
        self.lr_margins = None
        self.cursor.attrs = self.default_char  # also ends DECSCA protection
        self.savepoints = []
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

    # -- SGR with colon sub-parameters ---------------------------------------------------------
    def sgr_colon(self, text: str) -> None:
        """`CSI 4:3 m`, `CSI 38:2::r:g:b m`, `CSI 38:5:n m`… turned into the plain form."""
        plain: list[int] = []
        for part in text.split(";")[:32]:
            if ":" not in part:
                plain.append(int(part) if part.isdigit() else 0)
                continue
            subs = part.split(":")
            head = int(subs[0]) if subs[0].isdigit() else 0
            if head == 4:  # underline style: 0 off, anything else on
                style = int(subs[1]) if len(subs) > 1 and subs[1].isdigit() else 1
                plain.append(24 if style == 0 else 4)
            elif head in (38, 48, 58) and len(subs) > 1:
                nums = [int(s) if s.isdigit() else 0 for s in subs[1:]]
                if nums[0] == 5 and len(nums) >= 2 and head != 58:
                    plain += [head, 5, nums[1]]
                elif nums[0] == 2 and head != 58:
                    rgb = nums[-3:] if len(nums) >= 4 else (nums[1:] + [0, 0, 0])[:3]
                    plain += [head, 2, *rgb]
            else:
                plain.append(head)
        self.select_graphic_rendition(*plain)

    # -- windows and titles --------------------------------------------------------------------
    def window_op(self, *params: int) -> None:
        op = params[0] if params else 0
        w, h = self.cell_px
        if op == 11:
            self._say("\x1b[1t")
        elif op == 13:
            self._say("\x1b[3;0;0t")
        elif op == 14:
            self._say(f"\x1b[4;{h * self.lines};{w * self.columns}t")
        elif op == 15:
            self._say(f"\x1b[5;{h * self.lines};{w * self.columns}t")
        elif op == 16:
            self._say(f"\x1b[6;{h};{w}t")
        elif op == 18:
            self._say(f"\x1b[8;{self.lines};{self.columns}t")
        elif op == 19:
            self._say(f"\x1b[9;{self.lines};{self.columns}t")
        elif op == 22 and len(self.titles) < TITLE_STACK:
            self.titles.append(self.title)
        elif op == 23 and self.titles:
            self.title = self.titles.pop()
            self.title_version += 1
        # 20/21 (title reports) are never answered: they echo program-controlled text

    # -- replies -------------------------------------------------------------------------------
    def report_device_attributes(self, mode: int = 0, **kwargs: bool) -> None:
        if mode == 0 and not kwargs.get("private"):
            self._say(DA1)

    def report_secondary_attributes(self, *params: int) -> None:
        if not params or params[0] == 0:
            self._say(f"\x1b[>41;{XTERM_PATCH};0c")

    def report_version(self, *params: int) -> None:
        if not params or params[0] == 0:
            self._say(f"\x1bP>|{NAME}({__version__})\x1b\\")

    def _cursor_report(self) -> tuple[int, int]:
        x = min(self.cursor.x, self.columns - 1) + 1
        y = self.cursor.y + 1
        if mo.DECOM in self.mode and self.margins is not None:
            y -= self.margins.top
        if self._lr_pending == (self.cursor.x, self.cursor.y):
            x -= 1  # a wrap pending at the right margin: the cursor shows on the margin
        if mo.DECOM in self.mode and self.lr_margins is not None:
            x -= self.lr_margins[0]
        return max(y, 1), max(x, 1)

    def report_device_status(self, mode: int = 0, *rest: int, **kwargs: Any) -> None:
        if kwargs.get("private"):
            self._dec_status(mode, *rest)
        elif mode == 5:
            self._say("\x1b[0n")
        elif mode == 6:
            y, x = self._cursor_report()
            self._say(f"\x1b[{y};{x}R")

    def _dec_status(self, mode: int, *rest: int) -> None:
        replies = {15: "\x1b[?13n", 25: "\x1b[?20n", 26: "\x1b[?27;1;0;0n", 53: "\x1b[?53n",
                   55: "\x1b[?53n", 56: "\x1b[?57;0n", 62: "\x1b[0*{", 75: "\x1b[?70n", 85: "\x1b[?83n"}
        if mode == 6:
            y, x = self._cursor_report()
            self._say(f"\x1b[?{y};{x};1R")
        elif mode == 63:
            pid = rest[0] if rest else 0
            self._say(f"\x1bP{pid}!~0000\x1b\\")
        elif mode in replies:
            self._say(replies[mode])

    def request_mode(self, number: int, private: bool) -> None:
        """DECRQM: 1 set, 2 reset, 0 not recognised, 4 permanently reset. Modes we act on report
        their real state; others that a program set or reset report what it set (as xterm)."""
        flag = self.mode_flags.get((private, number))
        if private:
            if number in (47, 1047, 1049):
                state = 1 if self._main is not None else 2
            elif number in _PRIVATE_MODES:
                state = 1 if (number << P) in self.mode else 2
            elif number in _PERMANENT_RESET:
                state = 4
            elif number in _UNRECOGNISED:
                state = 0
            else:
                state = 0 if flag is None else 1 if flag else 2
            self._say(f"\x1b[?{number};{state}$y")
        else:
            mode = _ANSI_MODES.get(number)
            if mode is not None:
                state = 1 if mode in self.mode else 2
            elif number in _ANSI_PERMANENT_RESET:
                state = 4
            else:
                state = 0 if flag is None else 1 if flag else 2
            self._say(f"\x1b[{number};{state}$y")

    def _sgr_report(self) -> str:
        a = self.cursor.attrs
        out = ["0"]
        flags = int(a.bold or 0)
        out += [code for bit, code in ((BOLD, "1"), (DIM, "2")) if flags & bit]
        for flag, code in (("italics", "3"), ("underscore", "4"), ("blink", "5"), ("reverse", "7")):
            if getattr(a, flag):
                out.append(code)
        if flags & CONCEAL:
            out.append("8")
        if a.strikethrough:
            out.append("9")
        for value, base in ((a.fg, 30), (a.bg, 40)):
            code = _color_code(value, base)
            if code:
                out.append(code)
        return ";".join(out)

    def request_setting(self, text: str) -> None:
        """DECRQSS: DCS $ q <setting> ST -> DCS 1 $ r <value><setting> ST (0 $ r when unknown)."""
        value: str | None = None
        if text == "m":
            value = self._sgr_report()
        elif text == "r":
            top, bottom = self.margins or Margins(0, self.lines - 1)
            value = f"{top + 1};{bottom + 1}"
        elif text == " q":
            value = str(self.cursor_style)
        elif text == '"p':
            value = f"{self.conformance};1"
        elif text in REMEMBERED_SETTINGS:
            value = self.settings.get(text, "0")
        elif text in ("t", "*|"):
            value = str(self.lines)
        if value is None:
            self._say("\x1bP0$r\x1b\\")
        else:
            self._say(f"\x1bP1$r{value}{text}\x1b\\")

    def request_termcap(self, text: str) -> None:
        """XTGETTCAP: hex-encoded names separated by ';'."""
        for name_hex in text.split(";")[:16]:
            try:
                name = bytes.fromhex(name_hex).decode("ascii")
            except ValueError:
                name = ""
            value = _CAPS.get(name)
            if value is None:
                self._say(f"\x1bP0+r{name_hex}\x1b\\")
            else:
                self._say(f"\x1bP1+r{name_hex}={value.encode().hex().upper()}\x1b\\")

    def remember_setting(self, name: str, params: tuple[int, ...]) -> None:
        self.settings[name] = str(params[0] if params else 0)

    def set_cursor_style(self, *params: int) -> None:
        style = params[0] if params else 0
        if style in _CURSOR_STYLES:
            self.cursor_style = style or 1

    def request_checksum(self, *params: int) -> None:
        """DECRQCRA: the negated 16-bit sum of the characters in a rectangle, blanks counting as
        spaces (only when enabled)."""
        if not self.checksums:
            return
        p = [*params, 0, 0, 0, 0, 0, 0][:6]
        pid = p[0]
        top = (p[2] or 1) - 1
        left = (p[3] or 1) - 1
        bottom = (p[4] or self.lines) - 1
        right = (p[5] or self.columns) - 1
        if mo.DECOM in self.mode and self.margins is not None:
            top += self.margins.top
            bottom += self.margins.top
        bottom, right = min(bottom, self.lines - 1), min(right, self.columns - 1)
        self.materialize()
        total = 0
        for y in range(top, bottom + 1):
            line = self.buffer.get(y)
            for x in range(left, right + 1):
                cell = line.get(x) if line else None
                data = cell.data if cell is not None and cell.data else " "
                total += sum(map(ord, data)) if cell is not None else 32
        total = -total  # DEC's convention (and xterm's default): the two's complement of the sum
        self._say(f"\x1bP{pid}!~{total & 0xFFFF:04X}\x1b\\")


def _color_code(value: str, base: int) -> str:
    names = ("black", "red", "green", "brown", "blue", "magenta", "cyan", "white")
    if value == "default":
        return ""
    if value in names:
        return str(base + names.index(value))
    if value.startswith("bright") and value[6:] in names:
        return str(base + 60 + names.index(value[6:]))
    if len(value) == 6:
        try:
            r, g, b = (int(value[i:i + 2], 16) for i in (0, 2, 4))
        except ValueError:
            return ""
        return f"{base + 8}:2::{r}:{g}:{b}"
    return ""

