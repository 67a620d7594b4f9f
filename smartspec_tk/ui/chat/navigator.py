"""ConversationNavigator: the chat's header (title, renamable) and its conversations sidebar,
kept in step with the conversation the pane shows (Tk thread)."""

from __future__ import annotations

from tkinter import ttk
from typing import TYPE_CHECKING

from smartspec_tk.ui.chat.header import NEW_TITLE, ChatHeader
from smartspec_tk.ui.chat.sidebar import WIDTH as SIDEBAR_WIDTH
from smartspec_tk.ui.chat.sidebar import ConversationSidebar

if TYPE_CHECKING:
    from smartspec_tk.ui.chat.host import PaneHost

SIDEBAR_PREF = "sidebar"  # "1" while the sidebar is shown (remembered across restarts)
TRANSCRIPT_MIN = 420
TERMINALS_MIN = 360


class ConversationNavigator:
    def __init__(self, pane: PaneHost) -> None:
        self.pane = pane
        self.header = ChatHeader(pane.frame, on_toggle_sidebar=self.toggle_sidebar, on_rename=self._rename_open)
        self.sidebar = ConversationSidebar(
            pane.frame, pane.store, on_open=pane.open_conversation, on_deleted=self._deleted, on_renamed=self._renamed
        )

    def place(self) -> None:
        """Pack the header above everything and, if it was open last time, the sidebar at the left."""
        self.header.pack(side="top", fill="x", before=self.pane.toolbar)
        if self.pane.store.get_pref(SIDEBAR_PREF) == "1":
            self.show_sidebar()

    @property
    def sidebar_shown(self) -> bool:
        return bool(self.sidebar.winfo_manager())

    def toggle_sidebar(self) -> None:
        if self.sidebar_shown:
            self.sidebar.pack_forget()
            self.pane.store.set_pref(SIDEBAR_PREF, "0")
        else:
            self.show_sidebar()

    def show_sidebar(self) -> None:
        if not self.sidebar_shown:
            # Packed before the input: the list runs the whole height beside the transcript and the input.
            self.sidebar.pack(side="left", fill="y", before=self.pane.input)
            self.sidebar.pack_propagate(False)
            self.pane.store.set_pref(SIDEBAR_PREF, "1")
            self._make_room()
        self.sidebar.refresh()

    def _make_room(self) -> None:
        """Opening the sidebar in a narrow chat pane moves the window's divider left, if the terminals
        can spare the room, so the transcript keeps at least TRANSCRIPT_MIN px."""
        frame = self.pane.frame
        paned = frame.master.master if frame.master is not None else None
        if not isinstance(paned, ttk.Panedwindow) or len(paned.tk.splitlist(paned.tk.call(paned, "panes"))) < 2:
            return
        frame.update_idletasks()
        missing = TRANSCRIPT_MIN + SIDEBAR_WIDTH - frame.winfo_width()
        position = int(paned.tk.call(paned, "sashpos", 0))
        if missing > 0 and position > TERMINALS_MIN:
            paned.tk.call(paned, "sashpos", 0, max(position - missing, TERMINALS_MIN))

    def reveal(self) -> None:
        """Chat → Conversations: the sidebar, with the cursor in its search."""
        self.show_sidebar()
        self.sidebar.focus_search()

    def showing(self, conversation_id: int | None) -> None:
        """The pane now shows this conversation (None: a new chat)."""
        info = self.pane.store.conversation(conversation_id) if conversation_id is not None else None
        self.header.set_title(info.title if info is not None else NEW_TITLE, renamable=info is not None)
        self.sidebar.show_current(conversation_id)

    def refresh(self) -> None:
        """Something changed the list's order or titles (a new message, a new conversation)."""
        self.showing(self.pane.session.conversation_id)

    def _rename_open(self, title: str) -> None:
        conversation_id = self.pane.session.conversation_id
        if conversation_id is not None:
            self.pane.store.rename(conversation_id, title)
            self.refresh()

    def _renamed(self, conversation_id: int) -> None:
        if conversation_id == self.pane.session.conversation_id:
            self.refresh()

    def _deleted(self, conversation_id: int) -> None:
        if conversation_id == self.pane.session.conversation_id:
            self.pane.new_chat()
