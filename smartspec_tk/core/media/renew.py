"""Before each chat request: make sure the backend still has every file the conversation sends.

Each attachment's link is asked for again (which also renews it), except for files uploaded
since the previous request. When the backend has forgotten a file (it restarted, or its
records expired), the file is uploaded again from the local path it came from, provided its
content still has the same SHA-256. Otherwise the part is marked `missing` and the request
fails with `AttachmentsGone`, naming the files; once the user agrees to send without them,
they are marked `dropped` (`drop_missing`) and left out of every later request.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from smartspec_tk.core.errors import AttachmentsGone, BackendError
from smartspec_tk.core.media.client import MediaClient
from smartspec_tk.core.media.errors import FileRefused
from smartspec_tk.core.media.parts import META, REFRESH_MARGIN_S, Part, content_part, strip_metadata

log = logging.getLogger(__name__)

Message = dict[str, Any]


class AttachmentRenewer:
    """`prepare(messages)` is the chat's request preparer (worker thread)."""

    def __init__(self, client: MediaClient, clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self.clock = clock

    def prepare(self, messages: list[Message]) -> list[Message]:
        """Check and renew the attachments in place (so they can be saved), return copies to send."""
        fresh = self.client.take_fresh()
        now = self.clock()
        missing: list[str] = []
        for part in _attachment_parts(messages):
            meta = part[META]
            if meta.get("dropped"):
                continue
            recent = (meta.get("session_id"), meta.get("key")) in fresh
            if recent and float(meta.get("expires_at", 0)) > now + REFRESH_MARGIN_S:
                continue
            if not self._renew(part):
                missing.append(str(meta.get("name") or "an attachment"))
        if missing:
            raise AttachmentsGone(missing)
        return [strip_metadata(_unmarked(m)) for m in messages]

    def _renew(self, part: Part) -> bool:
        """Ask for a new link; upload the file again when the backend forgot it. False: it is gone."""
        meta = part[META]
        try:
            url, expires_at = self.client.refresh_url(str(meta["session_id"]), str(meta["key"]))
        except BackendError as exc:
            if exc.status != 404:
                raise
            log.info("the backend forgot %s (%s); uploading it again", meta.get("name"), exc.code or exc)
            return self._upload_again(part)
        meta["expires_at"] = expires_at
        meta.pop("missing", None)
        _set_url(part, url)
        return True

    def _upload_again(self, part: Part) -> bool:
        meta = part[META]
        path = str(meta.get("path") or "")
        try:
            if not path or _sha256(Path(path)) != meta.get("sha256"):
                raise FileNotFoundError(f"{path or 'no path kept'}: gone or changed")
            checked = self.client.check(path)
        except (OSError, FileRefused) as exc:
            log.warning("%s cannot be uploaded again: %s", meta.get("name"), exc)
            meta["missing"] = True
            return False
        artifact = self.client.upload(checked)  # a network or backend failure fails the request as usual
        self.client.discard_fresh(artifact.session_id, artifact.key)  # sent now; checked again next time
        renewed = content_part(artifact, "text" if part.get("type") == "text" else "file_url")
        part.clear()
        part.update(renewed)
        log.info("uploaded %s again", artifact.name)
        return True


def drop_missing(content: Any) -> bool:
    """Mark the `missing` attachments of a stored prompt as `dropped` (the user agreed to send
    without them); True when something changed."""
    changed = False
    if isinstance(content, list):
        for part in content:
            meta = part.get(META) if isinstance(part, dict) else None
            if isinstance(meta, dict) and meta.get("missing") and not meta.get("dropped"):
                meta["dropped"] = True
                changed = True
    return changed


def _attachment_parts(messages: list[Message]) -> list[Part]:
    return [
        part
        for message in messages
        if isinstance(message.get("content"), list)
        for part in message["content"]
        if isinstance(part, dict) and isinstance(part.get(META), dict) and part[META].get("key")
    ]


def _unmarked(message: Message) -> Message:
    """The message with its dropped parts left out (before the metadata that marks them goes)."""
    content = message.get("content")
    if not isinstance(content, list):
        return message
    dropped = [p for p in content if isinstance(p, dict) and isinstance(p.get(META), dict) and p[META].get("dropped")]
    if not dropped:
        return message
    kept = [p for p in content if not any(p is d for d in dropped)]
    names = [str(p[META].get("name")) for p in dropped]
    return {**message, "content": kept or f"[{', '.join(names)}: no longer available]"}


def _set_url(part: Part, url: str) -> None:
    kind = part.get("type")
    if kind in ("image_url", "file_url"):
        part[kind]["url"] = url
    elif kind == "text":
        video = str(part[META].get("content_type", "")).startswith("video/")
        part["text"] = f"{'Video' if video else 'File'}: {url}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
