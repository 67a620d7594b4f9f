"""The Remote tab's client: control-plane reads and MCP tools, always through the backend.

Every call uses the app's one HTTP client (the token reaches only the backend's
origin). Errors come back as `UserError`s in plain words; the control-plane
proxy's habit of answering HTTP 200 with an error body is treated as a failure.
Called on a worker thread.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from smartspec_tk.core.errors import AuthError, BackendError, NetworkError
from smartspec_tk.core.net import WRITE_TOKEN

log = logging.getLogger(__name__)

MAX_DOWNLOAD = 512 * 1024 * 1024
TOKEN_HINT = "Check the proxy token."
WRITE_HINT = (
    "Writing needs the backend's MCP write token: set SMARTSPEC_MCP_WRITE_TOKEN "
    "(File → Settings → MCP write token) and restart."
)


class NotOffered(BackendError):
    """The backend has no such route (HTTP 404/405 with no error of its own)."""


class RemoteApi:
    def __init__(self, http: httpx.Client, backend_url: str, cp_prefix: str, mcp_prefix: str) -> None:
        self.http = http
        self.cp = backend_url.rstrip("/") + "/" + cp_prefix.strip("/")
        self.mcp = backend_url.rstrip("/") + "/" + mcp_prefix.strip("/")

    # control plane (read-only)
    def list_projects(self) -> list[dict[str, Any]]:
        body = self._json("GET", f"{self.cp}/projects", "list projects")
        return _records(body, "projects")

    def get_project(self, pid: str) -> dict[str, Any] | None:
        project = self._json("GET", f"{self.cp}/projects/{_seg(pid)}", "read the project").get("project")
        return project if isinstance(project, dict) else None

    def list_sessions(self, pid: str) -> list[dict[str, Any]]:
        body = self._json("GET", f"{self.cp}/projects/{_seg(pid)}/sessions", "list sessions")
        return _records(body, "sessions")

    def get_session(self, sid: str) -> dict[str, Any] | None:
        session = self._json("GET", f"{self.cp}/sessions/{_seg(sid)}", "read the session").get("session")
        return session if isinstance(session, dict) else None

    def presign_get(self, sid: str, key: str) -> str:
        url = f"{self.cp}/sessions/{_seg(sid)}/artifacts/presign-get"
        body = self._json("GET", url, "presign the download", params={"key": key})
        inner = body.get("artifact") if isinstance(body.get("artifact"), dict) else body
        link = inner.get("url") if isinstance(inner, dict) else None
        if not isinstance(link, str) or not link:
            raise BackendError("The backend's presign reply has no URL.")
        return link

    def download(self, url: str, dest: Path, progress: Callable[[int], None] | None = None) -> int:
        """Stream `url` into `dest` (via a temporary file next to it); returns the byte count."""
        tmp = dest.with_name(f".{dest.name}.part")
        size = 0
        try:
            with self.http.stream("GET", url) as response:
                if response.status_code != 200:
                    raise BackendError(f"The storage refused the download (HTTP {response.status_code}).")
                with tmp.open("wb") as handle:
                    for chunk in response.iter_bytes(64 * 1024):
                        size += len(chunk)
                        if size > MAX_DOWNLOAD:
                            raise BackendError("The download is larger than 512 MiB; stopped.")
                        handle.write(chunk)
                        if progress:
                            progress(size)
            os.replace(tmp, dest)
        except httpx.TransportError as exc:
            raise NetworkError(f"The download broke off ({type(exc).__name__}).") from None
        finally:
            tmp.unlink(missing_ok=True)
        return size

    # MCP tools
    def tools(self) -> list[dict[str, Any]]:
        return _records(self._json("GET", f"{self.mcp}/tools", "list the tools"), "tools")

    def call(self, name: str, arguments: dict[str, Any]) -> str:
        """Call a tool; returns its text content joined by newlines."""
        return self._call(name, arguments)

    def write_file(self, path: str, content: str) -> str:
        """`workspace_write_file` (overwrite), with the MCP write token when one is set.

        The network layer adds the token, and only to the backend's origin.
        """
        arguments = {"path": path, "content": content, "overwrite": True}
        return self._call("workspace_write_file", arguments, write=True)

    def _call(self, name: str, arguments: dict[str, Any], *, write: bool = False) -> str:
        body = self._json(
            "POST", f"{self.mcp}/call", f"call {name}", json={"name": name, "arguments": arguments},
            extensions=WRITE_TOKEN if write else {}, auth_hint=WRITE_HINT if write else TOKEN_HINT,
        )  # fmt: skip
        if body.get("ok") is False:
            raise BackendError(f"{name} failed: {_message(body) or 'no reason given'}")
        parts = body.get("content")
        if not isinstance(parts, list):
            return ""
        return "\n".join(str(p.get("text", "")) for p in parts if isinstance(p, dict) and p.get("type") == "text")

    def _json(self, method: str, url: str, what: str, auth_hint: str = TOKEN_HINT, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self.http.request(method, url, **kwargs)
        except httpx.TimeoutException:
            raise NetworkError(f"The backend did not answer in time ({what}).") from None
        except httpx.TransportError as exc:
            raise NetworkError(f"The backend could not be reached ({what}: {type(exc).__name__}).") from None
        try:
            body = response.json()
        except ValueError:
            body = None
        body = body if isinstance(body, dict) else {}
        status = body.get("statusCode")
        if response.is_success and "error" not in body and not (isinstance(status, int) and status >= 400):
            return body
        message = _message(body)
        if response.status_code in (401, 403):
            raise AuthError(f"The backend refused to {what}: {message or 'unauthorized'}. {auth_hint}")
        if response.status_code in (404, 405) and message in ("", "Not Found", "Method Not Allowed"):
            raise NotOffered(f"The backend does not offer this ({what}: HTTP {response.status_code}).")
        shown = message or f"HTTP {status if isinstance(status, int) else response.status_code}"
        raise BackendError(f"Could not {what}: {shown}", response.status_code)


def _seg(value: str) -> str:
    """One path segment, so an id can never add path parts."""
    return quote(value, safe="")


def _records(body: dict[str, Any], name: str) -> list[dict[str, Any]]:
    items = body.get(name) if isinstance(body.get(name), list) else body.get("data")
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _message(body: dict[str, Any]) -> str:
    error, detail = body.get("error"), body.get("detail")
    if isinstance(error, dict) and error.get("message"):
        return str(error["message"])
    if isinstance(body.get("message"), str):
        return str(body["message"])
    if isinstance(detail, str):
        return detail
    if isinstance(detail, dict) and detail.get("message"):
        return str(detail["message"])
    return str(error) if isinstance(error, str) else ""
