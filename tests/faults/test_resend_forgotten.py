"""A conversation with a picture stays sendable after the backend forgot the upload (finding 11 of
issue 13): the real chat pane and attachment bar under Xvfb, the real reference backend restarted
between turns on the same port (a restarted backend has forgotten every session and upload)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from smartspec_tk.core.chat.export import to_json
from smartspec_tk.core.paths import resolve_paths
from smartspec_tk.core.settings import load_settings
from smartspec_tk.services import Services
from tests.chat.ref_pane import shown
from tests.faults.app_run import free_port
from tests.media.samples import sha256_of, write_png
from tests.servers.reference import start_reference_backend

pytestmark = [pytest.mark.tk, pytest.mark.servers]
Wait = Callable[..., None]


class Backend:
    """The reference backend on one port, restartable."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path, self.port = tmp_path, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._running: contextlib.ExitStack | None = None

    def start(self) -> None:
        stack = contextlib.ExitStack()
        stack.enter_context(start_reference_backend(self.tmp_path, "--port", str(self.port)))
        self._running = stack

    def restart(self) -> None:
        self.stop()
        self.start()

    def stop(self) -> None:
        if self._running is not None:
            self._running.close()
            self._running = None


@pytest.fixture
def app(tk_root: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any, Backend]]:
    from smartspec_tk.ui.chat import wiring as chat_wiring
    from smartspec_tk.ui.media import attachment_bar
    from smartspec_tk.ui.window.main_window import MainWindow
    from smartspec_tk.ui.window.pump import Pump

    backend = Backend(tmp_path)
    backend.start()
    monkeypatch.setenv("SMARTSPEC_BACKEND_URL", backend.url)
    monkeypatch.setenv("SMARTSPEC_DEFAULT_MODEL", "offline-echo")
    monkeypatch.setenv("SMARTSPEC_WORKSPACE", str(tmp_path))
    services = Services.build(load_settings(None, None).settings, resolve_paths().ensure())
    window = MainWindow(tk_root, services.backend_url)
    pump = Pump(tk_root, services.outbox)
    pane = chat_wiring.attach(window, pump, services)
    bar = attachment_bar.attach(window, pump, services, chat=pane)
    pump.start()
    try:
        yield pane, bar, backend
    finally:
        window.quit()
        pump.stop()
        services.close()
        backend.stop()


def _send_picture(pane: Any, bar: Any, picture: Path, wait_until: Wait) -> None:
    wait_until(pane.transcript.text.winfo_ismapped, what="the chat pane on screen")
    assert bar.add_paths([str(picture)]) == 1
    pane.input.set_value("What do you see?")
    pane.send_prompt()
    _answered(pane, wait_until)
    assert _last_answer_hashes(pane) == [sha256_of(picture)]


def _answered(pane: Any, wait_until: Wait) -> None:
    wait_until(lambda: pane.job is None and pane._waiting_after is None, 60, "the answer")


def _last_answer_hashes(pane: Any) -> list[str]:
    return re.findall(r"SHA-256 ([0-9a-f]{64})", shown(pane).rsplit("Assistant", 1)[-1].replace("`", ""))


def _stored_keys(pane: Any) -> list[str]:
    keys = []
    for message in pane.session.messages():
        if message.role == "user" and isinstance(message.content, list):
            keys += [p["x_smartspec"]["key"] for p in message.content if "x_smartspec" in p]
    return keys


def test_retry_and_the_next_turn_upload_a_forgotten_picture_again(
    app: tuple[Any, Any, Backend], tmp_path: Path, wait_until: Wait
) -> None:
    pane, bar, backend = app
    picture = write_png(tmp_path / "diagram.png", 120, 80)
    _send_picture(pane, bar, picture, wait_until)
    first_key = _stored_keys(pane)
    backend.restart()  # it forgot the session and the upload
    pane.retry()
    _answered(pane, wait_until)
    assert _last_answer_hashes(pane) == [sha256_of(picture)], shown(pane)[-800:]
    assert "Attach the file again" not in shown(pane) and "Failed" not in shown(pane)
    second_key = _stored_keys(pane)
    assert second_key != first_key, "the new upload is saved with the prompt"
    stored = json.dumps([m.content for m in pane.session.messages()])
    assert str(picture) in stored, "the local path is kept with the attachment"
    assert str(picture) not in json.dumps(to_json(pane.store, pane.session.conversation_id)), "but not exported"
    backend.restart()
    pane.input.set_value("And now?")  # a new turn resends the picture of the first one
    pane.send_prompt()
    _answered(pane, wait_until)
    assert "Failed" not in shown(pane).rsplit("Assistant", 1)[-1]
    assert _stored_keys(pane) not in (first_key, second_key)
    sent = next(m for m in pane.session.messages() if isinstance(m.content, list)).content
    url = next(p["image_url"]["url"] for p in sent if p.get("type") == "image_url")
    assert hashlib.sha256(httpx.get(url).content).hexdigest() == sha256_of(picture), "the link sent works"


