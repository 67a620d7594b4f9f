"""The attachments of a stored prompt, as the transcript shows them: name, type badge, thumbnail key (Tk-free).

An attachment is any content part with private metadata (also a text part: with
`file_part_mode=text` a video goes as a line with its link), or a non-text part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from smartspec_tk.core.chat.request import PRIVATE_KEY

PREVIEWABLE = ("image/png", "image/gif")  # what Tk itself can decode into a thumbnail
_BADGES = {"image/jpeg": "JPG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP", "video/mp4": "MP4",
           "video/webm": "WEBM", "video/quicktime": "MOV"}  # fmt: skip


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str = ""
    sha256: str = ""
    as_link: bool = False  # sent as a line with its link in the prompt's text
    dropped: bool = False  # the backend forgot it, its file was gone, and the user chose to send without it

    @property
    def badge(self) -> str:
        """A short type label (JPG, MP4, …) for the badge of a file shown without a thumbnail."""
        known = _BADGES.get(self.content_type)
        if known:
            return known
        suffix = PurePosixPath(self.name).suffix.lstrip(".").upper()
        return suffix[:4] or self.content_type.split("/")[0].upper()[:5] or "FILE"

    @property
    def label(self) -> str:
        if self.dropped:
            return f"{self.name} · not sent (the file is gone)"
        return f"{self.name} · sent as a link" if self.as_link else self.name

    @property
    def previewable(self) -> bool:
        return self.content_type in PREVIEWABLE and bool(self.sha256)


def attachments_of(parts: Sequence[Any]) -> list[Attachment]:
    """One `Attachment` per attachment part of a prompt's content list."""
    found = []
    for part in parts:
        if not isinstance(part, dict):
            continue
        private = part.get(PRIVATE_KEY)
        kind = str(part.get("type"))
        if kind == "text" and not isinstance(private, dict):
            continue  # the user's own text
        meta = private if isinstance(private, dict) else {}
        inner = part.get(kind)
        name = meta.get("name") or (inner.get("name") if isinstance(inner, dict) else None)
        content_type = meta.get("content_type") or (inner.get("mime_type") if isinstance(inner, dict) else None)
        if not content_type and kind == "image_url":
            content_type = "image/"
        sha256 = str(meta.get("sha256") or "")
        found.append(Attachment(str(name or "attachment"), str(content_type or ""), sha256, kind == "text",
                                bool(meta.get("dropped"))))
    return found
