"""ChatJob against a real LiteLLM proxy (mock models): streamed text, usage, 429, mid-stream error, cancel."""

from __future__ import annotations

import pytest

from smartspec_tk.core.chat import messages as m
from smartspec_tk.core.chat.client import ChatClient
from smartspec_tk.core.chat.models import ModelsClient
from smartspec_tk.core.chat.request import ChatOptions
from smartspec_tk.core.chat.worker import ChatJob
from smartspec_tk.core.net import BackendCredentials, make_client
from smartspec_tk.core.outbox import Outbox
from tests.servers.litellm import MOCK_REPLY, LiteLLM

pytestmark = pytest.mark.servers


def job_for(litellm: LiteLLM, model: str) -> tuple[ChatJob, Outbox]:
    credentials = BackendCredentials(litellm.base_url, token=litellm.master_key, token_mode="bearer")
    http = make_client(credentials, read_timeout=30)
    outbox = Outbox()
    history = [{"role": "user", "content": "Say hello"}]
    return ChatJob(ChatClient(http, litellm.base_url), outbox, 1, ChatOptions(model), history), outbox


def run(litellm: LiteLLM, model: str) -> tuple[ChatJob, list[object]]:
    job, outbox = job_for(litellm, model)
    job.start()
    job.join(60)
    return job, outbox.drain(100_000)


def test_streamed_text_and_usage(litellm: LiteLLM) -> None:
    job, posted = run(litellm, "mock-gpt")
    assert job.text == MOCK_REPLY
    assert posted[-1] == m.ChatFinished(1, m.COMPLETE)
    usage = [p for p in posted if isinstance(p, m.ChatUsage)]
    assert usage and usage[-1].total_tokens


def test_models_list(litellm: LiteLLM) -> None:
    credentials = BackendCredentials(litellm.base_url, token=litellm.master_key, token_mode="bearer")
    with make_client(credentials) as http:
        assert set(ModelsClient(http, litellm.base_url).ids()) >= {"mock-gpt", "mock-ratelimit"}


def test_rate_limit_in_plain_words(litellm: LiteLLM) -> None:
    _job, posted = run(litellm, "mock-ratelimit")
    done = posted[-1]
    assert isinstance(done, m.ChatFinished) and done.status == m.FAILED
    assert "Too many requests (429)" in done.error


def test_midstream_error_is_reported(litellm: LiteLLM) -> None:
    _job, posted = run(litellm, "mock-midstream-error")
    done = posted[-1]
    assert isinstance(done, m.ChatFinished) and done.status in (m.FAILED, m.INCOMPLETE)
    assert done.error


def test_cancel_closes_the_request(litellm: LiteLLM) -> None:
    job, outbox = job_for(litellm, "mock-gpt")
    job.cancel_event.set()  # Stop pressed before the first read: nothing is shown, the stream is closed
    job.start()
    job.join(30)
    assert outbox.drain(1000)[-1] == m.ChatFinished(1, m.STOPPED)
    assert job.text == ""
