"""ChatJob against the real reference backend (a child process) and its fault switches."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest

from smartspec_tk.backend.offline import answer
from smartspec_tk.backend.stats import STATS_PATH
from smartspec_tk.core.chat import messages as m
from smartspec_tk.core.chat.client import ChatClient
from smartspec_tk.core.chat.models import ModelsClient
from smartspec_tk.core.chat.request import ChatOptions
from smartspec_tk.core.chat.worker import ChatJob
from smartspec_tk.core.net import BackendCredentials, make_client
from smartspec_tk.core.outbox import Outbox
from tests.servers.reference import RunningServer

pytestmark = pytest.mark.servers
Start = Callable[..., RunningServer]
HISTORY = [{"role": "user", "content": "Grüße — a test ✓ with `code`"}]


def run(backend: RunningServer, model: str = "offline-echo", token: str | None = None) -> tuple[ChatJob, list[object]]:
    http = make_client(BackendCredentials(backend.url, token=token), read_timeout=20)
    outbox = Outbox()
    job = ChatJob(ChatClient(http, backend.url), outbox, 1, ChatOptions(model), HISTORY)
    job.start()
    job.join(30)
    http.close()
    return job, outbox.drain(100_000)


def final(posted: list[object]) -> m.ChatFinished:
    assert isinstance(posted[-1], m.ChatFinished)
    return posted[-1]


def test_streams_the_whole_answer_through_every_framing_fault(reference_backend_factory: Start) -> None:
    backend = reference_backend_factory(
        "--fault-crlf", "--fault-keepalive", "--fault-split-writes", "3", "--fault-named-events", "--chunk-chars", "5"
    )
    job, posted = run(backend)
    assert job.text == answer("offline-echo", HISTORY)  # split UTF-8, CRLF, comments, named events
    assert final(posted) == m.ChatFinished(1, m.COMPLETE)
    assert any(isinstance(p, m.ChatUsage) for p in posted)


def test_cut_stream_is_incomplete_and_keeps_the_text(reference_backend_factory: Start) -> None:
    for mode in ("reset", "clean"):
        backend = reference_backend_factory("--fault-cut-after", "3", "--fault-cut-mode", mode, "--chunk-chars", "4")
        job, posted = run(backend)
        assert final(posted).status == m.INCOMPLETE, mode
        assert job.text and answer("offline-echo", HISTORY).startswith(job.text)


def test_stall_with_keepalives_then_the_rest(reference_backend_factory: Start) -> None:
    backend = reference_backend_factory("--fault-stall-after", "2", "--fault-stall-seconds", "1.5", "--fault-keepalive")
    job, posted = run(backend)
    assert final(posted).status == m.COMPLETE
    assert job.text == answer("offline-echo", HISTORY)


def test_402_429_501_and_401(reference_backend_factory: Start) -> None:
    credits = final(run(reference_backend_factory("--fault-chat-status", "402"))[1])
    assert credits.status == m.FAILED and "Not enough credits" in credits.error
    assert "/credits/topup" in credits.error
    limited = final(run(reference_backend_factory("--fault-chat-status", "429", "--fault-retry-after", "42"))[1])
    assert "Try again in 42 s" in limited.error and limited.retry_after == 42
    job, posted = run(reference_backend_factory("--fault-stream-501"))
    assert final(posted).status == m.COMPLETE and job.text == answer("offline-echo", HISTORY)
    assert any(isinstance(p, m.ChatNotice) for p in posted)
    secured = reference_backend_factory("--token", "right")
    assert "proxy token" in final(run(secured, token="wrong")[1]).error
    assert final(run(secured, token="right")[1]).status == m.COMPLETE


def backend_stats(url: str) -> dict[str, int]:
    """The reference backend's own counters (`GET /_reference/stats`, a reference-only route)."""
    response = httpx.get(url + STATS_PATH, timeout=10)
    response.raise_for_status()
    return dict(response.json())


def test_stop_is_seen_by_the_backend(reference_backend_factory: Start) -> None:
    backend = reference_backend_factory("--stream-delay", "0.02")
    http = make_client(BackendCredentials(backend.url))
    outbox = Outbox()
    job = ChatJob(ChatClient(http, backend.url), outbox, 5, ChatOptions("offline-long"), HISTORY)
    job.start()
    deadline = time.monotonic() + 10
    while len(job.text) < 50:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert backend_stats(backend.url) == {
        "streams_started": 1, "streams_completed": 0, "streams_cut": 0, "client_disconnects": 0,
    }  # fmt: skip
    job.cancel()
    job.join(5)
    assert outbox.drain(100_000)[-1] == m.ChatFinished(5, m.STOPPED)
    # The backend noticed: its next write failed (broken pipe / reset) and it ended the
    # stream, while the answer had hundreds of lines to go.
    deadline = time.monotonic() + 5
    while backend_stats(backend.url)["client_disconnects"] < 1:
        assert time.monotonic() < deadline, backend_stats(backend.url)
        time.sleep(0.05)
    assert backend_stats(backend.url)["streams_completed"] == 0
    http.close()


def test_models(reference_backend: RunningServer) -> None:
    with make_client(BackendCredentials(reference_backend.url)) as http:
        assert "offline-echo" in ModelsClient(http, reference_backend.url).ids()
