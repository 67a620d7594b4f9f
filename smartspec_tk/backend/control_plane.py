"""The control plane behind `/api/v1/control-plane/api/v1`: projects, sessions, iterations,
reports, tasks and the artifact presign/complete flow, kept in memory.

Validation order, error bodies and key naming follow the original control plane
(`research/contract.md` §1.3–1.4); `--fault-cp-errors-200` delivers errors as HTTP 200
bodies the way the original proxy did.
"""

from __future__ import annotations

import re
import secrets
import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from smartspec_tk.backend.config import BackendConfig
from smartspec_tk.backend.storage import Store
from smartspec_tk.backend.web import Response, json_response

if TYPE_CHECKING:
    from smartspec_tk.backend.server import BackendApp, Route

PREFIX = "/api/v1/control-plane/api/v1"
SID = "(?P<sid>[^/]+)"
_UNSAFE = re.compile(r"[^A-Za-z0-9._/-]")
_HEX64 = re.compile(r"[0-9a-fA-F]{64}\Z")
DEMO_SESSION_ID = "demo-session"


def new_id() -> str:
    return "c" + secrets.token_hex(12)


def now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def fastify_500(message: str) -> tuple[int, dict[str, Any]]:
    return 500, {"statusCode": 500, "error": "Internal Server Error", "message": message}


def issue(path: str, message: str) -> dict[str, Any]:
    return {"path": [path], "message": message}


def safe_name(name: str) -> str | None:
    """The control plane's name rule: refuse `..`, `\\`, a leading `/`; replace the rest."""
    if ".." in name or "\\" in name or name.startswith("/"):
        return None
    return _UNSAFE.sub("_", name)


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


def routes(app: BackendApp) -> list[Route]:
    from smartspec_tk.backend import cp_artifacts
    from smartspec_tk.backend.server import route

    cp = app.cp

    def answer(result: tuple[int, dict[str, Any]]) -> Response:
        status, body = result
        if status >= 400 and app.config.faults.cp_errors_200:
            status = 200
        return json_response(status, body)

    def wrap(fn: Any) -> Any:
        return lambda req: answer(fn(req))

    p, s = PREFIX, PREFIX + "/sessions/" + SID
    listing = [
        route("GET", p + "/projects", wrap(lambda r: cp.list_projects())),
        route("GET", p + "/projects/(?P<pid>[^/]+)/sessions", wrap(lambda r: cp.list_sessions(r.params["pid"]))),
    ]
    return [
        *(listing if app.config.cp_list_routes else []),
        route("POST", p + "/projects", wrap(lambda r: cp.create_project(r.json()))),
        route("GET", p + "/projects/(?P<pid>[^/]+)", wrap(lambda r: cp.get_project(r.params["pid"]))),
        route(
            "POST",
            p + "/projects/(?P<pid>[^/]+)/sessions",
            wrap(lambda r: cp.create_session(r.params["pid"], r.json())),
        ),
        route("GET", s, wrap(lambda r: cp.get_session(r.params["sid"]))),
        route("POST", s + "/iterations", wrap(lambda r: cp.add_child("iterations", r.params["sid"], r.json()))),
        route("POST", s + "/reports", wrap(lambda r: cp.add_child("reports", r.params["sid"], r.json()))),
        route("POST", s + "/tasks", wrap(lambda r: cp.add_child("tasks", r.params["sid"], r.json()))),
        route("POST", s + "/artifacts/presign-put", wrap(lambda r: cp_artifacts.presign_put(app, r))),
        route("POST", s + "/artifacts/complete", wrap(lambda r: cp_artifacts.complete(app, r))),
        route("GET", s + "/artifacts/presign-get", wrap(lambda r: cp_artifacts.presign_get(app, r))),
    ]
