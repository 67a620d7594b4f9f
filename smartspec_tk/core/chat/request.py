"""Building the `POST /v1/chat/completions` body from a conversation's history.

Content parts may carry private metadata under `x_smartspec` (upload keys, expiry
times); it never leaves the machine: `strip_private` removes it before sending.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

PRIVATE_KEY = "x_smartspec"

ChatMessage = dict[str, Any]


@dataclass(frozen=True)
class ChatOptions:
    """What the user chose for the next request."""

    model: str
    system_prompt: str = ""
    temperature: float | None = 0.3
    max_tokens: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def strip_private(messages: Sequence[ChatMessage]) -> list[ChatMessage]:
    """A deep copy of `messages` without any `x_smartspec` key in content parts."""
    cleaned: list[ChatMessage] = []
    for message in messages:
        message = copy.deepcopy(message)
        content = message.get("content")
        if isinstance(content, list):
            message["content"] = [
                {k: v for k, v in part.items() if k != PRIVATE_KEY} if isinstance(part, dict) else part
                for part in content
            ]
        message.pop(PRIVATE_KEY, None)
        cleaned.append(message)
    return cleaned


def user_content(text: str, parts: Sequence[dict[str, Any]] = ()) -> str | list[dict[str, Any]]:
    """A user message's `content`: a string, or text part first then the attachment parts."""
    if not parts:
        return text
    content: list[dict[str, Any]] = []
    if text:
        content.append({"type": "text", "text": text})
    content.extend(copy.deepcopy(list(parts)))
    return content


def build_body(options: ChatOptions, history: Sequence[ChatMessage], *, stream: bool = True) -> dict[str, Any]:
    """The JSON body; `history` is the user/assistant turns without the system prompt."""
    messages: list[ChatMessage] = []
    if options.system_prompt.strip():
        messages.append({"role": "system", "content": options.system_prompt})
    messages.extend(strip_private(history))
    body: dict[str, Any] = {"model": options.model, "messages": messages}
    if options.temperature is not None:
        body["temperature"] = options.temperature
    if options.max_tokens:
        body["max_tokens"] = options.max_tokens
    body.update(options.extra)
    body["stream"] = stream
    if stream:
        body["stream_options"] = {"include_usage": True}
    else:
        body.pop("stream_options", None)
    return body


def text_of(content: Any) -> str:
    """The plain text of a `content` value (string or list of parts), for search and titles."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text"]
        return "\n".join(t for t in texts if t)
    return ""
