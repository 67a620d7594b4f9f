"""The pump: messages posted from worker threads reach Tk-thread handlers, in order."""

from __future__ import annotations

import threading
import tkinter as tk
from collections.abc import Callable
from dataclasses import dataclass

from smartspec_tk.core.messages import Message
from smartspec_tk.core.outbox import Outbox
from smartspec_tk.ui.window.pump import Pump


@dataclass(frozen=True, slots=True)
class Ping(Message):
    n: int


@dataclass(frozen=True, slots=True)
class Other(Message):
    text: str


def test_messages_from_threads_arrive_in_order_on_the_tk_thread(
    tk_root: tk.Tk, wait_until: Callable[..., None]
) -> None:
    outbox = Outbox()
    pump = Pump(tk_root, outbox, cap=50)
    got: list[int] = []
    threads: set[str] = set()

    def on_ping(message: Ping) -> None:
        got.append(message.n)
        threads.add(threading.current_thread().name)

    pump.subscribe(Ping, on_ping)
    pump.start()
    worker = threading.Thread(target=lambda: [outbox.post(Ping(i)) for i in range(1000)], name="worker")
    worker.start()
    wait_until(lambda: len(got) == 1000, what="1000 messages")
    pump.stop()
    worker.join()
    assert got == list(range(1000))
    assert threads == {"MainThread"}


def test_cap_limits_one_tick_and_types_are_routed(tk_root: tk.Tk) -> None:
    outbox = Outbox()
    pump = Pump(tk_root, outbox, cap=3)
    pings: list[int] = []
    others: list[str] = []
    pump.subscribe(Ping, lambda m: pings.append(m.n))
    pump.subscribe(Other, lambda m: others.append(m.text))
    for i in range(5):
        outbox.post(Ping(i))
    outbox.post(Other("x"))
    assert pump.tick() == 3
    assert pings == [0, 1, 2]
    assert pump.tick() == 3
    assert pings == [0, 1, 2, 3, 4] and others == ["x"]
    assert pump.tick() == 0


def test_a_failing_handler_is_reported_and_the_pump_goes_on(tk_root: tk.Tk) -> None:
    outbox = Outbox()
    pump = Pump(tk_root, outbox)
    reported: list[BaseException] = []
    original = tk_root.report_callback_exception
    tk_root.report_callback_exception = lambda exc, value, tb: reported.append(value)  # type: ignore[method-assign]
    try:
        seen: list[int] = []

        def handler(message: Ping) -> None:
            if message.n == 1:
                raise RuntimeError("broken handler")
            seen.append(message.n)

        pump.subscribe(Ping, handler)
        for i in range(3):
            outbox.post(Ping(i))
        pump.tick()
    finally:
        tk_root.report_callback_exception = original  # type: ignore[method-assign]
    assert seen == [0, 2]
    assert [str(e) for e in reported] == ["broken handler"]
