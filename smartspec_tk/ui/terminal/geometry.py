"""The geometry and fonts of a TerminalView (its base class): how many cells fit, the pty's size after a
resize, font zoom (Ctrl+=/-/0) and a new configured font (Settings, applied at once)."""

from __future__ import annotations

import tkinter as tk
from tkinter import font as tkfont
from tkinter import ttk
from typing import Any

from smartspec_tk.core.terminal.session import TerminalSession
from smartspec_tk.ui.terminal.bell import BORDER
from smartspec_tk.ui.terminal.palette import cell_tabs, pick_family, resize_fonts, tiny_font
from smartspec_tk.ui.terminal.render import TextRenderer


class ViewGeometry(ttk.Frame):
    """TerminalView's base: it owns these attributes."""

    fonts: dict[tuple[bool, bool], tkfont.Font]
    text: tk.Text
    renderer: TextRenderer
    session: TerminalSession | None
    cols: int
    rows: int
    _slack: int
    _resize_after: str | None
    _base_size: int

    def _full_redraw(self) -> None:
        raise NotImplementedError

    def cell_size(self) -> tuple[int, int]:
        font = self.fonts[(False, False)]
        return max(font.measure("0"), 1), max(font.metrics("linespace"), 1)

    def grid_size(self) -> tuple[int, int]:
        """Columns and rows that fit in the space the Text has now (80x24 before it is laid out)."""
        return self._fit()[:2]

    def _fit(self) -> tuple[int, int, int]:
        """(columns, rows, slack): slack is the height left below whole rows."""
        width, height = self.text.winfo_width(), self.text.winfo_height() + self._slack
        if width <= 1 or height <= 1:
            return self.cols, self.rows, self._slack
        cell_w, cell_h = self.cell_size()
        pad_x, pad_y = 2 * int(self.text.cget("padx")) + 2 * BORDER, 2 * int(self.text.cget("pady")) + 2 * BORDER
        rows = max((height - pad_y) // cell_h, 1)
        return max((width - pad_x) // cell_w, 2), rows, max(height - pad_y - rows * cell_h, 0)

    def _fit_height(self, slack: int) -> None:
        """Give the Text exactly rows x cell height (plus its padding): the rest of the space stays
        below it, so no part-row of scrollback shows above the screen (defect 13)."""
        if slack != self._slack:
            self._slack = slack
            self.text.pack_configure(pady=(0, slack))

    def _on_configure(self, _event: tk.Event[Any]) -> None:
        if self._resize_after is not None:
            self.after_cancel(self._resize_after)
        self._resize_after = self.after(80, self.apply_size)

    def apply_size(self) -> None:
        """Give the pty the size that fits now (SIGWINCH) and redraw."""
        self._resize_after = None
        cols, rows, slack = self._fit()
        self._fit_height(slack)
        if (cols, rows) == (self.cols, self.rows) or self.session is None:
            return
        self.cols, self.rows = cols, rows
        self.session.resize(cols, rows)
        self._full_redraw()

    def zoom(self, step: int) -> None:
        """Ctrl +/-/0: change the font size (0 restores the configured size)."""
        size = self._base_size if step == 0 else self.fonts[(False, False)].cget("size") + step
        resize_fonts(self.fonts, max(6, min(int(size), 48)))
        self.renderer.tags.forget_measures()
        self.text.configure(tabs=cell_tabs(self.fonts))
        self.apply_size()
        if self.session is not None:
            self._full_redraw()  # glyph pads depend on the size

    def set_font(self, family: str, size: int) -> None:
        """A new configured font (Settings, applied at once); a zoom of this tab is dropped."""
        chosen = pick_family(self, family)
        for font in self.fonts.values():
            font.configure(family=chosen)
        self.text.configure(font=tiny_font(self, chosen))
        self._base_size = size
        self.zoom(0)
