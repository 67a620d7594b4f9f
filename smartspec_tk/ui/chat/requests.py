"""AnswerRequests: the chat pane's request on its way — its ChatJob, the answer being drawn, the fast clock.

Tk thread. `start` runs a `core.chat.worker.ChatJob`; the worker's messages arrive
through the pump and go to the AnswerStream of the request still shown (a stale id
is dropped). While an answer streams, a `pump.hurry()` lease makes the pump tick
fast. Once the last text is drawn, `on_complete(stream, finished)` hands the end
back to the pane, which calls `done()`.
"""

from __future__ import annotations

import itertools
import tkinter as tk
from collections.abc import Callable
from typing import TYPE_CHECKING

from smartspec_tk.core.chat import messages as m
from smartspec_tk.core.chat.client import ChatClient
from smartspec_tk.core.chat.request import ChatOptions
from smartspec_tk.core.chat.session import StoreSink, Turn
from smartspec_tk.core.chat.worker import ChatJob, Preparer
from smartspec_tk.core.outbox import Outbox
from smartspec_tk.ui.chat.answer import AnswerStream
from smartspec_tk.ui.chat.input import ChatInput
from smartspec_tk.ui.chat.transcript import Transcript

if TYPE_CHECKING:
    from smartspec_tk.ui.window.pump import Hurry, Pump

Completed = Callable[[AnswerStream, m.ChatFinished], None]


class AnswerRequests:
    """At most one request at a time; `job` is None when none runs."""

    def __init__(self, owner: tk.Misc, pump: Pump, client: ChatClient, outbox: Outbox, transcript: Transcript,
                 input_box: ChatInput, on_complete: Completed) -> None:  # fmt: skip
        self._owner = owner
        self._pump = pump
        self.client = client
        self._outbox = outbox
        self._transcript = transcript
        self._input = input_box
        self._on_complete = on_complete
        self.preparer: Preparer | None = None  # runs on the worker thread before each request
        self._ids = itertools.count(1)
        self.job: ChatJob | None = None
        self._stream: AnswerStream | None = None
        self._hurry: Hurry | None = None
        pump.subscribe(m.ChatAccepted, self._on_accepted, owner=owner)
        pump.subscribe(m.ChatDelta, self._on_delta, owner=owner)
        pump.subscribe(m.ChatUsage, self._on_usage, owner=owner)
        pump.subscribe(m.ChatNotice, self._on_notice, owner=owner)
        pump.subscribe(m.ChatFinished, self._on_finished, owner=owner)

    def start(self, turn: Turn, sent_text: str, options: ChatOptions, sink: StoreSink) -> None:
        """Stream the answer of `turn` (its rows are saved) into a new answer block of the transcript."""
        request_id = next(self._ids)
        renderer = self._transcript.begin_answer(f"Assistant · {options.model}")
        self.job = ChatJob(self.client, self._outbox, request_id, options, turn.history, sink=sink,
                           preparer=self.preparer)  # fmt: skip
        stream = AnswerStream(self._transcript, renderer, request_id, sent_text, self.job.backlog, self._on_complete)
        stream.answer_id = turn.answer_message_id
        self._stream = stream
        self.job.start()
        if self._hurry is None:
            self._hurry = self._pump.hurry(owner=self._owner)  # the answer's tokens reach the screen within ~4 ms

    def done(self) -> None:
        """The request ended and its end is drawn: forget it and slow the clock down."""
        self.job, self._stream = None, None
        if self._hurry is not None:
            self._hurry.release()
            self._hurry = None

    def abandon(self) -> None:
        """Leave the current request: it is stopped (its worker still saves what it got), nothing more is drawn."""
        if self.job is not None:
            self.job.cancel()
        if self._stream is not None:
            self._stream.close()
        self.done()

    def _current(self, request_id: int) -> AnswerStream | None:
        stream = self._stream
        return stream if stream is not None and stream.request_id == request_id else None

    def _on_accepted(self, message: m.ChatAccepted) -> None:
        if stream := self._current(message.request_id):
            self._input.clear_if(stream.sent_text)

    def _on_delta(self, message: m.ChatDelta) -> None:
        if stream := self._current(message.request_id):
            stream.add(message.text)

    def _on_usage(self, message: m.ChatUsage) -> None:
        if stream := self._current(message.request_id):
            stream.usage = message

    def _on_notice(self, message: m.ChatNotice) -> None:
        if stream := self._current(message.request_id):
            stream.notices.append(message.text)
            self._input.show_note(message.text)

    def _on_finished(self, message: m.ChatFinished) -> None:
        if stream := self._current(message.request_id):
            stream.finish(message)  # completes the turn once the last text is drawn
