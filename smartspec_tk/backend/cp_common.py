"""What the control plane's modules share: its URL prefix, ids, timestamps, error bodies, the name rule."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from typing import Any

PREFIX = "/api/v1/control-plane/api/v1"
SID = "(?P<sid>[^/]+)"
_UNSAFE = re.compile(r"[^A-Za-z0-9._/-]")
HEX64 = re.compile(r"[0-9a-fA-F]{64}\Z")
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
