"""The Remote tab's command interpreter: one line in, lines of text out. Tk-free.

`RemoteShell.execute(line, emit)` runs one command on the calling (worker)
thread and hands each output line to `emit`. Commands that change something
(`write`, and `get` over an existing file) first show what would happen and wait
for the next line: exactly `yes` goes ahead, anything else cancels.
"""

from __future__ import annotations

import logging
import shlex
from collections.abc import Callable
from pathlib import Path

from smartspec_tk.core.errors import UserError
from smartspec_tk.core.remote import browse, files
from smartspec_tk.core.remote.api import RemoteApi
from smartspec_tk.core.remote.context import Emit, Pending, ShellState

log = logging.getLogger(__name__)

HELP = [
    ("help", "this list"),
    ("projects", "the projects the backend knows (and the ones seen here)"),
    ("project <id>", "one project"),
    ("sessions <project-id>", "the sessions of a project"),
    ("session <id>", "a session: iterations, tasks, reports, artifacts; makes it the current one"),
    ("reports", "the reports of the current session"),
    ("report <n>", "the text of report n (read-only)"),
    ("get <key> [file name]", "download an artifact of the current session into the workspace"),
    ("tools", "the MCP tools"),
    ("call <tool> <json>", 'call an MCP tool, e.g. call workspace_read_file {"path": "README.md"}'),
    ("cat <path>", "show a workspace file (workspace_read_file)"),
    ("write <path> <local file>", "replace a workspace file with a local file, after a diff and `yes`"),
    ("clear", "clear the transcript"),
]
COMMANDS = tuple(usage.split()[0] for usage, _ in HELP)


class RemoteShell:
    """Runs the commands; each command module sees it as a `context.ShellContext`."""

    def __init__(self, api: RemoteApi, workspace: Path, upload_cache: Path | None = None) -> None:
        self.api = api
        self.workspace = workspace
        self.upload_cache = upload_cache  # the chat uploads' session cache: ids known on this computer
        self.state = ShellState()
        self.pending: Pending | None = None

    @property
    def prompt(self) -> str:
        if self.pending:
            return "confirm (yes/no)> "
        return f"remote:{self.state.session_id}> " if self.state.session_id else "remote> "

    def execute(self, line: str, emit: Emit) -> None:
        """Run one line; every problem is reported through `emit`, never raised."""
        try:
            if self.pending is not None:
                self._answer(line, emit)
                return
            words = shlex.split(line, posix=True)
            if words:
                self._dispatch(words, line, emit)
        except UserError as exc:
            emit(str(exc), "error")
        except ValueError as exc:
            emit(f"Could not read that line: {exc}", "error")
        except Exception:
            log.exception("remote command failed: %s", line.split(" ", 1)[0])
            emit("Internal error — see the log.", "error")

    def _answer(self, line: str, emit: Emit) -> None:
        pending, self.pending = self.pending, None
        assert pending is not None
        if line.strip().lower() == "yes":
            pending.action(emit)
        else:
            emit("Cancelled; nothing was changed.", "note")

    def ask(self, question: str, action: Callable[[Emit], None], emit: Emit) -> None:
        self.pending = Pending(question, action)
        emit(question + " Type yes to go ahead, anything else to cancel.", "note")

    def _dispatch(self, words: list[str], line: str, emit: Emit) -> None:
        name, args = words[0].lower(), words[1:]
        if name == "help":
            width = max(len(u) for u, _ in HELP)
            for usage, text in HELP:
                emit(f"  {usage.ljust(width)}  {text}", "out")
        elif name == "call":
            files.call(self, line, emit)
        elif name in browse.COMMANDS:
            browse.COMMANDS[name](self, args, emit)
        elif name in files.COMMANDS:
            files.COMMANDS[name](self, args, emit)
        elif name == "clear":
            emit("", "clear")
        else:
            emit(f"Unknown command {name!r}. Type help for the list.", "error")

    def complete(self, line: str) -> list[str]:
        """Completions for the word being typed at the end of `line`."""
        words = line.split(" ")
        current = words[-1]
        if len(words) == 1:
            return [c for c in COMMANDS if c.startswith(current.lower())]
        command = words[0].lower()
        pools: dict[str, list[str]] = {
            "project": list(self.state.projects),
            "sessions": list(self.state.projects),
            "session": list(self.state.sessions),
            "get": self.state.artifact_keys,
            "call": self.state.tool_names,
        }
        if len(words) == 2 and command in pools:
            return [c for c in pools[command] if c.startswith(current)]
        return []
