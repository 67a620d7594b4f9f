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


def test_a_subscription_ends_with_cancel_or_with_its_owner(tk_root: tk.Tk) -> None:
    outbox = Outbox()
    pump = Pump(tk_root, outbox)
    owner = tk.Frame(tk_root)
    child = tk.Label(owner)  # a child's destruction must not end its parent's subscription
    by_owner: list[int] = []
    by_handle: list[int] = []
    pump.subscribe(Ping, lambda m: by_owner.append(m.n), owner=owner)
    handle = pump.subscribe(Ping, lambda m: by_handle.append(m.n))
    outbox.post(Ping(1))
    pump.tick()
    child.destroy()
    outbox.post(Ping(2))
    pump.tick()
    owner.destroy()
    outbox.post(Ping(3))
    pump.tick()
    handle.cancel()
    handle.cancel()  # twice is harmless
    outbox.post(Ping(4))
    pump.tick()
    assert by_owner == [1, 2] and by_handle == [1, 2, 3]
    assert pump.subscriptions(Ping) == 0


def test_a_handler_may_cancel_itself_while_it_runs(tk_root: tk.Tk) -> None:
    outbox = Outbox()
    pump = Pump(tk_root, outbox)
    seen: list[str] = []
    first = pump.subscribe(Ping, lambda m: (seen.append(f"first {m.n}"), first.cancel()))
    pump.subscribe(Ping, lambda m: seen.append(f"second {m.n}"))
    outbox.post(Ping(1))
    outbox.post(Ping(2))
    pump.tick()
    assert seen == ["first 1", "second 1", "second 2"]


class FakeClock:
    """Stands in for the Tk root's `after`: records each delay; `fire()` runs the callback."""

    def __init__(self) -> None:
        self.delays: list[int] = []
        self.pending: dict[str, Callable[[], None]] = {}

    def after(self, ms: int, callback: Callable[[], None]) -> str:
        self.delays.append(ms)
        key = f"after#{len(self.delays)}"
        self.pending[key] = callback
        return key

    def after_cancel(self, key: str) -> None:
        del self.pending[key]

    def fire(self) -> None:
        (key, callback), = self.pending.items()
        del self.pending[key]
        callback()


def test_one_clock_that_hurries_while_a_lease_is_held(tk_root: tk.Tk) -> None:
    clock = FakeClock()
    pump = Pump(clock, Outbox(), interval_ms=16, hurry_ms=4)  # type: ignore[arg-type]
    pump.start()
    clock.fire()
    first = pump.hurry()  # rescheduled at once, not after the slow tick
    second = pump.hurry()
    clock.fire()
    first.release()
    first.release()  # twice is harmless: the other lease still holds
    clock.fire()
    second.release()
    clock.fire()
    pump.stop()
    assert clock.delays == [16, 16, 4, 4, 4, 16] and not clock.pending


def test_a_hurry_ends_with_its_owner(tk_root: tk.Tk) -> None:
    pump = Pump(tk_root, Outbox())
    owner = tk.Frame(tk_root)
    pump.hurry(owner=owner)
    assert pump.hurried
    owner.destroy()
    assert not pump.hurried
