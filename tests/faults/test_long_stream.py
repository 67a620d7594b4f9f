"""Long lines in a streamed answer (issue 13, finding 4): the real chat pane, a real SSE server on loopback.

A 10 MB line in the event stream stops the answer with a clear message instead of being buffered; a
10 MB answer on one line is drawn without freezing the window. Responsiveness is counted in after()
ticks of the Tk loop, never measured in seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from smartspec_tk.core.paths import resolve_paths
from smartspec_tk.core.settings import load_settings
from smartspec_tk.services import Services
from tests.chat.sse_server import ChatServer, chat_server

Wait = Callable[..., None]
TEN_MB = 10 * 1024 * 1024


@pytest.fixture
def server() -> Iterator[ChatServer]:
    with chat_server() as running:
        yield running


@pytest.fixture
def pane(tk_root: Any, server: ChatServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The chat pane as the app wires it (services, pump, store), talking to `server`."""
    from smartspec_tk.ui.chat import wiring as chat_wiring
    from smartspec_tk.ui.window.main_window import MainWindow
    from smartspec_tk.ui.window.pump import Pump

    monkeypatch.setenv("SMARTSPEC_BACKEND_URL", server.url)
    monkeypatch.setenv("SMARTSPEC_DEFAULT_MODEL", "echo-1")
    services = Services.build(load_settings(None, None).settings, resolve_paths().ensure())
    window = MainWindow(tk_root, services.backend_url)
    pump = Pump(tk_root, services.outbox)
    chat = chat_wiring.attach(window, pump, services)
    pump.start()
    yield chat
    window.quit()
    pump.stop()
    services.close()


class Ticks:
    """A repeating after() timer: counts the Tk loop's turns and the longest last line of the transcript."""

    def __init__(self, text: Any) -> None:
        self.text = text
        self.count = 0
        self.longest = 0
        self._changed = threading.Condition()
        text.after(2, self.tick)

    def tick(self) -> None:
        with self._changed:
            self.count += 1
            self._changed.notify_all()
        column = int(str(self.text.index("end-1c")).split(".")[1])  # the line that grows
        self.longest = max(self.longest, column)
        self.text.after(2, self.tick)

    def wait_for_next(self, seen: int) -> bool:
        """Server thread: wait until the Tk loop ticked after `seen` ticks."""
        with self._changed:
            return self._changed.wait_for(lambda: self.count > seen, timeout=60)


def run_until(root: Any, condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Tk's own mainloop (as in the app, no sleeps between turns) until `condition` holds."""
    deadline = time.monotonic() + timeout

    def check() -> None:
        if condition() or time.monotonic() > deadline:
            root.quit()
        else:
            root.after(20, check)

    root.after(20, check)
    root.mainloop()
    assert condition(), f"timed out after {timeout} s waiting for {what}"


def send(pane: Any, text: str) -> None:
    pane.update()
    pane.input.text.focus_force()
    pane.input.set_value(text)
    pane.update()
    pane.input.text.event_generate("<Return>")


def transcript(pane: Any) -> str:
    return str(pane.transcript.text.get("1.0", "end-1c"))


def test_a_10_mb_line_in_the_stream_stops_the_answer_with_a_clear_message(
    pane: Any, server: ChatServer, wait_until: Wait
) -> None:
    start = b'data: {"choices":[{"delta":{"content":"before "}}]}\n\n'
    server.plan.raw = start + b'data: {"choices":[{"delta":{"content":"' + b"x" * TEN_MB
    ticks = Ticks(pane.transcript.text)
    send(pane, "a hostile stream")
    wait_until(lambda: "longer than 1 MB" in transcript(pane), 60, "the message about the long line")
    shown = transcript(pane)
    assert "The answer was cut off: the backend's stream sent a line longer than 1 MB (1,048,576 bytes)" in shown
    assert "before" in shown
    wait_until(server.disconnected.is_set, 30, "the app to close the connection (the rest is not read)")
    seen = ticks.count
    wait_until(lambda: ticks.count > seen + 3, 10, "the Tk loop to keep ticking")
    stored = pane.store.messages(pane.session.conversation_id)
    assert stored[-1].status == "incomplete" and stored[-1].text == "before "
    assert "1 MB" in stored[-1].error


def test_a_10_mb_answer_on_one_line_keeps_the_window_responsive(
    pane: Any, server: ChatServer, tk_root: Any
) -> None:
    """The server waits for a Tk tick before every 100 KB it sends: the answer only completes
    if the window keeps turning while it draws, and the growing line never gets long."""
    from smartspec_tk.ui.chat.markdown import LONG_LINE

    piece = ("lorem ipsum dolor sit amet " * 40)[:1023] + " "
    tokens = [piece] * (TEN_MB // len(piece))
    ticks = Ticks(pane.transcript.text)
    gates: list[bool] = []
    seen = [0]

    def gate(index: int) -> None:
        if index % 100 == 0:
            gates.append(ticks.wait_for_next(seen[0]))
            seen[0] = ticks.count

    server.plan.tokens, server.plan.before_token = tokens, gate
    send(pane, "a very long answer, please")

    def done_or_broken() -> bool:
        return "Tokens:" in transcript(pane) or ticks.longest > 2 * LONG_LINE or False in gates

    run_until(tk_root, done_or_broken, 600, "the 10 MB answer")
    assert ticks.longest <= LONG_LINE, "the transcript's last line grew without bound"
    assert all(gates) and len(gates) == len(tokens) // 100 + 1
    assert ticks.count >= len(gates)
    stored = pane.store.messages(pane.session.conversation_id)
    assert stored[-1].status == "complete" and stored[-1].text == "".join(tokens)
    shown = str(pane.transcript.text.get("1.0", "end")).replace("\n", "")
    assert shown.count("lorem ipsum") == "".join(tokens).count("lorem ipsum")
