"""Messages that worker threads post to the Tk thread, named as facts.

Every message is a frozen dataclass. Messages about one request or session carry
its id, so the GUI can ignore messages of a request it no longer shows. Features
add their own message classes next to their code; this module holds the shared
ones.
"""

from __future__ import annotations

from dataclasses import dataclass


class Message:
    """Marker base class: everything posted to the outbox is a Message."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class BackendStatusChanged(Message):
    """The health poller learned whether the backend answers."""

    url: str
    reachable: bool
    detail: str
    demo: bool = False


@dataclass(frozen=True, slots=True)
class NoticePosted(Message):
    """A one-off notice for the user (for example a bad setting that was ignored)."""

    text: str
    level: str = "warning"
