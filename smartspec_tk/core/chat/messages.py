"""Messages the chat worker posts to the Tk thread; each names its request."""

from __future__ import annotations

from dataclasses import dataclass

from smartspec_tk.core.messages import Message

COMPLETE = "complete"
STOPPED = "stopped"
INCOMPLETE = "incomplete"
FAILED = "failed"
STREAMING = "streaming"
FINAL_STATUSES = (COMPLETE, STOPPED, INCOMPLETE, FAILED)


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
    """The request ended: always the worker's last message. `status` is one of FINAL_STATUSES."""

    request_id: int
    status: str
    error: str = ""
    retry_after: float | None = None


@dataclass(frozen=True, slots=True)
class ChatModelsLoaded(Message):
    """The model list arrived (or could not be read: `error`)."""

    models: tuple[str, ...]
    error: str = ""
