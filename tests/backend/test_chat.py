"""`/v1/models` and `/v1/chat/completions` with the offline models: streaming and not, usage,
and answers that describe each attachment with the size and SHA-256 of its bytes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import httpx
import pytest

from tests.backend.helpers import PNG, chat_body, data_lines, streamed_text, upload
from tests.servers.reference import RunningServer, start_reference_backend

pytestmark = pytest.mark.servers  # starts the reference backend as a child process


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with start_reference_backend(tmp_path_factory.mktemp("chat"), "--stream-delay", "0") as server:
        yield server


@pytest.fixture
def client(backend: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=backend.url, timeout=30) as http:
        yield http


def test_models_list(client: httpx.Client) -> None:
    body = client.get("/v1/models").json()
    assert body["object"] == "list"
    assert {"offline-echo", "offline-fast", "offline-long"} <= {m["id"] for m in body["data"]}
    assert all(m["object"] == "model" for m in body["data"])


def test_non_streaming_answer_echoes_the_last_user_text(client: httpx.Client) -> None:
    body = {
        "model": "offline-echo",
        "messages": [
            {"role": "system", "content": "be nice"},
            {"role": "user", "content": "first"},
            {"role": "assistant", "content": "ok"},
            {"role": "user", "content": "hello wörld ✓"},
        ],
    }
    reply = client.post("/v1/chat/completions", json=body).json()
    assert reply["object"] == "chat.completion"
    text = reply["choices"][0]["message"]["content"]
    assert "> hello wörld ✓" in text and "first" not in text
    assert "4 messages (1 system, 2 user, 1 assistant)" in text
    assert reply["usage"]["total_tokens"] == reply["usage"]["prompt_tokens"] + reply["usage"]["completion_tokens"]
    again = client.post("/v1/chat/completions", json=body).json()["choices"][0]["message"]["content"]
    assert again == text  # deterministic


def test_stream_is_openai_sse_with_usage_and_done(client: httpx.Client) -> None:
    body = chat_body("stream me", model="offline-echo", stream=True, stream_options={"include_usage": True})
    with client.stream("POST", "/v1/chat/completions", json=body) as reply:
        assert reply.status_code == 200
        assert reply.headers["content-type"].startswith("text/event-stream")
        raw = reply.read()
    lines = data_lines(raw)
    assert lines[-1] == "[DONE]"
    chunks = [json.loads(x) for x in lines[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant"}
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["completion_tokens"] > 0
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"
    assert len(chunks) > 10  # many small deltas, not one blob
    non_stream = client.post("/v1/chat/completions", json=chat_body("stream me", model="offline-echo")).json()
    assert streamed_text(raw) == non_stream["choices"][0]["message"]["content"]


def test_stream_without_include_usage_has_no_usage_chunk(client: httpx.Client) -> None:
    raw = client.post("/v1/chat/completions", json=chat_body("x", stream=True)).content
    assert all("usage" not in json.loads(x) for x in data_lines(raw)[:-1])


def test_attachments_are_listed_with_their_bytes(client: httpx.Client) -> None:
    _, image_url = upload(client, "cat.png", PNG, "image/png")
    video = b"\x00\x00\x00\x18ftypmp42" + b"v" * 5000
    _, video_url = upload(client, "clip.mp4", video, "video/mp4")
    content = [
        {"type": "text", "text": "what is this?"},
        {"type": "image_url", "image_url": {"url": image_url, "detail": "auto"}},
        {"type": "file_url", "file_url": {"url": video_url, "mime_type": "video/mp4", "name": "clip.mp4"}},
        {"type": "text", "text": f"Video: {video_url}"},
        {"type": "image_url", "image_url": {"url": "https://example.com/remote.png"}},
    ]
    text = client.post("/v1/chat/completions", json=chat_body(content)).json()["choices"][0]["message"]["content"]
    assert "> what is this?" in text and "Attachments: 4" in text
    assert "`image_url` — name `cat.png`" in text
    assert f"downloaded {len(PNG)} bytes, served as `image/png`, SHA-256 `{hashlib.sha256(PNG).hexdigest()}`" in text
    assert "`file_url` — name `clip.mp4`, type `video/mp4`" in text
    assert "`text url` — name `clip.mp4`, type `video`" in text
    assert text.count(f"downloaded {len(video)} bytes") == 2
    assert f"SHA-256 `{hashlib.sha256(video).hexdigest()}`" in text
    assert "`remote.png`" in text and "not downloaded (not a loopback address)" in text


def test_a_tampered_attachment_url_is_reported(client: httpx.Client) -> None:
    _, url = upload(client, "t.png")
    bad = url.replace("sig=", "sig=0")
    part = {"type": "image_url", "image_url": {"url": bad}}
    text = client.post("/v1/chat/completions", json=chat_body([part])).json()["choices"][0]["message"]["content"]
    assert "download failed: HTTP 403" in text


def test_long_model_keeps_streaming(client: httpx.Client) -> None:
    body = chat_body("go", model="offline-long", stream=True)
    received = 0
    with client.stream("POST", "/v1/chat/completions", json=body) as reply:
        for piece in reply.iter_raw():
            received += len(piece)
            if received > 2000:
                break  # the client stops reading (like Stop); the server must cope
    assert received > 2000
    assert client.get("/healthz").status_code == 200


def test_invalid_body_is_a_generic_500(client: httpx.Client) -> None:
    reply = client.post("/v1/chat/completions", content=b"[1,2", headers={"Content-Type": "application/json"})
    assert reply.status_code == 500 and "detail" in reply.json()


def test_single_message_wording(client: httpx.Client) -> None:
    text = client.post("/v1/chat/completions", json=chat_body("one")).json()["choices"][0]["message"]["content"]
    assert "Conversation: 1 message (1 user)." in text and "Attachments: 0" in text
