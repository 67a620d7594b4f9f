"""Back-pressure between the chat worker and the GUI, and the chat self-check."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from smartspec_tk.core.chat.worker import Backlog
from smartspec_tk.core.paths import resolve_paths
from smartspec_tk.core.settings import load_settings
from smartspec_tk.services import Services


def test_backlog_blocks_the_worker_until_the_gui_catches_up() -> None:
    backlog = Backlog(limit=10)
    cancel = threading.Event()
    backlog.add(8, cancel)  # under the limit: returns at once
    passed = threading.Event()

    def worker() -> None:
        backlog.add(8, cancel)
        passed.set()

    thread = threading.Thread(target=worker)
    thread.start()
    assert not passed.wait(0.3), "16 characters waiting: the worker must wait"
    backlog.done(8)
    assert passed.wait(5)
    thread.join(5)
    cancel.set()
    started = time.monotonic()
    backlog.add(100, cancel)  # a cancelled request never waits
    assert time.monotonic() - started < 1


@pytest.mark.servers
def test_self_check_round_trip_against_the_reference_backend(
    reference_backend: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smartspec_tk.core.chat.client import ChatClient
    from smartspec_tk.core.chat.models import ModelsClient
    from smartspec_tk.ui.chat.wiring import round_trip

    monkeypatch.setenv("SMARTSPEC_BACKEND_URL", reference_backend.url)
    services = Services.build(load_settings(None, None).settings, resolve_paths().ensure())

    def wait_until(condition: Callable[[], bool], timeout: float = 10, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, what
            time.sleep(0.02)

    try:
        client = ChatClient(services.http, services.backend_url)
        models = ModelsClient(services.http, services.backend_url)
        round_trip(client, models, "", wait_until)  # raises when the answer is not complete
    finally:
        services.close()
