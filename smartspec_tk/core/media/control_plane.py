"""The control-plane artifact API, reached through the backend's proxy prefix (the default mode).

Sequence: project → session (cached per workspace) → presign PUT → PUT to the
store → complete (SHA-256, size) → presign GET.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import httpx

from smartspec_tk.core.media.replies import Presigned, json_reply, presigned, raise_unreadable, send

log = logging.getLogger(__name__)

JSON = {"Content-Type": "application/json"}


class ControlPlaneApi:
    """Thin client of `{backend}{prefix}/…`; every method is one request (any thread)."""

    mode = "control-plane"
    needs_complete = True

    def __init__(self, http: httpx.Client, backend_url: str, prefix: str) -> None:
        self._http = http
        self._base = backend_url.rstrip("/") + "/" + prefix.strip("/")

    def new_session(self, workspace: Path) -> tuple[str, str]:
        """Create a project and a session for `workspace`; returns (project id, session id)."""
        body = self._post("/projects", {"name": f"Desktop: {workspace.name or workspace}"}, "create project")
        project = body.get("project")
        if not isinstance(project, dict) or not project.get("id"):
            raise_unreadable("create project")
        project_id = str(project["id"])
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = self._post(f"/projects/{quote(project_id, safe='')}/sessions",
                          {"name": f"SmartSpec Tk ({stamp})"}, "create session")
        session = body.get("session")
        if not isinstance(session, dict) or not session.get("id"):
            raise_unreadable("create session")
        return project_id, str(session["id"])

    def session_exists(self, session_id: str) -> bool:
        response = send(self._http, "GET", f"{self._base}/sessions/{quote(session_id, safe='')}",
                        "check session")
        body = json_reply(response, "check session")
        return isinstance(body.get("session"), dict)

    def presign_put(self, session_id: str, name: str, content_type: str, size: int) -> Presigned:
        body = self._post(
            f"/sessions/{quote(session_id, safe='')}/artifacts/presign-put",
            {"iteration": 0, "name": name, "contentType": content_type, "sizeBytes": size},
            "presign upload",
        )
        return presigned(body, "presign upload")

    def complete(self, session_id: str, key: str, sha256: str, size: int) -> None:
        self._post(f"/sessions/{quote(session_id, safe='')}/artifacts/complete",
                   {"key": key, "sha256": sha256, "sizeBytes": size}, "complete upload")

    def presign_get(self, session_id: str, key: str) -> Presigned:
        url = f"{self._base}/sessions/{quote(session_id, safe='')}/artifacts/presign-get"
        response = send(self._http, "GET", url, "presign download", params={"key": key})
        return presigned(json_reply(response, "presign download"), "presign download")

    def _post(self, path: str, payload: dict[str, object], what: str) -> dict[str, object]:
        response = send(self._http, "POST", self._base + path, what, json=payload, headers=JSON)
        return json_reply(response, what)
