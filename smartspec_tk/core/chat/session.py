"""ChatSession: one open conversation, Tk-free: what to send next, what to save, what Retry resends.

The user's prompt is saved before any request; the answer row starts as
`streaming` and the worker's `StoreSink` flushes it while it streams. Messages
form a tree (`core/chat/branches.py`): Regenerate and Edit-and-resend add a new
version beside the old one, and the session shows one path through the tree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from smartspec_tk.core.chat.branches import MessageTree, shown_branch
from smartspec_tk.core.chat.messages import COMPLETE, FAILED, STOPPED, STREAMING, FinalStatus
from smartspec_tk.core.chat.records import StoredMessage
from smartspec_tk.core.chat.request import PRIVATE_KEY, ChatMessage, text_of, user_content
from smartspec_tk.core.chat.store import ConversationStore

if TYPE_CHECKING:
    from smartspec_tk.core.chat.worker import Preparer

SENT_ANSWER_STATUSES: tuple[FinalStatus, ...] = (COMPLETE, STOPPED)
TITLE_LENGTH = 60
_MARKUP = re.compile(r"\*\*|__|`+|^\s{0,3}(?:#{1,6}|>)\s*", re.MULTILINE)


def title_of(first_text: str) -> str:
    """A conversation's title: the first prompt's words, without code blocks or Markdown marks."""
    prose: list[str] = []
    code: list[str] = []
    fenced = False
    for line in first_text.splitlines():
        fence = line.lstrip().startswith(("```", "~~~"))
        (code if fenced or fence else prose).append(line)
        fenced = fenced != fence
    text = "\n".join(prose) if "".join(prose).strip() else "\n".join(line for line in code if "```" not in line)
    words = " ".join(_MARKUP.sub("", text).split())
    if len(words) > TITLE_LENGTH:
        words = words[:TITLE_LENGTH].rsplit(" ", 1)[0] + "…"
    return words or "New chat"


class StoreSink:
    """Saves one streaming answer (worker thread): `update` while streaming, `finish` once."""

    def __init__(self, store: ConversationStore, message_id: int) -> None:
        self._store = store
        self.message_id = message_id

    def update(self, text: str) -> None:
        self._store.update_message(self.message_id, text)

    def finish(self, text: str, status: FinalStatus, error: str, usage: dict[str, int] | None) -> None:
        self._store.update_message(self.message_id, text, status=status, error=error, usage=usage)


@dataclass(frozen=True)
class Turn:
    """A request about to start: the rows it writes and the history it sends."""

    user_message_id: int
    answer_message_id: int
    history: list[ChatMessage]


class ChatSession:
    """The conversation shown in the pane (Tk thread)."""

    def __init__(self, store: ConversationStore, conversation_id: int | None = None) -> None:
        self.store = store
        self.conversation_id = conversation_id

    def ensure_conversation(self, first_text: str, model: str, system_prompt: str) -> int:
        if self.conversation_id is None:
            title = title_of(first_text)
            self.conversation_id = self.store.create_conversation(title, model, system_prompt)
        return self.conversation_id

    def tree(self) -> MessageTree:
        return MessageTree(self.store.messages(self.conversation_id) if self.conversation_id is not None else [])

    def messages(self) -> list[StoredMessage]:
        """The shown branch, first message first."""
        return shown_branch(self.store, self.conversation_id) if self.conversation_id is not None else []

    def start_turn(self, text: str, parts: Sequence[dict[str, Any]], model: str, system_prompt: str) -> Turn:
        """Save the prompt (and an empty streaming answer) before the request is made."""
        conversation = self.ensure_conversation(text, model, system_prompt)
        self.store.update_conversation(conversation, model=model, system_prompt=system_prompt)
        shown = self.messages()
        parent = shown[-1].id if shown else None
        user_id = self.store.add_message(conversation, "user", user_content(text, parts), parent=parent)
        return self._answer_for(user_id, model)

    def retry_turn(self, model: str) -> Turn | None:
        """Ask again for the shown branch's last prompt (Retry, also after a failed, cut-off or stopped answer)."""
        messages = self.messages()
        prompt = next((m for m in reversed(messages) if m.role == "user"), None)
        return self.regenerate(prompt.id, model) if prompt is not None else None

    def regenerate(self, user_message_id: int, model: str) -> Turn:
        """A new answer to this prompt, beside the ones it has: they stay as earlier versions.
        An answer with no text (a failure) is replaced rather than kept."""
        tree = self.tree()
        for answer in tree.children(user_message_id):
            if answer.role == "assistant" and not answer.text.strip() and not tree.children(answer.id):
                self.store.delete_message(answer.id)
        return self._answer_for(user_message_id, model)

    def edit_turn(self, user_message_id: int, text: str, model: str, system_prompt: str) -> Turn:
        """Send an edited prompt as a new version of that turn (its attachments are kept)."""
        assert self.conversation_id is not None
        old = self.tree().by_id[user_message_id]
        parts = [p for p in old.content if _is_attachment(p)] if isinstance(old.content, list) else []
        self.store.update_conversation(self.conversation_id, model=model, system_prompt=system_prompt)
        user_id = self.store.add_message(
            self.conversation_id, "user", user_content(text, parts), parent=old.parent_id
        )
        return self._answer_for(user_id, model)

    def switch(self, message_id: int, step: int) -> bool:
        """Show the version `step` away (-1: the one before, +1: the one after) of this message's turn."""
        assert self.conversation_id is not None
        tree = self.tree()
        versions = tree.versions(message_id)
        target = versions.previous if step < 0 else versions.next
        if target is None:
            return False
        self.store.set_current_leaf(self.conversation_id, tree.newest_leaf(target))
        return True

    def _answer_for(self, user_id: int, model: str) -> Turn:
        assert self.conversation_id is not None
        self.store.set_current_leaf(self.conversation_id, user_id)
        history = history_for(self.messages())
        answer_id = self.store.add_message(
            self.conversation_id, "assistant", "", status=STREAMING, model=model, parent=user_id
        )
        return Turn(user_id, answer_id, history)

    def repeats_failed_prompt(self, text: str) -> bool:
        """Whether `text` is the shown branch's last prompt, left without a usable answer (sending
        it again is a retry, not a second copy of the prompt)."""
        messages = self.messages()
        if not messages or not text:
            return False
        last = messages[-1]
        prompt = messages[-2] if last.role == "assistant" and len(messages) > 1 else last
        unanswered = last.role == "user" or last.status == FAILED
        return unanswered and prompt.role == "user" and prompt.text.strip() == text

    def drop_missing(self) -> bool:
        """The user agreed to send without the files the backend forgot and that are gone here: mark
        them `dropped` in the shown branch's prompts (they stay listed; they are no longer sent)."""
        dropped = False
        for message in self.messages():
            parts = message.content if message.role == "user" and isinstance(message.content, list) else []
            metas = [p.get(PRIVATE_KEY) for p in parts if isinstance(p, dict)]
            marked = [meta for meta in metas if isinstance(meta, dict) and meta.get("missing")]
            for meta in marked:
                meta["dropped"] = True
            if marked:
                self.store.update_message(message.id, message.content)
                dropped = True
        return dropped

    def last_user_text(self) -> str:
        for message in reversed(self.messages()):
            if message.role == "user":
                return message.text
        return ""


