"""Window operations and titles, as a mixin for TermScreen: `CSI Ps ; … t` (reports of the text
area, cell and window sizes; the icon/window title stack, `CSI 22/23 ; 0|1|2 t`), the title modes
(`CSI > Ps t` / `CSI > Ps T`: titles set and reported in hex or UTF-8), DECSLPP and DECCOLM.

What lets a program act on the window or read text back is off unless `SMARTSPEC_TERMINAL_WINDOW_OPS=1`
(as xterm's `allowWindowOps`, off by default there too): title reports (`CSI 20/21 t`, which echo
program-controlled text into the shell's input), resizing the screen (`CSI 8 ; rows ; cols t`,
DECSLPP `CSI Ps t` with Ps ≥ 24, DECCOLM with mode 40) and moving the (virtual) window (`CSI 3 ; x ; y t`).
Conformance runs turn it on; a tab in the app never does.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from typing import Any

import pyte

TITLE_MAX = 120
_CONTROL = dict.fromkeys([*range(0, 32), *range(127, 160)])
CELL_PX = (10, 20)  # (width, height) reported by CSI 14/16 t when the view has not told us
TITLE_STACK = 10
MAX_SIZE = (500, 1000)  # the largest screen a program may ask for: rows, columns
ALLOW_80_132 = 40 << 5  # pyte's private mode numbering
#: title modes (CSI > Ps t): 0 titles set in hex, 1 reported in hex, 2/3 the same in UTF-8
SET_HEX, QUERY_HEX = 0, 1


def window_ops_enabled() -> bool:
    return os.environ.get("SMARTSPEC_TERMINAL_WINDOW_OPS", "") == "1"


def sanitize_title(text: str) -> str:
    """Strip control and format (Unicode Cf: bidi overrides and isolates, zero-width characters)
    characters, which could make a tab name look like another, and cap the length of an OSC 0/2 title."""
    text = text[:TITLE_MAX * 8].translate(_CONTROL)
    if not text.isascii():
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return text.strip()[:TITLE_MAX]


class WinopsMixin(pyte.Screen):
    """See the module docstring; the concrete screen provides `title`, `_say` and `sanitize`."""

    title: str
    icon_name: str
    title_version: int
    lr_margins: tuple[int, int] | None

    def _say(self, text: str) -> None: ...

    def _winops_init(self) -> None:
        self.allow_window_ops = window_ops_enabled()
        self.cell_px = CELL_PX
        self.titles: list[tuple[str | None, str | None]] = []  # (icon, window) entries pushed
        self.title_modes: set[int] = set()
        self.window_pos = (0, 0)
        #: called with (columns, rows) after a program resized the screen (the session resizes the pty)
        self.on_resize: Callable[[int, int], None] | None = None

    # -- titles --------------------------------------------------------------------------------
    def _title_text(self, param: str) -> str:
        if SET_HEX in self.title_modes:
            try:
                return bytes.fromhex(param).decode("utf-8", "replace")
            except ValueError:
                return ""
        return param

    def set_title(self, param: str) -> None:
        self.title = sanitize_title(self._title_text(param))
        self.title_version += 1

    def set_icon_name(self, param: str) -> None:
        self.icon_name = sanitize_title(self._title_text(param))

    def set_title_modes(self, *modes: int, on: bool) -> None:
        for m in modes[:4]:
            if m in (0, 1, 2, 3):
                (self.title_modes.add if on else self.title_modes.discard)(m)

    def _report_title(self, kind: str, text: str) -> None:
        if not self.allow_window_ops:
            return  # it would echo program-controlled text into the shell's input
        if QUERY_HEX in self.title_modes:
            text = text.encode("utf-8").hex()
        self._say(f"\x1b]{kind}{text}\x1b\\")

    def _push_title(self, which: int) -> None:
        if len(self.titles) >= TITLE_STACK:
            self.titles.pop(0)
        icon = self.icon_name if which in (0, 1) else None
        window = self.title if which in (0, 2) else None
        self.titles.append((icon, window))

    def _pop_title(self, which: int) -> None:
        """Pop the top entry and restore the parts asked for; `0` (both) pops further down for a
        part the top entry did not save (xterm)."""
        want_icon, want_window = which in (0, 1), which in (0, 2)
        while self.titles and (want_icon or want_window):
            icon, window = self.titles.pop()
            if want_icon and icon is not None:
                self.icon_name, want_icon = icon, False
            if want_window and window is not None:
                self.title, want_window = window, False
                self.title_version += 1
            if which != 0:
                break

    # -- the window ----------------------------------------------------------------------------
    def window_op(self, *params: int) -> None:
        op = params[0] if params else 0
        arg = params[1] if len(params) > 1 else 0
        w, h = self.cell_px
        reports = {11: "\x1b[1t", 14: f"\x1b[4;{h * self.lines};{w * self.columns}t",
                   15: f"\x1b[5;{h * self.lines};{w * self.columns}t", 16: f"\x1b[6;{h};{w}t",
                   18: f"\x1b[8;{self.lines};{self.columns}t", 19: f"\x1b[9;{self.lines};{self.columns}t",
                   13: "\x1b[3;{};{}t".format(*self.window_pos)}
        if op in reports:
            self._say(reports[op])
        elif op == 20:
            self._report_title("L", self.icon_name)
        elif op == 21:
            self._report_title("l", self.title)
        elif op == 22:
            self._push_title(arg)
        elif op == 23:
            self._pop_title(arg)
        elif op == 3 and self.allow_window_ops:
            self.window_pos = (max(arg, 0), max(params[2] if len(params) > 2 else 0, 0))
        elif op == 8:
            rows = arg or self.lines
            cols = params[2] if len(params) > 2 and params[2] else self.columns
            self.program_resize(rows, cols)
        elif op >= 24:  # DECSLPP: that many lines
            self.program_resize(op, self.columns)

    def program_resize(self, rows: int, cols: int) -> None:
        """A program asks for a screen size: honoured only when window operations are allowed."""
        if not self.allow_window_ops:
            return
        rows, cols = max(1, min(rows, MAX_SIZE[0])), max(2, min(cols, MAX_SIZE[1]))
        if (rows, cols) == (self.lines, self.columns):
            return
        self.resize(rows, cols)
        if self.on_resize is not None:
            self.on_resize(cols, rows)

    def column_mode(self, wide: bool) -> None:
        """DECCOLM (with mode 40 set): 132 or 80 columns, the screen cleared, margins reset, cursor home."""
        if not self.allow_window_ops or ALLOW_80_132 not in self.mode:
            return
        self.program_resize(self.lines, 132 if wide else 80)
        self.margins = None
        self.lr_margins = None
        self.erase_in_display(2)
        self.cursor_position()

    def set_mode(self, *modes: int, **kwargs: Any) -> None:
        super().set_mode(*modes, **kwargs)
        if kwargs.get("private") and 3 in modes:
            self.column_mode(True)

    def reset_mode(self, *modes: int, **kwargs: Any) -> None:
        super().reset_mode(*modes, **kwargs)
        if kwargs.get("private") and 3 in modes:
            self.column_mode(False)
