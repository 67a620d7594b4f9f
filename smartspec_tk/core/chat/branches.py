"""Branches of a conversation (Tk-free): messages form a tree by `parent_id`; one path is shown.

Edit-and-resend adds a sibling of the edited prompt, Regenerate a sibling of the
answer; the earlier versions stay, reachable with ‹ 1/2 ›. The conversation's
`current_leaf` ends the shown path; switching to a sibling shows that sibling's
newest descendants.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from smartspec_tk.core.chat.records import StoredMessage
from smartspec_tk.core.chat.store import ConversationStore


def shown_branch(store: ConversationStore, conversation_id: int) -> list[StoredMessage]:
    """The messages of the branch a conversation shows (what it sends, exports and draws)."""
    info = store.conversation(conversation_id)
    return MessageTree(store.messages(conversation_id)).path(info.current_leaf if info is not None else None)


@dataclass(frozen=True)
class Versions:
    """Where a message stands among its siblings (the versions of one turn)."""

    index: int  # 1-based
    count: int
    previous: int | None  # the sibling before it, if any
    next: int | None


class MessageTree:
    """All the messages of one conversation, by parent."""

    def __init__(self, messages: Sequence[StoredMessage]) -> None:
        self.by_id = {message.id: message for message in messages}
        self._children: dict[int | None, list[StoredMessage]] = {}
        for message in sorted(messages, key=lambda m: m.id):
            parent = message.parent_id if message.parent_id in self.by_id else None
            self._children.setdefault(parent, []).append(message)

    def children(self, message_id: int | None) -> list[StoredMessage]:
        return self._children.get(message_id, [])

    def siblings(self, message_id: int) -> list[StoredMessage]:
        message = self.by_id[message_id]
        parent = message.parent_id if message.parent_id in self.by_id else None
        return self.children(parent)

    def versions(self, message_id: int) -> Versions:
        siblings = [m.id for m in self.siblings(message_id)]
        index = siblings.index(message_id)
        before = siblings[index - 1] if index > 0 else None
        after = siblings[index + 1] if index + 1 < len(siblings) else None
        return Versions(index + 1, len(siblings), before, after)

    def newest_leaf(self, message_id: int | None) -> int | None:
        """Follow the newest child down from `message_id` (None: from the newest root)."""
        current = message_id
        while True:
            children = self.children(current)
            if not children:
                return current
            current = children[-1].id

    def path(self, leaf_id: int | None) -> list[StoredMessage]:
        """The messages from the root down to `leaf_id` (a missing leaf: the newest branch)."""
        if leaf_id not in self.by_id:
            leaf_id = self.newest_leaf(None)
        path: list[StoredMessage] = []
        seen: set[int] = set()
        current = self.by_id.get(leaf_id) if leaf_id is not None else None
        while current is not None and current.id not in seen:  # a loop in bad data ends here
            seen.add(current.id)
            path.append(current)
            current = self.by_id.get(current.parent_id) if current.parent_id is not None else None
        return path[::-1]
