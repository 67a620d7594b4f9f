"""A real ChatPane on a real reference backend (offline models), and helpers that drive it like a user."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from smartspec_tk.core.paths import resolve_paths
from smartspec_tk.core.settings import load_settings
from smartspec_tk.services import Services
from tests.servers.reference import RunningServer

Wait = Callable[..., None]


@pytest.fixture
def pane(tk_root: Any, reference_backend_factory: Callable[..., RunningServer],
         monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:  # fmt: skip
    from smartspec_tk.ui.chat import wiring as chat_wiring
    from smartspec_tk.ui.window.main_window import MainWindow
    from smartspec_tk.ui.window.pump import Pump

    backend = reference_backend_factory("--stream-delay", "0.002", "--chunk-chars", "40")
    monkeypatch.setenv("SMARTSPEC_BACKEND_URL", backend.url)
    monkeypatch.setenv("SMARTSPEC_DEFAULT_MODEL", "offline-echo")
    services = Services.build(load_settings(None, None).settings, resolve_paths().ensure())
    window = MainWindow(tk_root, services.backend_url)
    pump = Pump(tk_root, services.outbox)
    pane = chat_wiring.attach(window, pump, services)
    pump.start()
    yield pane
    window.quit()
    pump.stop()
    services.close()


def shown(pane: Any) -> str:
    return str(pane.transcript.text.get("1.0", "end-1c"))


def ask(pane: Any, wait_until: Wait, text: str) -> None:
    pane.input.set_value(text)
    enter(pane)
    answered(pane, wait_until)


def enter(pane: Any) -> None:
    pane.update()
    pane.input.text.focus_force()
    pane.update()
    pane.input.text.event_generate("<Return>")


def answered(pane: Any, wait_until: Wait) -> None:
    wait_until(lambda: pane.job is None and "Upstream LLM" in shown(pane).rsplit("Assistant", 1)[-1], 20, "the answer")


def click(pane: Any, label: str, nth: int = -1) -> None:
    """Click the `nth` occurrence of an action's label (or a switcher arrow after a 'k/n' count), like a user."""
    text = pane.transcript.text
    found, start = [], "1.0"
    while index := text.search(label, start, "end"):
        found.append(index)
        start = f"{index}+1c"
    index = found[nth]
    text.see(index)
    pane.update()
    x, y, _w, h = text.bbox(index)
    text.event_generate("<Motion>", x=x + 2, y=y + h // 2)
    text.event_generate("<Button-1>", x=x + 2, y=y + h // 2)
    text.event_generate("<ButtonRelease-1>", x=x + 2, y=y + h // 2)
    pane.update()


def arrow(pane: Any, count: str, side: str, nth: int = -1) -> None:
    """Click ‹ (side 'previous') or › (side 'next') beside the `nth` 'k/n' count."""
    text = pane.transcript.text
    found, start = [], "1.0"
    while index := text.search(count, start, "end"):
        found.append(index)
        start = f"{index}+1c"
    index = found[nth]
    target = f"{index}-2c" if side == "previous" else f"{index}+{len(count)}c"  # the icon beside the count
    assert f"act_{side}" in text.tag_names(target)
    text.see(target)
    pane.update()
    x, y, w, h = text.bbox(target)
    for event in ("<Motion>", "<Button-1>", "<ButtonRelease-1>"):
        text.event_generate(event, x=x + w // 2, y=y + h // 2)
    pane.update()
