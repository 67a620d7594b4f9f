"""AnswerStream: one answer being drawn as it streams, once per frame and bounded (Tk thread).

Text from `ChatDelta` messages waits in `pending`; one `after_idle` draws it all, at
most FRAME_CHARS per frame (the rest on the next frame), and tells the worker's
back-pressure how much was drawn. The turn completes once the last text is drawn.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from typing import TYPE_CHECKING

from smartspec_tk.core.chat import messages as m
from smartspec_tk.core.chat.worker import Backlog
from smartspec_tk.ui.chat.transcript import Transcript

if TYPE_CHECKING:
    from smartspec_tk.ui.chat.markdown import MarkdownRenderer

FRAME_CHARS = 1000  # at most this much answer text per frame: 4000 blocked the UI ~60 ms in a flood, 1000 ~20-35 ms
# A frame's cost is in its lines (tags, inserts, layout): text with no line end in its first
# FRAME_CHARS may take up to RUN_CHARS in one frame (a 10 MB one-line answer: 2,600 frames, not 10,000).
RUN_CHARS = 4000


class AnswerStream:
    def __init__(
        self,
        transcript: Transcript,
        renderer: MarkdownRenderer,
        request_id: int,
        sent_text: str,
        backlog: Backlog,
        on_complete: Callable[[AnswerStream, m.ChatFinished], None],
    ) -> None:
        self.transcript = transcript
        self.renderer = renderer
        self.request_id = request_id
        self.sent_text = sent_text
        self.backlog = backlog
        self.on_complete = on_complete
        self.pending: list[str] = []
        self.usage: m.ChatUsage | None = None
        self.notices: list[str] = []
        self.finished: m.ChatFinished | None = None
        self.answer_id = 0  # the stored answer row this stream fills
        self.closed = False
        self._scheduled = False

    @property
    def widget(self) -> tk.Text:
        return self.transcript.text

    def add(self, text: str) -> None:
        self.pending.append(text)
        if not self._scheduled:
            self._scheduled = True
            self.widget.after_idle(self.flush)

    def finish(self, message: m.ChatFinished) -> None:
        self.finished = message
        if not self._scheduled:
            self.flush()

    def close(self) -> None:
        """The pane no longer shows this request: stop drawing it."""
        self.closed = True
        self.backlog.done(sum(len(p) for p in self.pending))

    def flush(self) -> None:
        """Draw what arrived since the last frame (bounded, so a flood never freezes the UI)."""
        self._scheduled = False
        if self.closed:
            return
        text = "".join(self.pending)
        self.pending.clear()
        if len(text) > FRAME_CHARS:
            cut = text.rfind("\n", 0, FRAME_CHARS) + 1 or text.find("\n", FRAME_CHARS, RUN_CHARS) + 1 or RUN_CHARS
            text, rest = text[:cut], text[cut:]
            if rest:
                self.pending.append(rest)
                self._scheduled = True
                self.widget.after(1, self.flush)
        if text:
            with self.transcript.writing():
                self.renderer.feed(text)
            self.backlog.done(len(text))
        if self.finished is not None and not self.pending:
            with self.transcript.writing():
                self.renderer.finish()
            self.closed = True
            self.on_complete(self, self.finished)
