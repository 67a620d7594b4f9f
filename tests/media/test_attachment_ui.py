"""The attachment bar under real Tk: drops through tkdnd, chips, progress, cancel, retry, paste, refusals."""

from __future__ import annotations

import sys
import tkinter as tk
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from smartspec_tk.core.media.client import MediaClient
from smartspec_tk.core.media.jobs import UploadJobs
from smartspec_tk.core.paths import resolve_paths
from smartspec_tk.core.settings import Settings
from smartspec_tk.services import Services
from smartspec_tk.ui.media.attachment_bar import AttachmentBar, dialog_filetypes
from smartspec_tk.ui.media.attachment_chip import CANCELLED, DONE, FAILED
from smartspec_tk.ui.media.drop_zone import bind_path_paste, enable_file_drops
from smartspec_tk.ui.window.pump import Pump
from tests.media.dnd import tkdnd_drop
from tests.media.samples import write_png, write_video
from tests.media.stub_backend import StubState, stub_servers

pytestmark = pytest.mark.tk
Wait = Callable[..., None]
MB = 1024 * 1024


@pytest.fixture
def stub() -> Iterator[StubState]:
    with stub_servers() as state:
        yield state


@pytest.fixture
def bar(tk_root: Any, stub: StubState, tmp_path: Path) -> Iterator[AttachmentBar]:
    settings = Settings(backend_url=stub.backend_url, workspace=tmp_path)
    services = Services.build(settings, resolve_paths().ensure())
    jobs = UploadJobs(MediaClient(services.http, settings, services.paths.data_dir), services.outbox)
    pump = Pump(tk_root, services.outbox)
    pump.start()
    widget = AttachmentBar(tk_root, jobs, pump)
    widget.pack(fill="both", expand=True)
    tk_root.update()
    yield widget
    jobs.cancel_all()
    pump.stop()
    services.close()


def test_drop_of_several_files_adds_chips_that_upload(bar: AttachmentBar, stub: StubState, tmp_path: Path,
                                                       wait_until: Wait) -> None:
    assert enable_file_drops(bar.winfo_toplevel(), [bar], bar.add_paths, bar.set_drop_hover)
    wait_until(bar.winfo_ismapped, what="the bar on screen")
    png, clip = write_png(tmp_path / "a b.png"), write_video(tmp_path / "clip.mp4", 200_000)
    assert tkdnd_drop(bar, [str(png), str(clip)]) == "copy"
    assert [chip.checked.name for chip in bar.chips] == ["a b.png", "clip.mp4"]
    wait_until(lambda: all(chip.status == DONE for chip in bar.chips), what="both uploads done")
    assert not bar.pending()
    parts = bar.take_parts()
    assert [p["type"] for p in parts] == ["image_url", "file_url"]
    assert bar.chips == []
    assert sorted(stub.objects.values(), key=len) == [png.read_bytes(), clip.read_bytes()]


def test_png_gets_a_thumbnail_and_video_a_badge(bar: AttachmentBar, tmp_path: Path, wait_until: Wait) -> None:
    bar.add_paths([str(write_png(tmp_path / "big.png", 400, 200)), str(write_video(tmp_path / "v.webm", 900, "webm"))])
    picture, video = bar.chips
    assert isinstance(picture.thumb, tk.Label) and picture._image is not None
    assert picture._image.width() <= 40
    assert isinstance(video.thumb, tk.Canvas)
    wait_until(lambda: not bar.pending(), what="uploads done")


