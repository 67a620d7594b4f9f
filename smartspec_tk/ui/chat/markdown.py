"""MarkdownRenderer: appends one answer to the end of a tk.Text as it streams (Tk thread only).

Completed lines are rendered once, with one `insert` call each; only the current
partial line is deleted and drawn again on the next feed. Fenced code blocks get
a header line with Copy and "Insert into terminal" buttons (embedded windows).
Tables are drawn row by row (`ui/chat/table.py`); a line that may be a table's
header is held back with the partial line until the next line tells.
A line longer than LONG_LINE characters is drawn as several lines of the Text,
broken at a space when there is one: Tk lays a logical line out whole on every
change, so one ever-growing line froze the UI for minutes (issue 13, finding 4).
Copy takes the stored message, without these breaks.
"""

from __future__ import annotations

import itertools
import tkinter as tk
from dataclasses import dataclass, field, replace
from tkinter import ttk
from typing import Any

from smartspec_tk.core.chat.markdown import Line, classify, spans
from smartspec_tk.core.chat.tables import delimiter_alignments, row_cells
from smartspec_tk.core.theme import Palette
from smartspec_tk.ui.chat.code_actions import CodeAction as CodeAction
from smartspec_tk.ui.chat.code_actions import CodeActions as CodeActions
from smartspec_tk.ui.chat.table import TableRenderer
from smartspec_tk.ui.chat.wheel import forward_wheel

_ids = itertools.count(1)
BLOCK_TAGS = {"rule": "rule"}  # plain text and blank lines carry no tag: fewer tag toggles, faster Tk
LONG_LINE = 4000  # characters in one line of the Text; a longer line is broken (Tk's layout is quadratic in it)
CONTINUED_KINDS = ("text", "heading", "bullet", "number", "code")  # what a broken line keeps of its first part
INLINE_TAGS = {"bold": "bold", "italic": "italic", "code": "code_inline", "link": "link"}


def inline_tags(styles: tuple[str, ...]) -> tuple[str, ...]:
    """Tk tags of a span; bold and italic together need a font of their own."""
    if "bold" in styles and "italic" in styles:
        styles = (*(s for s in styles if s not in ("bold", "italic")), "bold_italic")
    return tuple(INLINE_TAGS.get(style, style) for style in styles)


@dataclass
class CodeBlock:
    language: str
    lines: list[str] = field(default_factory=list)

    @property
    def code(self) -> str:
        return "\n".join(self.lines)


