"""The conversations sidebar and the title in the chat's header, on a real ChatPane against the
reference backend: search as you type, open, rename in place, delete, export."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from smartspec_tk.ui.chat.sidebar import SEARCH_DELAY_MS, when_label
from tests.chat.ref_pane import Wait, ask, pane, shown

pytestmark = pytest.mark.servers
__all__ = ["pane"]  # the fixture


def two_chats(pane: Any, wait_until: Wait) -> tuple[int, int]:
    ask(pane, wait_until, "How does socket SHUTDOWN work?")
    first = pane.session.conversation_id
    pane.navigator.header.toggle.invoke()  # the sidebar, from its button
    pane.new_chat()
    ask(pane, wait_until, "Tk layout with pack")
    return first, pane.session.conversation_id


def search(pane: Any, wait_until: Wait, text: str) -> None:
    entry = pane.navigator.sidebar.search_entry
    entry.delete(0, "end")
    entry.insert(0, text)  # as typed: the list follows after a short pause
    deadline = time.monotonic() + SEARCH_DELAY_MS / 1000
    wait_until(lambda: time.monotonic() > deadline and pane.navigator.sidebar._search_after is None, 5, "the search")


def press(widget: Any, key: str) -> None:
    """A key press as the user makes it: to the widget that has the focus."""
    widget.focus_force()
    widget.update()
    widget.event_generate(key)
    widget.update()


def test_the_sidebar_lists_searches_and_opens(pane: Any, wait_until: Wait) -> None:
    first, second = two_chats(pane, wait_until)
    sidebar = pane.navigator.sidebar
    assert sidebar.winfo_ismapped() and pane.navigator.sidebar_shown
    assert sidebar.listed() == [second, first], "newest first"
    assert sidebar.tree.selection() == (str(second),) and "current" in sidebar.tree.item(str(second), "tags")
    search(pane, wait_until, "shutdown")  # matches the first prompt's text, whatever the case
    assert sidebar.listed() == [first]
    search(pane, wait_until, "Upstream LLM")  # in both answers
    assert sidebar.listed() == [second, first]
    search(pane, wait_until, "no such words")
    assert sidebar.listed() == [] and "No conversation matches “no such words”" in str(sidebar.empty.cget("text"))
    search(pane, wait_until, "")
    sidebar.tree.selection_set(str(first))  # a click on the row
    wait_until(lambda: pane.session.conversation_id == first, 5, "the conversation to open")
    assert "How does socket SHUTDOWN work?" in shown(pane)
    assert pane.navigator.header.title == "How does socket SHUTDOWN work?"
    assert pane.store.get_pref("sidebar") == "1", "it stays open after a restart"


def test_rename_in_the_header_and_in_the_sidebar(pane: Any, wait_until: Wait) -> None:
    first, second = two_chats(pane, wait_until)
    header, sidebar = pane.navigator.header, pane.navigator.sidebar
    assert header.title == "Tk layout with pack"
    for _ in range(2):  # a double-click on the title
        header.title_label.event_generate("<ButtonPress-1>", x=5, y=5)
        header.title_label.event_generate("<ButtonRelease-1>", x=5, y=5)
    entry = header._rename.entry
    assert header.renaming and entry.get() == "Tk layout with pack" and entry.selection_present()
    entry.delete(0, "end")
    entry.insert(0, "  Packing   widgets ")
    press(entry, "<Return>")
    assert not header.renaming and header.title == "Packing widgets"
    assert pane.store.conversation(second).title == "Packing widgets"
    assert sidebar.titles[second] == "Packing widgets"
    sidebar.tree.selection_set(str(first))
    wait_until(lambda: pane.session.conversation_id == first, 5, "the conversation to open")
    press(sidebar.tree, "<F2>")
    rename = sidebar._rename
    assert rename.active
    rename.entry.delete(0, "end")
    rename.entry.insert(0, "Sockets")
    press(rename.entry, "<Escape>")
    assert pane.store.conversation(first).title.startswith("How does"), "Esc keeps the old name"
    sidebar.rename_selected()
    rename.entry.delete(0, "end")
    rename.entry.insert(0, "Sockets")
    press(rename.entry, "<Return>")
    assert pane.store.conversation(first).title == "Sockets" and header.title == "Sockets"


def test_delete_and_export_from_the_sidebar(
    pane: Any, wait_until: Wait, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two_chats(pane, wait_until)
    sidebar = pane.navigator.sidebar
    sidebar.export_selected(tmp_path / "chat.md")
    assert (tmp_path / "chat.md").read_text(encoding="utf-8").startswith("# Tk layout with pack\n")
    asked: list[str] = []
    monkeypatch.setattr("tkinter.messagebox.askyesno", lambda title, text, **kw: asked.append(text) or True)
    sidebar.delete_selected()
    assert asked == ["Delete “Tk layout with pack” and all its messages?"]
    assert pane.store.conversation(second) is None and sidebar.listed() == [first]
    assert pane.session.conversation_id is None and pane.navigator.header.title == "New chat"
    assert "Tk layout" not in shown(pane)


def test_when_labels_are_short() -> None:
    now = time.mktime((2026, 3, 10, 15, 0, 0, 0, 0, -1))
    assert when_label(now - 3600, now) == "14:00"
    assert when_label(now - 86400, now) == "Yesterday"
    assert when_label(time.mktime((2026, 3, 3, 9, 0, 0, 0, 0, -1)), now) == "3 Mar"
    assert when_label(time.mktime((2024, 12, 31, 9, 0, 0, 0, 0, -1)), now) == "31 Dec 2024"
