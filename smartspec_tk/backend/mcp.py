"""The SmartSpecWeb MCP tools under `/api/mcp`: `artifact_get_url`, `workspace_read_file` and
`workspace_write_file`, confined to the backend's workspace folder (`<root>/workspace`)."""

from __future__ import annotations

import hmac
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any

from smartspec_tk.backend.routing import Route, route
from smartspec_tk.backend.web import Request, Response, json_response

if TYPE_CHECKING:
    from smartspec_tk.backend.state import AppState

READ_LIMIT = 1024 * 1024
TOOLS = [
    {
        "name": "artifact_get_url",
        "description": "A presigned GET URL for a completed artifact.",
        "inputSchema": {
            "type": "object",
            "properties": {"key": {"type": "string"}, "sessionId": {"type": "string"}},
            "required": ["key"],
        },
    },
    {
        "name": "workspace_read_file",
        "description": "Read a UTF-8 text file of the workspace.",
        "inputSchema": {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]},
    },
    {
        "name": "workspace_write_file",
        "description": "Write a UTF-8 text file of the workspace.",
        "inputSchema": {
            "type": "object",
            "properties": {"path": {"type": "string"}, "content": {"type": "string"}, "overwrite": {"type": "boolean"}},
            "required": ["path", "content"],
        },
    },
]


class ToolError(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def confined(root: Path, raw: Any) -> Path:
    """The file `raw` names inside `root`; refuses absolute paths, `..` and symlink escapes."""
    if not isinstance(raw, str) or not raw.strip():
        raise ToolError("path is required")
    if PurePosixPath(raw).is_absolute() or PureWindowsPath(raw).is_absolute() or raw.startswith("\\"):
        raise ToolError("absolute paths are not allowed")
    if ".." in PurePosixPath(raw.replace("\\", "/")).parts:
        raise ToolError("'..' is not allowed in paths")
    base = root.resolve()
    target = (base / raw).resolve()
    if not target.is_relative_to(base) or target == base:
        raise ToolError("the path leaves the workspace")
    return target


def _text(text: str) -> dict[str, Any]:
    return {"ok": True, "content": [{"type": "text", "text": text}]}


def _artifact_url(app: AppState, args: dict[str, Any]) -> dict[str, Any]:
    key = args.get("key")
    artifact = app.cp.artifacts.get(key) if isinstance(key, str) else None
    if artifact is None or artifact["status"] != "complete":
        raise ToolError("artifact_not_found_or_not_complete", 404)
    if args.get("sessionId") and args["sessionId"] != artifact["sessionId"]:
        raise ToolError("artifact_not_found_or_not_complete", 404)
    return _text(app.store.presign_get(artifact["key"]).url)


def _read(app: AppState, args: dict[str, Any]) -> dict[str, Any]:
    path = confined(app.config.workspace, args.get("path"))
    if not path.is_file():
        raise ToolError(f"file not found: {args.get('path')}", 404)
    if path.stat().st_size > READ_LIMIT:
        raise ToolError("file larger than 1 MiB")
    return _text(path.read_text(encoding="utf-8", errors="replace"))


def _write(app: AppState, req: Request, args: dict[str, Any]) -> dict[str, Any]:
    wanted = app.config.mcp_write_token
    if wanted and not hmac.compare_digest(req.header("x-mcp-write-token"), wanted):
        raise ToolError("write token required (x-mcp-write-token)", 403)
    path = confined(app.config.workspace, args.get("path"))
    content = args.get("content")
    if not isinstance(content, str):
        raise ToolError("content must be a string")
    if path.exists() and not args.get("overwrite"):
        raise ToolError("file exists (pass overwrite: true)", 409)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return _text(f"wrote {len(content.encode())} bytes to {args['path']}")


def call(app: AppState, req: Request) -> Response:
    body = req.json()
    if not isinstance(body, dict) or not isinstance(body.get("name"), str):
        return json_response(400, {"ok": False, "error": {"message": "body must be {name, arguments}"}})
    args = body.get("arguments") or {}
    try:
        if not isinstance(args, dict):
            raise ToolError("arguments must be an object")
        if body["name"] == "artifact_get_url":
            result = _artifact_url(app, args)
        elif body["name"] == "workspace_read_file":
            result = _read(app, args)
        elif body["name"] == "workspace_write_file":
            result = _write(app, req, args)
        else:
            raise ToolError(f"unknown tool: {body['name']}")
    except ToolError as exc:
        return json_response(exc.status, {"ok": False, "error": {"message": str(exc)}})
    return json_response(200, result)


def routes(app: AppState) -> list[Route]:
    return [
        route("GET", "/api/mcp/tools", lambda r: json_response(200, {"tools": TOOLS})),
        route("POST", "/api/mcp/call", lambda r: call(app, r)),
    ]
