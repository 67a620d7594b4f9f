"""ChatJob against a real HTTP server on 127.0.0.1: streaming, cut streams, and Stop closing the connection."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from smartspec_tk.core.chat import messages as m
from smartspec_tk.core.chat.client import ChatClient
from smartspec_tk.core.chat.request import ChatOptions
from smartspec_tk.core.chat.worker import ChatJob
from smartspec_tk.core.net import BackendCredentials, make_client
from smartspec_tk.core.outbox import Outbox
from tests.chat.sse_server import ChatServer, chat_server


@pytest.fixture
def server() -> Iterator[ChatServer]:
    with chat_server() as running:
        yield running


def start(server: ChatServer, read_timeout: float = 30.0) -> tuple[ChatJob, Outbox]:
    http = make_client(BackendCredentials(server.url), read_timeout=read_timeout)
    outbox = Outbox()
    job = ChatJob(ChatClient(http, server.url), outbox, 7, ChatOptions("echo-1"), [{"role": "user", "content": "x"}])
    job.start()
    return job, outbox


def wait_for_text(job: ChatJob, text: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while text not in job.text:
        assert time.monotonic() < deadline, f"no {text!r} in {job.text!r}"
        time.sleep(0.01)


def test_crlf_stream_with_usage(server: ChatServer) -> None:
    server.plan.crlf = True
    server.plan.tokens = ["é", "✓", " done"]
    job, outbox = start(server)
    job.join(10)
    posted = outbox.drain(100)
    assert job.text == "é✓ done"
    assert m.ChatUsage(7, 5, 3, 8) in posted
    assert posted[-1] == m.ChatFinished(7, m.COMPLETE)


def test_cut_stream_is_incomplete_with_partial_text(server: ChatServer) -> None:
    server.plan.cut_after = 2
    job, outbox = start(server)
    job.join(10)
    assert job.text == "Hello, "
    assert outbox.drain(100)[-1].status == m.INCOMPLETE  # type: ignore[attr-defined]


def test_stop_closes_the_connection_and_the_server_sees_it(server: ChatServer) -> None:
    server.plan.tokens = [f"t{i} " for i in range(2000)]
    server.plan.delay = 0.01
    job, outbox = start(server)
    wait_for_text(job, "t3 ")
    job.cancel()
    job.join(5)
    assert server.disconnected.wait(5), "the server never noticed the client went away"
    assert outbox.drain(1000)[-1] == m.ChatFinished(7, m.STOPPED)
    assert server.finished_streams == 0


def test_stop_during_a_stall_does_not_wait_for_the_read_timeout(server: ChatServer) -> None:
    server.plan.stall_after = 1
    job, outbox = start(server, read_timeout=60)
    wait_for_text(job, "Hello")
    began = time.monotonic()
    job.cancel()
    job.join(5)
    assert time.monotonic() - began < 2  # the next keep-alive comes only after 3 s
    assert outbox.drain(1000)[-1] == m.ChatFinished(7, m.STOPPED)
    assert server.disconnected.wait(10)


def test_501_fallback_against_a_real_server(server: ChatServer) -> None:
    server.plan.refuse_streaming = True
    job, outbox = start(server)
    job.join(10)
    posted = outbox.drain(100)
    assert job.text == "Hello, world!"
    assert posted[-1] == m.ChatFinished(7, m.COMPLETE)
    assert [b["stream"] for b in server.bodies] == [True, False]
