"""ConversationSidebar: the saved conversations beside the chat — search, open, rename, delete, export (Tk thread).

Newest first, each with when it was last used. A click opens a conversation; the
search matches titles and message text as you type; F2 or double-click renames in
place, Delete deletes (after asking), the right-click menu and the buttons below
do the same.
"""

from __future__ import annotations

import logging
import time
import tkinter as tk
from collections.abc import Callable
from pathlib import Path
from tkinter import font as tkfont
from tkinter import messagebox, ttk

from smartspec_tk.core.chat.records import ConversationInfo
from smartspec_tk.core.chat.store import ConversationStore
from smartspec_tk.ui import theme
from smartspec_tk.ui.chat.rename import InlineRename
from smartspec_tk.ui.theme.widgets import icon_button

log = logging.getLogger(__name__)
SEARCH_DELAY_MS = 150
WIDTH = 220


def when_label(stamp: float, now: float | None = None) -> str:
    """When a conversation was last used, as short as it can be told: 14:02, Yesterday, 3 Mar, 3 Mar 2024."""
    moment, today = time.localtime(stamp), time.localtime(time.time() if now is None else now)
    days = (time.mktime(today[:3] + (0, 0, 0, 0, 0, -1)) - time.mktime(moment[:3] + (0, 0, 0, 0, 0, -1))) / 86400
    if round(days) == 0:
        return time.strftime("%H:%M", moment)
    if round(days) == 1:
        return "Yesterday"
    day = str(moment.tm_mday)
    if moment.tm_year == today.tm_year:
        return f"{day} {time.strftime('%b', moment)}"
    return f"{day} {time.strftime('%b %Y', moment)}"