def test_progress_advances_and_cancel_stops_the_upload(bar: AttachmentBar, stub: StubState, tmp_path: Path,
                                                       wait_until: Wait) -> None:
    stub.bytes_per_second = 2 * MB
    bar.add_paths([str(write_video(tmp_path / "slow.mp4", 8 * MB))])
    (chip,) = bar.chips
    wait_until(lambda: chip.progress.cget("value") > 0, what="first progress")
    first = float(chip.progress.cget("value"))
    wait_until(lambda: float(chip.progress.cget("value")) > first, what="progress to advance")
    assert "uploading" in chip.detail_text() and bar.pending()
    chip.close_button.invoke()
    wait_until(lambda: chip.status == CANCELLED, what="the cancel to land")
    assert "cancelled" in chip.detail_text() and not bar.pending()
    assert stub.objects == {} and bar.take_parts() == []
    stub.bytes_per_second = 0
    chip.retry_button.invoke()
    wait_until(lambda: chip.status == DONE, what="the retried upload")
    assert len(stub.objects) == 1


def test_refused_files_are_explained(bar: AttachmentBar, tmp_path: Path, wait_until: Wait) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    fake = tmp_path / "fake.png"
    fake.write_text("not a png")
    assert bar.add_paths([str(notes), str(fake), str(tmp_path)]) == 0
    wait_until(lambda: bar.notice_text() != "", what="the notice")
    text = bar.notice_text()
    assert ".txt files cannot be attached" in text and "does not contain a PNG image" in text
    assert "is a folder" in text and bar.chips == []


def test_store_failure_shows_retry(bar: AttachmentBar, stub: StubState, tmp_path: Path, wait_until: Wait) -> None:
    stub.sessions.add("x")  # keep the stub happy; then break the store URL
    stub.store_url = stub.store_url.rsplit(":", 1)[0] + ":9"
    bar.add_paths([str(write_png(tmp_path / "a.png"))])
    (chip,) = bar.chips
    wait_until(lambda: chip.status == FAILED, what="the failure")
    assert "connection to the storage service failed" in chip.detail_text()
    assert chip.retry_button.winfo_manager() == "grid"


def test_pasting_a_file_path_attaches_it(bar: AttachmentBar, tmp_path: Path, wait_until: Wait) -> None:
    text = tk.Text(bar)
    text.pack()
    wait_until(text.winfo_ismapped, what="the text box on screen")  # Tk drops events to unmapped widgets
    bind_path_paste(text, bar.add_paths)
    png = write_png(tmp_path / "pasted.png")
    text.clipboard_clear()
    text.clipboard_append(f"{png}\n")
    text.event_generate("<<Paste>>")
    assert [chip.checked.name for chip in bar.chips] == ["pasted.png"]
    assert text.get("1.0", "end-1c") == ""
    text.clipboard_clear()
    text.clipboard_append("just words")
    text.event_generate("<<Paste>>")
    assert text.get("1.0", "end-1c") == "just words" and len(bar.chips) == 1
    wait_until(lambda: not bar.pending(), what="upload done")


def test_app_runs_when_tkdnd_cannot_load(tk_root: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tkinterdnd2", None)
    label = tk.Label(tk_root, text="chat")
    assert enable_file_drops(tk_root, [label], lambda paths: None) is False


def test_dialog_filters_follow_the_allowed_types() -> None:
    allowed = ("image/png", "image/jpeg", "video/mp4")
    assert dialog_filetypes(allowed, "image") == [("Pictures", "*.jpe *.jpeg *.jpg *.png")]
    assert dialog_filetypes(allowed, "video") == [("Videos", "*.m4v *.mp4")]


def test_self_check_without_a_backend_checks_the_local_half(tk_root: Any, tmp_path: Path, wait_until: Wait) -> None:
    from smartspec_tk.ui.media.self_check import self_check

    settings = Settings(backend_url="http://127.0.0.1:9", workspace=tmp_path)
    services = Services.build(settings, resolve_paths().ensure())
    pump = Pump(tk_root, services.outbox)
    bar = AttachmentBar(tk_root, UploadJobs(MediaClient(services.http, settings, services.paths.data_dir),
                                            services.outbox), pump)
    bar.pack()
    self_check(bar, wait_until)
    services.close()
    assert bar.chips == [] and services.outbox.empty()
