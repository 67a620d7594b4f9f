"""Edit-and-resend, Regenerate and ‹ 1/2 › on a real ChatPane, against the real reference backend.

The offline model quotes the prompt it got and counts the messages sent, so each
answer shows which branch's history went out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from smartspec_tk.core.chat import messages as m
from smartspec_tk.core.paths import resolve_paths
from smartspec_tk.core.settings import load_settings
from smartspec_tk.services import Services
from tests.servers.reference import RunningServer

pytestmark = pytest.mark.servers
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


def test_regenerate_keeps_the_old_answer_and_the_switcher_shows_both(pane: Any, wait_until: Wait) -> None:
    ask(pane, wait_until, "first question")
    first = pane.session.messages()[-1]
    click(pane, "Regenerate")
    answered(pane, wait_until)
    path = pane.session.messages()
    assert [msg.role for msg in path] == ["user", "assistant"] and path[-1].id != first.id
    assert "Conversation: 1 message (1 user)." in shown(pane), "the old answer is not sent again"
    assert "2/2" in shown(pane) and "1/2" not in shown(pane)
    assert len(pane.store.messages(pane.session.conversation_id)) == 3
    arrow(pane, "2/2", "previous")
    assert pane.session.messages()[-1].id == first.id and "1/2" in shown(pane)
    arrow(pane, "1/2", "next")
    assert pane.session.messages()[-1].id == path[-1].id


def test_edit_and_resend_makes_a_new_version_of_the_turn(pane: Any, wait_until: Wait) -> None:
    ask(pane, wait_until, "first question")
    ask(pane, wait_until, "follow-up")
    assert "Conversation: 3 messages (2 user, 1 assistant)." in shown(pane)
    click(pane, "Edit", 0)  # the first prompt
    assert pane.input.value() == "first question" and "Editing your message" in str(pane.input.note.cget("text"))
    pane.input.set_value("edited question")
    enter(pane)
    answered(pane, wait_until)
    text = shown(pane)
    assert "edited question" in text and "first question" not in text and "follow-up" not in text
    assert "Conversation: 1 message (1 user)." in text and text.count("1/2") == 0 and text.count("2/2") == 1
    ask(pane, wait_until, "second on the new branch")
    assert "Conversation: 3 messages (2 user, 1 assistant)." in shown(pane)
    arrow(pane, "2/2", "previous", 0)  # back to the first version of the first turn, with what followed it
    text = shown(pane)
    assert "first question" in text and "follow-up" in text and "edited question" not in text
    leaf = pane.session.messages()[-1]
    pane.open_conversation(pane.session.conversation_id)  # the shown branch is kept in the store
    assert pane.session.messages()[-1].id == leaf.id and "follow-up" in shown(pane)


def test_esc_cancels_an_edit_and_a_busy_pane_refuses_one(pane: Any, wait_until: Wait) -> None:
    ask(pane, wait_until, "only question")
    click(pane, "Edit", 0)
    pane.input.text.focus_force()
    pane.update()
    pane.input.text.event_generate("<Escape>")
    assert pane.input.value() == "" and pane.turn_actions.editing is None
    pane.toolbar.model = "offline-long"  # streams for over a minute
    pane.input.set_value("a long one")
    enter(pane)
    wait_until(lambda: "Line 3 of a long answer" in shown(pane), 20, "the long answer to stream")
    click(pane, "Edit", 0)
    assert pane.turn_actions.editing is None and "Wait for the answer" in str(pane.input.note.cget("text"))
    pane.stop()
    wait_until(lambda: pane.job is None, 10, "the stop")
    assert [msg.status for msg in pane.session.messages()] == [m.COMPLETE, m.COMPLETE, m.COMPLETE, m.STOPPED]


def test_copy_puts_the_message_on_the_clipboard(pane: Any, wait_until: Wait) -> None:
    ask(pane, wait_until, "copy **me**")
    click(pane, "Copy", 0)
    assert pane.clipboard_get() == "copy **me**"
    click(pane, "Copy", -1)
    assert pane.clipboard_get().startswith("**Offline model `offline-echo`**")
