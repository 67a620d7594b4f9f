"""ChatJob: one chat request on a worker thread, posting frozen messages, always ending with ChatFinished.

Text is coalesced per network read; the answer is handed to a sink (the
conversation store) at most every `flush_interval` seconds and once at the end.
Stop sets the cancel Event and shuts the socket: the backend sees the disconnect.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from smartspec_tk.core.chat import messages as m
from smartspec_tk.core.chat.client import Accepted, ChatClient, StreamingUnsupported
from smartspec_tk.core.chat.errors import DEMO_DOWN, ChatHTTPError
from smartspec_tk.core.chat.request import ChatMessage, ChatOptions, build_body
from smartspec_tk.core.chat.stream import StreamDone, StreamError, StreamItem, TextPiece, Usage
from smartspec_tk.core.errors import AttachmentsGone, NetworkError, UserError
from smartspec_tk.core.logs import redact
from smartspec_tk.core.outbox import Outbox
from smartspec_tk.core.storage import StorageError

log = logging.getLogger(__name__)

Preparer = Callable[[list[ChatMessage]], list[ChatMessage]]
Outcome = tuple[m.FinalStatus, str]  # how the request ended, and the error shown with it
Batch = Sequence[StreamItem | Accepted]  # the items of one network read
BACKLOG_CHARS = 8_000


class AnswerSink(Protocol):
    """Where the streamed answer is saved (worker thread)."""

    def update(self, text: str) -> None: ...

    def finish(self, text: str, status: m.FinalStatus, error: str, usage: dict[str, int] | None) -> None: ...


class Backlog:
    """Back-pressure: answer text posted but not yet drawn. Above `limit` the worker waits,
    so a flood slows the reader (and frees the GIL for the Tk thread) instead of piling up."""

    def __init__(self, limit: int = BACKLOG_CHARS) -> None:
        self.limit = limit
        self._chars = 0
        self._cond = threading.Condition()

    def add(self, count: int, cancel: threading.Event) -> None:
        """Worker thread: count posted text; wait while the GUI is too far behind."""
        with self._cond:
            self._chars += count
            while self._chars > self.limit and not cancel.is_set():
                self._cond.wait(0.1)

    def done(self, count: int) -> None:
        """Tk thread: `count` characters were drawn."""
        with self._cond:
            self._chars = max(0, self._chars - count)
            self._cond.notify_all()


class ChatJob:
    """Runs one request; `start()` from the Tk thread, `cancel()` from any thread."""

    def __init__(
        self,
        client: ChatClient,
        outbox: Outbox,
        request_id: int,
        options: ChatOptions,
        history: Sequence[ChatMessage],
        *,
        sink: AnswerSink | None = None,
        preparer: Preparer | None = None,
        flush_interval: float = 0.5,
    ) -> None:
        self.request_id = request_id
        self._client = client
        self._outbox = outbox
        self._options = options
        self._history = list(history)
        self._sink = sink
        self._preparer = preparer
        self._flush_interval = flush_interval
        self.cancel_event = threading.Event()
        self._text: list[str] = []
        self._usage: Usage | None = None
        self._accepted = False
        self._unsaved = False  # the store could not take the answer (disk full or read-only)
        self._missing: tuple[str, ...] = ()  # files the backend forgot that cannot be uploaded again
        self.backlog = Backlog()
        self._thread = threading.Thread(target=self._run, name=f"chat-{request_id}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self.cancel_event.set()
        self.backlog.done(0)  # wake a worker waiting for the GUI
        self._client.abort(self.request_id)

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    @property
    def text(self) -> str:
        return "".join(self._text)

    def _run(self) -> None:
        status: m.FinalStatus = m.FAILED
        error, retry_after = "", None
        try:
            status, error = self._attempt()
        except AttachmentsGone as exc:  # the pane offers to send without them
            status, error, self._missing = m.FAILED, str(exc), exc.names
        except ChatHTTPError as exc:
            status, error, retry_after = m.FAILED, str(exc), exc.retry_after
        except UserError as exc:
            status, error = self._broken(str(exc))
        except Exception:
            log.exception("chat request %s crashed", self.request_id)
            status, error = m.FAILED, "internal error — see log"
        finally:
            if self.cancel_event.is_set() and status != m.COMPLETE:
                status, error = m.STOPPED, ""
            # Shown, stored and exported: never a bearer token or a token header (issue 13, finding 1).
            self._finish(status, redact(error), retry_after)

    def _attempt(self) -> Outcome:
        try:
            history = self._preparer(list(self._history)) if self._preparer else self._history
        except NetworkError:  # renewing the attachments: the app's own backend gets the same plain words
            if self._client.demo:
                raise NetworkError(DEMO_DOWN) from None
            raise
        body = build_body(self._options, history)
        try:
            return self._stream(body)
        except StreamingUnsupported:
            note = "This backend does not stream answers (HTTP 501); the answer was requested without streaming."
            self._outbox.post(m.ChatNotice(self.request_id, note))
            self._accepted = True
            self._outbox.post(m.ChatAccepted(self.request_id, streaming=False))
            return self._consume([self._client.complete(body)])

    def _stream(self, body: dict[str, object]) -> Outcome:
        with contextlib.closing(self._client.stream(body, key=self.request_id)) as batches:
            return self._consume(batches)

    def _consume(self, batches: Iterable[Batch]) -> Outcome:
        last_flush = time.monotonic()
        for batch in batches:
            if self.cancel_event.is_set():
                return m.STOPPED, ""
            outcome = self._apply(batch)
            if self._sink is not None and self._text and time.monotonic() - last_flush >= self._flush_interval:
                self._save_so_far()
                last_flush = time.monotonic()
            if outcome is not None:
                return outcome
        return m.INCOMPLETE, "The answer stopped before its end (the stream closed without [DONE])."

    def _save_so_far(self) -> None:
        """The answer so far into the store; a full or read-only disk is said once, the answer goes on."""
        assert self._sink is not None
        try:
            self._sink.update(self.text)
        except StorageError as exc:
            if not self._unsaved:
                self._unsaved = True
                log.warning("answer of request %s not saved: %s", self.request_id, exc)
                self._outbox.post(m.ChatNotice(self.request_id, f"This answer is shown but not saved: {exc}"))

    def _apply(self, batch: Batch) -> Outcome | None:
        pieces: list[str] = []
        outcome: Outcome | None = None
        for item in batch:
            if isinstance(item, TextPiece):
                pieces.append(item.text)
            elif isinstance(item, Usage):
                self._usage = item
                self._outbox.post(
                    m.ChatUsage(self.request_id, item.prompt_tokens, item.completion_tokens, item.total_tokens)
                )
            elif isinstance(item, Accepted):
                self._accepted = True
                self._outbox.post(m.ChatAccepted(self.request_id, item.streaming))
            elif isinstance(item, StreamError):
                outcome = (m.INCOMPLETE if self._text or pieces else m.FAILED, f"The backend reported: {item.message}")
            elif isinstance(item, StreamDone) and outcome is None:
                outcome = (m.COMPLETE, "")
        if pieces:
            self._text.extend(pieces)
            text = "".join(pieces)
            self._outbox.post(m.ChatDelta(self.request_id, text))
            self.backlog.add(len(text), self.cancel_event)
        return outcome

    def _broken(self, message: str) -> Outcome:
        if self._accepted:
            return m.INCOMPLETE, f"The answer was cut off: {message}"
        return m.FAILED, message

    def _finish(self, status: m.FinalStatus, error: str, retry_after: float | None) -> None:
        if self._sink is not None:
            try:
                usage = self._usage.as_dict() if self._usage else None
                self._sink.finish(self.text, status, error, usage)
            except Exception:
                log.exception("could not save the answer of request %s", self.request_id)
        self._outbox.post(m.ChatFinished(self.request_id, status, error, retry_after, self._missing))