@pytest.mark.parametrize("fate", ["deleted", "changed"])
def test_a_forgotten_picture_whose_file_is_gone_is_named_and_left_out_when_the_user_agrees(
    app: tuple[Any, Any, Backend], tmp_path: Path, wait_until: Wait, fate: str
) -> None:
    pane, bar, backend = app
    picture = write_png(tmp_path / "diagram.png", 120, 80)
    _send_picture(pane, bar, picture, wait_until)
    backend.restart()
    if fate == "deleted":
        picture.unlink()
    else:
        write_png(picture, 121, 80)  # same name, other bytes: not the picture that was sent
    pane.retry()
    _answered(pane, wait_until)
    assert "The backend no longer has diagram.png" in shown(pane)
    buttons = [b for b in pane.transcript._retry_buttons if b.winfo_exists() and b.cget("text") != "Retry"]
    assert [b.cget("text") for b in buttons] == ["Send without diagram.png"]
    buttons[0].invoke()
    _answered(pane, wait_until)
    answer = shown(pane).rsplit("Assistant", 1)[-1]
    assert "Attachments: 0" in answer and not _last_answer_hashes(pane), answer
    assert "What do you see?" in answer, "the prompt's text went"
    assert "diagram.png · not sent" in shown(pane), "the prompt still lists the file"
    pane.input.set_value("Still there?")  # later turns leave it out too, without asking again
    pane.send_prompt()
    _answered(pane, wait_until)
    assert "Failed" not in shown(pane).rsplit("Assistant", 1)[-1]


def test_edit_and_resend_uploads_a_forgotten_picture_again(
    app: tuple[Any, Any, Backend], tmp_path: Path, wait_until: Wait
) -> None:
    from tests.chat.ref_pane import click

    pane, bar, backend = app
    picture = write_png(tmp_path / "diagram.png", 120, 80)
    _send_picture(pane, bar, picture, wait_until)
    backend.restart()
    click(pane, "Edit", 0)
    pane.input.set_value("What do you see now?")
    pane.send_prompt()
    _answered(pane, wait_until)
    assert _last_answer_hashes(pane) == [sha256_of(picture)], shown(pane)[-800:]
    assert "What do you see now?" in shown(pane).rsplit("Assistant", 1)[-1]


def test_the_local_artifact_store_forgets_too_and_the_file_is_uploaded_again(tmp_path: Path) -> None:
    """`SMARTSPEC_ARTIFACT_MODE=local` (`/api/artifacts`): its 404 is a plain `Artifact not found`."""
    from smartspec_tk.core.media.client import MediaClient
    from smartspec_tk.core.media.parts import content_part
    from smartspec_tk.core.media.renew import AttachmentRenewer
    from smartspec_tk.core.settings import Settings

    backend = Backend(tmp_path)
    backend.start()
    picture = write_png(tmp_path / "local.png", 50, 40)
    settings = Settings(backend_url=backend.url, artifact_mode="local", workspace=tmp_path)
    try:
        with httpx.Client() as http:
            media = MediaClient(http, settings, tmp_path)
            part = content_part(media.upload(media.check(picture)))
            old_key = part["x_smartspec"]["key"]
            media.take_fresh()  # the request that sent it is over
            backend.restart()
            history = [{"role": "user", "content": [{"type": "text", "text": "again"}, part]}]
            sent = AttachmentRenewer(media).prepare(history)
            url = sent[0]["content"][1]["image_url"]["url"]
            assert hashlib.sha256(http.get(url).content).hexdigest() == sha256_of(picture)
    finally:
        backend.stop()
    assert part["x_smartspec"]["key"] != old_key and "x_smartspec" not in sent[0]["content"][1]
