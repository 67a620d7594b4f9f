"""The backend's own local artifact store (`/api/artifacts/…`), the alternative to the control plane.

The URLs it hands out point at the backend itself, so only a local model can
fetch them; there is no complete step.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote

import httpx

from smartspec_tk.core.media.control_plane import JSON
from smartspec_tk.core.media.replies import Presigned, json_reply, presigned, raise_unreadable, send

log = logging.getLogger(__name__)

PREFIX = "/api/artifacts"


class LocalArtifactsApi:
    """Thin client of `{backend}/api/artifacts/…` (any thread)."""

    mode = "local"
    needs_complete = False

    def __init__(self, http: httpx.Client, backend_url: str) -> None:
        self._http = http
        self._base = backend_url.rstrip("/") + PREFIX

    def new_session(self, workspace: Path) -> tuple[str, str]:
        response = send(self._http, "POST", f"{self._base}/sessions", "create session",
                        json={"name": f"Desktop: {workspace.name or workspace}"}, headers=JSON)
        session = json_reply(response, "create session").get("session")
        if not isinstance(session, dict) or not session.get("id"):
            raise_unreadable("create session")
        return "local", str(session["id"])

    def session_exists(self, session_id: str) -> bool:
        return True  # the local store creates unknown sessions on demand

    def presign_put(self, session_id: str, name: str, content_type: str, size: int) -> Presigned:
        url = f"{self._base}/sessions/{quote(session_id, safe='')}/artifacts/presign-put"
        payload = {"iteration": 0, "name": name, "contentType": content_type, "sizeBytes": size}
        response = send(self._http, "POST", url, "presign upload", json=payload, headers=JSON)
        return presigned(json_reply(response, "presign upload"), "presign upload")

    def complete(self, session_id: str, key: str, sha256: str, size: int) -> None:
        """Nothing to do: the local store has no complete step."""

    def presign_get(self, session_id: str, key: str) -> Presigned:
        url = f"{self._base}/sessions/{quote(session_id, safe='')}/artifacts/presign-get"
        response = send(self._http, "GET", url, "presign download", params={"key": key})
        return presigned(json_reply(response, "presign download"), "presign download")
