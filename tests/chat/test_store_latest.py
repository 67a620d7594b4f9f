"""ConversationStore.latest_conversation_id: the newest conversation, as the full list orders it."""

from __future__ import annotations

from pathlib import Path

from smartspec_tk.core.chat.store import ConversationStore


def test_latest_conversation_id_matches_the_head_of_the_list(tmp_path: Path) -> None:
    store = ConversationStore.in_folder(tmp_path)
    try:
        assert store.latest_conversation_id() is None
        first = store.create_conversation("first")
        second = store.create_conversation("second")
        assert store.latest_conversation_id() == store.list_conversations()[0].id
        store.add_message(first, "user", "bump the first one")
        assert store.latest_conversation_id() == store.list_conversations()[0].id
        store.delete_conversation(store.list_conversations()[0].id)
        remaining = {first, second} - {c.id for c in store.list_conversations()}
        assert len(remaining) == 1
        assert store.latest_conversation_id() == store.list_conversations()[0].id
    finally:
        store.close()
