"""The multi-line paste question: Paste / Paste as one line / Cancel, with a preview of the
text, shown before pasting line breaks into a program that did not enable bracketed paste.
"""

from __future__ import annotations

import logging
import tkinter as tk
from tkinter import ttk
from typing import Literal

log = logging.getLogger(__name__)

PasteChoice = Literal["paste", "one-line"] | None
PREVIEW_LINES = 8


def one_line(text: str) -> str:
    """The lines joined with single spaces (blank lines dropped): nothing runs on paste."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def ask_multiline_paste(parent: tk.Misc, text: str) -> PasteChoice:
    """A modal dialog; returns the user's choice (None = cancel, also on Escape/close)."""
    lines = text.splitlines()
    top = tk.Toplevel(parent)
    top.title("Paste several lines?")
    top.transient(parent.winfo_toplevel())
    frame = ttk.Frame(top, padding=12)
    frame.pack(fill="both", expand=True)
    ttk.Label(frame, text=f"The text has {len(lines)} lines. In a shell each line break runs a command.",
              wraplength=460).pack(anchor="w")  # fmt: skip
    preview = "\n".join(lines[:PREVIEW_LINES]) + ("\n…" if len(lines) > PREVIEW_LINES else "")
    ttk.Label(frame, text=preview, font="TkFixedFont", relief="sunken", padding=6,
              justify="left").pack(fill="x", pady=8)  # fmt: skip
    choice: list[PasteChoice] = [None]

    def done(value: PasteChoice) -> None:
        choice[0] = value
        top.destroy()

    buttons = ttk.Frame(frame)
    buttons.pack(anchor="e")
    ttk.Button(buttons, text="Cancel", command=lambda: done(None)).pack(side="right", padx=4)
    ttk.Button(buttons, text="Paste as one line", command=lambda: done("one-line")).pack(side="right", padx=4)
    paste = ttk.Button(buttons, text="Paste", command=lambda: done("paste"))
    paste.pack(side="right", padx=4)
    top.bind("<Escape>", lambda _e: done(None))
    top.protocol("WM_DELETE_WINDOW", lambda: done(None))
    paste.focus_set()
    top.grab_set()
    top.wait_window()
    return choice[0]
