"""TableRenderer: one markdown table in the transcript, drawn row by row as it streams (Tk thread).

Rows are tab-separated text under a tag of their own whose tab stops are the column
positions (`core/chat/tables.TableLayout`); a wider cell moves the stops, so rows
already drawn are never drawn again. Copying a table gives tab-separated text.
"""

from __future__ import annotations

import itertools
import tkinter as tk
from collections.abc import Callable, Sequence
from typing import Any

from smartspec_tk.core.chat.markdown import spans
from smartspec_tk.core.chat.tables import TableLayout

_ids = itertools.count(1)
INLINE_FONT_TAGS = {"code": "code_inline", "bold": "bold", "italic": "italic"}


class TableRenderer:
    """Appends the rows of one table to the renderer's batch; `add_row` for every completed row."""

    def __init__(
        self, text: tk.Text, alignments: tuple[str, ...], base: tuple[str, ...], link_tag: Callable[[str], str]
    ) -> None:
        self._text = text
        self._link_tag = link_tag
        self.layout = TableLayout(alignments)
        self.tag = f"table-{next(_ids)}"
        self._base = base
        self.rows = 0
        text.tag_configure(self.tag, wrap="word", lmargin1=0, lmargin2=self.layout.indent)
        self._fonts: dict[str, str] = {}

    def row(self, cells: Sequence[str], *, header: bool = False, partial: bool = False) -> list[Any]:
        """`insert` arguments for one row; a completed row widens the columns (a partial one does not)."""
        fitted = self.layout.fit(cells)
        kind = "table_head" if header else ("table_alt" if self.rows % 2 else "table_row")
        line_tags = (*self._base, self.tag, kind)
        pieces: list[Any] = []
        widths: list[int] = []
        for cell in fitted:
            pieces += ["\t", line_tags]
            width = 0
            for span in spans(cell):
                styles = (*span.styles, "bold") if header and "bold" not in span.styles else span.styles
                tags = _style_tags(styles)
                links = ("link", self._link_tag(span.url)) if span.url else ()
                pieces += [span.text, (*line_tags, *tags, *links)]
                width += self._measure(span.text, tags)
            widths.append(width)
        pieces += ["\n", line_tags]
        if not partial:
            self.rows += 0 if header else 1
            if self.layout.grow(widths):
                self._text.tag_configure(self.tag, tabs=self.layout.tab_stops())
        return pieces

    def _measure(self, text: str, tags: tuple[str, ...]) -> int:
        font = self._font(tags[-1] if tags else "")
        return int(self._text.tk.call("font", "measure", font, "-displayof", self._text, text))

    def _font(self, tag: str) -> str:
        """The font a span is drawn in: its style tag's font, else the widget's."""
        font = self._fonts.get(tag)
        if font is None:
            font = str(self._text.tag_cget(tag, "font") if tag else "") or str(self._text.cget("font"))
            self._fonts[tag] = font
        return font


def _style_tags(styles: tuple[str, ...]) -> tuple[str, ...]:
    """Tk tags of a cell span; bold and italic together need a font of their own."""
    if "code" in styles:
        return ("code_inline",)
    if "bold" in styles and "italic" in styles:
        return ("bold_italic",)
    return tuple(INLINE_FONT_TAGS[s] for s in styles if s in INLINE_FONT_TAGS)
