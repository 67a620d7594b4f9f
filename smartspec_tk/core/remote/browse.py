"""Read-only browsing commands of the Remote shell: projects → sessions → iterations → reports."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartspec_tk.core.errors import ValidationError
from smartspec_tk.core.remote.api import NotOffered

if TYPE_CHECKING:
    from smartspec_tk.core.remote.context import Emit, ShellContext


def _need(args: list[str], usage: str) -> str:
    if len(args) != 1:
        raise ValidationError(f"Usage: {usage}")
    return args[0]


def projects(shell: ShellContext, args: list[str], emit: Emit) -> None:
    try:
        found = {str(p.get("id")): str(p.get("name") or "") for p in shell.api.list_projects()}
    except NotOffered:
        found = {}
        emit("The control plane has no project list; showing the projects known on this computer.", "note")
    cached_projects, cached_sessions = cached_ids(shell.upload_cache)
    known = {**cached_projects, **shell.state.projects, **found}
    shell.state.projects.update(known)
    for sid, label in cached_sessions.items():
        shell.state.sessions.setdefault(sid, label)
    if not known:
        emit("No projects known yet. Use: project <id>", "note")
    for pid, name in sorted(known.items(), key=lambda item: item[1].lower()):
        emit(f"  {pid}  {name}", "out")


def cached_ids(path: Path | None) -> tuple[dict[str, str], dict[str, str]]:
    """Project and session ids the chat's uploads used, from their cache file (ids → label)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path else {}
    except (OSError, ValueError):
        return {}, {}
    projects: dict[str, str] = {}
    sessions: dict[str, str] = {}
    for key, entry in data.items() if isinstance(data, dict) else ():
        if isinstance(entry, dict) and entry.get("projectId") and entry.get("sessionId"):
            label = f"(uploads of {Path(str(key).rsplit('|', 1)[-1]).name})"
            projects[str(entry["projectId"])] = label
            sessions[str(entry["sessionId"])] = label
    return projects, sessions


def project(shell: ShellContext, args: list[str], emit: Emit) -> None:
    pid = _need(args, "project <id>")
    found = _or_say_missing("project", pid, shell.api.get_project(pid), emit)
    if found is None:
        return
    shell.state.projects[pid] = str(found.get("name") or "")
    emit(f"Project {pid}: {found.get('name') or '(no name)'}", "header")
    emit(f"  created {found.get('createdAt', '?')}", "out")
    emit(f"Next: sessions {pid}", "note")


def sessions(shell: ShellContext, args: list[str], emit: Emit) -> None:
    pid = _need(args, "sessions <project-id>")
    try:
        listed = shell.api.list_sessions(pid)
    except NotOffered:
        found = shell.api.get_project(pid) or {}
        listed = [s for s in found.get("sessions", []) if isinstance(s, dict)]
        if not listed:
            listed = [
                {"id": sid, "name": name}
                for sid, name in shell.state.sessions.items()
                if shell.state.session_projects.get(sid) == pid
            ]
            emit("The control plane has no session list for a project; showing the sessions seen here.", "note")
    for item in listed:
        shell.state.sessions[str(item.get("id"))] = str(item.get("name") or "")
        emit(f"  {item.get('id')}  {item.get('name') or '(no name)'}  {item.get('createdAt', '')}", "out")
    if not listed:
        emit("No sessions to show. Use: session <id>", "note")


def session(shell: ShellContext, args: list[str], emit: Emit) -> None:
    sid = _need(args, "session <id>")
    found = _or_say_missing("session", sid, shell.api.get_session(sid), emit)
    if found is None:
        return
    state = shell.state
    state.session_id, state.session = sid, found
    state.sessions[sid] = str(found.get("name") or "")
    state.session_projects[sid] = str(found.get("projectId") or "")
    project_info = _dict(found.get("project"))
    if found.get("projectId"):
        state.projects[str(found["projectId"])] = str(project_info.get("name") or "")
    owner = project_info.get("name") or found.get("projectId")
    emit(f"Session {sid}: {found.get('name') or '(no name)'}  (project {owner})", "header")
    _section(emit, "Iterations", _list(found, "iterations"), lambda i: f"{i.get('id')}  {i.get('createdAt', '')}")
    _section(emit, "Tasks", _list(found, "tasks"), lambda t: f"[{t.get('status', '?')}] {t.get('title', '')}")
    _section(emit, "Reports", _list(found, "reports"), _report_line, numbered=True)
    artifacts = _list(found, "artifacts")
    state.artifact_keys = [str(a.get("key")) for a in artifacts if a.get("key")]
    _section(emit, "Artifacts", artifacts, _artifact_line)
    emit("This is now the current session. Next: reports, report <n>, get <key>", "note")


def reports(shell: ShellContext, args: list[str], emit: Emit) -> None:
    found = _current(shell)
    _section(emit, "Reports", _list(found, "reports"), _report_line, numbered=True)


def report(shell: ShellContext, args: list[str], emit: Emit) -> None:
    number = _need(args, "report <n>")
    items = _list(_current(shell), "reports")
    if not number.isdigit() or not 1 <= int(number) <= len(items):
        raise ValidationError(f"There is no report {number}; the session has {len(items)} (see: reports).")
    chosen = items[int(number) - 1]
    emit(_report_line(chosen), "header")
    for line in str(chosen.get("content") or "(the report has no text)").splitlines():
        emit(line, "out")


def _or_say_missing(kind: str, ident: str, found: dict[str, Any] | None, emit: Emit) -> dict[str, Any] | None:
    """`found`, or None after telling the user the server has no such thing."""
    if found is None:
        emit(f"No {kind} {ident!r} on the server.", "error")
    return found


def _current(shell: ShellContext) -> dict[str, Any]:
    if shell.state.session_id is None:
        raise ValidationError("No current session: open one with session <id>.")
    # Reload, so the list is fresh.
    found = shell.api.get_session(shell.state.session_id)
    if found is None:
        raise ValidationError(f"The session {shell.state.session_id} no longer exists on the server.")
    shell.state.session = found
    return found


def _list(record: dict[str, Any], name: str) -> list[dict[str, Any]]:
    items = record.get(name)
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _artifact_line(item: dict[str, Any]) -> str:
    return f"{item.get('key')}  {item.get('contentType', '')}  {item.get('sizeBytes', '?')} B  {item.get('status', '')}"


def _report_line(item: dict[str, Any]) -> str:
    summary = f" — {item['summary']}" if item.get("summary") else ""
    return f"{item.get('title', 'Report')} ({item.get('kind', 'report')}){summary}"


def _section(
    emit: Emit, title: str, items: list[dict[str, Any]], line: Callable[[dict[str, Any]], str], numbered: bool = False
) -> None:
    emit(f"{title} ({len(items)})", "header")
    for index, item in enumerate(items, start=1):
        emit(f"  {index}. {line(item)}" if numbered else f"  {line(item)}", "out")


COMMANDS: dict[str, Callable[[ShellContext, list[str], Emit], None]] = {
    "projects": projects,
    "project": project,
    "sessions": sessions,
    "session": session,
    "reports": reports,
    "report": report,
}
