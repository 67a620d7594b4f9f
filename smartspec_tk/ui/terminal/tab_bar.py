"""TabBar: the terminal notebook's tab strip as users expect it (Tk thread).

Click a tab's × (or middle-click the tab) to close it, drag a tab to move it, double-click
to rename it; a "+" button at the strip's right end opens a tab; a hidden tab that printed
something gets an orange dot, one that rang the bell a red one; with no tab open, an
empty-state view with a "New tab" button fills the area.
"""

# mypy: disable-error-code="no-untyped-call"
from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk
from typing import Any

from smartspec_tk.core.theme import Palette
from smartspec_tk.ui import theme
from smartspec_tk.ui.theme.tooltip import Tooltip
from smartspec_tk.ui.theme.widgets import icon_button

CLOSE_ELEMENT = "close"
ACTIVITY_ROLE, BELL_ROLE = "warn", "error"


def _dot_image(master: tk.Misc, color: str) -> tk.PhotoImage:
    """A 9 px round dot for a tab label."""
    dot = tk.PhotoImage(master=master, width=9, height=9)
    for y in range(9):
        for x in range(9):
            if (x - 4) ** 2 + (y - 4) ** 2 <= 12:
                dot.put(color, to=(x, y))
    return dot


class TabBar:
    def __init__(self, notebook: ttk.Notebook, new_tab: Callable[[], object], new_tab_tip: str, *,
                 on_close: Callable[[str], object], on_rename: Callable[[str], object]) -> None:  # fmt: skip
        self.notebook = notebook
        self._on_close, self._on_rename = on_close, on_rename  # called with the tab's widget path
        notebook.configure(style="Terminal.TNotebook")
        self._drag_from: int | None = None
        self._close_pressed: int | None = None
        self._dots: dict[str, tk.PhotoImage] = {}
        for sequence, handler in (
            ("<ButtonPress-1>", self._on_press), ("<B1-Motion>", self._on_drag),
            ("<ButtonRelease-1>", self._on_release), ("<Double-Button-1>", self._on_double_click),
            ("<ButtonRelease-2>", self._on_middle_click),
        ):  # fmt: skip
            notebook.bind(sequence, handler, add="+")
        self.plus = icon_button(notebook, "plus", new_tab_tip, new_tab)
        self.plus.place(relx=1.0, x=-4, y=3, anchor="ne")
        self.empty = EmptyState(notebook.master, new_tab, new_tab_tip)
        theme.on_change(self._recolour, owner=notebook)

    def sync(self) -> None:
        """Show the empty state when the last tab is gone, hide it when one opens."""
        if self.notebook.tabs():
            self.empty.place_forget()
        else:
            self.empty.place(relx=0, rely=0, relwidth=1, relheight=1)
            self.empty.lift()
            self.empty.button.focus_set()

    # -- dots ----------------------------------------------------------------------------

    def dot(self, role: str) -> tk.PhotoImage:
        image = self._dots.get(role)
        if image is None:
            image = self._dots[role] = _dot_image(self.notebook, str(getattr(theme.current(), role)))
        return image

    def _recolour(self, palette: Palette) -> None:
        for role, image in self._dots.items():
            colour = str(getattr(palette, role))
            for y in range(9):
                for x in range(9):
                    if (x - 4) ** 2 + (y - 4) ** 2 <= 12:
                        image.put(colour, to=(x, y))

    # -- mouse ---------------------------------------------------------------------------

    def tab_at(self, event: Any) -> int | None:
        try:
            index = self.notebook.index(f"@{event.x},{event.y}")
        except tk.TclError:
            return None
        return int(index) if self.notebook.identify(event.x, event.y) else None

    def _on_press(self, event: Any) -> str | None:
        index = self.tab_at(event)
        if index is not None and self.notebook.identify(event.x, event.y) == CLOSE_ELEMENT:
            self._close_pressed = index
            self.notebook.state(["pressed"])
            return "break"  # a click on × must not select the tab first
        self._drag_from = index
        return None

    def _on_drag(self, event: Any) -> None:
        target = self.tab_at(event)
        if self._drag_from is None or target is None or target == self._drag_from:
            return
        self.notebook.insert(target, self.notebook.tabs()[self._drag_from])
        self._drag_from = target

    def _on_release(self, event: Any) -> None:
        pressed, self._close_pressed, self._drag_from = self._close_pressed, None, None
        self.notebook.state(["!pressed"])
        index = self.tab_at(event)
        if pressed is not None and index == pressed and self.notebook.identify(event.x, event.y) == CLOSE_ELEMENT:
            self._close(index)

    def _on_middle_click(self, event: Any) -> None:
        index = self.tab_at(event)
        if index is not None:
            self._close(index)

    def _close(self, index: int) -> None:
        self._on_close(str(self.notebook.tabs()[index]))

    def _on_double_click(self, event: Any) -> None:
        index = self.tab_at(event)
        if index is not None and self.notebook.identify(event.x, event.y) != CLOSE_ELEMENT:
            self._on_rename(str(self.notebook.tabs()[index]))


class EmptyState(ttk.Frame):
    """What the terminal area shows with no tab open: a line of text and a "New tab" button."""

    def __init__(self, master: tk.Misc, new_tab: Callable[[], object], tip: str) -> None:
        super().__init__(master, style="Card.TFrame")
        inner = ttk.Frame(self, style="Card.TFrame")
        inner.place(relx=0.5, rely=0.45, anchor="center")
        ttk.Label(inner, image=theme.icon("terminal", "muted"), style="Card.TLabel").pack(pady=(0, 8))
        ttk.Label(inner, text="No terminal open", style="Card.TLabel", font="TkHeadingFont").pack()
        ttk.Label(inner, text="Open a tab to get a shell in your workspace.", style="CardMuted.TLabel").pack(pady=4)
        self.button = ttk.Button(inner, text="New tab", image=theme.icon("plus", "accent_fg"), compound="left",
                                 style="Accent.TButton", command=new_tab)  # fmt: skip
        self.button.pack(pady=(8, 0))
        Tooltip(self.button, tip)
