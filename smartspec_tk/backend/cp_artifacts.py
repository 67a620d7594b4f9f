"""The control plane's artifact flow: presign-put → (PUT to the store) → complete → presign-get.

Unlike the original, `complete` checks the declared size and SHA-256 against the bytes
the store really holds, so a client that uploads the wrong bytes finds out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smartspec_tk.backend.cp_common import HEX64, fastify_500, issue, new_id, now, safe_name
from smartspec_tk.backend.storage import Presigned
from smartspec_tk.backend.web import Request

if TYPE_CHECKING:
    from smartspec_tk.backend.state import AppState

Result = tuple[int, dict[str, Any]]


def _presign_body(app: AppState, key: str, presigned: Presigned) -> dict[str, Any]:
    flat: dict[str, Any] = {"url": presigned.url, "key": key, "expiresInSeconds": presigned.expires_in}
    if app.config.presign_wrapped:
        return {"artifact": {**flat, "headers": presigned.headers}}
    return flat


def _is_int(value: Any, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def _put_issues(body: Any) -> list[dict[str, Any]]:
    if not isinstance(body, dict):
        return [issue("", "Expected object")]
    issues = []
    if "iteration" in body and not _is_int(body["iteration"], 0):
        issues.append(issue("iteration", "Expected integer >= 0"))
    for name in ("name", "contentType"):
        if not isinstance(body.get(name), str) or not body[name]:
            issues.append(issue(name, "Required non-empty string"))
    if not _is_int(body.get("sizeBytes"), 1):
        issues.append(issue("sizeBytes", "Expected integer >= 1"))
    return issues


def presign_put(app: AppState, req: Request) -> Result:
    body, sid, config, cp = req.json(), req.params["sid"], app.config, app.cp
    issues = _put_issues(body)
    if issues:
        return 400, {"error": "invalid_request", "issues": issues}
    if body["contentType"] not in config.allowed_types:
        return 400, {"error": "content_type_not_allowed"}
    if body["sizeBytes"] > config.max_artifact:
        return 400, {"error": "artifact_too_large", "maxBytes": config.max_artifact}
    session = cp.sessions.get(sid)
    if session is None:
        return 404, {"error": "session_not_found"}
    name = safe_name(body["name"])
    if name is None:
        return 400, {"error": "invalid_name"}
    iteration = body.get("iteration", 0)
    key = f"projects/{session['projectId']}/sessions/{sid}/iter/{iteration}/{name}"
    with cp.lock:
        if key in cp.artifacts:
            return fastify_500("Unique constraint failed on the fields: (`key`)")
        cp.artifacts[key] = {
            "id": new_id(),
            "sessionId": sid,
            "projectId": session["projectId"],
            "key": key,
            "status": "pending",
            "contentType": body["contentType"],
            "sizeBytes": body["sizeBytes"],
            "sha256": None,
            "createdAt": now(),
        }
    presigned = app.store.presign_put(key, body["contentType"], body["sizeBytes"])
    return 200, _presign_body(app, key, presigned)


def complete(app: AppState, req: Request) -> Result:
    body, sid, cp = req.json(), req.params["sid"], app.cp
    issues = []
    if not isinstance(body, dict):
        body, issues = {}, [issue("", "Expected object")]
    if not isinstance(body.get("key"), str) or not body.get("key"):
        issues.append(issue("key", "Required non-empty string"))
    if not isinstance(body.get("sha256"), str) or not HEX64.match(body.get("sha256", "")):
        issues.append(issue("sha256", "Expected 64 hex characters"))
    if not _is_int(body.get("sizeBytes"), 1):
        issues.append(issue("sizeBytes", "Expected integer >= 1"))
    if issues:
        return 400, {"error": "invalid_request", "issues": issues}
    artifact = cp.artifacts.get(body["key"])
    if artifact is None or artifact["sessionId"] != sid:
        return 404, {"error": "artifact_not_found"}
    stored = app.store.stat(body["key"])
    if stored is None:
        return 400, {"error": "object_not_uploaded", "message": "the store holds no object for this key"}
    if stored.size != body["sizeBytes"]:
        return 400, {"error": "size_mismatch", "expected": body["sizeBytes"], "actual": stored.size}
    if stored.sha256 != body["sha256"].lower():
        return 400, {"error": "sha256_mismatch", "expected": body["sha256"].lower(), "actual": stored.sha256}
    with cp.lock:
        artifact.update(status="complete", sha256=stored.sha256, sizeBytes=stored.size)
    return 200, {"artifact": dict(artifact)}


def presign_get(app: AppState, req: Request) -> Result:
    key = req.arg("key")
    if not key:
        return 400, {"error": "missing_key"}
    artifact = app.cp.artifacts.get(key)
    if artifact is None or artifact["sessionId"] != req.params["sid"] or artifact["status"] != "complete":
        return 404, {"error": "artifact_not_found_or_not_complete"}
    return 200, _presign_body(app, key, app.store.presign_get(key))
