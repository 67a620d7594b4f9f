"""ConversationStore and ChatSession: saving order, flushes, statuses, recovery, migration, search, export."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from smartspec_tk.core.chat import messages as m
from smartspec_tk.core.chat.export import export, to_json, to_markdown
from smartspec_tk.core.chat.schema import MIGRATIONS, SCHEMA_VERSION
from smartspec_tk.core.chat.session import ChatSession, StoreSink, history_for
from smartspec_tk.core.chat.store import ConversationStore


def peek(path: Path) -> list[tuple[str, str, str, str | None]]:
    """What another process (or the app after a crash) would read from the file."""
    with sqlite3.connect(path) as db:
        return db.execute("SELECT role, text, status, usage FROM messages ORDER BY id").fetchall()


def test_prompt_saved_before_request_and_answer_flushed(tmp_path: Path) -> None:
    store = ConversationStore.in_folder(tmp_path)
    session = ChatSession(store)
    turn = session.start_turn("What is **SSE**?", [], "echo-1", "Be brief")
    assert peek(store.path) == [
        ("user", "What is **SSE**?", "complete", None),
        ("assistant", "", "streaming", None),
    ]
    sink = StoreSink(store, turn.answer_message_id)
    sink.update("Server-Sent")
    assert peek(store.path)[1] == ("assistant", "Server-Sent", "streaming", None)
    sink.finish("Server-Sent Events", m.COMPLETE, "", {"total_tokens": 9})
    assert peek(store.path)[1] == ("assistant", "Server-Sent Events", "complete", '{"total_tokens": 9}')
    info = store.conversation(session.conversation_id or 0)
    assert info is not None
    assert (info.title, info.model, info.system_prompt) == ("What is SSE?", "echo-1", "Be brief")


def test_streaming_rows_become_incomplete_when_the_store_reopens(tmp_path: Path) -> None:
    store = ConversationStore.in_folder(tmp_path)
    session = ChatSession(store)
    turn = session.start_turn("hi", [], "m", "")
    StoreSink(store, turn.answer_message_id).update("partial ans")
    reopened = ConversationStore.in_folder(tmp_path)
    assert reopened.recovered == 1
    answer = reopened.messages(session.conversation_id or 0)[1]
    assert (answer.text, answer.status) == ("partial ans", "incomplete")
    assert "closed while" in answer.error


def test_a_status_this_version_does_not_know_reads_back_as_incomplete(tmp_path: Path) -> None:
    store = ConversationStore.in_folder(tmp_path)
    session = ChatSession(store)
    turn = session.start_turn("hi", [], "m", "")
    StoreSink(store, turn.answer_message_id).finish("half", m.STOPPED, "", None)
    with sqlite3.connect(store.path) as db:  # as a newer version might have written it
        db.execute("UPDATE messages SET status = 'paused' WHERE id = ?", (turn.answer_message_id,))
    statuses = [message.status for message in store.messages(session.conversation_id or 0)]
    assert statuses == [m.COMPLETE, m.INCOMPLETE]


def test_history_skips_failed_answers_and_retry_replaces_them(tmp_path: Path) -> None:
    store = ConversationStore.in_folder(tmp_path)
    session = ChatSession(store)
    first = session.start_turn("one", [], "m", "")
    StoreSink(store, first.answer_message_id).finish("1", m.COMPLETE, "", None)
    second = session.start_turn("two", [], "m", "")
    assert second.history == [
        {"role": "user", "content": "one"},
        {"role": "assistant", "content": "1"},
        {"role": "user", "content": "two"},
    ]
    StoreSink(store, second.answer_message_id).finish("tw", m.INCOMPLETE, "cut", None)
    retry = session.retry_turn("m")
    assert retry is not None and retry.history == second.history
    assert [msg.status for msg in session.messages()] == ["complete", "complete", "complete", "streaming"]
    StoreSink(store, retry.answer_message_id).finish("", m.FAILED, "401", None)
    third = session.start_turn("three", [], "m", "")
    assert [h["content"] for h in third.history] == ["one", "1", "three"]
    StoreSink(store, third.answer_message_id).finish("3", m.COMPLETE, "", None)
    again = session.retry_turn("m")  # Retry replaces even a complete answer (regenerate)
    assert again is not None and [h["content"] for h in again.history] == ["one", "1", "three"]
    assert [msg.text for msg in session.messages()][-2:] == ["three", ""]


def test_parts_are_stored_as_json_and_searchable_by_text(tmp_path: Path) -> None:
    store = ConversationStore.in_folder(tmp_path)
    session = ChatSession(store)
    part = {"type": "image_url", "image_url": {"url": "https://x/y.png"}, "x_smartspec": {"name": "cat.png"}}
    session.start_turn("describe this cat", [part], "m", "")
    content = session.messages()[0].content
    assert content == [{"type": "text", "text": "describe this cat"}, part]
    assert [c.title for c in store.list_conversations("CAT")] == ["describe this cat"]
    assert store.list_conversations("dog") == []
    assert store.list_conversations("100%") == []


def test_list_rename_delete(tmp_path: Path) -> None:
    store = ConversationStore.in_folder(tmp_path)
    a = store.create_conversation("alpha")
    time.sleep(0.01)
    b = store.create_conversation("beta")
    store.add_message(b, "user", "hello beta")
    assert [c.title for c in store.list_conversations()] == ["beta", "alpha"]
    store.rename(a, "  gamma ")
    assert [c.title for c in store.list_conversations("gam")] == ["gamma"]
    store.delete_conversation(b)
    assert [c.id for c in store.list_conversations()] == [a]
    assert store.messages(b) == []
    store.set_pref("model", "echo-2")
    assert ConversationStore.in_folder(tmp_path).get_pref("model") == "echo-2"


def test_migration_from_version_1_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / "conversations.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at REAL NOT NULL)")
    for statement in MIGRATIONS[0][1]:
        db.execute(statement)
    db.execute("INSERT INTO schema_version VALUES (1, 0)")
    db.execute("INSERT INTO conversations VALUES (1, 'old chat', 0, 0)")
    db.execute(
        "INSERT INTO messages (conversation_id, role, content, text, status, created_at, updated_at)"
        " VALUES (1, 'user', '\"kept\"', 'kept', 'complete', 0, 0)"
    )
    db.commit()
    db.close()
    store = ConversationStore(path)
    assert store.schema_version() == SCHEMA_VERSION == 3
    assert [c.title for c in store.list_conversations()] == ["old chat"]
    assert store.messages(1)[0].content == "kept" and store.messages(1)[0].parent_id is None
    assert store.conversation(1).current_leaf == 1  # type: ignore[union-attr]
    assert store.conversation(1).model == ""  # type: ignore[union-attr]
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_export_markdown_and_json(tmp_path: Path) -> None:
    store = ConversationStore.in_folder(tmp_path)
    session = ChatSession(store)
    turn = session.start_turn(
        "Show code", [{"type": "file_url", "file_url": {"url": "u", "name": "clip.mp4"}}], "m", "sys"
    )
    StoreSink(store, turn.answer_message_id).finish("```py\nprint(1)\n```", m.STOPPED, "", {"total_tokens": 3})
    cid = session.conversation_id or 0
    markdown = to_markdown(store, cid)
    assert markdown.startswith("# Show code\n")
    assert "## You\n\nShow code\n- attachment: clip.mp4" in markdown
    assert "## Assistant\n\n```py\nprint(1)\n```\n\n_[stopped]_" in markdown
    data = to_json(store, cid)
    assert data["system_prompt"] == "sys"
    assert data["messages"][1] | {"created_at": 0} == {
        "role": "assistant",
        "content": "```py\nprint(1)\n```",
        "status": "stopped",
        "model": "m",
        "usage": {"total_tokens": 3},
        "created_at": 0,
    }
    export(store, cid, tmp_path / "out.json")
    assert json.loads((tmp_path / "out.json").read_text())["title"] == "Show code"
    export(store, cid, tmp_path / "out.md")
    assert (tmp_path / "out.md").read_text() == markdown


def test_history_for_empty() -> None:
    assert history_for([]) == []


def test_titles_are_the_first_prompts_words_without_markdown() -> None:
    from smartspec_tk.core.chat.session import title_of

    assert title_of("Reverse a list in **Python**, like this?\n```python\nitems.reverse()\n```") == (
        "Reverse a list in Python, like this?"
    )
    assert title_of("## Why does `ls -la` fail?") == "Why does ls -la fail?"
    assert title_of("```\nTraceback (most recent call last):\n```") == "Traceback (most recent call last):"
    long = title_of("word " * 30)
    assert long.endswith("…") and len(long) <= 61 and not long.endswith(" …")
    assert title_of("  ") == "New chat"
