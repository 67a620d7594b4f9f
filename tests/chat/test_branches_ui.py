"""Edit-and-resend, Regenerate and ‹ 1/2 › on a real ChatPane, against the real reference backend.

The offline model quotes the prompt it got and counts the messages sent, so each
answer shows which branch's history went out.
"""

from __future__ import annotations

from typing import Any

import pytest

from smartspec_tk.core.chat import messages as m
from tests.chat.ref_pane import Wait, answered, arrow, ask, click, enter, pane, shown

pytestmark = pytest.mark.servers
__all__ = ["pane"]  # the fixture


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
