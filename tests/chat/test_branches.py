"""Branches in the store (Tk-free): versions of a turn, the shown path, and the migration of a
database made by the store before branches (schema version 2)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from smartspec_tk.core.chat import messages as m
from smartspec_tk.core.chat.branches import MessageTree, Versions
from smartspec_tk.core.chat.export import export
from smartspec_tk.core.chat.session import ChatSession, StoreSink
from smartspec_tk.core.chat.store import SCHEMA_VERSION, ConversationStore

V2_DATABASE = Path(__file__).parent / "data" / "conversations-v2.sqlite3"


def answer(store: ConversationStore, message_id: int, text: str, status: str = m.COMPLETE) -> None:
    StoreSink(store, message_id).finish(text, status, "", None)


def test_regenerate_and_edit_add_versions_and_switch_shows_the_newest_below(tmp_path: Path) -> None:
    store = ConversationStore.in_folder(tmp_path)
    session = ChatSession(store)
    one = session.start_turn("one", [], "m", "")
    answer(store, one.answer_message_id, "1")
    two = session.start_turn("two", [], "m", "")
    answer(store, two.answer_message_id, "2")
    again = session.regenerate(two.user_message_id, "m")
    assert [h["content"] for h in again.history] == ["one", "1", "two"]
    answer(store, again.answer_message_id, "2 again")
    tree = session.tree()
    assert tree.versions(again.answer_message_id) == Versions(2, 2, two.answer_message_id, None)
    edited = session.edit_turn(one.user_message_id, "one, edited", "m", "")
    assert [h["content"] for h in edited.history] == ["one, edited"], "only the new version's path is sent"
    answer(store, edited.answer_message_id, "1 edited")
    assert [msg.text for msg in session.messages()] == ["one, edited", "1 edited"]
    assert session.switch(edited.user_message_id, -1)
    assert [msg.text for msg in session.messages()] == ["one", "1", "two", "2 again"], "the newest below it"
    assert not session.switch(one.user_message_id, -1), "no version before the first"
    assert session.switch(again.answer_message_id, -1)
    assert [msg.text for msg in session.messages()][-1] == "2"
    follow = session.start_turn("three", [], "m", "")
    assert [h["content"] for h in follow.history] == ["one", "1", "two", "2", "three"]


def test_a_failed_answer_is_replaced_a_stopped_one_kept(tmp_path: Path) -> None:
    store = ConversationStore.in_folder(tmp_path)
    session = ChatSession(store)
    turn = session.start_turn("q", [], "m", "")
    StoreSink(store, turn.answer_message_id).finish("", m.FAILED, "HTTP 500", None)
    retry = session.retry_turn("m")
    assert retry is not None and len(store.messages(session.conversation_id or 0)) == 2, "the failure went"
    answer(store, retry.answer_message_id, "partial", m.STOPPED)
    again = session.retry_turn("m")
    assert again is not None
    assert [msg.status for msg in store.messages(session.conversation_id or 0)] == ["complete", "stopped", "streaming"]


def test_edit_keeps_the_attachments_of_the_prompt(tmp_path: Path) -> None:
    store = ConversationStore.in_folder(tmp_path)
    session = ChatSession(store)
    picture = {"type": "image_url", "image_url": {"url": "http://x/p.png"}, "x_smartspec": {"name": "p.png"}}
    turn = session.start_turn("what is it", [picture], "m", "")
    answer(store, turn.answer_message_id, "a cat")
    edited = session.edit_turn(turn.user_message_id, "and its colour?", "m", "")
    assert edited.history[-1]["content"] == [{"type": "text", "text": "and its colour?"}, picture]


def test_only_the_end_of_a_branch_can_be_deleted(tmp_path: Path) -> None:
    store = ConversationStore.in_folder(tmp_path)
    session = ChatSession(store)
    turn = session.start_turn("q", [], "m", "")
    with pytest.raises(ValueError, match="replies"):
        store.delete_message(turn.user_message_id)
    store.delete_message(turn.answer_message_id)
    info = store.conversation(session.conversation_id or 0)
    assert info is not None and info.current_leaf == turn.user_message_id


def test_a_tree_with_a_missing_leaf_or_a_loop_still_gives_a_path() -> None:
    store_rows = [(1, None), (2, 1), (3, 2), (4, 1)]
    messages = [_message(i, p) for i, p in store_rows]
    tree = MessageTree(messages)
    assert [msg.id for msg in tree.path(None)] == [1, 4], "no leaf: the newest branch"
    assert [msg.id for msg in tree.path(3)] == [1, 2, 3]
    looped = MessageTree([_message(1, 2), _message(2, 1)])
    assert len(looped.path(2)) <= 2


def _message(message_id: int, parent: int | None) -> object:
    from smartspec_tk.core.chat.store import StoredMessage

    return StoredMessage(message_id, 1, "user", "x", m.COMPLETE, "", "", None, 0.0, parent)


def test_a_version_2_database_made_before_branches_opens_with_every_message_on_one_line(tmp_path: Path) -> None:
    """The file was written by the schema-2 store (before branches): two conversations, a retried
    failure, a stopped answer, a picture part, an answer left streaming, prefs."""
    path = tmp_path / "conversations.sqlite3"
    shutil.copy(V2_DATABASE, path)
    with sqlite3.connect(path) as db:
        before = db.execute("SELECT id, conversation_id, role, content, status FROM messages ORDER BY id").fetchall()
        assert db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == 2
    store = ConversationStore(path)
    assert store.schema_version() == SCHEMA_VERSION == 3
    assert store.recovered == 1, "the answer left streaming becomes incomplete"
    for conversation in (1, 2):
        rows = store.messages(conversation)
        assert [r.parent_id for r in rows] == [None, *(r.id for r in rows[:-1])], "one line, in order"
        session = ChatSession(store, conversation)
        assert [r.id for r in session.messages()] == [r.id for r in rows], "the whole conversation is shown"
    after = [(r.id, r.conversation_id, r.role, r.status) for c in (1, 2) for r in store.messages(c)]
    assert after == [(i, c, role, "incomplete" if s == "streaming" else s) for i, c, role, _content, s in before]
    assert store.messages(1)[2].content[1]["x_smartspec"]["name"] == "cat.png"
    assert store.get_pref("model") == "offline-echo" and store.get_pref("temperature") == "0.7"
    session = ChatSession(store, 1)
    again = session.regenerate(session.messages()[-2].id, "offline-echo")  # a branch in the old data
    assert [h["content"] for h in again.history][-1] == "Stop early"
    assert session.tree().versions(again.answer_message_id).count == 2
    answer(store, again.answer_message_id, "Stopped no more")
    export(store, 1, tmp_path / "out.md")
    exported = (tmp_path / "out.md").read_text(encoding="utf-8")
    assert "Stop early" in exported and "Stopped no more" in exported
    assert "Partial" not in exported, "the export is the shown branch, not the earlier version"
