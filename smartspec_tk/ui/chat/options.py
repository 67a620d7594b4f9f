"""SamplingRow: the Temperature and Max tokens boxes under the system prompt (Tk thread).

A value is checked when the user leaves the box, presses Enter or clicks an arrow;
a bad value is put back to the last good one, with the reason beside the boxes.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

from smartspec_tk.core.chat.sampling import (
    MAX_TOKENS_LIMIT,
    TEMPERATURE_MAX,
    Sampling,
    parse_max_tokens,
    parse_temperature,
    show_max_tokens,
    show_temperature,
)

HINT = "An empty box leaves the value to the backend."


class SamplingRow(ttk.Frame):
    """Two small spinboxes; `value` is the last valid choice, `on_chosen(value)` runs when it changes.
    `note` (the hint, or why a value was refused) is for the caller to place below the row."""

    def __init__(self, master: tk.Misc, on_chosen: Callable[[Sampling], None]) -> None:
        super().__init__(master)
        self._on_chosen = on_chosen
        self._value = Sampling()
        self.temperature_var = tk.StringVar(self, show_temperature(self._value.temperature))
        self.max_tokens_var = tk.StringVar(self, "")
        ttk.Label(self, text="Temperature").pack(side="left")
        self.temperature_box = ttk.Spinbox(
            self, textvariable=self.temperature_var, from_=0.0, to=TEMPERATURE_MAX, increment=0.1,
            width=5, format="%.1f", command=self.commit,
        )  # fmt: skip
        self.temperature_box.pack(side="left", padx=(4, 12))
        ttk.Label(self, text="Max tokens").pack(side="left")
        self.max_tokens_box = ttk.Spinbox(
            self, textvariable=self.max_tokens_var, from_=0, to=MAX_TOKENS_LIMIT, increment=256, width=8,
            command=self.commit,
        )  # fmt: skip
        self.max_tokens_box.pack(side="left", padx=(4, 8))
        self.note = ttk.Label(master, text=HINT, style="Muted.TLabel")  # its own line: the pane may be narrow
        for box in (self.temperature_box, self.max_tokens_box):
            box.bind("<FocusOut>", lambda _e: self.commit(), add="+")
            box.bind("<Return>", lambda _e: self.commit(), add="+")
            box.bind("<KP_Enter>", lambda _e: self.commit(), add="+")

    @property
    def value(self) -> Sampling:
        return self._value

    def set(self, value: Sampling) -> None:
        """Show a value (a remembered one, say) without calling `on_chosen`."""
        self._value = value
        self._show(value)

    def commit(self) -> bool:
        """Check both boxes; keep and report a valid change, else restore the last good value."""
        try:
            chosen = Sampling(
                parse_temperature(self.temperature_var.get()), parse_max_tokens(self.max_tokens_var.get())
            )
        except ValueError as exc:
            self._show(self._value)
            self.note.configure(text=str(exc), style="Error.TLabel")
            return False
        self.note.configure(text=HINT, style="Muted.TLabel")
        self._show(chosen)
        if chosen != self._value:
            self._value = chosen
            self._on_chosen(chosen)
        return True

    def _show(self, value: Sampling) -> None:
        self.temperature_var.set(show_temperature(value.temperature))
        self.max_tokens_var.set(show_max_tokens(value.max_tokens))
