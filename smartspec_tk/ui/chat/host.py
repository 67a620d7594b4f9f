"""PaneHost: what the chat pane's helpers (the navigator, the turn actions) use of the ChatPane.

They see the pane through this Protocol, so they never import pane.py (which builds them).
"""

from __future__ import annotations

from tkinter import ttk
from typing import Protocol

from smartspec_tk.core.chat.session import ChatSession, Turn
from smartspec_tk.core.chat.store import ConversationStore
from smartspec_tk.ui.chat.input import ChatInput
from smartspec_tk.ui.chat.toolbar import ChatToolbar
from smartspec_tk.ui.chat.transcript import Transcript


class PaneHost(Protocol):
    store: ConversationStore
    session: ChatSession
    transcript: Transcript
    input: ChatInput
    toolbar: ChatToolbar

    @property
    def frame(self) -> ttk.Frame:
        """The pane's own widget: the parent of its header and sidebar; the clipboard's owner."""
        ...

    @property
    def busy(self) -> bool: ...

    def start(self, turn: Turn, sent_text: str) -> None: ...

    def retry(self) -> None: ...

    def new_chat(self) -> None: ...

    def open_conversation(self, conversation_id: int) -> None: ...
