"""Compact scrollback: each row that leaves the top of the screen is kept as
`(text, runs)` where runs is None (all default style) or a tuple of (length, Style).

About 20x smaller than pyte's dict-of-Char rows (see docs/terminal.md); bounded by a
deque so the oldest rows fall off.
"""

from __future__ import annotations

import logging
from collections import deque

from .render import DEFAULT_STYLE, Run, Style

log = logging.getLogger(__name__)

CompactRow = tuple[str, tuple[tuple[int, Style], ...] | None]


def compact(runs: list[Run]) -> CompactRow:
    """Runs → the stored form (adjacent runs of the same style merged)."""
    if not runs:
        return ("", None)
    if len(runs) == 1 and runs[0][1] is DEFAULT_STYLE:
        return (runs[0][0], None)
    merged: list[tuple[int, Style]] = []
    for text, style in runs:
        if merged and merged[-1][1] == style:
            merged[-1] = (merged[-1][0] + len(text), style)
        elif text:
            merged.append((len(text), style))
    if len(merged) == 1 and merged[0][1] == DEFAULT_STYLE:
        return ("".join(t for t, _ in runs), None)
    return ("".join(t for t, _ in runs), tuple(merged))


def expand(row: CompactRow) -> list[Run]:
    """The stored form → runs."""
    text, runs = row
    if runs is None:
        return [(text, DEFAULT_STYLE)] if text else []
    out: list[Run] = []
    pos = 0
    for length, style in runs:
        out.append((text[pos:pos + length], style))
        pos += length
    return out


class History:
    """A bounded list of compact rows, oldest first."""

    def __init__(self, max_lines: int = 10_000) -> None:
        self.max_lines = max(0, max_lines)
        self.rows: deque[CompactRow] = deque(maxlen=self.max_lines)
        self.added = 0  # total rows ever appended (lets a view notice growth after the cap)

    def __len__(self) -> int:
        return len(self.rows)

    def append(self, row: CompactRow) -> None:
        if self.max_lines:
            self.rows.append(row)
            self.added += 1

    def extend(self, rows: list[CompactRow], skipped: int = 0) -> None:
        """Append rows; `skipped` counts older rows that were never built (they would fall off)."""
        if self.max_lines and (rows or skipped):
            self.rows.extend(rows)
            self.added += len(rows) + skipped

    def runs(self, index: int) -> list[Run]:
        return expand(self.rows[index])

    def text(self, index: int) -> str:
        return self.rows[index][0]

    def clear(self) -> None:
        self.rows.clear()
