"""AttachmentChip: one attached file — thumbnail or type badge, name, size, progress, cancel/retry/remove.

Tk thread only. The chip shows state; the AttachmentBar owns the upload jobs. Its colours come
from the theme (the `Chip*` styles in `ui/theme/style.py`, the option database for the classic
widgets), so it follows a live dark/light switch.
"""

from __future__ import annotations

import logging
import math
import tkinter as tk
from collections.abc import Callable
from pathlib import Path
from tkinter import ttk
from typing import Any, Final, Literal

from smartspec_tk.core.media.validation import CheckedFile, human_size

log = logging.getLogger(__name__)

THUMB = 40
NAME_CHARS = 15  # every chip has the same width, so the bar can lay them out in columns
THUMB_MAX_BYTES = 4 * 1024 * 1024  # decode thumbnails of small files only: it runs on the Tk thread
BADGE_COLOURS = {"image": "#3b82c4", "video": "#8a4fc2"}
ChipStatus = Literal["uploading", "done", "failed", "cancelled", "cancelling"]
UPLOADING: Final = "uploading"
DONE: Final = "done"  # the upload's content part is in `part`
FAILED: Final = "failed"
CANCELLED: Final = "cancelled"
CANCELLING: Final = "cancelling"
PHASES = {"preparing": "preparing…", "uploading": "uploading", "finishing": "finishing…"}


class AttachmentChip(ttk.Frame):
    """One file's chip; `on_cancel`, `on_retry`, `on_remove` are called with the chip."""

    def __init__(self, master: tk.Misc, checked: CheckedFile, *, on_cancel: Callable[[AttachmentChip], None],
                 on_retry: Callable[[AttachmentChip], None], on_remove: Callable[[AttachmentChip], None]) -> None:
        super().__init__(master, style="Chip.TFrame", padding=4)
        self.checked = checked
        self.job_id = 0
        self.status: ChipStatus = UPLOADING
        self.part: dict[str, Any] | None = None
        self.error = ""
        self._callbacks = (on_cancel, on_retry, on_remove)
        self._image: tk.PhotoImage | None = None
        self.thumb = self._make_thumb()
        self.thumb.grid(row=0, column=0, rowspan=3, padx=(0, 6))
        self.name_label = ttk.Label(self, text=_short(checked.name), style="ChipName.TLabel", width=NAME_CHARS)
        self.name_label.grid(row=0, column=1, sticky="w")
        self.detail = ttk.Label(self, style="ChipDetail.TLabel", wraplength=150)
        self.detail.grid(row=1, column=1, sticky="w")
        self.progress = ttk.Progressbar(self, length=110, maximum=max(checked.size, 1),
                                        style="Chip.Horizontal.TProgressbar")
        self.progress.grid(row=2, column=1, sticky="we", pady=(2, 0))
        self.retry_button = _glyph_button(self, "↻", lambda: on_retry(self))
        self.close_button = _glyph_button(self, "✕", self._close)
        self.close_button.grid(row=0, column=2, sticky="ne")
        self.set_uploading()

    def set_uploading(self, job_id: int = 0) -> None:
        self.job_id, self.status, self.error, self.part = job_id, UPLOADING, "", None
        self.retry_button.grid_remove()
        self.progress.grid()
        self.progress.configure(value=0)
        self._show(f"{human_size(self.checked.size)} · preparing…", "ChipDetail.TLabel")

    def set_progress(self, sent: int, phase: str) -> None:
        if self.status != UPLOADING:
            return
        self.progress.configure(value=sent)
        percent = 100 * sent // max(self.checked.size, 1)
        label = f"uploading {percent}%" if phase == "uploading" else PHASES.get(phase, phase)
        if phase == "uploading" and sent >= self.checked.size:
            label = PHASES["finishing"]  # all bytes handed over; the store is still reading them
        self._show(f"{human_size(self.checked.size)} · {label}", "ChipDetail.TLabel")

    def set_done(self, part: dict[str, Any]) -> None:
        self.status, self.part = DONE, part
        self.progress.grid_remove()
        self._show(f"{human_size(self.checked.size)} · ready ✓", "ChipDetail.TLabel")

    def set_failed(self, text: str) -> None:
        self.status, self.error = FAILED, text
        self.progress.grid_remove()
        self.retry_button.grid(row=1, column=2, sticky="ne")
        self._show(text, "ChipError.TLabel")

    def set_cancelling(self) -> None:
        self.status = CANCELLING
        self._show(f"{human_size(self.checked.size)} · cancelling…", "ChipDetail.TLabel")

    def set_cancelled(self) -> None:
        self.status = CANCELLED
        self.progress.grid_remove()
        self.retry_button.grid(row=1, column=2, sticky="ne")
        self._show(f"{human_size(self.checked.size)} · cancelled", "ChipDetail.TLabel")

    def destroy(self) -> None:
        # Free the image here, on the Tk thread: a PhotoImage collected later by a worker
        # thread's garbage collection would call into Tcl from the wrong thread.
        self._image = None
        super().destroy()

    @property
    def has_thumbnail(self) -> bool:
        """True when the chip shows the picture itself (not a type badge)."""
        return self._image is not None

    def detail_text(self) -> str:
        return str(self.detail.cget("text"))

    def _close(self) -> None:
        on_cancel, _retry, on_remove = self._callbacks
        (on_cancel if self.status == UPLOADING else on_remove)(self)

    def _show(self, text: str, style: str) -> None:
        self.detail.configure(text=text, style=style)

    def _make_thumb(self) -> tk.Widget:
        image = self._thumbnail()
        if image is not None:
            self._image = image
            return tk.Label(self, image=image, width=THUMB, height=THUMB, borderwidth=0)
        return _badge(self, self.checked)

    def _thumbnail(self) -> tk.PhotoImage | None:
        kind = self.checked.content_type
        if kind not in ("image/png", "image/gif") or self.checked.size > THUMB_MAX_BYTES:
            return None
        try:
            image = tk.PhotoImage(master=self, file=str(self.checked.path))
        except tk.TclError as exc:
            log.info("no thumbnail for %s: %s", self.checked.name, exc)
            return None
        factor = max(1, math.ceil(max(image.width(), image.height()) / THUMB))
        return image.subsample(factor) if factor > 1 else image