class MarkdownRenderer:
    """Renders one message; `feed()` text as it arrives, then `finish()` once."""

    def __init__(self, text: tk.Text, actions: CodeActions, links: dict[str, str], base: tuple[str, ...] = ()) -> None:
        self._text = text
        self._actions = actions
        self._links = links
        self._link_tags = {url: tag for tag, url in links.items()}
        self._base = base
        self._partial = ""
        self._code: CodeBlock | None = None
        self._held: str | None = None  # a completed line that may be a table's header
        self._table: TableRenderer | None = None
        self._continued: Line | None = None  # the first part of a long line already drawn
        self.blocks: list[CodeBlock] = []
        self._batch: list[Any] = []  # (text, tags) pairs waiting for one `insert` call
        self._mark = f"mdpartial{next(_ids)}"
        text.mark_set(self._mark, "end-1c")
        text.mark_gravity(self._mark, "left")

    def feed(self, chunk: str) -> None:
        """Append streamed text: render the lines it completes, redraw the partial line."""
        self._partial += chunk
        lines: list[str] = []
        if "\n" in chunk:
            *lines, self._partial = self._partial.split("\n")
        self._text.delete(self._mark, "end-1c")
        for line in lines:
            self._render(line)
        if len(self._partial) > LONG_LINE:
            self._partial = self._render_parts(self._partial)
        self._insert_batch()
        self._text.mark_set(self._mark, "end-1c")
        if self._partial or self._held is not None:
            self._draw_partial(self._partial)
            self._insert_batch()

    def finish(self) -> None:
        """The message is complete: render the last line for good."""
        self._text.delete(self._mark, "end-1c")
        if self._partial:
            self._render(self._partial)
            self._partial = ""
        if self._held is not None:
            self._render_block(self._held)
            self._held = None
        self._insert_batch()
        self._code, self._table = None, None
        self._text.mark_unset(self._mark)

    def _render(self, raw: str) -> None:
        raw = raw.rstrip("\r")
        if len(raw) > LONG_LINE:
            raw = self._render_parts(raw)
        if self._continued is not None:
            self._render_part(raw)
            self._continued = None
            return
        if self._code is None and self._table_line(raw):
            return
        self._render_block(raw)

    def _render_parts(self, raw: str) -> str:
        """Draw all but the last LONG_LINE characters of a long line as parts; returns the rest."""
        start = 0
        while len(raw) - start > LONG_LINE:
            end = raw.rfind(" ", start + LONG_LINE // 2, start + LONG_LINE) + 1 or start + LONG_LINE
            self._render_part(raw[start:end])
            start = end
        return raw[start:]

    def _render_part(self, part: str) -> None:
        """One part of a long line, on a line of its own, styled as the line's first part."""
        first = self._continued is None
        if self._continued is None:
            self._end_table()
            line = classify(part, self._code is not None)
            self._continued = line if line.kind in CONTINUED_KINDS else Line("text", part, quoted=line.quoted)
        line = self._continued if first else replace(self._continued, text=part, marker="")
        quote = ("quote",) if line.quoted else ()
        if line.kind == "code" and self._code is not None:
            if first or not self._code.lines:
                self._code.lines.append("")
            self._code.lines[-1] += line.text
            self._batch += [line.text + "\n", (*self._base, "code", *quote)]
        else:
            self._batch += [*self._pieces(line, quote), "\n", (*self._base, *quote)]

    def _end_table(self) -> None:
        """A long line is never part of a table: draw a held header line as text, end the table."""
        if self._held is not None:
            held, self._held = self._held, None
            self._render_block(held)
        self._table = None

    def _table_line(self, raw: str) -> bool:
        """Whether a table took the line: a row, a delimiter row, or a possible header (held)."""
        if self._table is not None:
            cells = row_cells(raw) if raw.strip() else None
            if cells is not None:
                self._batch += self._table.row(cells)
                return True
            self._table = None
        if self._held is not None:
            held, self._held = self._held, None
            alignments = delimiter_alignments(raw, len(row_cells(held) or ()))
            if alignments is not None:
                self._table = TableRenderer(self._text, alignments, self._base, self._link_tag)
                self._batch += self._table.row(row_cells(held) or [], header=True)
                return True
            self._render_block(held)
        if row_cells(raw) is not None and classify(raw, False) == Line("text", raw):
            self._held = raw
            return True
        return False

    def _render_block(self, raw: str) -> None:
        line = classify(raw, self._code is not None)
        quote = ("quote",) if line.quoted else ()
        if line.kind == "fence_open":
            self._open_code(line.text, quote)
        elif line.kind == "fence_close":
            self._code = None
        elif line.kind == "code" and self._code is not None:
            self._code.lines.append(line.text)
            self._batch += [line.text + "\n", (*self._base, "code", *quote)]
        else:
            self._batch += [*self._pieces(line, quote), "\n", (*self._base, *quote)]

    def _insert_batch(self) -> None:
        """One Tk call for all the lines of a frame: each call costs a trip through the GIL."""
        if self._batch:
            self._text.insert("end-1c", *self._batch)
            self._batch = []

    def _draw_partial(self, raw: str) -> None:
        if self._continued is not None:
            line = replace(self._continued, text=raw, marker="")
            quote = ("quote",) if line.quoted else ()
            code = line.kind == "code" and self._code is not None
            self._batch += [raw, (*self._base, "code", *quote)] if code else self._pieces(line, quote)
            return
        if self._held is not None:
            self._batch += [*self._pieces(classify(self._held, False), ()), "\n", self._base]
        cells = row_cells(raw) if self._table is not None and self._code is None else None
        if self._table is not None and cells is not None:
            self._batch += self._table.row(cells, partial=True)[:-2]  # no line end yet
            return
        line = classify(raw, False)
        if self._code is not None or line.kind in ("fence_open", "fence_close", "code"):
            self._batch += [raw, (*self._base, "code")]
        else:
            self._batch += self._pieces(line, ("quote",) if line.quoted else ())

    def _pieces(self, line: Line, quote: tuple[str, ...]) -> list[Any]:
        block = self._block_tags(line, quote)
        pieces: list[Any] = []
        if line.kind in ("bullet", "number") and line.marker:
            pieces += [f"{line.marker} ", (*block, "marker")]
        if line.kind == "rule":
            return ["\u2500" * 40, block]
        for span in spans(line.text):
            tags = (*block, *inline_tags(span.styles))
            if span.url:
                tags = (*tags, self._link_tag(span.url))
            pieces += [span.text, tags]
        return pieces or ["", block]

    def _link_tag(self, url: str) -> str:
        """One tag per distinct URL: Tk slows down with many tags, answers repeat links."""
        tag = self._link_tags.get(url)
        if tag is None:
            tag = self._link_tags[url] = f"link-{next(_ids)}"
            self._links[tag] = url
        return tag

    def _block_tags(self, line: Line, quote: tuple[str, ...]) -> tuple[str, ...]:
        if line.kind == "heading":
            return (*self._base, *quote, f"h{min(line.level, 3)}")
        if line.kind in ("bullet", "number"):
            return (*self._base, *quote, f"list{min(line.level, 3)}")
        kind = BLOCK_TAGS.get(line.kind)
        return (*self._base, *quote, kind) if kind else (*self._base, *quote)

    def _open_code(self, language: str, quote: tuple[str, ...]) -> None:
        self._insert_batch()  # the header window goes after the lines before it
        block = CodeBlock(language)
        self._code = block
        self.blocks.append(block)
        start = self._text.index("end-1c")
        tags = (*self._base, "code_header", *quote)
        self._text.window_create(start, window=self._header(block), align="center")
        self._text.insert("end-1c", "\n", tags)
        for tag in tags:  # the window itself carries the margins of the block
            self._text.tag_add(tag, start)

    def _header(self, block: CodeBlock) -> tk.Frame:
        """The bar above a code block: its language, Copy, and Insert into terminal."""
        background = str(self._text.tag_cget("code_header", "background"))
        frame = CodeHeader(self._text, background=background, padx=6, pady=3)
        foreground = str(self._text.tag_cget("code_header", "foreground"))
        label = tk.Label(frame, text=block.language or "code", background=background, foreground=foreground)
        label.pack(side="left", padx=(0, 10))
        copy = ttk.Button(frame, text="Copy", style="Code.TButton", command=lambda: self._actions.copy(block.code))
        copy.pack(side="left", padx=(0, 4))
        insert = self._actions.insert
        if insert is not None:
            button = ttk.Button(
                frame, text="Insert into terminal", style="Code.TButton", command=lambda: insert(block.code)
            )
            button.pack(side="left")
        forward_wheel(frame, self._text)
        return frame


class CodeHeader(tk.Frame):
    """The bar above a code block (its own class, so a theme change can find and recolour it)."""


def recolour(widget: tk.Misc, colours: Palette) -> None:
    """Give an embedded code block bar the colours of the theme."""
    if isinstance(widget, CodeHeader):
        widget.configure(background=colours.code_header_bg)
        for child in widget.winfo_children():
            if isinstance(child, tk.Label):
                child.configure(background=colours.code_header_bg, foreground=colours.muted)
