"""What the conversation store gives back: `StoredMessage` and `ConversationInfo`, read from their rows."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from smartspec_tk.core.chat.messages import AnswerStatus, answer_status
from smartspec_tk.core.chat.request import text_of


@dataclass(frozen=True)
class StoredMessage:
    id: int
    conversation_id: int
    role: str
    content: Any  # a string, or a list of content parts
    status: AnswerStatus
    error: str
    model: str
    usage: dict[str, int] | None
    created_at: float
    parent_id: int | None = None  # the message this one follows (None: the first of its conversation)

    @property
    def text(self) -> str:
        return text_of(self.content)


@dataclass(frozen=True)
class ConversationInfo:
    id: int
    title: str
    model: str
    system_prompt: str
    created_at: float
    updated_at: float
    message_count: int = 0
    current_leaf: int | None = None  # the last message of the branch shown


def message_from_row(r: sqlite3.Row) -> StoredMessage:
    """A `messages` row as a StoredMessage (its JSON columns decoded)."""
    return StoredMessage(
        r["id"], r["conversation_id"], r["role"], json.loads(r["content"]), answer_status(r["status"]), r["error"],
        r["model"], json.loads(r["usage"]) if r["usage"] else None, r["created_at"], r["parent_id"],
    )  # fmt: skip


def conversation_from_row(r: sqlite3.Row) -> ConversationInfo:
    """A `conversations` row with its message count `n` as a ConversationInfo."""
    return ConversationInfo(
        r["id"], r["title"], r["model"], r["system_prompt"], r["created_at"], r["updated_at"], r["n"], r["current_leaf"]
    )
