"""The control plane behind `/api/v1/control-plane/api/v1`: projects, sessions, iterations,
reports, tasks and the artifact presign/complete flow, kept in memory.

Validation order, error bodies and key naming follow the original control plane
(`research/contract.md` §1.3–1.4); `--fault-cp-errors-200` delivers errors as HTTP 200
bodies the way the original proxy did.
"""

from __future__ import annotations

import threading
from typing import Any

from smartspec_tk.backend.config import BackendConfig
from smartspec_tk.backend.cp_common import DEMO_SESSION_ID, fastify_500, new_id, now
from smartspec_tk.backend.storage import Store


class ControlPlane:
    """In-memory records; every public method returns (status, body)."""

    def __init__(self, config: BackendConfig, store: Store) -> None:
        self.config = config
        self.store = store
        self.lock = threading.Lock()
        self.projects: dict[str, dict[str, Any]] = {}
        self.sessions: dict[str, dict[str, Any]] = {}
        self.iterations: dict[str, list[dict[str, Any]]] = {}
        self.reports: dict[str, list[dict[str, Any]]] = {}
        self.tasks: dict[str, list[dict[str, Any]]] = {}
        self.artifacts: dict[str, dict[str, Any]] = {}

    def create_project(self, body: Any) -> tuple[int, dict[str, Any]]:
        name = body.get("name") if isinstance(body, dict) else None
        if not isinstance(name, str) or not name:
            return fastify_500("invalid project name: expected a non-empty string")
        project = {"id": new_id(), "name": name, "createdAt": now()}
        with self.lock:
            self.projects[project["id"]] = project
        return 200, {"project": project}

    def get_project(self, pid: str) -> tuple[int, dict[str, Any]]:
        return 200, {"project": self.projects.get(pid)}

    def list_projects(self) -> tuple[int, dict[str, Any]]:
        """Our extension (the original has no list routes): newest first."""
        with self.lock:
            return 200, {"projects": list(reversed(self.projects.values()))}

    def list_sessions(self, pid: str) -> tuple[int, dict[str, Any]]:
        if pid not in self.projects:
            return 404, {"error": "project_not_found"}
        with self.lock:
            sessions = [s for s in reversed(self.sessions.values()) if s["projectId"] == pid]
        return 200, {"sessions": sessions}

    def create_session(self, pid: str, body: Any, sid: str | None = None) -> tuple[int, dict[str, Any]]:
        name = body.get("name") if isinstance(body, dict) else None
        if name is not None and (not isinstance(name, str) or not name):
            return fastify_500("invalid session name: expected a non-empty string")
        if pid not in self.projects:
            return fastify_500("Foreign key constraint failed on the field: `projectId`")
        session_id = sid or new_id()
        session = {"id": session_id, "projectId": pid, "name": name, "createdAt": now()}
        with self.lock:
            self.sessions[session_id] = session
            for table in (self.iterations, self.reports, self.tasks):
                table[session_id] = []
        return 200, {"session": session}

    def get_session(self, sid: str) -> tuple[int, dict[str, Any]]:
        session = self.sessions.get(sid)
        if session is None:
            return 200, {"session": None}
        with self.lock:
            full = dict(session)
            full["project"] = self.projects.get(session["projectId"])
            full["iterations"] = list(self.iterations[sid])
            full["tasks"] = list(self.tasks[sid])
            full["reports"] = list(reversed(self.reports[sid]))[:50]
            full["artifacts"] = [a for a in self.artifacts.values() if a["sessionId"] == sid]
        return 200, {"session": full}

    def add_child(self, table: str, sid: str, body: Any) -> tuple[int, dict[str, Any]]:
        """Iterations, reports and tasks: a record attached to a session."""
        if sid not in self.sessions:
            return fastify_500("Foreign key constraint failed on the field: `sessionId`")
        record: dict[str, Any] = {"id": new_id(), "sessionId": sid, "createdAt": now()}
        if table == "reports":
            body = body if isinstance(body, dict) else {}
            record.update(
                title=str(body.get("title") or "Report"),
                kind=str(body.get("kind") or "note"),
                summary=str(body.get("summary") or ""),
                content=str(body.get("content") or ""),
            )
        elif table == "tasks":
            body = body if isinstance(body, dict) else {}
            record.update(title=str(body.get("title") or "Task"), status=str(body.get("status") or "pending"))
        with self.lock:
            getattr(self, table)[sid].append(record)
        return 200, {table[:-1]: record}

    def seed_demo(self) -> None:
        _, project = self.create_project({"name": "Demo project"})
        pid = project["project"]["id"]
        self.create_session(pid, {"name": "Demo session"}, sid=DEMO_SESSION_ID)
        self.add_child("iterations", DEMO_SESSION_ID, {})
        self.add_child("tasks", DEMO_SESSION_ID, {"title": "Write the spec", "status": "done"})
        self.add_child("tasks", DEMO_SESSION_ID, {"title": "Review the upload flow", "status": "pending"})
        self.add_child(
            "reports",
            DEMO_SESSION_ID,
            {"title": "Spec review", "kind": "review", "summary": "2 findings", "content": "# Review\n- ok"},
        )
        self.add_child(
            "reports",
            DEMO_SESSION_ID,
            {"title": "Test run", "kind": "tests", "summary": "all green", "content": "12 passed"},
        )
