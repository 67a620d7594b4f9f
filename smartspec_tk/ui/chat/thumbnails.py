"""ThumbnailCache: small PNG copies of the pictures sent in the chat, by SHA-256, in the data folder (Tk thread).

When a prompt is sent, each PNG/GIF attachment (what Tk can decode without a new
dependency) is scaled down to at most THUMB_PX and written as `<sha256>.png` under
`thumbnails/`; the transcript shows it from there, also after a restart. Other
types (JPEG, WebP, video) are shown as a type badge instead.
"""

from __future__ import annotations

import logging
import math
import re
import tkinter as tk
from collections import OrderedDict
from pathlib import Path

from smartspec_tk.core.chat.attachments import PREVIEWABLE

log = logging.getLogger(__name__)
THUMB_PX = 160
SOURCE_MAX_BYTES = 8 * 1024 * 1024  # decoding runs on the Tk thread: larger files get a badge
KEPT_IN_MEMORY = 64
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class ThumbnailCache:
    def __init__(self, master: tk.Misc, folder: Path) -> None:
        self._master = master
        self.folder = folder
        self._images: OrderedDict[str, tk.PhotoImage] = OrderedDict()

    def path_for(self, sha256: str) -> Path | None:
        return self.folder / f"{sha256}.png" if _SHA256.match(sha256) else None

    def save(self, source: Path, sha256: str, content_type: str) -> bool:
        """Write the thumbnail of a picture about to be sent; False when there is none to make."""
        target = self.path_for(sha256)
        if target is None or content_type not in PREVIEWABLE:
            return False
        if target.exists():
            return True
        try:
            if source.stat().st_size > SOURCE_MAX_BYTES:
                return False
            image = tk.PhotoImage(master=self._master, file=str(source))
            factor = max(1, math.ceil(max(image.width(), image.height()) / THUMB_PX))
            small = image.subsample(factor) if factor > 1 else image
            target.parent.mkdir(parents=True, exist_ok=True)
            small.write(str(target), format="png")
        except (OSError, tk.TclError) as exc:
            log.info("no thumbnail for %s: %s", source.name, exc)
            return False
        self._keep(sha256, small)
        return True

    def load(self, sha256: str) -> tk.PhotoImage | None:
        """The thumbnail of a sent picture, or None (never made, or removed)."""
        image = self._images.get(sha256)
        if image is not None:
            self._images.move_to_end(sha256)
            return image
        path = self.path_for(sha256)
        if path is None or not path.is_file():
            return None
        try:
            image = tk.PhotoImage(master=self._master, file=str(path))
        except tk.TclError as exc:
            log.info("thumbnail %s unreadable: %s", path.name, exc)
            return None
        self._keep(sha256, image)
        return image

    def _keep(self, sha256: str, image: tk.PhotoImage) -> None:
        self._images[sha256] = image
        while len(self._images) > KEPT_IN_MEMORY:
            self._images.popitem(last=False)
