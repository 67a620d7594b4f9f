"""ChatPane: the LLM chat beside the terminals — transcript, model picker, input, Send/Stop/Retry.

Requests run in `core.chat.worker.ChatJob`; their messages arrive through the pump
(which ticks fast while an answer streams: `pump.hurry()`) and are drawn once per frame
(`after_idle`), never per token. Attachments plug in through `set_attachment_source`
and `set_request_preparer` (the pane is the `ui/handles.Chat` handle).
"""

from __future__ import annotations

import itertools
import logging
import tkinter as tk
from tkinter import ttk
from typing import TYPE_CHECKING

from smartspec_tk.core.chat import messages as m
from smartspec_tk.core.chat import sampling
from smartspec_tk.core.chat.attachments import attachments_of
from smartspec_tk.core.chat.client import ChatClient
from smartspec_tk.core.chat.request import ChatOptions
from smartspec_tk.core.chat.session import ChatSession, StoreSink, Turn
from smartspec_tk.core.chat.store import ConversationStore
from smartspec_tk.core.chat.worker import ChatJob, Preparer
from smartspec_tk.ui.chat.answer import AnswerStream
from smartspec_tk.ui.chat.input import ChatInput
from smartspec_tk.ui.chat.markdown import CodeActions
from smartspec_tk.ui.chat.navigator import ConversationNavigator
from smartspec_tk.ui.chat.thumbnails import ThumbnailCache
from smartspec_tk.ui.chat.toolbar import ChatToolbar
from smartspec_tk.ui.chat.transcript import Transcript
from smartspec_tk.ui.chat.turn_actions import TurnActions
from smartspec_tk.ui.chat.turns import NEW_CHAT_HINT, status_text

if TYPE_CHECKING:
    from pathlib import Path

    from smartspec_tk.services import Services
    from smartspec_tk.ui.handles import AttachmentSource, Terminals
    from smartspec_tk.ui.window.pump import Hurry, Pump

log = logging.getLogger(__name__)
UPLOAD_POLL_MS = 200


