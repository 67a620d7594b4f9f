"""Export a conversation as Markdown or JSON (Export… in the conversations sidebar): the branch it shows."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from smartspec_tk.core.chat.branches import shown_branch
from smartspec_tk.core.chat.records import StoredMessage
from smartspec_tk.core.chat.request import PRIVATE_KEY
from smartspec_tk.core.chat.store import ConversationStore

ROLE_TITLES = {"user": "You", "assistant": "Assistant", "system": "System"}


def to_markdown(store: ConversationStore, conversation_id: int) -> str:
    info = store.conversation(conversation_id)
    if info is None:
        raise KeyError(conversation_id)
    lines = [f"# {info.title}", ""]
    stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(info.created_at))
    lines.append(f"_Started {stamp}" + (f", model {info.model}_" if info.model else "_"))
    if info.system_prompt:
        lines += ["", "**System prompt:**", "", info.system_prompt]
    for message in shown_branch(store, conversation_id):
        lines += ["", f"## {ROLE_TITLES.get(message.role, message.role)}", "", message.text]
        lines += [f"- attachment: {_part_label(p)}" for p in _attachments(message)]
        if message.status != "complete":
            note = f" ({message.error})" if message.error else ""
            lines += ["", f"_[{message.status}]{note}_"]
    return "\n".join(lines).rstrip() + "\n"


def to_json(store: ConversationStore, conversation_id: int) -> dict[str, Any]:
    info = store.conversation(conversation_id)
    if info is None:
        raise KeyError(conversation_id)
    return {
        "format": "smartspec-conversation",
        "version": 1,
        "title": info.title,
        "model": info.model,
        "system_prompt": info.system_prompt,
        "created_at": info.created_at,
        "messages": [_message_json(m) for m in shown_branch(store, conversation_id)],
    }


def export(store: ConversationStore, conversation_id: int, path: Path) -> None:
    """Write Markdown for a `.md` path, JSON otherwise."""
    if path.suffix.lower() in (".md", ".markdown"):
        path.write_text(to_markdown(store, conversation_id), encoding="utf-8")
    else:
        text = json.dumps(to_json(store, conversation_id), ensure_ascii=False, indent=2)
        path.write_text(text, encoding="utf-8")


def _message_json(message: StoredMessage) -> dict[str, Any]:
    item: dict[str, Any] = {
        "role": message.role,
        "content": _without_paths(message.content),
        "status": message.status,
        "created_at": message.created_at,
    }
    if message.error:
        item["error"] = message.error
    if message.model:
        item["model"] = message.model
    if message.usage:
        item["usage"] = message.usage
    return item


def _without_paths(content: Any) -> Any:
    """The content without the attachments' local file paths (kept only to upload them again)."""
    if not isinstance(content, list):
        return content
    return [
        {**p, PRIVATE_KEY: {k: v for k, v in p[PRIVATE_KEY].items() if k != "path"}}
        if isinstance(p, dict) and isinstance(p.get(PRIVATE_KEY), dict) else p
        for p in content
    ]


def _attachments(message: StoredMessage) -> list[dict[str, Any]]:
    if not isinstance(message.content, list):
        return []
    return [p for p in message.content if isinstance(p, dict) and p.get("type") != "text"]


def _part_label(part: dict[str, Any]) -> str:
    private = part.get(PRIVATE_KEY) or {}
    if isinstance(private, dict) and private.get("name"):
        return str(private["name"])
    inner = part.get(str(part.get("type")), {})
    if isinstance(inner, dict):
        return str(inner.get("name") or inner.get("url") or part.get("type"))
    return str(part.get("type"))
