"""ConversationsDialog: search, open, rename, delete and export saved conversations (Tk thread)."""

from __future__ import annotations

import logging
import time
import tkinter as tk
from collections.abc import Callable
from pathlib import Path
from tkinter import filedialog, messagebox, simpledialog, ttk

from smartspec_tk.core.chat.export import export
from smartspec_tk.core.chat.store import ConversationStore

log = logging.getLogger(__name__)


class ConversationsDialog(tk.Toplevel):
    def __init__(
        self,
        master: tk.Misc,
        store: ConversationStore,
        *,
        on_open: Callable[[int], None],
        on_deleted: Callable[[int], None],
    ) -> None:
        super().__init__(master)
        self.title("Conversations")
        self.geometry("620x420")
        self.transient(master.winfo_toplevel())
        self._store = store
        self._on_open = on_open
        self._on_deleted = on_deleted
        self.search_var = tk.StringVar(self)
        top = ttk.Frame(self, padding=8)
        top.pack(fill="x")
        ttk.Label(top, text="Search").pack(side="left")
        entry = ttk.Entry(top, textvariable=self.search_var)
        entry.pack(side="left", fill="x", expand=True, padx=(6, 0))
        self.search_var.trace_add("write", lambda *_: self.refresh())
        self.tree = ttk.Treeview(self, columns=("updated", "count"), selectmode="browse")
        self.tree.heading("#0", text="Title")
        self.tree.heading("updated", text="Last used")
        self.tree.heading("count", text="Messages")
        self.tree.column("updated", width=130, stretch=False)
        self.tree.column("count", width=80, stretch=False, anchor="e")
        self.tree.pack(fill="both", expand=True, padx=8)
        self.tree.bind("<Double-1>", lambda _e: self.open_selected())
        self.tree.bind("<Return>", lambda _e: self.open_selected())
        buttons = ttk.Frame(self, padding=8)
        buttons.pack(fill="x")
        for label, command in (
            ("Open", self.open_selected), ("Rename…", self.rename_selected), ("Delete", self.delete_selected),
            ("Export…", self.export_selected),
        ):  # fmt: skip
            ttk.Button(buttons, text=label, command=command).pack(side="left", padx=(0, 6))
        ttk.Button(buttons, text="Close", command=self.destroy).pack(side="right")
        self.bind("<Escape>", lambda _e: self.destroy())
        self.refresh()
        entry.focus_set()

    def refresh(self) -> None:
        self.tree.delete(*self.tree.get_children())
        for info in self._store.list_conversations(self.search_var.get()):
            stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(info.updated_at))
            self.tree.insert("", "end", iid=str(info.id), text=info.title, values=(stamp, info.message_count))
        children = self.tree.get_children()
        if children:
            self.tree.selection_set(children[0])
            self.tree.focus(children[0])

    def selected(self) -> int | None:
        selection = self.tree.selection()
        return int(selection[0]) if selection else None

    def open_selected(self) -> None:
        conversation_id = self.selected()
        if conversation_id is not None:
            self._on_open(conversation_id)
            self.destroy()

    def rename_selected(self, title: str | None = None) -> None:
        conversation_id = self.selected()
        if conversation_id is None:
            return
        if title is None:
            current = self.tree.item(str(conversation_id), "text")
            title = simpledialog.askstring("Rename", "New title:", initialvalue=current, parent=self)
        if title:
            self._store.rename(conversation_id, title)
            self.refresh()

    def delete_selected(self, confirm: bool = True) -> None:
        conversation_id = self.selected()
        if conversation_id is None:
            return
        title = self.tree.item(str(conversation_id), "text")
        if confirm and not messagebox.askyesno("Delete", f"Delete “{title}”?", parent=self):
            return
        self._store.delete_conversation(conversation_id)
        self._on_deleted(conversation_id)
        self.refresh()

    def export_selected(self, path: Path | None = None) -> None:
        conversation_id = self.selected()
        if conversation_id is None:
            return
        if path is None:
            chosen = filedialog.asksaveasfilename(
                parent=self, defaultextension=".md",
                filetypes=[("Markdown", "*.md"), ("JSON", "*.json")],
                initialfile=self.tree.item(str(conversation_id), "text")[:40] or "conversation",
            )  # fmt: skip
            if not chosen:
                return
            path = Path(chosen)
        export(self._store, conversation_id, path)
        log.info("exported conversation %s to %s", conversation_id, path.name)