class ChatPane(ttk.Frame):
    def __init__(self, master: tk.Misc, pump: Pump, services: Services, store: ConversationStore, *,
                 terminals: Terminals | None = None) -> None:  # fmt: skip
        super().__init__(master)
        self.pump = pump
        self.services = services
        self.store = store
        self.terminals = terminals  # where code and selections come from and go to; None: no terminals
        self.client = ChatClient(services.http, services.backend_url, demo=services.demo_backend)
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
        self.transcript = Transcript(self, actions, services.settings.font_size)
        self.thumbnails = ThumbnailCache(self, services.paths.data_dir / "thumbnails")
        self.transcript.thumbnails = self.thumbnails.load
        self.transcript.pack(side="top", fill="both", expand=True)
        self._attachments: AttachmentSource | None = None
        self._preparer: Preparer | None = None
        self._ids = itertools.count(1)
        self.job: ChatJob | None = None
        self._stream: AnswerStream | None = None
        self._waiting_after: str | None = None
        self._hurry: Hurry | None = None
        for kind, handler in (
            (m.ChatAccepted, self._on_accepted), (m.ChatDelta, self._on_delta), (m.ChatUsage, self._on_usage),
            (m.ChatNotice, self._on_notice), (m.ChatFinished, self._on_finished),
            (m.ChatModelsLoaded, self._on_models),
        ):  # fmt: skip
            pump.subscribe(kind, handler, owner=self)  # type: ignore[arg-type]
        self.toolbar.model = store.get_pref("model") or services.settings.default_model
        self.toolbar.sampling = sampling.load(store)

    # The Chat handle (ui/handles.py): attachments and start-up hooks ---------

    def set_attachment_source(self, source: AttachmentSource | None) -> None:
        self._attachments = source

    def set_request_preparer(self, preparer: Preparer | None) -> None:
        """`preparer(messages) -> messages` runs on the worker thread before each request."""
        self._preparer = preparer

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
    def busy(self) -> bool:
        return self.job is not None or self._waiting_after is not None

    def send_prompt(self) -> None:
        """Send the input box (and any attachments) as the next prompt."""
        if self.busy:
            return
        text = self.input.value().strip()
        source = self._attachments if self.turn_actions.editing is None else None  # an edit keeps its files
        if source is not None and source.pending():
            self._wait_for_uploads()
            return
        parts = source.take_parts() if source is not None else []
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
        turn = self.session.start_turn(text, parts, model, self.toolbar.system_prompt)
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
        elif self.job is not None:
            self.job.cancel()

    def retry(self) -> None:
        if self.busy:
            return
        turn = self.session.retry_turn(self.toolbar.model)
        if turn is None:
            return
        self.turn_actions.render(skip=turn.answer_message_id)  # the new answer is drawn as it streams
        self.start(turn, self.session.last_user_text())

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

    def _current(self, request_id: int) -> AnswerStream | None:
        stream = self._stream
        return stream if stream is not None and stream.request_id == request_id else None

    def _on_accepted(self, message: m.ChatAccepted) -> None:
        if stream := self._current(message.request_id):
            self.input.clear_if(stream.sent_text)

    def _on_delta(self, message: m.ChatDelta) -> None:
        if stream := self._current(message.request_id):
            stream.add(message.text)

    def _on_usage(self, message: m.ChatUsage) -> None:
        if stream := self._current(message.request_id):
            stream.usage = message

    def _on_notice(self, message: m.ChatNotice) -> None:
        if stream := self._current(message.request_id):
            stream.notices.append(message.text)
            self.input.show_note(message.text)

    def _on_finished(self, message: m.ChatFinished) -> None:
        if stream := self._current(message.request_id):
            stream.finish(message)  # completes the turn once the last text is drawn

    def _complete(self, stream: AnswerStream, message: m.ChatFinished) -> None:
        usage = stream.usage
        figures = (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) if usage else None
        line = status_text(message.status, message.error, figures, stream.notices)
        failed = message.status in (m.FAILED, m.INCOMPLETE)
        again = failed or message.status == m.STOPPED
        self.transcript.add_status(line, error=failed, retry=self.retry if again else None)
        self.turn_actions.add_row(stream.answer_id)
        self.navigator.sidebar.refresh()  # last used: now
        self.job, self._stream = None, None
        self._stop_hurry()
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
        model = self.toolbar.model
        chosen = self.toolbar.sampling
        options = ChatOptions(model, self.toolbar.system_prompt, chosen.temperature, chosen.max_tokens)
        request_id = next(self._ids)
        self.transcript.forget_retry()
        renderer = self.transcript.begin_answer(f"Assistant · {model}")
        sink = StoreSink(self.store, turn.answer_message_id)
        self.job = ChatJob(
            self.client, self.services.outbox, request_id, options, turn.history, sink=sink, preparer=self._preparer
        )
        self._stream = AnswerStream(self.transcript, renderer, request_id, sent_text, self.job.backlog, self._complete)
        self._stream.answer_id = turn.answer_message_id
        self.input.set_busy(True)
        self.input.show_note("")
        self.job.start()
        if self._hurry is None:
            self._hurry = self.pump.hurry(owner=self)  # the answer's tokens reach the screen within ~4 ms

    def _stop_hurry(self) -> None:
        if self._hurry is not None:
            self._hurry.release()
            self._hurry = None

    def _abandon(self) -> None:
        """Leave the current request (it is stopped; its worker still saves what it got) and any edit."""
        self.turn_actions.cancel_edit()
        if self._waiting_after is not None:
            self.stop()
        if self.job is not None:
            self.job.cancel()
        if self._stream is not None:
            self._stream.close()
        self.job, self._stream = None, None
        self._stop_hurry()
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

