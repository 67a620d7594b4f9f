"""How sent attachments are shown: names and type badges (Tk-free), thumbnails kept by SHA-256 (real Tk)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from smartspec_tk.core.chat.attachments import Attachment, attachments_of
from tests.media.samples import write_png


def test_attachments_of_a_prompt() -> None:
    parts = [
        {"type": "text", "text": "look"},
        {"type": "image_url", "image_url": {"url": "u"},
         "x_smartspec": {"name": "cat.jpg", "content_type": "image/jpeg", "sha256": "ab"}},
        {"type": "text", "text": "Video: http://x/v.mp4",
         "x_smartspec": {"name": "v.mp4", "content_type": "video/mp4"}},
        {"type": "file_url", "file_url": {"url": "u", "name": "notes.pdf", "mime_type": "application/pdf"}},
    ]  # fmt: skip
    found = attachments_of(parts)
    assert found == [
        Attachment("cat.jpg", "image/jpeg", "ab"),
        Attachment("v.mp4", "video/mp4", "", as_link=True),
        Attachment("notes.pdf", "application/pdf"),
    ]
    assert [a.badge for a in found] == ["JPG", "MP4", "PDF"]
    assert [a.label for a in found] == ["cat.jpg", "v.mp4 · sent as a link", "notes.pdf"]
    assert not found[0].previewable, "Tk cannot decode JPEG: a badge"
    assert Attachment("a.png", "image/png", "f" * 64).previewable


def test_thumbnails_are_scaled_kept_on_disk_and_loaded_again(tk_root: Any, tmp_path: Path) -> None:
    from smartspec_tk.ui.chat.thumbnails import THUMB_PX, ThumbnailCache

    big = write_png(tmp_path / "big.png", 640, 400)
    sha = hashlib.sha256(big.read_bytes()).hexdigest()
    cache = ThumbnailCache(tk_root, tmp_path / "thumbs")
    assert cache.save(big, sha, "image/png")
    stored = tmp_path / "thumbs" / f"{sha}.png"
    assert stored.is_file() and stored.stat().st_size < big.stat().st_size
    again = ThumbnailCache(tk_root, tmp_path / "thumbs").load(sha)  # as after a restart
    assert again is not None and max(again.width(), again.height()) <= THUMB_PX
    assert (again.width(), again.height()) == (160, 100)
    assert not cache.save(big, sha.replace("a", "b", 1) if "a" in sha else "0" * 64, "image/jpeg")
    assert cache.load("../../etc/passwd") is None and cache.load("0" * 64) is None
