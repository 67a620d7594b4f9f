"""The `--self-test` upload check: a PNG and an MP4 go through the whole upload sequence.

Each must become the right content part, and the SHA-256 that the backend confirmed
(its `complete` step hashes the stored object) must be that of the sample's bytes, so a
file altered on the way (a text-mode read on Windows) fails the check. Without a reachable
backend only the local half runs: validation, chip and thumbnail.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from tkinter import ttk
from typing import Any, Protocol

from smartspec_tk.core.health import probe_backend
from smartspec_tk.core.media.jobs import UploadJobs
from smartspec_tk.core.media.parts import META
from smartspec_tk.core.media.samples import SAMPLES, sha256
from smartspec_tk.ui.media.attachment_chip import CANCELLING, DONE, UPLOADING, AttachmentChip, ChipStatus


class Bar(Protocol):
    """What the check uses of the AttachmentBar."""

    jobs: UploadJobs
    chips: list[AttachmentChip]
    chip_frame: ttk.Frame

    def add_paths(self, paths: Iterable[str]) -> int: ...

    def notice_text(self) -> str: ...

    def remove(self, chip: AttachmentChip) -> None: ...

    def cancel(self, chip: AttachmentChip) -> None: ...

    def retry(self, chip: AttachmentChip) -> None: ...


def self_check(bar: Bar, wait_until: Callable[..., None]) -> None:
    client = bar.jobs.client
    reachable, _detail = probe_backend(client.http, client.settings.backend_url)
    with tempfile.TemporaryDirectory(prefix="smartspec-self-test-") as folder:
        paths = []
        for name, (data, _kind) in SAMPLES.items():
            paths.append(Path(folder) / name)
            paths[-1].write_bytes(data)
        if not reachable:
            _local_only(bar, paths[0])
            return
        if bar.add_paths([str(path) for path in paths]) != len(paths):
            raise AssertionError(f"a test file was refused: {bar.notice_text()}")
        chips = bar.chips[-len(paths):]
        wait_until(lambda: all(chip.status not in (UPLOADING, CANCELLING) for chip in chips), 60, "the test uploads")
        results = [(chip.checked.name, chip.status, chip.part, chip.error) for chip in chips]
        for chip in chips:
            bar.remove(chip)
    text_parts = client.settings.file_part_mode == "text"
    for name, status, part, error in results:
        _check_part(name, status, part, error, text_parts)


def _check_part(name: str, status: ChipStatus, part: dict[str, Any] | None, error: str, text_parts: bool) -> None:
    if status != DONE or part is None:
        raise AssertionError(f"{name}: upload ended {status}: {error}")
    data, kind = SAMPLES[name]
    expected = "text" if text_parts and kind == "file_url" else kind
    if part.get("type") != expected:
        raise AssertionError(f"{name}: part type {part.get('type')}, expected {expected}")
    confirmed = (part.get(META) or {}).get("sha256")
    if confirmed != sha256(data):
        raise AssertionError(f"{name}: the backend confirmed SHA-256 {confirmed}, the file's is {sha256(data)}")


def _local_only(bar: Bar, png: Path) -> None:
    client = bar.jobs.client
    chip = AttachmentChip(bar.chip_frame, client.check(png), on_cancel=bar.cancel, on_retry=bar.retry,
                          on_remove=bar.remove)  # fmt: skip
    thumbnail = chip.has_thumbnail
    chip.destroy()
    if not thumbnail:
        raise AssertionError("Tk could not show the test picture's thumbnail")
