"""Reflow on resize: when the width changes, lines that wrapped at the right margin (soft wraps) are
wrapped again at the new width — on the main screen and in the scrollback, never on the alternate
screen — and the cursor stays on its character.

A *logical line* is a run of rows each marked as running on into the next (screen: `screen.soft`,
scrollback: `History.wrapped`), plus the row that ends it. The screen's lines are re-cut in pyte's
cell domain (a wide character and its stub are never split: it moves to the next row), the
scrollback's in its compact domain (text and style runs), so unwrapped history rows that still fit
are kept as they are, without decoding. A line that runs from the scrollback onto the screen is
re-cut in two parts (the scrollback's and the screen's).
"""

from __future__ import annotations

from typing import Any

from pyte.screens import Char, StaticDefaultDict
from wcwidth import wcwidth

from .history import CompactRow, History, compact, expand
from .render import Run, row_runs

Cells = list[Char]


def _used(line: Any, columns: int, blank: Char) -> int:
    """Columns up to the last cell that is not a default blank."""
    for x in range(columns - 1, -1, -1):
        cell = line.get(x) if line is not None else None
        if cell is not None and cell != blank:
            return x + 1
    return 0


def _cut(cells: Cells, width: int, cursor: int | None) -> tuple[list[Cells], tuple[int, int] | None]:
    """Cut one logical line into rows of `width` cells; where cell index `cursor` lands (row, col)."""
    rows: list[Cells] = []
    row: Cells = []
    where = None
    i, n = 0, len(cells)
    while i < n:
        wide = i + 1 < n and cells[i + 1].data == "" and cells[i].data != ""
        size = 2 if wide and width > 1 else 1
        if len(row) + size > width:
            rows.append(row)
            row = []
        if cursor is not None and cursor in (i, i + 1) and where is None and not (cursor == i + 1 and size == 1):
            where = (len(rows), len(row) + (cursor - i))
        row.extend(cells[i:i + size])
        i += size
    if cursor is not None and where is None:  # at the end of the line (or a pending wrap)
        where = (len(rows), len(row))
    rows.append(row)
    return rows, where


def reflow_screen(screen: Any, columns: int) -> list[tuple[CompactRow, bool]]:
    """Re-cut the screen's lines at `columns`; return the rows that no longer fit above it (for the
    scrollback, with their wrap marks). Sets the buffer, the soft marks and the cursor."""
    blank, old = screen.default_char, screen.columns
    cy, cx = screen.cursor.y, screen.cursor.x
    out: list[tuple[Cells, bool]] = []
    cursor_at = (0, 0)
    line_cells: Cells = []
    cursor_index: int | None = None
    for y in range(screen.lines):
        line = screen.buffer.get(y)
        wrapped = y in screen.soft
        # a wrapped row runs to its last written cell (not a blank left by a wide character that
        # did not fit); an unwrapped one to its last cell that is not a default blank
        used = (min(max(line, default=-1) + 1, old) if line else 0) if wrapped else _used(line, old, blank)
        if y == cy:
            used = max(used, min(cx, old))
            cursor_index = len(line_cells) + cx
        line_cells += [line[x] if line is not None else blank for x in range(used)]
        if wrapped and y < screen.lines - 1:
            continue
        rows, where = _cut(line_cells, columns, cursor_index)
        if where is not None:
            cursor_at = (len(out) + where[0], where[1])
        out += [(r, k < len(rows) - 1) for k, r in enumerate(rows)]
        line_cells, cursor_index = [], None
    while len(out) > cursor_at[0] + 1 and not out[-1][0]:
        out.pop()  # empty rows below the cursor
    excess = max(0, len(out) - screen.lines)
    pushed = [(compact(row_runs(dict(enumerate(r)), columns, blank)), soft) for r, soft in out[:excess]]
    screen.buffer.clear()
    screen.soft = set()
    for y, (cells, soft) in enumerate(out[excess:]):
        if cells:
            line = StaticDefaultDict[int, Char](blank)
            line.update(enumerate(cells))
            screen.buffer[y] = line
        if soft:
            screen.soft.add(y)
    screen.cursor.y = cursor_at[0] - excess
    screen.cursor.x = min(cursor_at[1], columns)
    return pushed


def _cell_width(text: str) -> int:
    return len(text) if text.isascii() else sum(max(wcwidth(ch), 0) for ch in text)


def _cut_runs(runs: list[Run], width: int) -> list[list[Run]]:
    """Cut the runs of one logical line into rows of at most `width` cells."""
    rows: list[list[Run]] = [[]]
    room = width
    for text, style in runs:
        start = 0
        for k, ch in enumerate(text):
            w = 1 if ch.isascii() else max(wcwidth(ch), 0)
            if w > room and room < width:
                if k > start:
                    rows[-1].append((text[start:k], style))
                rows.append([])
                room, start = width, k
            room -= w
        if start < len(text):
            rows[-1].append((text[start:], style))
    return rows


def reflow_history(history: History, width: int) -> None:
    """Re-cut the scrollback's wrapped lines (and rows wider than `width`) at `width`."""
    count = len(history)
    if not count:
        return
    rows: list[CompactRow] = []
    soft: list[int] = []
    group: list[int] = []
    for i in range(count):
        group.append(i)
        if history.wrapped(i) and i < count - 1:
            continue
        tail_wraps = history.wrapped(i)  # the last row may run on onto the screen
        if len(group) == 1 and not tail_wraps and _cell_width(history.texts[i]) <= width:
            rows.append((history.texts[i], history.styles[i]))  # kept as is
        else:
            runs = [run for j in group for run in expand(history.row(j))]
            cut = _cut_runs(runs, width)
            soft += range(len(rows), len(rows) + len(cut) - (0 if tail_wraps else 1))
            rows += [compact(r) if r else ("", None) for r in cut]
        group = []
    first = history.added - count
    history.clear()
    history.extend(rows[-history.max_lines:] if history.max_lines else [])
    dropped = max(0, len(rows) - history.max_lines)
    history.added = first + len(rows)
    history.soft = {first + k for k in soft if k >= dropped}
