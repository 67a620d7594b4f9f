"""Chat content parts for uploaded artifacts, and the refresh of expired GET URLs before a resend.

Each part carries private metadata under `x_smartspec` (key, session id, mode,
expiry); `prepare_messages` refreshes parts whose URL has expired (or is about
to), then returns copies without the metadata, ready to send.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Callable
from typing import Any

from smartspec_tk.core.media.client import UploadedArtifact

log = logging.getLogger(__name__)

META = "x_smartspec"
REFRESH_MARGIN_S = 30.0  # refresh a little early: the model fetches the URL after we send it

Refresher = Callable[[str, str], tuple[str, float]]  # (session id, key) -> (url, expires_at)
Part = dict[str, Any]


def content_part(artifact: UploadedArtifact, file_part_mode: str = "file_url") -> Part:
    """The OpenAI-style part for an artifact: image_url, file_url, or a text line with the URL."""
    meta = {
        "key": artifact.key,
        "session_id": artifact.session_id,
        "mode": artifact.mode,
        "expires_at": artifact.expires_at,
        "name": artifact.name,
        "content_type": artifact.content_type,
        "sha256": artifact.sha256,
        "path": artifact.path,
    }
    part: Part
    if artifact.content_type.startswith("image/"):
        part = {"type": "image_url", "image_url": {"url": artifact.url, "detail": "auto"}}
    elif file_part_mode == "text":
        part = {"type": "text", "text": _text_line(artifact.content_type, artifact.url)}
    else:
        part = {"type": "file_url",
                "file_url": {"url": artifact.url, "mime_type": artifact.content_type, "name": artifact.name}}
    part[META] = meta
    return part


def prepare_messages(messages: list[dict[str, Any]], refresh: Refresher | None,
                     now: float | None = None) -> list[dict[str, Any]]:
    """Any thread: refresh expired URLs in place (so the history stays fresh), return stripped copies.

    `refresh` is `MediaClient.refresh_url`; None only strips the metadata.
    """
    moment = time.time() if now is None else now
    prepared = []
    for message in messages:
        content = message.get("content")
        if isinstance(content, list):
            for part in content:
                if isinstance(part, dict) and refresh is not None:
                    _refresh_part(part, refresh, moment)
        prepared.append(strip_metadata(message))
    return prepared


def strip_metadata(message: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of `message` without any `x_smartspec` entry."""
    clean = copy.deepcopy(message)
    content = clean.get("content")
    if isinstance(content, list):
        for part in content:
            if isinstance(part, dict):
                part.pop(META, None)
    return clean


def part_url(part: Part) -> str | None:
    """The URL a part points at (image_url, file_url or the text line)."""
    kind = part.get("type")
    if kind in ("image_url", "file_url") and isinstance(part.get(kind), dict):
        url = part[kind].get("url")
        return url if isinstance(url, str) else None
    meta = part.get(META)
    if kind == "text" and isinstance(meta, dict):
        text = str(part.get("text", ""))
        return text.split(": ", 1)[1] if ": " in text else None
    return None


def _refresh_part(part: Part, refresh: Refresher, now: float) -> None:
    meta = part.get(META)
    if not isinstance(meta, dict) or float(meta.get("expires_at", 0)) > now + REFRESH_MARGIN_S:
        return
    url, expires_at = refresh(str(meta["session_id"]), str(meta["key"]))
    meta["expires_at"] = expires_at
    kind = part.get("type")
    if kind in ("image_url", "file_url"):
        part[kind]["url"] = url
    elif kind == "text":
        part["text"] = _text_line(str(meta.get("content_type", "")), url)
    log.info("refreshed the link of %s", meta.get("name", "an attachment"))


def _text_line(content_type: str, url: str) -> str:
    return f"{'Video' if content_type.startswith('video/') else 'File'}: {url}"
