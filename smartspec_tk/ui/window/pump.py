"""The pump: drains the outbox on the Tk thread every ~16 ms. The only place threads meet Tk."""

from __future__ import annotations

import logging
import tkinter as tk
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

from smartspec_tk.core.messages import Message
from smartspec_tk.core.outbox import Outbox

log = logging.getLogger(__name__)

M = TypeVar("M", bound=Message)


class Pump:
    """Delivers outbox messages to the handlers subscribed to their type (Tk thread only)."""

    def __init__(self, widget: tk.Tk, outbox: Outbox, *, interval_ms: int = 16, cap: int = 500) -> None:
        self._widget = widget
        self._outbox = outbox
        self._interval_ms = interval_ms
        self._cap = cap
        self._handlers: defaultdict[type[Message], list[Callable[[Any], None]]] = defaultdict(list)
        self._after_id: str | None = None

    def subscribe(self, kind: type[M], handler: Callable[[M], None]) -> None:
        self._handlers[kind].append(handler)

    def start(self) -> None:
        if self._after_id is None:
            self._after_id = self._widget.after(self._interval_ms, self._tick)

    def stop(self) -> None:
        if self._after_id is not None:
            self._widget.after_cancel(self._after_id)
            self._after_id = None

    def tick(self) -> int:
        """Deliver up to `cap` messages now; returns how many were delivered."""
        messages = self._outbox.drain(self._cap)
        for message in messages:
            handlers = self._handlers.get(type(message))
            if not handlers:
                log.debug("no handler for %s", type(message).__name__)
                continue
            for handler in handlers:
                try:
                    handler(message)
                except Exception:
                    # One broken handler must not stop the pump; report it like a Tk callback.
                    self._widget.report_callback_exception(*_exc_info())
        return len(messages)

    def _tick(self) -> None:
        self.tick()
        self._after_id = self._widget.after(self._interval_ms, self._tick)


def _exc_info() -> tuple[Any, Any, Any]:
    import sys

    return sys.exc_info()
