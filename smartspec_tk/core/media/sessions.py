"""The on-disk cache of artifact sessions: one (project, session) per workspace, backend and mode.

Stored as JSON in the data folder so uploads of one workspace land in the same
server-side session across restarts.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path

log = logging.getLogger(__name__)

CACHE_FILE_NAME = "artifact-sessions.json"


class SessionCache:
    """Thread-safe map of `cache_key` → {"projectId", "sessionId"} persisted to one JSON file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._unsaved: dict[str, object] | None = None  # kept in memory when the file cannot be written

    @staticmethod
    def cache_key(mode: str, backend_url: str, workspace: Path) -> str:
        return f"{mode}|{backend_url.rstrip('/')}|{workspace.expanduser().absolute()}"

    def get(self, key: str) -> tuple[str, str] | None:
        with self._lock:
            entry = self._read().get(key)
        if isinstance(entry, dict) and entry.get("projectId") and entry.get("sessionId"):
            return str(entry["projectId"]), str(entry["sessionId"])
        return None

    def put(self, key: str, project_id: str, session_id: str) -> None:
        with self._lock:
            data = self._read()
            data[key] = {"projectId": project_id, "sessionId": session_id}
            self._write(data)

    def forget(self, key: str) -> None:
        with self._lock:
            data = self._read()
            if data.pop(key, None) is not None:
                self._write(data)

    def _read(self) -> dict[str, object]:
        if self._unsaved is not None:
            return dict(self._unsaved)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("artifact session cache unreadable (%s); starting afresh", exc)
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, data: dict[str, object]) -> None:
        """Save `data`; a read-only or full disk keeps it in memory for this run (a cache: nothing is lost)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            if self._unsaved is None:
                log.warning("artifact session cache %s cannot be written (%s); kept in memory", self.path, exc)
            self._unsaved = dict(data)
            return
        self._unsaved = None
