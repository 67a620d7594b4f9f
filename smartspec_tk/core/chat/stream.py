"""What an OpenAI chat-completions stream means: SSE events → text, usage, done, error.

Tolerant by design (backend-contract.md "Chat"): `content` may be null or absent,
the usage chunk may carry `choices: []` or `[{"delta": {}}]`, unknown named events
(`trace`, `proxy_status`, …) are ignored, and a JSON error object in the stream
becomes a `StreamError`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from smartspec_tk.core.chat.sse import SSEEvent

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TextPiece:
    text: str


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    total_tokens: int | None = None

    @staticmethod
    def from_json(raw: dict[str, Any]) -> Usage:
        def number(key: str) -> int | None:
            value = raw.get(key)
            return int(value) if isinstance(value, int | float) else None

        return Usage(number("prompt_tokens"), number("completion_tokens"), number("total_tokens"))

    def as_dict(self) -> dict[str, int]:
        items = {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens,
        }
        return {k: v for k, v in items.items() if v is not None}


@dataclass(frozen=True, slots=True)
class StreamDone:
    """`data: [DONE]`: the answer is complete."""


@dataclass(frozen=True, slots=True)
class StreamError:
    """The stream carried an error object instead of a chunk."""

    message: str


StreamItem = TextPiece | Usage | StreamDone | StreamError

DATA_EVENTS = ("message", "")


def interpret(event: SSEEvent) -> list[StreamItem]:
    """The meaning of one SSE event (often one text piece, sometimes nothing)."""
    if event.event not in DATA_EVENTS:
        log.debug("ignoring SSE event %r", event.event)
        return []
    data = event.data.strip()
    if data == "[DONE]":
        return [StreamDone()]
    try:
        chunk = json.loads(data)
    except ValueError:
        log.debug("ignoring non-JSON SSE data %.80r", data)
        return []
    return interpret_chunk(chunk) if isinstance(chunk, dict) else []


def interpret_chunk(chunk: dict[str, Any]) -> list[StreamItem]:
    """A `chat.completion.chunk` (or a whole `chat.completion`) as stream items."""
    items: list[StreamItem] = []
    error = chunk.get("error")
    if error:
        items.append(StreamError(_error_text(error)))
    choices = chunk.get("choices")
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        part = choices[0].get("delta") or choices[0].get("message") or {}
        content = part.get("content") if isinstance(part, dict) else None
        if isinstance(content, str) and content:
            items.append(TextPiece(content))
    usage = chunk.get("usage")
    if isinstance(usage, dict) and usage:
        items.append(Usage.from_json(usage))
    return items


def _error_text(error: object) -> str:
    if isinstance(error, dict):
        return str(error.get("message") or error.get("type") or error)
    return str(error)
