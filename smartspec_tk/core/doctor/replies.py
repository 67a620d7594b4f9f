"""Reading the backend's error replies for the doctor: one line of message, and what to do."""

from __future__ import annotations

import json
from typing import Any

import httpx


def body_message(response: httpx.Response) -> str:
    """The error message of any of the backend's error shapes on one line, else the body's start."""
    return " ".join(_raw_message(response).split())[:300]


def _raw_message(response: httpx.Response) -> str:
    try:
        data: Any = response.json()
    except ValueError:
        return response.text.strip()[:200] or f"HTTP {response.status_code}"
    if isinstance(data, dict):
        for key in ("detail", "error", "message"):
            value = data.get(key)
            if isinstance(value, dict):
                value = value.get("message") or value.get("error")
            if isinstance(value, list) and value:
                value = "; ".join(str(v.get("msg", v)) if isinstance(v, dict) else str(v) for v in value)
            if isinstance(value, str) and value:
                return value
    return json.dumps(data)[:200]


def status_advice(status: int, what: str) -> str:
    if status == 404:
        return f"The backend has no {what} route: SMARTSPEC_BACKEND_URL may point at another server or an old backend."
    if status == 429:
        return "The backend is rate-limiting this client: wait a minute and run the doctor again."
    if status in (502, 503, 504):
        return "The backend could not reach its LLM gateway: check the gateway URL and key in the backend's settings."
    if status >= 500:
        return "The backend failed internally: its log says why (often a missing gateway URL or key)."
    return "The backend refused the request: see the message, then the backend's log."