def _glyph_button(master: tk.Misc, glyph: str, command: Callable[[], None]) -> tk.Button:
    """A small flat button showing one symbol (✕ close, ↻ retry)."""
    return tk.Button(master, text=glyph, command=command, relief="flat", borderwidth=0, padx=3, pady=0,
                     highlightthickness=0, cursor="hand2",
                     font=("TkDefaultFont", 10))


def _badge(master: tk.Misc, checked: CheckedFile) -> tk.Canvas:
    """A coloured square with the file type (JPG, MP4, …) for files Tk cannot preview."""
    canvas = tk.Canvas(master, width=THUMB, height=THUMB, highlightthickness=0)
    family = checked.content_type.split("/")[0]
    canvas.create_rectangle(0, 0, THUMB, THUMB, fill=BADGE_COLOURS.get(family, "#6b6f76"), outline="")
    if family == "video":
        canvas.create_polygon(15, 9, 15, 23, 27, 16, fill="white", outline="")
    label = Path(checked.name).suffix.lstrip(".").upper()[:4] or "FILE"
    canvas.create_text(THUMB // 2, 31 if family == "video" else THUMB // 2, text=label, fill="white",
                       font=("TkDefaultFont", 7 if len(label) > 3 else 8, "bold"))
    return canvas


def _short(name: str, limit: int = NAME_CHARS) -> str:
    return name if len(name) <= limit else name[: limit - 9] + "…" + name[-8:]
