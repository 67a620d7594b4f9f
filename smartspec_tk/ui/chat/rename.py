"""InlineRename: an entry placed over a title to rename it where it is shown (Tk thread).

Enter or leaving the field keeps the new name, Esc keeps the old one; an empty
name is not taken. Used by the pane's header and by the conversations sidebar.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk


class InlineRename:
    def __init__(self, master: tk.Misc, on_done: Callable[[str], None]) -> None:
        self.entry = ttk.Entry(master)
        self._on_done = on_done
        self._open = False
        self.entry.bind("<Return>", lambda _e: self.finish(keep=True))
        self.entry.bind("<KP_Enter>", lambda _e: self.finish(keep=True))
        self.entry.bind("<Escape>", lambda _e: self.finish(keep=False))
        self.entry.bind("<FocusOut>", lambda _e: self.finish(keep=True))

    @property
    def active(self) -> bool:
        return self._open

    def start(self, current: str, x: int, y: int, width: int, height: int) -> None:
        """Show the field with `current` selected, at (x, y) in its master."""
        self.entry.delete(0, "end")
        self.entry.insert(0, current)
        self.entry.select_range(0, "end")
        self.entry.icursor("end")
        self.entry.place(x=x, y=y, width=max(width, 80), height=height)
        self._open = True
        self.entry.focus_set()

    def finish(self, *, keep: bool) -> str:
        if not self._open:
            return "break"
        self._open = False
        name = " ".join(self.entry.get().split())
        self.entry.place_forget()
        if keep and name:
            self._on_done(name)
        return "break"
