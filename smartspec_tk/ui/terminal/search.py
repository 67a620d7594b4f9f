"""SearchBar: Ctrl+Shift+F in a terminal — find text in the scrollback and screen shown by
the Text, highlight every hit, and step through them (Enter / Shift+Enter, Esc closes).
"""

from __future__ import annotations

import logging
import re
import tkinter as tk
from collections.abc import Callable
from tkinter import ttk
from typing import Any

from smartspec_tk.ui.terminal.palette import colours
from smartspec_tk.ui.terminal.render import PAD

log = logging.getLogger(__name__)

HIT_TAG = "search_hit"
CURRENT_TAG = "search_current"
MAX_HITS = 5_000


class SearchBar(ttk.Frame):
    """A small bar floating over the terminal's top-right corner while open (placed, not
    packed, so opening it does not resize the terminal)."""

    def __init__(self, master: tk.Misc, target: Callable[[], tk.Text]) -> None:
        super().__init__(master, padding=(6, 3), relief="raised", borderwidth=1)
        self._target = target
        self.query = tk.StringVar(self)
        self.case = tk.BooleanVar(self, value=False)
        self.status = ttk.Label(self, width=14)
        ttk.Label(self, text="Find:").pack(side="left")
        self.entry = ttk.Entry(self, textvariable=self.query, width=30)
        self.entry.pack(side="left", padx=4)
        ttk.Button(self, text="▲", width=3, command=lambda: self.step(backwards=True)).pack(side="left")
        ttk.Button(self, text="▼", width=3, command=self.step).pack(side="left")
        ttk.Checkbutton(self, text="Match case", variable=self.case,
                        command=self.refresh).pack(side="left", padx=6)  # fmt: skip
        self.status.pack(side="left", padx=6)
        ttk.Button(self, text="✕", width=3, command=self.close).pack(side="right")
        self.entry.bind("<Return>", lambda _e: self._key(self.step))
        self.entry.bind("<Shift-Return>", lambda _e: self._key(lambda: self.step(backwards=True)))
        self.entry.bind("<Escape>", lambda _e: self._key(self.close))
        self.query.trace_add("write", lambda *_a: self.refresh())
        self.hits: list[str] = []
        self.is_open = False

    @staticmethod
    def _key(action: Callable[[], None]) -> str:
        action()
        return "break"

    def open(self) -> None:
        """Show the bar (seeded with the selection, if one is made) and focus it."""
        text = self._target()
        palette = colours()
        text.tag_configure(HIT_TAG, background=palette.search_hit)
        text.tag_configure(CURRENT_TAG, background=palette.search_current, foreground="#000000")
        try:
            selected = text.get("sel.first", "sel.last")
        except tk.TclError:
            selected = ""
        if selected and "\n" not in selected:
            self.query.set(selected)
        self.is_open = True
        self.place(relx=1.0, rely=0.0, x=-24, y=4, anchor="ne")
        self.lift()
        self.entry.focus_set()
        self.entry.select_range(0, "end")
        self.refresh()

    def close(self) -> None:
        text = self._target()
        text.tag_remove(HIT_TAG, "1.0", "end")
        text.tag_remove(CURRENT_TAG, "1.0", "end")
        self.is_open = False
        self.place_forget()
        text.focus_set()

    def refresh(self) -> None:
        """Highlight every hit of the current query."""
        text = self._target()
        text.tag_remove(HIT_TAG, "1.0", "end")
        text.tag_remove(CURRENT_TAG, "1.0", "end")
        found = self._find_all(text, self.query.get())
        self.hits = [start for start, _end in found]
        for start, end in found:
            text.tag_add(HIT_TAG, start, end)
        text.tag_raise(HIT_TAG)
        text.tag_raise(CURRENT_TAG)
        text.tag_raise("sel")
        self.status.configure(text=f"{len(self.hits)} found" if self.query.get() else "")

    def _find_all(self, text: tk.Text, query: str) -> list[tuple[str, str]]:
        """(start, end) of each hit; the match length comes from Tk (a wide char's pad image
        inside a hit takes an index too)."""
        if not query:
            return []
        hits: list[tuple[str, str]] = []
        start = "1.0"
        nocase = not self.case.get()
        length = tk.IntVar(text)
        pattern, regexp = _pattern(query)
        while len(hits) < MAX_HITS:
            index = text.search(pattern, start, stopindex="end", nocase=nocase, count=length, regexp=regexp)
            if not index:
                break
            start = f"{index}+{max(length.get(), 1)}c"
            hits.append((index, start))
        return hits

    def step(self, *, backwards: bool = False) -> None:
        """Select the next (or previous) hit from the current one and scroll to it."""
        text = self._target()
        query = self.query.get()
        if not query:
            return
        current = text.tag_ranges(CURRENT_TAG)
        origin: Any = current[0] if current else ("end" if backwards else "1.0")
        if current:
            origin = f"{origin}-1c" if backwards else f"{origin}+1c"
        length = tk.IntVar(text)
        pattern, regexp = _pattern(query)
        index = text.search(pattern, origin, backwards=backwards, nocase=not self.case.get(), count=length,
                            regexp=regexp)  # fmt: skip
        text.tag_remove(CURRENT_TAG, "1.0", "end")
        if not index:
            return
        text.tag_add(CURRENT_TAG, index, f"{index}+{length.get()}c")
        text.see(index)
        self.status.configure(text=f"{len(self.hits)} found · line {index.split('.')[0]}")


def _pattern(query: str) -> tuple[str, bool]:
    """The Text search pattern of a query: plain, or (with wide characters) a regexp that
    allows the renderer's pad after each of them."""
    if query.isascii():
        return query, False
    return "".join(re.escape(c) + (f"{PAD}?" if c > "\x7f" else "") for c in query), True
