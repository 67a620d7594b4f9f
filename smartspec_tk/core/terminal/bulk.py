"""Bulk scrolling: a block of complete `text\\r\\n` lines (one-cell characters and SGR only)
arriving while the cursor sits at column 0 of a blank bottom row is applied in one go.

Rows that would scroll off go straight into the compact history and only the rows that
stay visible become pyte cells, which is what pyte itself would end up with, minus the
per-character work. `FastStream` decides when the preconditions hold (see `ready`).
"""

from __future__ import annotations

import logging
import re

from pyte import charsets as cs
from pyte import modes as mo

from .rows import Row, Splitter, plain_row
from .screen import TermScreen

log = logging.getLogger(__name__)

#: One or more complete lines of printable text and SGR sequences, each ended by CR+ LF.
LINES = re.compile(r"(?:(?:[^\x00-\x1f\x7f-\x9f]++|\x1b\[[0-9;]*+m)*+\r++\n)++")


def ready(screen: TermScreen) -> bool:
    """True when the next complete lines can be applied by `apply_lines`."""
    bottom = screen.lines - 1
    return (screen.cursor.x == 0 and screen.cursor.y == bottom and screen.margins is None
            and screen.lr_margins is None
            and not screen.alt_screen and not screen.buffer.get(bottom)
            and mo.DECAWM in screen.mode and mo.IRM not in screen.mode
            and mo.DECSCNM not in screen.mode and not screen.charset
            and screen.g0_charset is cs.LAT1_MAP)


def split_rows(screen: TermScreen, data: str, start: int, end: int) -> tuple[list[Row], int, list[int]]:
    """Cut the lines of data[start:end] into screen rows (pieces + history form), applying
    SGRs on the way. Stops before a line it cannot handle; returns the rows, where it stopped
    and the indexes of the rows that wrap into the next (all but the last row of a long line)."""
    splitter = Splitter(screen)
    columns = splitter.columns
    rows: list[Row] = []
    wrapped: list[int] = []
    pos, first = start, 0
    while pos < end:
        wrapped.extend(range(first, len(rows) - 1))  # the previous line's rows but its last
        first = len(rows)
        stop = data.find("\n", pos, end)
        line = data[pos:stop].rstrip("\r")
        if line.isascii():
            if "\x1b" not in line:
                attrs = splitter.attrs
                sid = splitter.sid(attrs)
                rows.extend(plain_row(line[i:i + columns], attrs, sid)
                            for i in range(0, max(len(line), 1), columns))
                pos = stop + 1
                continue
            row = splitter.deferred(line)
            if row is not None:
                rows.append(row)
                pos = stop + 1
                continue
        if not splitter.styled(line, rows):
            break
        pos = stop + 1
    wrapped.extend(range(first, len(rows) - 1))
    screen.cursor.attrs = splitter.attrs  # last: computing SGRs borrows the cursor
    return rows, pos, wrapped


def apply_lines(screen: TermScreen, data: str, start: int, end: int) -> int:
    """Apply the LINES match data[start:end] as if each row had been drawn and line-fed at the
    bottom; returns where it stopped (before the first line it cannot handle).

    Rows scrolled off go to the history; the rows left on screen are stored in
    `screen.lazy` and become pyte cells only if something needs them (`materialize`).
    """
    rows, stopped, wrapped = split_rows(screen, data, start, end)
    if not rows:
        return stopped
    keep = screen.lines - 1
    count = len(rows)
    shift = min(count, keep)
    history = screen.history
    gone = max(0, count - keep)  # new rows that scroll off at once
    if history.max_lines:
        old = [screen.compact_row(y) for y in range(shift)]
        start = max(0, gone - history.max_lines)
        marks = [y for y in range(shift) if y in screen.soft]
        marks += [shift + k - start for k in wrapped if start <= k < gone]
        history.extend(old + [row[1] for row in rows[start:gone]], start, marks)
    cache = screen.compact_cache
    for y in range(shift):
        cache.pop(id(screen.buffer.get(y)), None)
    screen.shift_up(shift)
    first = keep - min(count, keep)
    for y, row in enumerate(rows[gone:], first):
        screen.lazy[y] = row
    screen.soft.update(first + k - gone for k in wrapped if k >= gone)
    return stopped
