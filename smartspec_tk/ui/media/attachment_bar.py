"""AttachmentBar: Insert Picture / Insert Video, and the chips of the files attached to the next prompt.

Tk thread only. Files come from the buttons, from drops and from pasted paths;
each is validated at once (a refusal is shown in plain words) and its upload
starts immediately on a worker thread. The chat pane asks `pending()` and
`take_parts()` when the user sends.
"""

from __future__ import annotations

import logging
import tkinter as tk
from collections.abc import Callable, Iterable
from pathlib import Path
from tkinter import ttk
from typing import TYPE_CHECKING, Any

from smartspec_tk.core.media.client import MediaClient
from smartspec_tk.core.media.errors import FileRefused
from smartspec_tk.core.media.jobs import (
    UploadFailed,
    UploadJobs,
    UploadProgressed,
    UploadSucceeded,
    UploadWasCancelled,
)
from smartspec_tk.core.media.renew import AttachmentRenewer
from smartspec_tk.core.media.validation import EXTENSION_TYPES
from smartspec_tk.ui.media.attachment_chip import CANCELLING, DONE, UPLOADING, AttachmentChip
from smartspec_tk.ui.media.drop_zone import bind_path_paste, enable_file_drops
from smartspec_tk.ui.media.self_check import self_check
from smartspec_tk.ui.theme.widgets import icon_button
from smartspec_tk.ui.window.pump import Pump

if TYPE_CHECKING:
    from smartspec_tk.core.settings import Settings
    from smartspec_tk.services import Services
    from smartspec_tk.ui.handles import Chat
    from smartspec_tk.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

CHIP_GAP = 6
NOTICE_MS = 8000


def dialog_filetypes(allowed: Iterable[str], family: str) -> list[tuple[str, str]]:
    """File-dialog filters for the allowed types of one family ("image" or "video")."""
    patterns = sorted({f"*{ext}" for ext, kind in EXTENSION_TYPES.items()
                       if kind in allowed and kind.startswith(family + "/")})
    label = "Pictures" if family == "image" else "Videos"
    return [(label, " ".join(patterns))] if patterns else [("All files", "*")]


