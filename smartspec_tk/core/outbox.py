"""A thread-safe mailbox: workers `post()` from any thread, the Tk thread `drain()`s it."""

from __future__ import annotations

import queue

from smartspec_tk.core.messages import Message


class Outbox:
    """Mailbox from worker threads to the GUI thread (unbounded, FIFO)."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Message] = queue.SimpleQueue()

    def post(self, message: Message) -> None:
        """Any thread: hand a message to the GUI thread."""
        self._queue.put(message)

    def drain(self, limit: int) -> list[Message]:
        """GUI thread: take at most `limit` waiting messages, oldest first."""
        items: list[Message] = []
        while len(items) < limit:
            try:
                items.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return items

    def empty(self) -> bool:
        return self._queue.empty()
