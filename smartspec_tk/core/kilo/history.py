"""Per-workspace command history of the Kilo and Remote tabs, kept in the data folder across restarts.

One small JSON file per workspace (`<data_dir>/<kind>-history/<hash>.json`),
written atomically after every command; a corrupt file counts as empty. The
`HistoryCursor` gives shell-like Up/Down browsing that keeps the line being typed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

MAX_ENTRIES = 200


class CommandHistory:
    """The commands run in one workspace, oldest first; consecutive repeats are kept once."""

    def __init__(self, path: Path, workspace: str = "", limit: int = MAX_ENTRIES) -> None:
        self.path = path
        self.workspace = workspace
        self.limit = limit
        self.entries: list[str] = self._load()

    @classmethod
    def for_workspace(cls, data_dir: Path, workspace: Path, kind: str = "kilo") -> CommandHistory:
        resolved = str(workspace.expanduser().resolve())
        digest = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:16]
        return cls(data_dir / f"{kind}-history" / f"{digest}.json", resolved)

    def add(self, command: str) -> None:
        command = command.strip()
        if not command:
            return
        if self.entries and self.entries[-1] == command:
            return
        self.entries.append(command)
        del self.entries[: -self.limit]
        self._save()

    def _load(self) -> list[str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            log.warning("history file %s unreadable (%s); starting empty", self.path.name, exc)
            return []
        commands = data.get("commands") if isinstance(data, dict) else None
        if not isinstance(commands, list):
            return []
        return [c for c in commands if isinstance(c, str)][-self.limit :]

    def _save(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"workspace": self.workspace, "commands": self.entries}), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            log.warning("could not save the command history (%s)", exc)


class HistoryCursor:
    """Up/Down through a history; the line being typed comes back after the newest entry."""

    def __init__(self, history: CommandHistory) -> None:
        self._history = history
        self._index: int | None = None
        self._draft = ""

    def reset(self) -> None:
        self._index = None

    def older(self, current: str) -> str:
        entries = self._history.entries
        if not entries:
            return current
        if self._index is None:
            self._draft = current
            self._index = len(entries)
        self._index = max(0, self._index - 1)
        return entries[self._index]

    def newer(self, current: str) -> str:
        entries = self._history.entries
        if self._index is None:
            return current
        self._index += 1
        if self._index >= len(entries):
            self._index = None
            return self._draft
        return entries[self._index]
