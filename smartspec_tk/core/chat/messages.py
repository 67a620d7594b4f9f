"""Messages the chat worker posts to the Tk thread; each names its request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from smartspec_tk.core.messages import Message

FinalStatus = Literal["complete", "stopped", "incomplete", "failed"]
"""How a request ended (ChatFinished) and how its stored answer stays."""
AnswerStatus = Literal[FinalStatus, "streaming"]
"""A stored message's status: a final one, or `streaming` while its answer arrives."""

COMPLETE: Final = "complete"
STOPPED: Final = "stopped"
INCOMPLETE: Final = "incomplete"
FAILED: Final = "failed"
STREAMING: Final = "streaming"
FINAL_STATUSES: tuple[FinalStatus, ...] = (COMPLETE, STOPPED, INCOMPLETE, FAILED)
ANSWER_STATUSES: tuple[AnswerStatus, ...] = (*FINAL_STATUSES, STREAMING)


def answer_status(value: str) -> AnswerStatus:
    """A status read back from the store; one this version does not know counts as incomplete."""
    for status in ANSWER_STATUSES:
        if value == status:
            return status
    return INCOMPLETE


@dataclass(frozen=True, slots=True)
class ChatAccepted(Message):
    """The backend accepted the request (HTTP 200); the answer starts."""

    request_id: int
    streaming: bool = True


@dataclass(frozen=True, slots=True)
class ChatDelta(Message):
    """More answer text (all the pieces of one network read, joined)."""

    request_id: int
    text: str


@dataclass(frozen=True, slots=True)
class ChatUsage(Message):
    """Token counts the server reported for this request."""

    request_id: int
    prompt_tokens: int | None
    completion_tokens: int | None
    total_tokens: int | None


@dataclass(frozen=True, slots=True)
class ChatNotice(Message):
    """Something the user should know about this request (e.g. a non-streaming fallback)."""

    request_id: int
    text: str


@dataclass(frozen=True, slots=True)
class ChatFinished(Message):
    """The request ended: always the worker's last message."""

    request_id: int
    status: FinalStatus
    error: str = ""
    retry_after: float | None = None
    missing: tuple[str, ...] = ()  # sent files the backend forgot and that cannot be uploaded again


@dataclass(frozen=True, slots=True)
class ChatModelsLoaded(Message):
    """The model list arrived (or could not be read: `error`)."""

    models: tuple[str, ...]
    error: str = ""
