"""The pump: drains the outbox on the Tk thread. The only place threads meet Tk, and its one clock.

It ticks every 16 ms; while anyone holds a `hurry()` lease (a chat answer streaming)
it ticks every 4 ms instead. A subscription lives until its `cancel()` or, when it
was given an `owner` widget, until that widget is destroyed.
"""

from __future__ import annotations

import logging
import sys
import tkinter as tk
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

from smartspec_tk.core.messages import Message
from smartspec_tk.core.outbox import Outbox

log = logging.getLogger(__name__)

M = TypeVar("M", bound=Message)
INTERVAL_MS = 16
HURRY_MS = 4  # while a stream asks for it: a token's trip from the socket to the screen stays short


class Subscription:
    """One handler for one message type; `cancel()` (idempotent) stops its deliveries."""

    def __init__(self, pump: Pump, kind: type[Message], handler: Callable[[Any], None]) -> None:
        self._pump, self.kind, self.handler = pump, kind, handler
        self.active = True

    def cancel(self) -> None:
        if self.active:
            self.active = False
            self._pump._drop(self)


class Hurry:
    """A lease on the fast clock; `release()` (idempotent) gives it back."""

    def __init__(self, pump: Pump) -> None:
        self._pump = pump
        self.held = True

    def release(self) -> None:
        if self.held:
            self.held = False
            self._pump._hurries -= 1


class Pump:
    """Delivers outbox messages to the handlers subscribed to their type (Tk thread only)."""

    def __init__(self, widget: tk.Tk, outbox: Outbox, *, interval_ms: int = INTERVAL_MS,
                 hurry_ms: int = HURRY_MS, cap: int = 500) -> None:  # fmt: skip
        self._widget = widget
        self._outbox = outbox
        self._interval_ms = interval_ms
        self._hurry_ms = hurry_ms
        self._cap = cap
        self._handlers: defaultdict[type[Message], list[Subscription]] = defaultdict(list)
        self._after_id: str | None = None
        self._hurries = 0

    def subscribe(self, kind: type[M], handler: Callable[[M], None], *, owner: tk.Misc | None = None) -> Subscription:
        """Deliver every `kind` message to `handler` until the subscription is cancelled or
        `owner` is destroyed."""
        subscription = Subscription(self, kind, handler)
        self._handlers[kind].append(subscription)
        if owner is not None:
            owner.bind("<Destroy>", lambda event: subscription.cancel() if event.widget is owner else None, add="+")
        return subscription

    def subscriptions(self, kind: type[Message]) -> int:
        """How many handlers `kind` has now (tests check that closed widgets left none)."""
        return len(self._handlers.get(kind, ()))

    def hurry(self, *, owner: tk.Misc | None = None) -> Hurry:
        """Tick fast until the lease is released or `owner` is destroyed (a streaming answer
        asks for this)."""
        self._hurries += 1
        if self._hurries == 1 and self._after_id is not None:
            self._widget.after_cancel(self._after_id)
            self._after_id = self._widget.after(self._hurry_ms, self._tick)
        lease = Hurry(self)
        if owner is not None:
            owner.bind("<Destroy>", lambda event: lease.release() if event.widget is owner else None, add="+")
        return lease

    @property
    def hurried(self) -> bool:
        return self._hurries > 0

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
            subscriptions = self._handlers.get(type(message))
            if not subscriptions:
                log.debug("no handler for %s", type(message).__name__)
                continue
            for subscription in tuple(subscriptions):  # a handler may cancel itself or others
                if not subscription.active:
                    continue
                try:
                    subscription.handler(message)
                except Exception:
                    # One broken handler must not stop the pump; report it like a Tk callback.
                    self._widget.report_callback_exception(*sys.exc_info())
        return len(messages)

    def _tick(self) -> None:
        self.tick()
        self._after_id = self._widget.after(self._hurry_ms if self._hurries else self._interval_ms, self._tick)

    def _drop(self, subscription: Subscription) -> None:
        subscriptions = self._handlers.get(subscription.kind)
        if subscriptions is not None and subscription in subscriptions:
            subscriptions.remove(subscription)