class ConversationSidebar(ttk.Frame):
    def __init__(
        self,
        master: tk.Misc,
        store: ConversationStore,
        *,
        on_open: Callable[[int], None],
        on_deleted: Callable[[int], None],
        on_renamed: Callable[[int], None],
    ) -> None:
        super().__init__(master, padding=(6, 4, 4, 6), width=WIDTH)
        self._store = store
        self._on_open, self._on_deleted, self._on_renamed = on_open, on_deleted, on_renamed
        self.current: int | None = None
        self._search_after: str | None = None
        self.titles: dict[int, str] = {}
        self._quiet = False  # selecting the open conversation ourselves is not a click
        self.search_var = tk.StringVar(self)
        self._build()
        self._rename = InlineRename(self.tree, self._renamed)
        self.refresh()

    def _build(self) -> None:
        top = ttk.Frame(self)
        top.pack(side="top", fill="x", pady=(0, 4))
        ttk.Label(top, image=theme.icon("search", "muted")).pack(side="left", padx=(0, 4))
        self.search_entry = ttk.Entry(top, textvariable=self.search_var)
        self.search_entry.pack(side="left", fill="x", expand=True)
        self.search_var.trace_add("write", lambda *_: self._search_soon())
        self.search_entry.bind("<Escape>", lambda _e: self.search_var.set(""))
        buttons = ttk.Frame(self)
        buttons.pack(side="bottom", fill="x", pady=(4, 0))
        for icon, tip, command in (
            ("edit", "Rename (F2)", self.rename_selected),
            ("export", "Export as Markdown or JSON…", self.export_selected),
            ("delete", "Delete… (Del)", self.delete_selected),
        ):  # fmt: skip
            icon_button(buttons, icon, tip, command).pack(side="left", padx=(0, 2))
        self.empty = ttk.Label(self, style="Muted.TLabel", wraplength=WIDTH - 20, justify="left")
        self.tree = ttk.Treeview(self, columns=("when",), show="tree", selectmode="browse")
        self.tree.column("#0", width=WIDTH - 80, stretch=True)
        self.tree.column("when", width=70, stretch=False, anchor="e")
        self.tree.tag_configure("current", font=_bold())
        scroll = ttk.Scrollbar(self, orient="vertical", command=self.tree.yview)
        self.tree.configure(yscrollcommand=scroll.set)
        scroll.pack(side="right", fill="y")
        self.tree.pack(side="top", fill="both", expand=True)
        self.tree.bind("<<TreeviewSelect>>", lambda _e: self._selected())
        self.tree.bind("<Double-Button-1>", lambda _e: self.rename_selected())
        self.tree.bind("<F2>", lambda _e: self.rename_selected())
        self.tree.bind("<Delete>", lambda _e: self.delete_selected())
        self.tree.bind("<Button-3>", self._menu)
        self.tree.bind("<Configure>", lambda _e: self._fit_columns(), add="+")
        self.menu = tk.Menu(self, tearoff=False)
        self.menu.add_command(label="Rename", command=self.rename_selected)
        self.menu.add_command(label="Export…", command=self.export_selected)
        self.menu.add_separator()
        self.menu.add_command(label="Delete…", command=self.delete_selected)

    # The list -------------------------------------------------------------

    def refresh(self) -> None:
        """List the conversations (matching the search), newest first; the open one in bold."""
        query = self.search_var.get()
        found = self._store.list_conversations(query)
        self.tree.delete(*self.tree.get_children())
        self.titles = {info.id: _title(info) for info in found}
        for info in found:
            self.tree.insert("", "end", iid=str(info.id), values=(when_label(info.updated_at),),
                             tags=("current",) if info.id == self.current else ())  # fmt: skip
        self._fit_columns()
        self._show_current()
        if found:
            self.empty.pack_forget()
        else:
            self.empty.configure(text=f"No conversation matches “{query.strip()}”." if query.strip()
                                 else "No conversations yet: your chats appear here.")  # fmt: skip
            self.empty.pack(side="top", fill="x", before=self.tree)

    def show_current(self, conversation_id: int | None) -> None:
        """Mark the conversation the pane shows (None: a new chat)."""
        self.current = conversation_id
        self.refresh()

    def listed(self) -> list[int]:
        return [int(iid) for iid in self.tree.get_children()]

    def selected(self) -> int | None:
        selection = self.tree.selection()
        return int(selection[0]) if selection else None

    def focus_search(self) -> None:
        self.search_entry.focus_set()
        self.search_entry.select_range(0, "end")

    # Actions on the selected conversation ---------------------------------

    def rename_selected(self, title: str | None = None) -> None:
        conversation_id = self.selected()
        if conversation_id is None:
            return
        if title is not None:
            self._renamed(title)
            return
        iid = str(conversation_id)
        self.tree.see(iid)
        self.update_idletasks()
        box = self.tree.bbox(iid, "#0")
        if box:
            x, y, width, height = box
            self._rename.start(self.titles.get(conversation_id, ""), x, y, width, height)

    def delete_selected(self, confirm: bool = True) -> None:
        conversation_id = self.selected()
        if conversation_id is None:
            return
        title = self.titles.get(conversation_id, "")
        if confirm and not messagebox.askyesno(
            "Delete conversation", f"Delete “{title}” and all its messages?", parent=self
        ):
            return
        self._store.delete_conversation(conversation_id)
        self._on_deleted(conversation_id)
        self.refresh()

    def export_selected(self, path: Path | None = None) -> None:
        conversation_id = self.selected()
        if conversation_id is None:
            return
        from tkinter import filedialog  # these two load at the first export, not at start

        from smartspec_tk.core.chat.export import export

        if path is None:
            chosen = filedialog.asksaveasfilename(
                parent=self, title="Export conversation", defaultextension=".md",
                filetypes=[("Markdown", "*.md"), ("JSON", "*.json")],
                initialfile=_file_name(self.titles.get(conversation_id, "")),
            )  # fmt: skip
            if not chosen:
                return
            path = Path(chosen)
        export(self._store, conversation_id, path)
        log.info("exported conversation %s to %s", conversation_id, path.name)

    # Internals --------------------------------------------------------------

    def _renamed(self, title: str) -> None:
        conversation_id = self.selected()
        if conversation_id is not None:
            self._store.rename(conversation_id, title)
            self._on_renamed(conversation_id)
            self.refresh()

    def _selected(self) -> None:
        conversation_id = self.selected()
        if not self._quiet and conversation_id is not None and conversation_id != self.current:
            self._on_open(conversation_id)

    def _show_current(self) -> None:
        iid = str(self.current)
        self._quiet = True
        try:
            if self.current is not None and self.tree.exists(iid):
                self.tree.selection_set(iid)
                self.tree.focus(iid)
                self.tree.see(iid)
            else:
                self.tree.selection_set(())
        finally:
            self.update_idletasks()  # <<TreeviewSelect>> is delivered on idle
            self._quiet = False

    def _search_soon(self) -> None:
        if self._search_after is not None:
            self.after_cancel(self._search_after)
        self._search_after = self.after(SEARCH_DELAY_MS, self._search_now)

    def _search_now(self) -> None:
        self._search_after = None
        self.refresh()

    def _fit_columns(self) -> None:
        """The date column as wide as its longest label (it was clipped in the old History dialog),
        and each title cut with an ellipsis to the room left."""
        labels = [str(self.tree.set(iid, "when")) for iid in self.tree.get_children()]
        font = tkfont.nametofont("TkDefaultFont")
        when = max([font.measure(label) for label in labels] or [40]) + 14
        self.tree.column("when", width=when, minwidth=when)
        room = max(self.tree.winfo_width(), WIDTH - 12) - when - 24
        bold = tkfont.Font(font=_bold())
        for conversation_id, title in self.titles.items():
            face = bold if conversation_id == self.current else font
            self.tree.item(str(conversation_id), text=_fit(title, room, face.measure))

    def _menu(self, event: tk.Event[tk.Misc]) -> None:
        row = self.tree.identify_row(event.y)
        if row:
            self.tree.selection_set(row)
            self.menu.tk_popup(event.x_root, event.y_root)


def _fit(text: str, room: int, measure: Callable[[str], int]) -> str:
    """`text`, or as much of it as fits in `room` px followed by an ellipsis."""
    if measure(text) <= room:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(text[:middle].rstrip() + "…") <= room:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def _title(info: ConversationInfo) -> str:
    return info.title or "Untitled"


def _bold() -> tuple[str, int, str]:
    base = tkfont.nametofont("TkDefaultFont").actual()
    return (str(base["family"]), int(base["size"]), "bold")


def _file_name(title: str) -> str:
    safe = "".join(c if c.isalnum() or c in " -_." else "_" for c in title).strip()
    return (safe[:40] or "conversation") + ".md"
