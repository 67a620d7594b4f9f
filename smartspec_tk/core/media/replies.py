"""Reading the artifact APIs' replies: success shapes (flat or wrapped) and error bodies in plain words.

The control-plane proxy answers HTTP 200 even for errors, so a 200 body that
carries `error` or `statusCode >= 400` is a failure too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, NoReturn

import httpx

from smartspec_tk.core.errors import AuthError, BackendError, NetworkError
from smartspec_tk.core.media.errors import ArtifactRejected, SessionNotFound
from smartspec_tk.core.media.validation import human_size

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Presigned:
    """A presigned URL (PUT or GET) and what came with it."""

    url: str
    key: str
    expires_in: int
    headers: dict[str, str] = field(default_factory=dict)


def send(http: httpx.Client, method: str, url: str, what: str, **kwargs: Any) -> httpx.Response:
    """One backend request; connection problems become `NetworkError`."""
    try:
        return http.request(method, url, **kwargs)
    except httpx.TimeoutException:
        raise NetworkError(f"The backend did not answer in time ({what}).") from None
    except httpx.TransportError as exc:
        raise NetworkError(f"The backend could not be reached ({what}: {type(exc).__name__}).") from None


def json_reply(response: httpx.Response, what: str) -> dict[str, Any]:
    """The reply's JSON object, or the error it describes raised as a `BackendError`."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        if response.is_success:
            raise BackendError(f"The backend sent an unreadable reply ({what}).", response.status_code)
        body = {}
    status = body.get("statusCode")
    failed = not response.is_success or "error" in body or (isinstance(status, int) and status >= 400)
    if failed:
        raise _error_for(response.status_code, body, what)
    return body


def presigned(body: dict[str, Any], what: str) -> Presigned:
    """Accept both `{"url","key",…}` and `{"artifact": {"url","key",…}}`."""
    wrapped = body.get("artifact")
    inner: dict[str, Any] = wrapped if isinstance(wrapped, dict) else body
    url, key = inner.get("url"), inner.get("key")
    if not isinstance(url, str) or not isinstance(key, str) or not url:
        raise BackendError(f"The backend's reply has no URL ({what}).")
    raw_headers = inner.get("headers")
    headers: dict[str, Any] = raw_headers if isinstance(raw_headers, dict) else {}
    expires = inner.get("expiresInSeconds")
    return Presigned(
        url=url,
        key=key,
        expires_in=int(expires) if isinstance(expires, int | float) and expires > 0 else 600,
        headers={str(k): str(v) for k, v in headers.items()},
    )


def raise_unreadable(what: str) -> NoReturn:
    raise BackendError(f"The backend's reply is missing its id ({what}).")


_PLAIN: dict[str, str] = {
    "content_type_not_allowed": "The server does not accept this type of file (its allowed-types list, "
    "ARTIFACT_ALLOWED_CONTENT_TYPES, does not include it).",
    "invalid_name": "The server refused the file name.",
    "artifact_not_found": "The server does not know this upload (it was not completed, or the server "
    "was reset). Attach the file again.",
    "sha256_mismatch": "The server received different bytes than were sent; press Retry.",
}
_PLAIN["artifact_not_found_or_not_complete"] = _PLAIN["artifact_not_found"]


def _error_for(status: int, body: dict[str, Any], what: str) -> BackendError:
    code, message = _code_and_message(body)
    real_status = body.get("statusCode") if isinstance(body.get("statusCode"), int) else status
    if code == "session_not_found":
        return SessionNotFound("The upload session no longer exists on the server.", real_status, code)
    if code in _PLAIN:
        return ArtifactRejected(_PLAIN[code], real_status, code)
    if code == "artifact_too_large":
        limit = body.get("maxBytes")
        size = f" The server's limit is {human_size(limit)}." if isinstance(limit, int) else ""
        return ArtifactRejected(f"The file is too large for the server.{size}", real_status, code)
    if status in (401, 403) and code != "localhost_only":
        return AuthError(f"The backend refused the request ({what}): {message or 'unauthorized'}. "
                         "Check the proxy token in Settings.", status, code)
    if status == 404 and message == "Not Found":
        return BackendError(f"The backend has no artifact route here ({what}). Check the artifact mode "
                            "and control-plane prefix in Settings.", status, code)
    if status == 413:
        return ArtifactRejected("The file is too large for the backend.", status, code)
    text = message or code or f"HTTP {real_status}"
    return BackendError(f"The backend refused the request ({what}): {text}", real_status, code)


def _code_and_message(body: dict[str, Any]) -> tuple[str | None, str]:
    """(`error` code, human message) from any of the backend's error shapes."""
    error, detail = body.get("error"), body.get("detail")
    code: str | None = None
    message = str(body["message"]) if isinstance(body.get("message"), str) else ""
    if isinstance(error, str):
        code = error
    elif isinstance(error, dict):
        message = str(error.get("message") or message)
        code = str(error["code"]) if error.get("code") else None
    if isinstance(detail, str):
        message = message or detail
        code = code or (detail if detail.replace("_", "").isalnum() and "_" in detail else None)
    elif isinstance(detail, dict):
        message = str(detail.get("message") or message)
        code = code or (str(detail["error"]) if detail.get("error") else None)
    elif isinstance(detail, list) and detail:
        message = message or "; ".join(str(d.get("msg", d)) if isinstance(d, dict) else str(d) for d in detail)
    return code, message
