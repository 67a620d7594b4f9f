"""ChatInput: the prompt box with Send/Stop; Enter sends, Shift+Enter adds a line (Tk thread)."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

from smartspec_tk.ui import theme


def bind_select_all(widget: tk.Text | ttk.Entry) -> None:
    """Ctrl+A selects everything, as users expect (Tk's own binding moves to the line start)."""

    def select_all(_event: tk.Event[tk.Misc]) -> str:
        if isinstance(widget, tk.Text):
            widget.tag_add("sel", "1.0", "end-1c")
            widget.mark_set("insert", "end-1c")
        else:
            widget.select_range(0, "end")
            widget.icursor("end")
        return "break"

    for sequence in ("<Control-a>", "<Control-A>"):
        widget.bind(sequence, select_all)


class ChatInput(ttk.Frame):
    def __init__(self, master: tk.Misc, *, on_send: Callable[[], None], on_stop: Callable[[], None]) -> None:
        super().__init__(master, padding=(6, 4, 6, 6))
        self._on_send = on_send
        self._on_stop = on_stop
        self.note = ttk.Label(self, text="", style="Muted.TLabel", justify="left")
        self.note.pack(side="top", anchor="w", fill="x")
        self._error = False
        theme.on_change(lambda _p: self.show_note(str(self.note.cget("text")), error=self._error), owner=self)
        # Wrapped to the pane's width, so a long error is shown in full, never cut mid-word.
        self.bind("<Configure>", lambda e: self.note.configure(wraplength=max(e.width - 16, 120)), add="+")
        row = ttk.Frame(self)
        row.pack(fill="both", expand=True)
        self.button = ttk.Button(row, text="Send", width=7, command=self._clicked)
        self.button.pack(side="right", fill="y", padx=(6, 0))
        self.text = tk.Text(row, height=4, wrap="word", undo=True, borderwidth=1, relief="solid", padx=6, pady=4)
        self.text.pack(side="left", fill="both", expand=True)
        self.busy = False
        for key in ("<Return>", "<KP_Enter>"):
            self.text.bind(key, self._enter)
        self.text.bind("<Shift-Return>", self._newline)
        self.text.bind("<Shift-KP_Enter>", self._newline)
        self.on_escape: Callable[[], object] = lambda: None  # Esc while nothing streams (cancel an edit)
        self.text.bind("<Escape>", lambda _e: self._on_stop() if self.busy else self.on_escape())
        bind_select_all(self.text)

    def value(self) -> str:
        return self.text.get("1.0", "end-1c")

    def set_value(self, value: str) -> None:
        self.text.delete("1.0", "end")
        self.text.insert("1.0", value)

    def insert(self, value: str) -> None:
        self.text.insert("insert", value)
        self.text.focus_set()

    def clear_if(self, sent: str) -> None:
        """Empty the box, but only if it still holds what was sent (the user may have typed on)."""
        if self.value().strip() == sent.strip():
            self.set_value("")

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.button.configure(text="Stop" if busy else "Send")

    def show_note(self, text: str, *, error: bool = False) -> None:
        self._error = error
        self.note.configure(text=text, foreground=theme.current().error if error else "")

    def _clicked(self) -> None:
        (self._on_stop if self.busy else self._on_send)()

    def _enter(self, _event: tk.Event[tk.Misc]) -> str:
        if not self.busy:
            self._on_send()
        return "break"

    def _newline(self, _event: tk.Event[tk.Misc]) -> str:
        self.text.insert("insert", "\n")
        self.text.see("insert")
        return "break"