def history_for(messages: Sequence[StoredMessage]) -> list[ChatMessage]:
    """The turns to send: answered prompts with their answers, plus the last prompt.

    Failed or incomplete answers are never resent, and neither are prompts that
    got no usable answer (so two user turns never follow each other).
    """
    history: list[ChatMessage] = []
    for index, message in enumerate(messages):
        if message.role == "user":
            following = messages[index + 1] if index + 1 < len(messages) else None
            is_last = index == len(messages) - 1
            if is_last or (following is not None and _usable_answer(following)):
                entry: ChatMessage = {"role": "user", "content": message.content}
                if isinstance(message.content, list):  # its attachments may be renewed: keep_renewed saves them
                    entry[PRIVATE_KEY] = {"id": message.id}
                history.append(entry)
        elif _usable_answer(message):
            history.append({"role": "assistant", "content": text_of(message.content)})
    return history


def keep_renewed(store: ConversationStore, preparer: Preparer) -> Preparer:
    """`preparer`, and then the prompts whose attachments it changed (renewed links, files uploaded
    again or marked missing: core/media/renew.py) are saved, so the next request starts from them."""

    def prepare(history: list[ChatMessage]) -> list[ChatMessage]:
        before = [json.dumps(entry.get("content"), sort_keys=True) for entry in history]
        try:
            return preparer(history)
        finally:
            for old, entry in zip(before, history, strict=True):
                private = entry.get(PRIVATE_KEY)
                if isinstance(private, dict) and json.dumps(entry.get("content"), sort_keys=True) != old:
                    store.update_message(int(private["id"]), entry["content"])

    return prepare


def _is_attachment(part: Any) -> bool:
    """A content part the user attached (not their typed text)."""
    return isinstance(part, dict) and (part.get("type") != "text" or PRIVATE_KEY in part)


def _usable_answer(message: StoredMessage) -> bool:
    return message.role == "assistant" and message.status in SENT_ANSWER_STATUSES and bool(message.text)
