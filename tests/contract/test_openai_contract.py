"""The OpenAI-compatible contract the chat client relies on, asserted on three real servers:
the reference backend (offline model), LiteLLM, and the reference backend relaying to LiteLLM.

Where the behaviour belongs to the upstream (framing, usage chunk, 429 body), the same
assertion must hold on all three, so the reference backend cannot drift from a real server.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from smartspec_tk.core.doctor.replies import body_message
from tests.contract.conftest import Target
from tests.contract.framing import sse_events

pytestmark = pytest.mark.servers

IMAGE_PART = {"type": "image_url", "image_url": {"url": "http://127.0.0.1:9/cat.png", "detail": "auto"}}


def chat_body(target: Target, *, stream: bool, content: Any = "Say hello.", **extra: Any) -> dict[str, Any]:
    return {"model": target.model, "messages": [{"role": "user", "content": content}], "stream": stream, **extra}


def stream(target: Target, **extra: Any) -> tuple[httpx.Response, list[str], list[dict[str, Any]]]:
    """POST a streamed chat; returns the response, every payload, and the JSON chunks before [DONE]."""
    with target.client() as http:
        response = http.post("/v1/chat/completions", json=chat_body(target, stream=True, **extra))
    assert response.status_code == 200, response.text
    payloads = sse_events(response)
    return response, payloads, [json.loads(p) for p in payloads if p != "[DONE]"]


def streamed_text(chunks: list[dict[str, Any]]) -> str:
    return "".join((c["choices"][0]["delta"].get("content") or "") for c in chunks if c["choices"])


def test_models_list_shape(target: Target) -> None:
    with target.client() as http:
        response = http.get("/v1/models")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    data = response.json()
    assert data["object"] == "list"
    assert data["data"], "no models"
    for model in data["data"]:
        assert isinstance(model["id"], str) and model["id"]
        assert model["object"] == "model"
    assert target.model in [m["id"] for m in data["data"]]


def test_non_streaming_shape(target: Target) -> None:
    with target.client() as http:
        response = http.post("/v1/chat/completions", json=chat_body(target, stream=False))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    data = response.json()
    assert data["object"] == "chat.completion"
    assert isinstance(data["id"], str) and data["model"] == target.model
    choice = data["choices"][0]
    assert choice["message"]["role"] == "assistant"
    assert isinstance(choice["message"]["content"], str) and choice["message"]["content"]
    assert choice["finish_reason"] == "stop"
    usage = data["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_sse_framing_and_done_last(target: Target) -> None:
    response, payloads, chunks = stream(target)
    assert response.headers["content-type"].startswith("text/event-stream")
    assert payloads[-1] == "[DONE]" and payloads.count("[DONE]") == 1
    assert all(c["object"] == "chat.completion.chunk" and c["model"] == target.model for c in chunks)
    assert len({c["id"] for c in chunks}) == 1, "one id for the whole stream"
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert [c["choices"][0].get("finish_reason") for c in chunks if c["choices"]][-1] == "stop"
    assert len(chunks) >= 3 and streamed_text(chunks)


def test_streamed_text_equals_the_non_streamed_answer(target: Target) -> None:
    _, _, chunks = stream(target)
    with target.client() as http:
        whole = http.post("/v1/chat/completions", json=chat_body(target, stream=False)).json()
    assert streamed_text(chunks) == whole["choices"][0]["message"]["content"]


def test_usage_chunk_only_when_asked_and_just_before_done(target: Target) -> None:
    _, payloads, chunks = stream(target, stream_options={"include_usage": True})
    with_usage = [i for i, c in enumerate(chunks) if c.get("usage")]
    assert with_usage == [len(chunks) - 1], "exactly one usage chunk, the last before [DONE]"
    last = chunks[-1]
    assert all(not (choice.get("delta") or {}).get("content") for choice in last["choices"])
    usage = last["usage"]
    assert usage["completion_tokens"] > 0
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    _, _, plain = stream(target)
    assert not any(c.get("usage") for c in plain)


@pytest.mark.parametrize("streamed", [False, True], ids=["json", "stream"])
def test_rate_limit_is_a_429_with_a_readable_message(target: Target, streamed: bool) -> None:
    body = {"model": target.limited_model, "messages": [{"role": "user", "content": "hi"}], "stream": streamed}
    with httpx.Client(headers=target.headers, trust_env=False, timeout=60) as http:
        response = http.post(target.limited_url + "/v1/chat/completions", json=body)
    assert response.status_code == 429
    assert response.headers["content-type"].startswith("application/json")
    assert "rate" in body_message(response).lower()


def test_image_url_parts_are_accepted(target: Target) -> None:
    content = [{"type": "text", "text": "What is in this picture?"}, IMAGE_PART]
    _, payloads, chunks = stream(target, content=content)
    assert payloads[-1] == "[DONE]" and streamed_text(chunks)
