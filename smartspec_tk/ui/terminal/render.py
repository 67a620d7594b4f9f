"""Draws a TerminalSession into a tk.Text: a bounded window of scrollback followed by the
screen rows, redrawing only dirty lines, plus the cursor. Tk thread only.

Text line numbers: lines 1..H hold the newest H history lines (H ≤ `max_history`),
lines H+1..H+rows the screen. Trailing blank cells are not drawn, so copying a
selection gives no trailing spaces. A glyph narrower than its cells (CJK from a fallback
font) is followed by a PAD character: a tab, and the Text has a tab stop at every cell, so
the next character starts exactly on its cell (the Text's own font is 1 px, so a tab may
advance by as little as 1 px; every drawn character carries a tag with the real font).
Copy and search skip the pads; a cell count gives them no width.
"""

from __future__ import annotations

import logging
import tkinter as tk
from typing import Any, Protocol

from wcwidth import wcwidth

from smartspec_tk.ui.terminal.palette import BASE_TAG, TagCache, colours

log = logging.getLogger(__name__)

Run = tuple[str, Any]
PAD = "\t"  # after a glyph narrower than its cells: advances to the next cell's tab stop
CATCH_UP_ROWS = 200  # scrollback rows inserted per frame (keeps a frame short)
SOFT_WRAP = "soft_wrap"  # on the newline of a row that ran on into the next (copy joins them)


class SessionLike(Protocol):
    """The part of core.terminal.session.TerminalSession the renderer reads."""

    @property
    def cursor(self) -> tuple[int, int, bool]:  # (x, y, visible)
        ...

    def take_dirty(self) -> set[int]: ...
    def line_runs(self, y: int) -> list[Run]: ...
    def history_len(self) -> int: ...
    def history_runs(self, i: int) -> list[Run]: ...
    def line_wrapped(self, y: int) -> bool: ...
    def history_wrapped(self, i: int) -> bool: ...


def _runs_args(runs: list[Run], tags: TagCache, pad_to: int = 0) -> list[str]:
    """Flatten runs to Text.insert's (chars, tags, chars, tags…) form, trimming blank tails."""
    pairs = [(text, tags.tag_for(style), style) for text, style in runs if text]
    while pairs and not pairs[-1][0].strip() and _is_plain_bg(pairs[-1][2]):
        pairs.pop()
    if pairs and _is_plain_bg(pairs[-1][2]):
        text, tag, style = pairs[-1]
        pairs[-1] = (text.rstrip(" "), tag, style)
    args: list[str] = []
    width = 0
    for text, tag, _style in pairs:
        args += [text, tag]
        width += len(text) if text.isascii() else column_to_cell(text, len(text))
    if width < pad_to:
        args += [" " * (pad_to - width), BASE_TAG]
    return _with_pads(args, tags)


# Tk 8.6 stores a character beyond U+FFFF (emoji) as two indices; Tk 8.7+ as one.
_ASTRAL_UNITS = 2 if tk.TkVersion < 8.7 else 1


def tk_len(chars: str) -> int:
    """How many Text indices a string takes."""
    if chars.isascii() or _ASTRAL_UNITS == 1:
        return len(chars)
    return len(chars) + sum(1 for c in chars if c > "\uffff")


def _with_pads(args: list[str], tags: TagCache) -> list[str]:
    """Insert args with a PAD after every glyph that falls short of its cells."""
    for i in range(0, len(args), 2):
        chunk, tag = args[i], args[i + 1]
        if not chunk.isascii():
            args[i] = "".join(c + PAD if c > "\x7f" and tags.pad_px(c, tag) else c for c in chunk)
    return args


def text_column(text: tk.Text, line: int, column: int) -> int:
    """The Text index column of character `column` of a drawn line (astral chars take two in Tk 8.6)."""
    drawn = text.get(f"{line}.0", f"{line}.end")
    return tk_len(drawn[:column]) + max(column - len(drawn), 0)


def string_column(text: tk.Text, index: str) -> int:
    """The character offset in its drawn line (pads included) of a Text index."""
    return len(text.get(f"{index} linestart", index))


def selection_text(text: tk.Text) -> str:
    """The selection without wide-glyph pads, trailing blanks removed from each line and
    rows that wrapped at the right margin joined again ('' when none)."""
    try:
        first = int(text.index("sel.first").split(".")[0])
        chunk = text.get("sel.first", "sel.last").replace(PAD, "")
    except tk.TclError:
        return ""
    lines = chunk.split("\n")
    last = first + len(lines) - 1
    ranges = [int(str(index).split(".")[0]) for index in text.tag_ranges(SOFT_WRAP)]
    soft = {n for start, end in zip(ranges[::2], ranges[1::2], strict=True) for n in range(start, end)}
    parts: list[str] = []
    for number, line in enumerate(lines, first):
        if number < last and number in soft:
            parts.append(line)  # ran on into the next row: no line break, blanks kept
        else:
            parts.append(line.rstrip() + ("\n" if number < last else ""))
    return "".join(parts)


def _is_plain_bg(style: Any) -> bool:
    return style.bg is None and not style.reverse


def history_total(session: SessionLike) -> int:
    """Rows ever added to the session's scrollback (keeps growing after the cap is reached)."""
    history = getattr(getattr(session, "screen", None), "history", None)
    added = getattr(history, "added", None)
    return int(added) if added is not None else int(session.history_len())


