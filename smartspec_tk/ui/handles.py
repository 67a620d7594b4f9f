"""The typed seams between features: what one feature's `attach` returns and another uses.

`features.attach_features` passes these handles along (`terminals = terminal.attach(…)`,
`chat = chat.attach(…, terminals=terminals)`, …). Each is a small Protocol, so a feature
depends on what it calls, not on another feature's classes; tests pass fakes.
"""

from __future__ import annotations

import threading
import tkinter as tk
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from smartspec_tk.core.chat.worker import Preparer
    from smartspec_tk.core.terminal import TerminalSession

T = TypeVar("T", bound="TerminalTab")  # a tab of another kind
ContentPart = dict[str, Any]  # an OpenAI content part ({"type": "image_url", …})


class TerminalTab(Protocol):
    """What the terminal notebook asks of every tab it holds: a TerminalView, a Remote tab."""

    @property
    def exited(self) -> bool: ...

    def set_visible(self, visible: bool) -> None: ...

    def foreground_busy(self) -> bool:
        """True while closing the tab would end a running program (the user is asked)."""
        ...

    def focus_terminal(self) -> None: ...

    def selected_text(self) -> str: ...

    def copy(self) -> None: ...

    def paste(self, text: str) -> bool:
        """Paste like the user would; True if sent."""
        ...

    def paste_clipboard(self) -> None: ...

    def find(self) -> None: ...

    def close(self) -> threading.Thread | None:
        """End what runs in the tab; a thread to join when that takes time."""
        ...

    def destroy(self) -> None: ...


class SessionTab(TerminalTab, Protocol):
    """A tab running a terminal session, as a header widget above it (Kilo's command bar) drives it."""

    exit_note: Callable[[int | None], str] | None  # the banner's text when the program ends (None: the usual)

    @property
    def session(self) -> TerminalSession | None:
        """The running session (a new one after each `restart`)."""
        ...

    @property
    def header(self) -> tk.Widget | None:
        """The widget `header_widget_factory` made above the terminal (None: none)."""
        ...

    def restart(self) -> None:
        """Start the tab's program again in a new session."""
        ...


HeaderFactory = Callable[[tk.Misc, SessionTab], tk.Widget]  # (parent, tab) -> a widget above the terminal
SessionFactory = Callable[[int, int], "TerminalSession"]  # (cols, rows) -> a started session


class Terminals(Protocol):
    """The terminal tabs, as the chat, Kilo and Remote features use them (Tk thread)."""

    def selected_text(self) -> str:
        """The current tab's selected text ('' when none)."""
        ...

    def paste_into_current(self, text: str, bracketed: bool = True) -> bool:
        """Paste into the current program like the user would (True if sent)."""
        ...

    def open_session(
        self,
        argv: list[str] | None = None,
        env: Mapping[str, str] | None = None,
        cwd: str | Path | None = None,
        title: str | None = None,
        header_widget_factory: HeaderFactory | None = None,
        factory: SessionFactory | None = None,
    ) -> SessionTab:
        """A new terminal tab, selected and focused."""
        ...

    def new_tab(self) -> SessionTab:
        """A new shell tab, as Tabs → New tab opens it."""
        ...

    def name_tab(self, tab: TerminalTab | None, name: str) -> None:
        """Name a tab (the current one when None) as Rename does."""
        ...

    def add_tab(self, make: Callable[[tk.Misc], T], title: str) -> T:
        """A tab of another kind (a TerminalTab) made by `make(parent)`."""
        ...

    def close_tab(self, tab: TerminalTab | None = None, *, ask: bool = True) -> bool:
        """Close a tab (the current one by default), ending its programs; False if the user said no."""
        ...


class AttachmentSource(Protocol):
    """What the attachments give the chat pane when the user sends."""

    def pending(self) -> bool: ...

    def peek_parts(self) -> list[ContentPart]:
        """The finished parts, left in place (the send may still fail)."""
        ...

    def take_parts(self) -> list[ContentPart]: ...


class Chat(Protocol):
    """The chat pane, as the attachments (and the start-up test hooks) use it (Tk thread)."""

    @property
    def attachments_area(self) -> tk.Misc:
        """Where the attachment bar packs itself."""
        ...

    def drop_targets(self) -> list[tk.Misc]:
        """The widgets a file may be dropped on."""
        ...

    @property
    def prompt_text(self) -> tk.Text:
        """The input box (file paths pasted into it become attachments)."""
        ...

    def set_attachment_source(self, source: AttachmentSource | None) -> None: ...

    def set_request_preparer(self, preparer: Preparer | None) -> None: ...

    def keep_thumbnail(self, source: Path, sha256: str, content_type: str) -> bool:
        """Keep a thumbnail of a picture about to be sent, for the transcript (False: none)."""
        ...

    def set_prompt(self, text: str) -> None: ...

    def send_prompt(self) -> None: ...


class Media(Protocol):
    """The attachment bar, as the start-up test hooks use it."""

    def add_paths(self, paths: Iterable[str]) -> int: ...


ShowNotice = Callable[[str], None]
