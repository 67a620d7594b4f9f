"""Tooltip: a small themed note that appears when the mouse rests on a widget (Tk thread).

    Tooltip(button, "New tab (Ctrl+Shift+T)")

Shown after `DELAY_MS` over the widget, hidden on leave, click or key; the text can be
changed later with `tooltip.text = …`.
"""

from __future__ import annotations

import contextlib
import tkinter as tk
from typing import Any

from smartspec_tk.ui import theme

DELAY_MS = 450


class Tooltip:
    def __init__(self, widget: tk.Misc, text: str) -> None:
        self.widget = widget
        self.text = text
        self._after: str | None = None
        self.window: tk.Toplevel | None = None
        widget.bind("<Enter>", self._schedule, add="+")
        for sequence in ("<Leave>", "<ButtonPress>", "<KeyPress>", "<Destroy>"):
            widget.bind(sequence, self.hide, add="+")

    def _schedule(self, _event: Any = None) -> None:
        self._cancel()
        self._after = self.widget.after(DELAY_MS, self.show)

    def _cancel(self) -> None:
        if self._after is not None:
            self.widget.after_cancel(self._after)
            self._after = None

    def show(self) -> None:
        self._after = None
        if not self.text or self.window is not None or not self.widget.winfo_ismapped():
            return
        palette = theme.current()
        window = tk.Toplevel(self.widget, background=palette.border, padx=1, pady=1)
        window.wm_overrideredirect(True)
        label = tk.Label(window, text=self.text, background=palette.tooltip_bg, foreground=palette.tooltip_fg,
                         font="TkTooltipFont", padx=7, pady=3, justify="left")  # fmt: skip
        label.pack()
        x = self.widget.winfo_rootx() + 4
        y = self.widget.winfo_rooty() + self.widget.winfo_height() + 4
        window.update_idletasks()
        x = min(x, self.widget.winfo_screenwidth() - window.winfo_reqwidth() - 4)
        window.wm_geometry(f"+{max(x, 0)}+{y}")
        self.window = window

    def hide(self, _event: Any = None) -> None:
        self._cancel()
        if self.window is not None:
            window, self.window = self.window, None
            with contextlib.suppress(tk.TclError):
                window.destroy()
