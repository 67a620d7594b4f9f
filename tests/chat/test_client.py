"""ChatClient and ChatJob against httpx.MockTransport: request bodies, error messages, fallbacks."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from smartspec_tk.core.chat import messages as m
from smartspec_tk.core.chat.client import ChatClient
from smartspec_tk.core.chat.models import ModelsClient, model_ids
from smartspec_tk.core.chat.request import ChatOptions
from smartspec_tk.core.chat.worker import ChatJob
from smartspec_tk.core.errors import BackendError
from smartspec_tk.core.net import BackendCredentials, make_client
from smartspec_tk.core.outbox import Outbox

URL = "http://backend.test"


def run_job(handler: Callable[[httpx.Request], httpx.Response], **options: object) -> list[object]:
    http = make_client(BackendCredentials(URL, token="tok"), transport=httpx.MockTransport(handler))
    outbox = Outbox()
    history = [{"role": "user", "content": "hi"}]
    job = ChatJob(ChatClient(http, URL), outbox, 1, ChatOptions("gpt-x", **options), history)  # type: ignore[arg-type]
    job.start()
    job.join(10)
    return outbox.drain(1000)


def sse(*events: str) -> httpx.Response:
    body = "".join(f"data: {e}\n\n" for e in events).encode()
    return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})


def delta(text: str) -> str:
    return json.dumps({"choices": [{"delta": {"content": text}}]})


def finished(posted: list[object]) -> m.ChatFinished:
    assert isinstance(posted[-1], m.ChatFinished), posted
    return posted[-1]


def test_request_body_and_streamed_answer() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        usage = json.dumps({"choices": [], "usage": {"prompt_tokens": 2, "completion_tokens": 3, "total_tokens": 5}})
        return sse(delta("Hi "), delta("there"), usage, "[DONE]")

    posted = run_job(handler, system_prompt="Be brief.", max_tokens=50)
    body = json.loads(seen[0].content)
    assert body == {
        "model": "gpt-x",
        "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}],
        "temperature": 0.3,
        "max_tokens": 50,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    assert seen[0].headers["authorization"] == "Bearer tok"
    assert seen[0].headers["content-type"] == "application/json"
    assert "".join(p.text for p in posted if isinstance(p, m.ChatDelta)) == "Hi there"
    assert m.ChatUsage(1, 2, 3, 5) in posted
    assert finished(posted) == m.ChatFinished(1, m.COMPLETE)


def test_stream_without_done_is_incomplete_and_keeps_text() -> None:
    posted = run_job(lambda r: sse(delta("half an ")))
    assert "".join(p.text for p in posted if isinstance(p, m.ChatDelta)) == "half an "
    assert finished(posted).status == m.INCOMPLETE


def error_case(status: int, body: object, headers: dict[str, str] | None = None) -> m.ChatFinished:
    response = httpx.Response(status, json=body, headers=headers or {})
    return finished(run_job(lambda r: response))


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (401, {"detail": "Unauthorized"}, ["proxy token", "Settings"]),
        (
            402,
            {"detail": {"error": "insufficient_credits", "message": "Balance too low", "topup_url": "/credits/topup"}},
            ["Not enough credits", "Balance too low", "http://backend.test/credits/topup"],
        ),
        (402, {"error": {"message": "Insufficient credits", "code": "insufficient_credits"}}, ["Top up"]),
        (413, {"error": "Request too large", "max_size": 10485760}, ["too large", "Remove attachments"]),
        (
            500,
            {"error": "INTERNAL_SERVER_ERROR", "message": "An unexpected error occurred", "details": {}},
            ["HTTP 500", "An unexpected error occurred"],
        ),
        (502, {"statusCode": 502, "error": "Bad Gateway", "message": "upstream down"}, ["HTTP 502", "upstream down"]),
        (503, {"detail": "SMARTSPEC_USE_WEB_GATEWAY disabled"}, ["HTTP 503", "GATEWAY disabled"]),
        (422, {"detail": [{"loc": ["body", "messages"], "msg": "field required"}]}, ["messages: field required"]),
    ],
)
def test_error_statuses_in_plain_words(status: int, body: object, expected: list[str]) -> None:
    done = error_case(status, body)
    assert done.status == m.FAILED
    for fragment in expected:
        assert fragment in done.error


def test_429_says_when_to_retry() -> None:
    body = {"detail": {"error": "rate_limit_exceeded", "message": "Slow down", "retry_after": 30}}
    done = error_case(429, body, {"Retry-After": "17"})
    assert "Try again in 17 s" in done.error and "Slow down" in done.error
    assert done.retry_after == 17
    gateway = error_case(429, {"error": {"message": "Rate limit exceeded", "type": "rate_limit"}})
    assert "Rate limit exceeded" in gateway.error and gateway.retry_after is None


def test_501_falls_back_to_a_non_streaming_request_and_says_so() -> None:
    bodies: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        bodies.append(body)
        if body["stream"]:
            return httpx.Response(501, json={"detail": "Streaming not supported in direct proxy mode."})
        return httpx.Response(200, json={"choices": [{"message": {"content": "whole answer"}}], "credits_used": 1})

    posted = run_job(handler)
    assert [b["stream"] for b in bodies] == [True, False]
    assert "stream_options" not in bodies[1]
    assert any(isinstance(p, m.ChatNotice) and "without streaming" in p.text for p in posted)
    assert [p.text for p in posted if isinstance(p, m.ChatDelta)] == ["whole answer"]
    assert finished(posted).status == m.COMPLETE


def test_connection_refused_is_a_plain_failure() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Connection refused", request=request)

    done = finished(run_job(handler))
    assert done.status == m.FAILED
    assert "Cannot reach the backend at http://backend.test" in done.error


def test_read_timeout_after_acceptance_is_incomplete() -> None:
    class Broken(httpx.SyncByteStream):
        def __iter__(self):  # type: ignore[no-untyped-def]
            yield f"data: {delta('so far')}\n\n".encode()
            raise httpx.ReadTimeout("stalled")

    response = httpx.Response(200, stream=Broken(), headers={"content-type": "text/event-stream"})
    posted = run_job(lambda r: response)
    done = finished(posted)
    assert done.status == m.INCOMPLETE and "read timeout" in done.error
    assert [p.text for p in posted if isinstance(p, m.ChatDelta)] == ["so far"]


def test_private_metadata_is_stripped_and_preparer_runs_first() -> None:
    seen: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return sse(delta("ok"), "[DONE]")

    http = make_client(BackendCredentials(URL), transport=httpx.MockTransport(handler))
    part = {"type": "image_url", "image_url": {"url": "old"}, "x_smartspec": {"key": "k1", "expires": 0}}
    history = [{"role": "user", "content": [{"type": "text", "text": "look"}, part]}]
    calls: list[list[dict[str, object]]] = []

    def refresh(messages: list[dict[str, object]]) -> list[dict[str, object]]:
        calls.append(messages)
        assert messages[0]["content"][1]["x_smartspec"]["key"] == "k1"  # type: ignore[index]
        messages[0]["content"][1]["image_url"]["url"] = "fresh"  # type: ignore[index]
        return messages

    job = ChatJob(ChatClient(http, URL), Outbox(), 3, ChatOptions("m"), history, preparer=refresh)
    job.start()
    job.join(10)
    sent = seen[0]["messages"][0]["content"]  # type: ignore[index]
    assert sent == [{"type": "text", "text": "look"}, {"type": "image_url", "image_url": {"url": "fresh"}}]
    assert len(calls) == 1


def test_models_list() -> None:
    body = {"object": "list", "data": [{"id": "a", "object": "model"}, {"id": "b"}, {"object": "model"}]}
    http = make_client(BackendCredentials(URL), transport=httpx.MockTransport(lambda r: httpx.Response(200, json=body)))
    assert ModelsClient(http, URL + "/").ids() == ["a", "b"]


@pytest.mark.parametrize("payload", [[], {"object": "list"}, {"data": "a, b"}, "<html>"])
def test_an_answer_that_is_no_model_list_is_refused(payload: object) -> None:
    with pytest.raises(ValueError, match="not an OpenAI model list"):
        model_ids(payload)
    http = make_client(
        BackendCredentials(URL), transport=httpx.MockTransport(lambda r: httpx.Response(200, json=payload))
    )
    with pytest.raises(BackendError, match="not an OpenAI model list"):
        ModelsClient(http, URL).ids()
