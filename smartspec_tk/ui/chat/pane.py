"""ChatPane: the LLM chat beside the terminals — transcript, model picker, input, Send/Stop/Retry.

The request on its way (its worker, the answer being drawn, the fast pump clock) is
`ui/chat/requests.AnswerRequests`; the pane decides what to send and draws how a turn
ended. Attachments plug in through `set_attachment_source` and `set_request_preparer`
(the pane is the `ui/handles.Chat` handle).
"""

from __future__ import annotations

import logging
import tkinter as tk
from tkinter import ttk
from typing import TYPE_CHECKING

from smartspec_tk.core.chat import messages as m
from smartspec_tk.core.chat import sampling
from smartspec_tk.core.chat.attachments import attachments_of
from smartspec_tk.core.chat.client import ChatClient
from smartspec_tk.core.chat.request import ChatOptions
from smartspec_tk.core.chat.session import ChatSession, StoreSink, Turn, keep_renewed
from smartspec_tk.core.chat.store import ConversationStore
from smartspec_tk.core.chat.worker import ChatJob, Preparer
from smartspec_tk.core.storage import StorageError
from smartspec_tk.ui.chat.answer import AnswerStream
from smartspec_tk.ui.chat.code_actions import CodeActions
from smartspec_tk.ui.chat.input import ChatInput
from smartspec_tk.ui.chat.navigator import ConversationNavigator
from smartspec_tk.ui.chat.requests import AnswerRequests
from smartspec_tk.ui.chat.thumbnails import ThumbnailCache
from smartspec_tk.ui.chat.toolbar import ChatToolbar
from smartspec_tk.ui.chat.transcript import Transcript
from smartspec_tk.ui.chat.turn_actions import TurnActions
from smartspec_tk.ui.chat.turns import NEW_CHAT_HINT, status_text

if TYPE_CHECKING:
    from pathlib import Path

    from smartspec_tk.services import Services
    from smartspec_tk.ui.handles import AttachmentSource, Terminals
    from smartspec_tk.ui.window.pump import Pump

log = logging.getLogger(__name__)
UPLOAD_POLL_MS = 200


