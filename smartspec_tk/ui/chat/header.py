"""ChatHeader: the row at the top of the chat — the conversations sidebar's toggle and the open
conversation's title, renamable in place (double-click it, or the pencil) (Tk thread)."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import font as tkfont
from tkinter import ttk

from smartspec_tk.ui.chat.rename import InlineRename
from smartspec_tk.ui.theme.widgets import icon_button

NEW_TITLE = "New chat"


class ChatHeader(ttk.Frame):
    def __init__(
        self, master: tk.Misc, *, on_toggle_sidebar: Callable[[], None], on_rename: Callable[[str], None]
    ) -> None:
        super().__init__(master, padding=(4, 4, 6, 0))
        self.toggle = icon_button(self, "sidebar", "Show or hide the conversations", on_toggle_sidebar)
        self.toggle.pack(side="left")
        self.rename_button = icon_button(self, "edit", "Rename this conversation", self.begin_rename)
        self.rename_button.pack(side="right")
        base = tkfont.nametofont("TkDefaultFont").actual()
        self._font = tkfont.Font(self, family=base["family"], size=base["size"] + 2, weight="bold")
        ttk.Style(self).configure("ChatTitle.TLabel", font=self._font)
        self._full = NEW_TITLE
        self.title_label = ttk.Label(self, text=NEW_TITLE, style="ChatTitle.TLabel", anchor="w")
        self.title_label.pack(side="left", fill="x", expand=True, padx=(6, 6))
        self.title_label.bind("<Double-Button-1>", lambda _e: self.begin_rename())
        self.title_label.bind("<Configure>", lambda e: self._fit(int(e.width)), add="+")
        self._rename = InlineRename(self, on_rename)
        self._renamable = False
        self.set_title(NEW_TITLE, renamable=False)

    @property
    def title(self) -> str:
        """The whole title (the label may show it cut with an ellipsis in a narrow pane)."""
        return self._full

    @property
    def renaming(self) -> bool:
        return self._rename.active

    def set_title(self, title: str, *, renamable: bool) -> None:
        """The open conversation's title; a new chat has none to rename until its first prompt."""
        self._full = title
        self._fit(self.title_label.winfo_width())
        self._renamable = renamable
        self.rename_button.state(["!disabled"] if renamable else ["disabled"])

    def begin_rename(self) -> None:
        if not self._renamable:
            return
        label = self.title_label
        self.update_idletasks()
        self._rename.start(self.title, label.winfo_x(), label.winfo_y(), label.winfo_width(), label.winfo_height())

    def _fit(self, width: int) -> None:
        """Show the title whole when it fits, else cut at a character with an ellipsis."""
        text = self._full
        if width > 1 and self._font.measure(text) > width:
            low, high = 0, len(text)
            while low < high:  # the longest prefix that fits with "…"
                middle = (low + high + 1) // 2
                low, high = (middle, high) if self._font.measure(text[:middle] + "…") <= width else (low, middle - 1)
            text = text[:low].rstrip() + "…"
        if str(self.title_label.cget("text")) != text:
            self.title_label.configure(text=text)
