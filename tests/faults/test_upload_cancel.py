"""Upload Cancel while the store or the backend does not answer, and a FIFO swapped in after the check
(issue 13, finding 6). A real control-plane stub and store on loopback hold one step open (they answer
nothing until the test ends); Cancel must end the upload at once and close its connection.
"""

from __future__ import annotations

import os
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartspec_tk.core.media.client import MediaClient
from smartspec_tk.core.media.errors import FileRefused
from smartspec_tk.core.media.jobs import UploadJobs, UploadWasCancelled
from smartspec_tk.core.media.validation import check_file
from smartspec_tk.core.messages import Message
from smartspec_tk.core.paths import resolve_paths
from smartspec_tk.core.settings import Settings
from smartspec_tk.services import Services
from tests.media.samples import write_png
from tests.media.stub_backend import StubState, stub_servers


@pytest.fixture
def stub() -> Iterator[StubState]:
    with stub_servers() as state:
        try:
            yield state
        finally:
            state.release.set()


def wait_for_message(services: Services, kind: type[Message], timeout: float) -> Message:
    """The outbox's next message of `kind`; the held server never answers, so only Cancel can end it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in services.outbox.drain(100):
            if isinstance(message, kind):
                return message
        time.sleep(0.02)
    raise AssertionError(f"no {kind.__name__} within {timeout} s")


@pytest.mark.parametrize("step", ["presign", "put", "complete"])
def test_cancel_ends_the_upload_at_once_in_every_step(stub: StubState, tmp_path: Path, app_home: Path,
                                                      step: str) -> None:  # fmt: skip
    settings = Settings(backend_url=stub.backend_url, workspace=tmp_path, read_timeout_s=120)
    services = Services.build(settings, resolve_paths().ensure())
    jobs = UploadJobs(MediaClient(services.http, settings, services.paths.data_dir, new_http=services.new_http),
                      services.outbox)  # fmt: skip
    stub.hold = step
    try:
        job = jobs.start(check_file(write_png(tmp_path / "p.png", 20_000), max_bytes=10**7,
                                    allowed_types=("image/png",)))  # fmt: skip
        assert stub.held.wait(30), f"the {step} request never arrived"
        jobs.cancel(job)
        cancelled = wait_for_message(services, UploadWasCancelled, 10)  # the read timeout is 120 s
        assert getattr(cancelled, "job_id", None) == job
        assert stub.hung_up.wait(10), "the held connection was not closed by Cancel"
        assert jobs.running() == 0
    finally:
        services.close()


def test_a_fifo_swapped_in_after_the_check_does_not_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The race window, made certain: the picture passed the checks and, just before it is opened, a
    FIFO with no writer takes its place (a blocking open would never return). The check runs on a
    thread, so a regression fails the test instead of hanging it."""
    picture = write_png(tmp_path / "p.png", 1000)
    real_open = os.open

    def swap_then_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if Path(str(path)) == picture and not stat.S_ISFIFO(os.lstat(picture).st_mode):
            picture.unlink()
            os.mkfifo(picture)
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    outcome: list[BaseException | None] = []

    def check() -> None:
        try:
            check_file(picture, max_bytes=10**7, allowed_types=("image/png",))
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    monkeypatch.setattr(os, "open", swap_then_open)
    worker = threading.Thread(target=check, daemon=True)
    worker.start()
    worker.join(10)
    monkeypatch.undo()
    if worker.is_alive():
        with open(picture, "wb"):  # a writer: releases the blocked open so the thread can end
            pass
        raise AssertionError("opening the swapped-in FIFO blocked")
    assert stat.S_ISFIFO(os.lstat(picture).st_mode)  # the swap did happen
    assert isinstance(outcome[0], FileRefused) and "was replaced while it was being checked" in str(outcome[0])