class ChatPane(ttk.Frame):
    def __init__(self, master: tk.Misc, pump: Pump, services: Services, store: ConversationStore,
                 client: ChatClient, *, terminals: Terminals | None = None) -> None:  # fmt: skip
        super().__init__(master)
        self.pump = pump
        self.services = services
        self.store = store
        self.terminals = terminals  # where code and selections come from and go to; None: no terminals
        self.session = ChatSession(store)
        self.input = ChatInput(self, on_send=self.send_prompt, on_stop=self.stop)
        self.turn_actions = TurnActions(self)
        self.input.on_escape = self.turn_actions.cancel_edit
        self.navigator = ConversationNavigator(self)
        self.toolbar = ChatToolbar(
            self, on_new=self.new_chat, on_model_chosen=self._remember_model,
            on_sampling_chosen=lambda s: sampling.save(store, s),
        )  # fmt: skip
        self.toolbar.pack(side="top", fill="x")
        self.input.pack(side="bottom", fill="x")
        self.attachments_area = ttk.Frame(self)  # the attachment bar packs itself here
        self.attachments_area.pack(side="bottom", fill="x")
        self.navigator.place()
        actions = CodeActions(copy=self._copy, insert=self._insert_into_terminal)
        self.transcript = Transcript(self, actions, services.settings.chat_font_size)
        self.thumbnails = ThumbnailCache(self, services.paths.data_dir / "thumbnails")
        self.transcript.thumbnails = self.thumbnails.load
        self.transcript.pack(side="top", fill="both", expand=True)
        self.requests = AnswerRequests(self, pump, client, services.outbox, self.transcript, self.input,
                                       self._complete)  # fmt: skip
        self._attachments: AttachmentSource | None = None
        self._waiting_after: str | None = None
        pump.subscribe(m.ChatModelsLoaded, self._on_models, owner=self)
        self.toolbar.model = store.get_pref("model") or services.settings.default_model
        self.toolbar.sampling = sampling.load(store)

    # The Chat handle (ui/handles.py): attachments and start-up hooks ---------

    def set_attachment_source(self, source: AttachmentSource | None) -> None:
        self._attachments = source

    def set_request_preparer(self, preparer: Preparer | None) -> None:
        """`preparer(messages) -> messages` runs on the worker thread before each request; the prompts
        whose attachments it renewed are saved (`keep_renewed`)."""
        self.requests.preparer = keep_renewed(self.store, preparer) if preparer is not None else None

    @property
    def prompt_text(self) -> tk.Text:
        return self.input.text

    def drop_targets(self) -> list[tk.Misc]:
        return [self, self.transcript, self.input, self.input.text]

    def keep_thumbnail(self, source: Path, sha256: str, content_type: str) -> bool:
        return self.thumbnails.save(source, sha256, content_type)

    def set_prompt(self, text: str) -> None:
        self.input.set_value(text)

    # User actions ----------------------------------------------------------

    @property
    def frame(self) -> ttk.Frame:
        """The pane as a widget (what its helpers see of it: ui/chat/host.PaneHost)."""
        return self

    @property
    def job(self) -> ChatJob | None:
        """The request running now (None: none)."""
        return self.requests.job

    @property
    def busy(self) -> bool:
        return self.requests.job is not None or self._waiting_after is not None

    def send_prompt(self) -> None:
        """Send the input box (and any attachments) as the next prompt."""
        if self.busy:
            return
        text = self.input.value().strip()
        source = self._attachments if self.turn_actions.editing is None else None  # an edit keeps its files
        if source is not None and source.pending():
            self._wait_for_uploads()
            return
        parts = source.peek_parts() if source is not None else []
        if not text and not parts:
            return
        model = self.toolbar.model
        if not model:
            self.input.show_note("Choose or type a model name first.")
            return
        if self.turn_actions.editing is not None:
            turn = self.turn_actions.send_edit(text)
            self.turn_actions.render(skip=turn.answer_message_id)
            self.start(turn, text)
            return
        if not parts and self.session.repeats_failed_prompt(text):
            self.retry()
            return
        first = self.session.conversation_id is None
        try:
            turn = self.session.start_turn(text, parts, model, self.toolbar.system_prompt)
        except StorageError as exc:  # the disk is full or read-only: nothing sent, the text and files stay
            self.input.show_note(f"{exc} Your text and attachments are still here.", error=True)
            return
        if source is not None:
            source.take_parts()
        self.navigator.refresh()  # a new conversation gets its title; the list puts it first
        if first:
            self.transcript.clear()
        self.transcript.add_user(text, attachments_of(parts))
        self.turn_actions.add_row(turn.user_message_id)
        self.start(turn, text)

    def stop(self) -> None:
        if self._waiting_after is not None:
            self.after_cancel(self._waiting_after)
            self._waiting_after = None
            self.input.set_busy(False)
            self.input.show_note("Sending cancelled; your text is still here.")
        elif self.requests.job is not None:
            self.requests.job.cancel()

    def retry(self) -> None:
        if self.busy:
            return
        turn = self.session.retry_turn(self.toolbar.model)
        if turn is None:
            return
        self.turn_actions.render(skip=turn.answer_message_id)  # the new answer is drawn as it streams
        self.start(turn, self.session.last_user_text())

    def send_without_missing(self) -> None:
        """The user agreed to leave out the files the backend forgot and that are gone here: ask again."""
        if not self.busy and self.session.drop_missing():
            self.retry()

    def new_chat(self) -> None:
        self._abandon()
        self.session = ChatSession(self.store)
        self.toolbar.system_prompt = ""
        self.transcript.clear()
        self.transcript.add_status(NEW_CHAT_HINT)
        self.navigator.showing(None)
        self.input.show_note("")
        self.input.text.focus_set()

    def open_conversation(self, conversation_id: int) -> None:
        info = self.store.conversation(conversation_id)
        if info is None:
            return
        self._abandon()
        self.session = ChatSession(self.store, conversation_id)
        self.toolbar.system_prompt = info.system_prompt
        if info.model:
            self.toolbar.model = info.model
        self.turn_actions.render()
        self.navigator.showing(conversation_id)

    def show_conversations(self) -> None:
        """The conversations sidebar, with the cursor in its search (Chat → Conversations)."""
        self.navigator.reveal()

    def send_terminal_selection(self) -> None:
        selection = self.terminals.selected_text() if self.terminals is not None else ""
        if not selection.strip():
            self.input.show_note("Select some text in a terminal first.")
            return
        self.input.insert(f"```\n{selection.rstrip()}\n```\n")

    # Worker messages (Tk thread, through the pump) -------------------------

    def _complete(self, stream: AnswerStream, message: m.ChatFinished) -> None:
        usage = stream.usage
        figures = (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) if usage else None
        line = status_text(message.status, message.error, figures, stream.notices)
        failed = message.status in (m.FAILED, m.INCOMPLETE)
        again = failed or message.status == m.STOPPED
        without = (f"Send without {', '.join(message.missing)}", self.send_without_missing) if message.missing else None
        self.transcript.add_status(line, error=failed, retry=self.retry if again else None, other=without)
        self.turn_actions.add_row(stream.answer_id)
        self.navigator.sidebar.refresh()  # last used: now
        self.requests.done()
        self.input.set_busy(False)
        if message.status == m.FAILED and not self.input.value().strip():
            self.input.set_value(stream.sent_text)  # never lose the user's text
        if failed:
            self.input.show_note(message.error, error=True)
        elif not stream.notices:
            self.input.show_note("")

    def _on_models(self, message: m.ChatModelsLoaded) -> None:
        self.toolbar.set_models(list(message.models), message.error)
        if message.error:
            self.input.show_note(f"Model list unavailable ({message.error}); type a model name.")

    # Internals -------------------------------------------------------------

    def start(self, turn: Turn, sent_text: str) -> None:
        """Stream the answer of a turn whose rows are saved (a new prompt, a retry, a new version)."""
        chosen = self.toolbar.sampling
        options = ChatOptions(self.toolbar.model, self.toolbar.system_prompt, chosen.temperature, chosen.max_tokens)
        self.transcript.forget_retry()
        self.requests.start(turn, sent_text, options, StoreSink(self.store, turn.answer_message_id))
        self.input.set_busy(True)
        self.input.show_note("")

    def _abandon(self) -> None:
        """Leave the current request (it is stopped; its worker still saves what it got) and any edit."""
        self.turn_actions.cancel_edit()
        if self._waiting_after is not None:
            self.stop()
        self.requests.abandon()
        self.input.set_busy(False)

    def _wait_for_uploads(self) -> None:
        self.input.set_busy(True)
        self.input.show_note("Waiting for uploads to finish…")
        self._waiting_after = self.after(UPLOAD_POLL_MS, self._uploads_done)

    def _uploads_done(self) -> None:
        source = self._attachments
        if source is not None and source.pending():
            self._waiting_after = self.after(UPLOAD_POLL_MS, self._uploads_done)
            return
        self._waiting_after = None
        self.input.set_busy(False)
        self.input.show_note("")
        self.send_prompt()

    def _remember_model(self, model: str) -> None:
        self.store.set_pref("model", model)

    def _copy(self, code: str) -> None:
        self.clipboard_clear()
        self.clipboard_append(code)
        self.input.show_note("Code copied to the clipboard.")

    def _insert_into_terminal(self, code: str) -> None:
        if self.terminals is None or not self.terminals.paste_into_current(code, bracketed=True):
            self.input.show_note("No terminal is open to insert the code into.")

