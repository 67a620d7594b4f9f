"""The mouse wheel over widgets embedded in the transcript (code block bars, buttons) scrolls it (Tk thread).

An embedded window gets the wheel events itself, so the transcript under it would
not scroll; these bindings send each event on to the transcript's text widget.
"""

from __future__ import annotations

import tkinter as tk

WHEEL_EVENTS = ("<MouseWheel>", "<Shift-MouseWheel>", "<Button-4>", "<Button-5>")


def forward_wheel(widget: tk.Misc, target: tk.Text) -> None:
    """Bind `widget` and everything inside it to scroll `target` instead."""

    def forward(event: tk.Event[tk.Misc]) -> str:
        if event.num in (4, 5):
            target.event_generate(f"<Button-{event.num}>", x=0, y=0)
        else:
            target.event_generate("<MouseWheel>", delta=event.delta, x=0, y=0)
        return "break"

    pending = [widget]
    while pending:
        current = pending.pop()
        for sequence in WHEEL_EVENTS:
            current.bind(sequence, forward, add="+")
        pending.extend(current.winfo_children())
