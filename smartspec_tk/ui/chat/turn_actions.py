"""TurnActions: Copy, Edit-and-resend, Regenerate and ‹ 1/2 › for the messages of one ChatPane (Tk thread).

Edit puts the prompt back into the input box; sending it then makes a new version
of that turn beside the old one (`ChatSession.edit_turn`). Regenerate asks again
for an answer, keeping the earlier ones. Both, and switching versions, redraw the
shown branch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smartspec_tk.core.chat.branches import MessageTree
from smartspec_tk.core.chat.records import StoredMessage
from smartspec_tk.core.chat.session import Turn
from smartspec_tk.ui.chat.actions import RowActions
from smartspec_tk.ui.chat.turns import render_conversation, typed_text

if TYPE_CHECKING:
    from smartspec_tk.ui.chat.host import PaneHost

BUSY_NOTE = "Wait for the answer to finish (or press Stop) first."
EDIT_NOTE = "Editing your message: Enter sends it as a new version (the earlier one stays, ‹ ›); Esc cancels."


class TurnActions:
    def __init__(self, pane: PaneHost) -> None:
        self.pane = pane
        self.editing: int | None = None  # the prompt being edited in the input box

    def row_for(self, message: StoredMessage, tree: MessageTree) -> RowActions:
        """The actions under one stored message."""
        versions = tree.versions(message.id) if message.id in tree.by_id else None

        def switch(step: int) -> None:
            self.switch(message.id, step)

        if message.role == "user":
            return RowActions(lambda: self.copy(message), edit=lambda: self.edit(message), versions=versions,
                              switch=switch)  # fmt: skip
        prompt = message.parent_id
        regenerate = (lambda: self.regenerate(prompt)) if prompt is not None else None
        return RowActions(lambda: self.copy(message), regenerate=regenerate, versions=versions, switch=switch)

    def add_row(self, message_id: int) -> None:
        """The row under a message just drawn (a prompt just sent, an answer just finished)."""
        tree = self.pane.session.tree()
        message = tree.by_id.get(message_id)
        if message is not None:
            self.pane.transcript.add_actions(self.row_for(message, tree))

    def render(self, skip: int | None = None) -> None:
        """Draw the shown branch again (`skip`: an answer that is about to stream)."""
        session = self.pane.session
        tree = session.tree()
        messages = [message for message in session.messages() if message.id != skip]
        render_conversation(self.pane.transcript, messages, self.pane.retry, lambda m: self.row_for(m, tree))

    def copy(self, message: StoredMessage) -> None:
        text = typed_text(message.content, message.text) if message.role == "user" else message.text
        self.pane.frame.clipboard_clear()
        self.pane.frame.clipboard_append(text)
        self.pane.input.show_note("Message copied to the clipboard.")

    def edit(self, message: StoredMessage) -> None:
        pane = self.pane
        if pane.busy:
            pane.input.show_note(BUSY_NOTE)
            return
        self.editing = message.id
        pane.input.set_value(typed_text(message.content, message.text))
        pane.input.show_note(EDIT_NOTE)
        pane.input.text.focus_set()

    def cancel_edit(self) -> bool:
        """Esc while editing: the box is emptied; False when nothing was being edited."""
        if self.editing is None:
            return False
        self.editing = None
        self.pane.input.set_value("")
        self.pane.input.show_note("")
        return True

    def send_edit(self, text: str) -> Turn:
        """The edited prompt goes out as a new version of its turn."""
        pane = self.pane
        edited, self.editing = self.editing, None
        assert edited is not None
        return pane.session.edit_turn(edited, text, pane.toolbar.model, pane.toolbar.system_prompt)

    def regenerate(self, prompt_id: int) -> None:
        pane = self.pane
        if pane.busy:
            pane.input.show_note(BUSY_NOTE)
            return
        turn = pane.session.regenerate(prompt_id, pane.toolbar.model)
        self.render(skip=turn.answer_message_id)
        pane.start(turn, pane.session.last_user_text())

    def switch(self, message_id: int, step: int) -> None:
        pane = self.pane
        if pane.busy:
            pane.input.show_note(BUSY_NOTE)
            return
        if pane.session.switch(message_id, step):
            self.render()
