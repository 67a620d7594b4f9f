"""What the Remote shell's commands see of the shell: its API client, workspace, state, and
a way to ask before a change. Tk-free; the command modules depend on this, not on the shell."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from smartspec_tk.core.remote.api import RemoteApi

OutputKind = Literal["out", "error", "note", "header", "add", "remove", "clear"]
"""How a line of output is shown (a diff's `add`/`remove`); `clear` empties the tab."""
Emit = Callable[[str, OutputKind], None]  # (text, kind)


@dataclass
class ShellState:
    """What the shell remembers between commands (ids for completion, the current session)."""

    session_id: str | None = None
    session: dict[str, Any] | None = None
    projects: dict[str, str] = field(default_factory=dict)  # id → name
    sessions: dict[str, str] = field(default_factory=dict)  # id → name
    session_projects: dict[str, str] = field(default_factory=dict)  # session id → project id
    artifact_keys: list[str] = field(default_factory=list)
    tool_names: list[str] = field(default_factory=list)


@dataclass
class Pending:
    """A change waiting for the word `yes`."""

    question: str
    action: Callable[[Emit], None]


class ShellContext(Protocol):
    """The shell as a command uses it (RemoteShell is one)."""

    api: RemoteApi
    workspace: Path
    upload_cache: Path | None  # the chat uploads' session cache: ids known on this computer
    state: ShellState

    def ask(self, question: str, action: Callable[[Emit], None], emit: Emit) -> None:
        """Show `question`; run `action` only if the next line is `yes`."""
        ...
