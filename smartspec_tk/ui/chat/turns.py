"""Drawing stored turns: a whole conversation, a turn's status line, attachment labels (Tk thread)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from smartspec_tk.core.chat import messages as m
from smartspec_tk.core.chat.attachments import attachments_of
from smartspec_tk.core.chat.records import StoredMessage
from smartspec_tk.core.chat.request import PRIVATE_KEY
from smartspec_tk.ui.chat.actions import RowActions
from smartspec_tk.ui.chat.transcript import Transcript

NEW_CHAT_HINT = "New chat. Enter sends, Shift+Enter adds a line, Esc stops; earlier chats are in the sidebar."
STATUS_WORDS: dict[m.AnswerStatus, str] = {
    m.COMPLETE: "",
    m.STOPPED: "Stopped.",
    m.INCOMPLETE: "Incomplete answer.",
    m.FAILED: "Failed.",
    m.STREAMING: "Still streaming.",
}


Usage = tuple[int | None, int | None, int | None]  # prompt, completion and total tokens


def status_text(status: m.AnswerStatus, error: str, usage: Usage | None, notices: Sequence[str] = ()) -> str:
    """One line under an answer: what went wrong (or the notes), then the token figures."""
    words = [STATUS_WORDS[status]]
    if error:
        words.append(error)
    words.extend(notices)
    if usage is not None and any(v is not None for v in usage):
        prompt, completion, total = (("?" if v is None else str(v)) for v in usage)
        words.append(f"Tokens: {prompt} in, {completion} out, {total} total.")
    return " ".join(w for w in words if w) or "Done."


def typed_text(content: Any, fallback: str) -> str:
    """What the user typed: the text parts without private metadata (not the attachments' link lines)."""
    if not isinstance(content, list):
        return fallback
    typed = [
        str(p.get("text") or "")
        for p in content
        if isinstance(p, dict) and p.get("type") == "text" and PRIVATE_KEY not in p
    ]
    return "\n".join(t for t in typed if t)


def render_conversation(
    transcript: Transcript,
    messages: Sequence[StoredMessage],
    retry: Callable[[], None],
    row_for: Callable[[StoredMessage], RowActions] | None = None,
) -> None:
    """Redraw a whole conversation (on open, retry, a new version; never while streaming), each message
    followed by its row of actions (Copy, Edit or Regenerate, ‹ 1/2 ›)."""
    transcript.clear()
    last = messages[-1].id if messages else None
    for message in messages:
        if message.role == "user":
            parts = message.content if isinstance(message.content, list) else []
            transcript.add_user(typed_text(message.content, message.text), attachments_of(parts))
        else:
            _draw_answer(transcript, message, retry if message.id == last else None)
        if row_for is not None and message.status != m.STREAMING:
            transcript.add_actions(row_for(message))


def _draw_answer(transcript: Transcript, message: StoredMessage, retry: Callable[[], None] | None) -> None:
    renderer = transcript.begin_answer("Assistant" + (f" · {message.model}" if message.model else ""))
    with transcript.writing():
        renderer.feed(message.text)
        renderer.finish()
    usage = message.usage or {}
    figures = (usage.get("prompt_tokens"), usage.get("completion_tokens"), usage.get("total_tokens"))
    failed = message.status in (m.FAILED, m.INCOMPLETE)
    if message.status != m.COMPLETE or message.usage:
        line = status_text(message.status, message.error, figures if message.usage else None)
        again = failed or message.status == m.STOPPED
        transcript.add_status(line, error=failed, retry=retry if again else None)