class AttachmentBar(ttk.Frame):
    """Buttons, a one-line refusal notice and the chips; the chat pane's attachment source."""

    def __init__(self, master: tk.Misc, jobs: UploadJobs, pump: Pump, *,
                 notify: Callable[[str], None] | None = None) -> None:
        super().__init__(master, padding=(6, 2, 6, 2))
        self.jobs = jobs
        self.chips: list[AttachmentChip] = []
        # (file, sha256, type) of each picture sent: the transcript's thumbnail is made from it
        self.keep_thumbnail: Callable[[Path, str, str], object] | None = None
        self._notify = notify
        self._notice_after: str | None = None
        self._build_toolbar()
        self.notice = ttk.Label(self, style="Error.TLabel", wraplength=420, justify="left")
        self.chip_frame = ttk.Frame(self)
        self.bind("<Configure>", self._layout, add=True)
        pump.subscribe(UploadProgressed, self._on_progress, owner=self)
        pump.subscribe(UploadSucceeded, self._on_success, owner=self)
        pump.subscribe(UploadFailed, self._on_failure, owner=self)
        pump.subscribe(UploadWasCancelled, self._on_cancelled, owner=self)

    # -- the chat pane's attachment source ---------------------------------------------------
    def pending(self) -> bool:
        """True while an upload is still running (the pane waits or refuses to send)."""
        return any(chip.status in (UPLOADING, CANCELLING) for chip in self.chips)

    def peek_parts(self) -> list[dict[str, Any]]:
        """The content parts of the finished uploads, in attach order; their chips stay."""
        return [chip.part for chip in self.chips if chip.status == DONE and chip.part is not None]

    def take_parts(self) -> list[dict[str, Any]]:
        """The content parts of the finished uploads, in attach order; their chips go away."""
        done = [chip for chip in self.chips if chip.status == DONE and chip.part is not None]
        for chip in done:
            meta = (chip.part or {}).get("x_smartspec") or {}
            if self.keep_thumbnail is not None and meta.get("sha256"):
                self.keep_thumbnail(chip.checked.path, str(meta["sha256"]), chip.checked.content_type)
            self.remove(chip)
        return [chip.part for chip in done if chip.part is not None]

    # -- adding files -----------------------------------------------------------------------
    def add_paths(self, paths: Iterable[str]) -> int:
        """Validate and start uploading each path; returns how many were accepted."""
        refusals, accepted = [], 0
        for path in paths:
            try:
                checked = self.jobs.client.check(path)
            except FileRefused as exc:
                refusals.append(str(exc))
                continue
            chip = AttachmentChip(self.chip_frame, checked, on_cancel=self.cancel, on_retry=self.retry,
                                  on_remove=self.remove)
            self.chips.append(chip)
            chip.set_uploading(self.jobs.start(checked))
            accepted += 1
        self._layout()
        if refusals:
            self.show_notice("\n".join(refusals))
        return accepted

    def ask_files(self, family: str) -> None:
        """Open a file dialog for pictures ("image") or videos ("video")."""
        from tkinter import filedialog  # loaded when first used (as by the chat's Export)

        allowed = self.jobs.client.settings.allowed_type_list
        title = "Insert Picture" if family == "image" else "Insert Video"
        chosen = filedialog.askopenfilenames(parent=self, title=title,
                                             filetypes=dialog_filetypes(allowed, family))
        if chosen:
            self.add_paths(self.tk.splitlist(chosen) if isinstance(chosen, str) else chosen)

    def cancel(self, chip: AttachmentChip) -> None:
        if chip.status == UPLOADING:
            self.jobs.cancel(chip.job_id)
            chip.set_cancelling()

    def retry(self, chip: AttachmentChip) -> None:
        try:
            checked = self.jobs.client.check(chip.checked.path)
        except FileRefused as exc:
            chip.set_failed(str(exc))
            return
        chip.checked = checked
        chip.set_uploading(self.jobs.start(checked))

    def show_notice(self, text: str) -> None:
        self.notice.configure(text=text)
        if self.chips:
            self.notice.pack(side="top", fill="x", before=self.chip_frame)
        else:
            self.notice.pack(side="top", fill="x")
        if self._notify is not None:
            self._notify(text.splitlines()[0])
        if self._notice_after is not None:
            self.after_cancel(self._notice_after)
        self._notice_after = self.after(NOTICE_MS, self._hide_notice)

    def notice_text(self) -> str:
        return str(self.notice.cget("text")) if self.notice.winfo_ismapped() else ""

    def set_drop_hover(self, inside: bool) -> None:
        self.hint.configure(text="Drop to attach" if inside else self._hint_text)

    # -- internals --------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        row = ttk.Frame(self)
        row.pack(side="top", fill="x")
        # Short labels with icons: they fit a narrow chat pane (800 px wide window); the menu says it in full.
        self.picture_button = icon_button(row, "image", "Insert a picture (PNG, JPEG, WebP, GIF)",
                                          lambda: self.ask_files("image"), text="Picture…")  # fmt: skip
        self.picture_button.pack(side="left")
        self.video_button = icon_button(row, "video", "Insert a video (MP4, WebM, MOV)",
                                        lambda: self.ask_files("video"), text="Video…")  # fmt: skip
        self.video_button.pack(side="left", padx=(4, 0))
        self._hint_text = "or drop or paste files"
        self.hint = ttk.Label(row, text=self._hint_text, style="Muted.TLabel")
        self.hint.pack(side="left", padx=(8, 0))
        row.bind("<Configure>", lambda e: self._fit_hint(e.width), add="+")

    def _fit_hint(self, width: int) -> None:
        """The hint shows only when it fits whole beside the buttons (never cut mid-word)."""
        needed = sum(w.winfo_reqwidth() for w in (self.picture_button, self.video_button, self.hint)) + 12
        if width < needed:
            self.hint.pack_forget()
        elif not self.hint.winfo_manager():
            self.hint.pack(side="left", padx=(8, 0))

    def set_drops_available(self, available: bool) -> None:
        self._hint_text = "or drop or paste files" if available else "or paste file paths"
        self.hint.configure(text=self._hint_text)

    def _layout(self, _event: object = None) -> None:
        """Chips in as many columns as the pane's width allows."""
        columns = 1
        if self.chips:
            chip_width = self.chips[0].winfo_reqwidth() + CHIP_GAP
            columns = max(1, (self.winfo_width() - 12 + CHIP_GAP) // chip_width)
        for index, chip in enumerate(self.chips):
            chip.grid(row=index // columns, column=index % columns, padx=(0, CHIP_GAP), pady=(4, 0),
                      sticky="nw")
        if self.chips:
            self.chip_frame.pack(side="top", fill="x")
        else:
            self.chip_frame.pack_forget()

    def remove(self, chip: AttachmentChip) -> None:
        if chip.status == UPLOADING:
            self.jobs.cancel(chip.job_id)
        if chip in self.chips:
            self.chips.remove(chip)
        chip.destroy()
        self._layout()

    def _hide_notice(self) -> None:
        self._notice_after = None
        self.notice.pack_forget()

    def _chip_for(self, job_id: int) -> AttachmentChip | None:
        return next((chip for chip in self.chips if chip.job_id == job_id), None)

    def _on_progress(self, message: UploadProgressed) -> None:
        chip = self._chip_for(message.job_id)
        if chip is not None:
            chip.set_progress(message.sent, message.phase)

    def _on_success(self, message: UploadSucceeded) -> None:
        chip = self._chip_for(message.job_id)
        if chip is not None and chip.status in (UPLOADING, CANCELLING):
            chip.set_done(message.part)

    def _on_failure(self, message: UploadFailed) -> None:
        chip = self._chip_for(message.job_id)
        if chip is not None:
            chip.set_failed(message.text)

    def _on_cancelled(self, message: UploadWasCancelled) -> None:
        chip = self._chip_for(message.job_id)
        if chip is not None:
            chip.set_cancelled()


def attach(window: MainWindow, pump: Pump, services: Services, *, chat: Chat | None) -> AttachmentBar | None:
    """Plug the attachment bar into the chat pane, if there is one."""
    if chat is None:
        log.info("no chat pane: attachments are not available")
        return None
    client = MediaClient(services.http, services.settings, services.paths.data_dir, new_http=services.new_http)

    def use_settings(settings: Settings) -> None:  # saved in Settings: the size cap and types at once
        client.settings = settings

    services.settings_listeners.append(use_settings)
    jobs = UploadJobs(client, services.outbox)
    bar = AttachmentBar(chat.attachments_area, jobs, pump, notify=window.status_bar.show_notice)
    bar.pack(side="top", fill="x")
    chat.set_attachment_source(bar)
    bar.keep_thumbnail = chat.keep_thumbnail
    chat.set_request_preparer(AttachmentRenewer(client).prepare)  # forgotten files are uploaded again
    bind_path_paste(chat.prompt_text, bar.add_paths)
    targets = [*chat.drop_targets(), bar]
    bar.set_drops_available(enable_file_drops(window.root, targets, bar.add_paths, bar.set_drop_hover))
    menu = window.menu("Chat")
    menu.add_separator()
    menu.add_command(label="Insert Picture…", command=lambda: bar.ask_files("image"))
    menu.add_command(label="Insert Video…", command=lambda: bar.ask_files("video"))
    window.quit_handlers.append(jobs.cancel_all)
    window.add_self_check("attachment upload (PNG, MP4)", lambda wait_until: self_check(bar, wait_until))
    return bar
