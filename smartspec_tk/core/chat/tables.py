"""Markdown tables (GitHub style), one line at a time (Tk-free): rows, the delimiter row, column widths.

A table is a header row, a delimiter row (`|---|:-:|--:|`) with as many cells, then
body rows until a line without a `|` or a blank line. The renderer in
`ui/chat/table.py` sees the header row before it knows a table starts, so it holds
that one line back until the next one arrives.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

_DELIMITER_CELL = re.compile(r"^\s*(:?)-+(:?)\s*$")
Measure = Callable[[str, bool], int]  # (cell text, is header) -> width in pixels


def row_cells(line: str) -> list[str] | None:
    """The cells of a table row, or None when the line cannot be one (no unescaped `|`)."""
    body = line.strip()
    if "|" not in body.replace("\\|", ""):
        return None
    cells: list[str] = []
    current: list[str] = []
    in_code = False
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and body[index + 1 : index + 2] == "|":
            current.append("|")
            index += 2
            continue
        if char == "`":
            in_code = not in_code
        if char == "|" and not in_code:
            cells.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    cells.append("".join(current))
    if body.startswith("|"):
        cells = cells[1:]
    if body.endswith("|") and not body.endswith("\\|") and cells:
        cells = cells[:-1]
    return [cell.strip() for cell in cells]


def delimiter_alignments(line: str, columns: int) -> tuple[str, ...] | None:
    """The column alignments ("left", "center", "right") if `line` is the delimiter row of a
    table with `columns` header cells, else None."""
    cells = row_cells(line)
    if cells is None or len(cells) != columns:
        return None
    alignments: list[str] = []
    for cell in cells:
        match = _DELIMITER_CELL.match(cell)
        if match is None:
            return None
        left, right = bool(match.group(1)), bool(match.group(2))
        alignments.append("center" if left and right else "right" if right else "left")
    return tuple(alignments)


@dataclass
class TableLayout:
    """Column widths that only grow as rows arrive, and the Tk tab stops they give.

    Each row is drawn as `\\t cell \\t cell …`, one tab stop per column, so a wider
    cell only moves the stops: rows drawn earlier never need to be drawn again.
    """

    alignments: tuple[str, ...]
    indent: int = 8
    gap: int = 18
    widths: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.widths = [0] * len(self.alignments)

    @property
    def columns(self) -> int:
        return len(self.alignments)

    def fit(self, cells: Sequence[str]) -> list[str]:
        """`cells` padded or cut to the table's column count (extra cells are dropped, as GitHub does)."""
        return [*cells[: self.columns], *[""] * (self.columns - len(cells))]

    def grow(self, widths: Sequence[int]) -> bool:
        """Widen the columns for one row's cell widths; True when any column grew."""
        grew = False
        for column, width in enumerate(widths[: self.columns]):
            if width > self.widths[column]:
                self.widths[column] = width
                grew = True
        return grew

    def tab_stops(self) -> tuple[str, ...]:
        """The `tabs` option of the table's tag: a position and an alignment per column."""
        stops: list[str] = []
        start = self.indent
        for width, alignment in zip(self.widths, self.alignments, strict=True):
            position = {"left": start, "center": start + width // 2, "right": start + width}[alignment]
            stops += [str(max(position, 1)), alignment]
            start += width + self.gap
        return tuple(stops)
