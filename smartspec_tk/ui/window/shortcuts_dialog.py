"""ShortcutsDialog: Help → Keyboard shortcuts, the table of every shortcut with its current keys."""

from __future__ import annotations

import tkinter as tk
from tkinter import ttk

from smartspec_tk.core.shortcuts import KeyMap, table


class ShortcutsDialog(tk.Toplevel):
    """A read-only two-column table; the keys reflect the `shortcuts` setting."""

    def __init__(self, master: tk.Misc, keymap: KeyMap) -> None:
        super().__init__(master)
        self.title("Keyboard shortcuts")
        self.transient(master.winfo_toplevel())
        body = ttk.Frame(self, padding=12)
        body.pack(fill="both", expand=True)
        rows = table(keymap)
        self.tree = ttk.Treeview(body, columns=("action", "keys"), show="headings", height=len(rows),
                                 selectmode="none")  # fmt: skip
        self.tree.heading("action", text="Action", anchor="w")
        self.tree.heading("keys", text="Keys", anchor="w")
        self.tree.column("action", width=260, anchor="w")
        self.tree.column("keys", width=360, anchor="w")
        for label, keys in rows:
            self.tree.insert("", "end", values=(label, keys))
        self.tree.pack(fill="both", expand=True)
        note = ("They work also while a terminal has the focus. Change them with the setting "
                "SMARTSPEC_SHORTCUTS, e.g. toggle_chat=Ctrl+Shift+L; quit=none.")  # fmt: skip
        ttk.Label(body, text=note, style="Muted.TLabel", wraplength=620, justify="left").pack(anchor="w", pady=(8, 0))
        close = ttk.Button(body, text="Close", command=self.destroy)
        close.pack(anchor="e", pady=(8, 0))
        close.focus_set()
        self.bind("<Escape>", lambda _e: self.destroy())

    def rows(self) -> list[tuple[str, str]]:
        """What the table shows, (action, keys) per row."""
        return [(str(self.tree.item(item, "values")[0]), str(self.tree.item(item, "values")[1]))
                for item in self.tree.get_children()]  # fmt: skip
