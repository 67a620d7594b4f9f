"""Plain-words messages for every way a chat request can fail (backend-contract.md "Error bodies").

`ChatHTTPError` carries the status and, for 429, the seconds to wait; `describe_network`
turns httpx transport failures into a `NetworkError` the user can act on.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from smartspec_tk.core.errors import AuthError, BackendError, NetworkError


class ChatHTTPError(BackendError):
    """The backend answered the chat request with an error status."""

    def __init__(self, message: str, status: int, code: str | None = None, retry_after: float | None = None) -> None:
        super().__init__(message, status, code)
        self.retry_after = retry_after


class ChatAuthError(ChatHTTPError, AuthError):
    """401/403 on a chat request."""


def body_message(body: bytes | str) -> tuple[str, str | None, dict[str, Any]]:
    """(message, code, the error object) from any of the known error body shapes."""
    try:
        data = json.loads(body)
    except ValueError:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        return text.strip()[:300], None, {}
    if not isinstance(data, dict):
        return str(data)[:300], None, {}
    for key in ("detail", "error"):
        found = _from_field(data.get(key), data)
        if found is not None:
            return found
    message = data.get("message")
    return (str(message) if message else json.dumps(data)[:300]), None, data


def _from_field(value: Any, whole: dict[str, Any]) -> tuple[str, str | None, dict[str, Any]] | None:
    if isinstance(value, str) and value:
        # {"error": "RATE_LIMIT_EXCEEDED", "message": "..."} and {"statusCode", "error", "message"}
        message = whole.get("message")
        if isinstance(message, str) and message:
            return message, value, whole
        return value, None, whole
    if isinstance(value, dict):
        message = value.get("message") or value.get("error") or json.dumps(value)[:300]
        code = value.get("code") or value.get("error")
        return str(message), (str(code) if code and code != message else None), value
    if isinstance(value, list) and value:
        parts = [_validation_item(item) for item in value[:3]]
        return "invalid request: " + "; ".join(parts), "validation_error", whole
    return None


def _validation_item(item: Any) -> str:
    if isinstance(item, dict):
        where = ".".join(str(p) for p in item.get("loc", ()) if p != "body")
        return f"{where}: {item.get('msg', '')}" if where else str(item.get("msg", item))
    return str(item)


def retry_after_seconds(headers: httpx.Headers, error: dict[str, Any]) -> float | None:
    """Seconds to wait from `Retry-After` (seconds form) or the body's `retry_after`."""
    for raw in (headers.get("retry-after"), error.get("retry_after")):
        try:
            if raw is not None:
                return max(0.0, float(raw))
        except (TypeError, ValueError):
            continue
    return None


def describe_status(status: int, body: bytes, headers: httpx.Headers, backend_url: str) -> ChatHTTPError:
    """The error to show for a non-200 answer to a chat request."""
    message, code, error = body_message(body)
    detail = f": {message}" if message else ""
    if status == 401:
        return ChatAuthError(
            f"The backend refused the proxy token (401){detail}. Set the token in File → Settings.", status, code
        )
    if status == 403:
        return ChatAuthError(f"The backend refused this client (403){detail}.", status, code)
    if status == 402:
        topup = error.get("topup_url")
        hint = f" Top up your credits at {_absolute(topup, backend_url)}." if topup else " Top up your credits."
        return ChatHTTPError(f"Not enough credits (402){detail}.{hint}", status, code or "insufficient_credits")
    if status == 413:
        return ChatHTTPError(
            f"The conversation is too large for the backend (413){detail}. Remove attachments or start a new chat.",
            status,
            code,
        )
    if status == 429:
        wait = retry_after_seconds(headers, error)
        when = f"Try again in {wait:.0f} s." if wait is not None else "Try again in a moment."
        return ChatHTTPError(f"Too many requests (429){detail}. {when}", status, code, retry_after=wait)
    if status >= 500:
        return ChatHTTPError(f"The backend failed (HTTP {status}){detail}.", status, code)
    return ChatHTTPError(f"The backend refused the request (HTTP {status}){detail}.", status, code)


def _absolute(url: Any, backend_url: str) -> str:
    text = str(url)
    return backend_url.rstrip("/") + text if text.startswith("/") else text


DEMO_DOWN = ("The demo backend the app started is not answering; the app starts it again by itself "
             "(see the status bar). Press Retry in a moment.")


def describe_network(exc: httpx.HTTPError, backend_url: str, *, demo: bool = False) -> NetworkError:
    """A transport failure in plain words; `demo`: the backend is the app's own child process,
    so no socket error text about it (the app restarts it: core/embedded_watch.py)."""
    if demo and isinstance(exc, httpx.TransportError) and not isinstance(exc, httpx.LocalProtocolError):
        return NetworkError(DEMO_DOWN)
    if isinstance(exc, httpx.ConnectTimeout):
        return NetworkError(f"The backend at {backend_url} did not accept the connection in time.")
    if isinstance(exc, httpx.ConnectError):
        return NetworkError(f"Cannot reach the backend at {backend_url}: is it running? ({exc})")
    if isinstance(exc, httpx.ReadTimeout):
        return NetworkError("The backend stopped sending data (read timeout).")
    if isinstance(exc, httpx.TimeoutException):
        return NetworkError(f"The request to {backend_url} timed out.")
    if isinstance(exc, httpx.LocalProtocolError):  # its text quotes the header values, the token among them
        return NetworkError(
            f"The request could not be sent ({type(exc).__name__}): a setting holds a character that cannot go "
            "in an HTTP header (check the proxy token in File → Settings)."
        )
    return NetworkError(f"The connection to the backend failed ({type(exc).__name__}: {exc}).")
