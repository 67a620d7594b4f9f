"""Attachments through the real chat pane and the reference backend: drop, send, the model sees the bytes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from smartspec_tk.core.paths import resolve_paths
from smartspec_tk.core.settings import load_settings
from smartspec_tk.services import Services
from tests.media.dnd import tkdnd_drop
from tests.media.samples import sha256_of, write_png, write_video
from tests.servers.reference import RunningServer

pytestmark = [pytest.mark.tk, pytest.mark.servers]
Wait = Callable[..., None]


@pytest.fixture
def app(tk_root: Any, reference_backend: RunningServer, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    from smartspec_tk.ui.chat import wiring as chat_wiring
    from smartspec_tk.ui.media import attachment_bar
    from smartspec_tk.ui.window.main_window import MainWindow
    from smartspec_tk.ui.window.pump import Pump

    monkeypatch.setenv("SMARTSPEC_BACKEND_URL", reference_backend.url)
    monkeypatch.setenv("SMARTSPEC_DEFAULT_MODEL", "offline-echo")
    monkeypatch.setenv("SMARTSPEC_WORKSPACE", str(tmp_path))
    services = Services.build(load_settings(None, None).settings, resolve_paths().ensure())
    window = MainWindow(tk_root, services.backend_url)
    pump = Pump(tk_root, services.outbox)
    pane = chat_wiring.attach(window, pump, services)
    bar = attachment_bar.attach(window, pump, services, chat=pane)
    pump.start()
    yield pane, bar
    window.quit()
    pump.stop()
    services.close()


def test_dropped_files_reach_the_model_intact(app: tuple[Any, Any], tmp_path: Path, wait_until: Wait) -> None:
    pane, bar = app
    wait_until(pane.transcript.text.winfo_ismapped, what="the chat pane on screen")
    png = write_png(tmp_path / "diagram.png", 120, 80)
    clip = write_video(tmp_path / "demo.mp4", 1_500_000)
    tkdnd_drop(pane.transcript.text, [str(png), str(clip)])  # dropped on the transcript, not the bar
    assert [chip.checked.name for chip in bar.chips] == ["diagram.png", "demo.mp4"]
    pane.input.set_value("What do you see?")
    pane.send_prompt()  # uploads may still run: the pane waits for them, then sends
    wait_until(lambda: "SHA-256" in pane.transcript.text.get("1.0", "end"), 30, "the model's answer")
    wait_until(lambda: pane.job is None, 30, "the answer to finish")
    answer = pane.transcript.text.get("1.0", "end")
    assert re.findall(r"SHA-256 ([0-9a-f]{64})", answer.replace("`", "")) == [sha256_of(png), sha256_of(clip)]
    assert bar.chips == []  # the parts went with the prompt
    assert_thumbnail_and_badge(pane, png)
    pane.open_conversation(pane.session.conversation_id)  # drawn again from the store: the thumbnail was kept
    assert_thumbnail_and_badge(pane, png)


def assert_thumbnail_and_badge(pane: Any, png: Path) -> None:
    """The picture is a thumbnail in the transcript, the video a type badge; no API jargon, no tofu glyph."""
    text = pane.transcript.text
    assert len(pane.transcript._images) == 1
    image = pane.transcript._images[0]
    assert str(image) in {str(text.image_cget(name, "image")) for name in text.image_names()}, "it is drawn"
    assert (image.width(), image.height()) == (120, 80)  # small already: not scaled
    assert (pane.thumbnails.folder / f"{sha256_of(png)}.png").is_file()
    shown = text.get("1.0", "end").split("Assistant")[0]  # the prompt (the answer names the part types)
    assert "  diagram.png\n" in shown and " MP4   demo.mp4\n" in shown
    assert "badge" in text.tag_names(text.search("MP4", "1.0"))
    assert "image_url" not in shown and "file_url" not in shown and "📎" not in shown


def test_attach_menu_entries_exist(app: tuple[Any, Any]) -> None:
    pane, bar = app
    menu = pane.winfo_toplevel().nametowidget(pane.winfo_toplevel()["menu"])
    labels = [menu.entrycget(i, "label") for i in range(menu.index("end") + 1) if menu.type(i) == "cascade"]
    chat = pane.winfo_toplevel().nametowidget(menu.entrycget(labels.index("Chat"), "menu"))
    entries = [chat.entrycget(i, "label") for i in range(chat.index("end") + 1) if chat.type(i) == "command"]
    assert "Insert Picture…" in entries and "Insert Video…" in entries
    assert bar.picture_button.winfo_exists() and bar.video_button.winfo_exists()


def test_self_check_uploads_a_picture_and_a_video_intact(
    app: tuple[Any, Any], reference_backend: RunningServer, wait_until: Wait
) -> None:
    from smartspec_tk.core.media.samples import MP4, PNG, sha256
    from smartspec_tk.ui.media.self_check import self_check

    pane, bar = app
    wait_until(pane.winfo_ismapped, what="the chat pane on screen")
    self_check(bar, wait_until)
    assert bar.chips == []
    stored = {sha256(path.read_bytes()) for path in (reference_backend.root / "objects").rglob("*") if path.is_file()}
    assert {sha256(PNG), sha256(MP4)} <= stored


def test_self_check_fails_when_the_confirmed_hash_is_not_the_files() -> None:
    from smartspec_tk.core.media.samples import MP4, sha256
    from smartspec_tk.ui.media.self_check import _check_part

    good = {"type": "file_url", "x_smartspec": {"sha256": sha256(MP4)}}
    _check_part("self-test.mp4", "done", good, "", text_parts=False)
    altered = {"type": "file_url", "x_smartspec": {"sha256": sha256(MP4.replace(b"\r\n", b"\n"))}}
    with pytest.raises(AssertionError, match="confirmed SHA-256"):
        _check_part("self-test.mp4", "done", altered, "", text_parts=False)
    with pytest.raises(AssertionError, match="part type image_url, expected text"):
        _check_part("self-test.mp4", "done", {**good, "type": "image_url"}, "", text_parts=True)