def _cells(char: str) -> int:
    return 0 if char == PAD else max(wcwidth(char), 1)


def cell_to_column(line_text: str, cell: int) -> int:
    """The character index in a drawn line of the screen cell `cell` (wide chars take 2
    cells, pads none)."""
    cells = 0
    for index, char in enumerate(line_text):
        if char == PAD:
            continue
        if cells >= cell:
            return index
        cells += _cells(char)
    return len(line_text) + max(cell - cells, 0)


def column_to_cell(line_text: str, column: int) -> int:
    """Inverse of `cell_to_column`: the screen cell of character index `column`."""
    return sum(_cells(c) for c in line_text[:column]) + max(column - len(line_text), 0)


class TextRenderer:
    """Keeps a Text widget in step with a session; `draw()` is called once per frame."""

    def __init__(self, text: tk.Text, tags: TagCache, max_history: int) -> None:
        self.text = text
        self.tags = tags
        self.max_history = max_history
        self.shown_history = 0  # H: history lines currently in the widget
        self.rows = 0
        self._seen_history = 0  # history_total() at the last draw
        self.behind = 0  # newest scrollback rows not yet inserted into the widget
        self.focused = True
        self.recolour_cursor()

    def recolour_cursor(self) -> None:
        """The cursor's tags in the theme's colours (at start and after a theme switch)."""
        palette = colours()
        self.text.tag_configure("cursor", background=palette.cursor, foreground=palette.background)
        self.text.tag_configure("cursor_hollow", relief="solid", borderwidth=1, background=palette.selection)

    def reset(self, session: SessionLike, rows: int) -> None:
        """Redraw everything (new session, resize, tab shown again); the scrollback comes
        back over the next frames (`catch_up`), newest screen first."""
        self.text.delete("1.0", "end")
        self.rows = rows
        self.shown_history = 0
        self._seen_history = history_total(session)
        self.behind = min(session.history_len(), self.max_history)
        self.text.insert("end", "\n" * max(rows - 1, 0), BASE_TAG)
        self.text.tag_add(BASE_TAG, "end-1c")  # the Text's own last newline: the last row's height
        session.take_dirty()
        self._draw_rows(session, set(range(rows)))

    def draw(self, session: SessionLike, *, flooding: bool = False) -> bool:
        """Apply what changed since the last draw; returns True when anything was drawn.
        While output floods in, new scrollback rows are only counted, not drawn: most are
        pushed out again before anyone could read them."""
        added = history_total(session)
        total = session.history_len()
        if total < self.shown_history:  # the scrollback was cleared
            self.reset(session, self.rows)
            return True
        self.behind = min(self.behind + added - self._seen_history, total, self.max_history)
        self._seen_history = added
        caught_up = 0 if flooding else self.catch_up(session)
        dirty = session.take_dirty()
        self._draw_rows(session, {y for y in dirty if 0 <= y < self.rows})
        return bool(dirty) or caught_up > 0

    def catch_up(self, session: SessionLike, limit: int = CATCH_UP_ROWS) -> int:
        """Insert up to `limit` of the scrollback rows not in the widget yet, oldest first."""
        count = min(self.behind, limit)
        if count <= 0:
            return 0
        total = session.history_len()
        start = total - self.behind
        args: list[str] = []
        soft = f"{BASE_TAG} {SOFT_WRAP}"  # a Tcl list of two tags
        for i in range(start, start + count):
            args += _runs_args(session.history_runs(i), self.tags)
            args += ["\n", soft if session.history_wrapped(i) else BASE_TAG]
        self.text.insert(f"{self.shown_history + 1}.0", *args)
        self.shown_history += count
        self.behind -= count
        self._trim_history()
        return count

    def screen_line(self, y: int) -> int:
        """The Text line number of screen row y."""
        return self.shown_history + 1 + y

    def _trim_history(self) -> None:
        extra = self.shown_history - self.max_history
        if extra > 0:
            self.text.delete("1.0", f"{extra + 1}.0")
            self.shown_history -= extra

    def _draw_rows(self, session: SessionLike, rows: set[int]) -> None:
        cursor_x, cursor_y, _visible = session.cursor
        for y in sorted(rows):
            line = self.screen_line(y)
            self.text.delete(f"{line}.0", f"{line}.end")
            pad = cursor_x + 1 if y == cursor_y else 0
            args = _runs_args(session.line_runs(y), self.tags, pad)
            if args:
                self.text.insert(f"{line}.0", *args)
            if session.line_wrapped(y):
                self.text.tag_add(SOFT_WRAP, f"{line}.end")
            else:
                self.text.tag_remove(SOFT_WRAP, f"{line}.end")

    def place_cursor(self, session: SessionLike, visible: bool) -> None:
        """Move the block cursor (hollow when the widget has no focus)."""
        self.text.tag_remove("cursor", "1.0", "end")
        self.text.tag_remove("cursor_hollow", "1.0", "end")
        x, y, shown = session.cursor
        if not visible or not shown or not 0 <= y < self.rows:
            return
        line = self.screen_line(y)
        drawn = self.text.get(f"{line}.0", f"{line}.end")
        column = cell_to_column(drawn, x)
        if column >= len(drawn):
            self.text.insert(f"{line}.end", " " * (column - len(drawn) + 1), BASE_TAG)
        tag = "cursor" if self.focused else "cursor_hollow"
        self.text.tag_add(tag, f"{line}.{text_column(self.text, line, column)}")
