"""The replies xterm gives, as a mixin for TermScreen: DA1, DA2 (`CSI > 41;…c`), XTVERSION,
DSR/CPR/DECXCPR and the DEC DSRs, DECRQM, DECRQSS (SGR, DECSTBM, DECSLRM, DECSCUSR, DECSCL, DECSCA,
DECSLPP, DECSNLS…), XTGETTCAP (`TN`, `Co`, `RGB`), and DECRQCRA only when
`SMARTSPEC_TERMINAL_CHECKSUMS=1` (it lets a program read the screen). Nothing here answers with text
a program put on the screen or in a title (title reports live in winops.py, behind their own setting).
"""

from __future__ import annotations

import os
from typing import Any

import pyte
from pyte import modes as mo
from pyte.screens import Margins

from smartspec_tk import __version__

from .render import BOLD, CONCEAL, DIM

P = 5  # pyte's shift of private mode numbers
NAME = "SmartSpecTk"
#: xterm's DA1 for a VT420 with colour (decTerminalID 420)
DA1 = "\x1b[?64;1;2;6;9;15;16;17;18;21;22;28;29c"
#: DA2 names the xterm patch level whose behaviour we follow (programs compare it); XTVERSION says
#: it first, then our own name and version: programs such as tmux pick their feature set by the
#: reply's first word (tmux turns truecolour on for `XTerm(`, nothing for a name it does not know)
XTERM_PATCH = 379

# DECRQM: modes we implement, by number (private) -> the pyte mode value
_PRIVATE_MODES = frozenset({1, 3, 5, 6, 7, 12, 25, 40, 45, 47, 1000, 1002, 1003, 1006, 1047, 1048, 1049, 2004})
_PERMANENT_RESET = frozenset({60})  # DEC modes xterm reports as permanently reset
_ANSI_PERMANENT_RESET = frozenset({1, 5, 7, 10, 11, 13, 14, 15, 16, 17, 18, 19})
#: DEC modes neither we nor xterm implement (DECARM, DECVCCM, DECPCCM, DECKBUM, DECXRLM, DECKPM): not recognised
_UNRECOGNISED = frozenset({8, 61, 64, 68, 73, 81})
REMEMBERED_SETTINGS = ('"q', "*x", "$}", "$~")
_ANSI_MODES = {4: mo.IRM, 20: mo.LNM}
_CURSOR_STYLES = range(0, 7)
_CAPS = {"TN": "xterm-256color", "Co": "256", "colors": "256", "RGB": "8/8/8"}


def checksums_enabled() -> bool:
    return os.environ.get("SMARTSPEC_TERMINAL_CHECKSUMS", "") == "1"


class ReportsMixin(pyte.Screen):
    """See the module docstring; the concrete screen provides the state reported."""

    _main: Any
    mode_flags: dict[tuple[bool, int], bool]
    settings: dict[str, str]
    lr_margins: tuple[int, int] | None
    _lr_pending: tuple[int, int] | None
    conformance: int
    cursor_style: int
    checksums: bool

    def materialize(self) -> None:
        """Turn pending rows into cells (TermScreen)."""

    def _say(self, text: str) -> None:
        self.write_process_input(text)

    def report_device_attributes(self, mode: int = 0, **kwargs: bool) -> None:
        if mode == 0 and not kwargs.get("private"):
            self._say(DA1)

    def report_secondary_attributes(self, *params: int) -> None:
        if not params or params[0] == 0:
            self._say(f"\x1b[>41;{XTERM_PATCH};0c")

    def report_version(self, *params: int) -> None:
        if not params or params[0] == 0:
            self._say(f"\x1bP>|XTerm({XTERM_PATCH}) {NAME}({__version__})\x1b\\")

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
        if self.conformance < 63:
            return  # DECRQM is a VT300 control
        flag = self.mode_flags.get((private, number))
        if private:
            if number == 3:  # DECCOLM: the width it sets
                state = 1 if self.columns == 132 else 2
            elif number in (47, 1047, 1049):
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
        elif text == "s":
            left, right = self.lr_margins or (0, self.columns - 1)
            value = f"{left + 1};{right + 1}"
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
        if mo.DECOM in self.mode and self.lr_margins is not None:
            left += self.lr_margins[0]
            right += self.lr_margins[0]
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

