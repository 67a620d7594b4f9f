"""The upstream relay: status and body pass through, a stream is relayed piece by piece as it
arrives, the upstream key (never the proxy token) goes upstream, offline models stay local."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer

import httpx
import pytest

from tests.backend.helpers import chat_body, data_lines
from tests.helpers.local_server import QuietHandler, serving
from tests.servers.litellm import MOCK_REPLY, LiteLLM
from tests.servers.reference import RunningServer

pytestmark = pytest.mark.servers  # starts the reference backend as a child process

FIRST = b'data: {"choices":[{"delta":{"content":"Hel"}}]}\n\n'
REST = b'data: {"choices":[{"delta":{"content":"lo \xe2\x9c\x93"}}]}\n\n: comment\n\ndata: [DONE]\n\n'


@dataclass
class Upstream:
    url: str
    seen: list[dict[str, str]] = field(default_factory=list)
    bodies: list[dict[str, object]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    record = Upstream("")

    class Handler(QuietHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            record.seen.append(dict(self.headers))
            self.send_json(200, {"object": "list", "data": [{"id": "up-model", "object": "model"}]})

        def do_POST(self) -> None:
            record.seen.append(dict(self.headers))
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            record.bodies.append(body)
            if body["model"] == "limited":
                self.send_json(429, {"error": {"message": "Rate limit exceeded", "type": "rate_limit"}})
            elif not body.get("stream"):
                self.send_json(200, {"object": "chat.completion", "choices": [{"message": {"content": "up"}}]})
            else:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for piece in (FIRST, None, REST):
                    if piece is None:
                        record.release.wait(10)  # only released once the client saw FIRST
                        continue
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.write(b"0\r\n\r\n")

    with serving(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as url:
        record.url = url
        try:
            yield record
        finally:
            record.release.set()  # before the server closes: a handler may wait for it


@pytest.fixture
def relaying(upstream: Upstream, reference_backend_factory: Callable[..., RunningServer]) -> RunningServer:
    return reference_backend_factory(
        "--upstream-url",
        upstream.url + "/v1",
        "--upstream-key",
        "up-key",
        "--token",
        "proxy-tok",
        "--stream-delay",
        "0",
    )


AUTH = {"Authorization": "Bearer proxy-tok", "x-proxy-token": "proxy-tok", "x-trace-id": "trace-123"}


def test_stream_is_relayed_piece_by_piece(relaying: RunningServer, upstream: Upstream) -> None:
    received = b""
    body = chat_body("hi", model="up-model", stream=True)
    with httpx.stream("POST", relaying.url + "/v1/chat/completions", json=body, headers=AUTH, timeout=20) as reply:
        assert reply.status_code == 200
        assert reply.headers["content-type"].startswith("text/event-stream")
        for piece in reply.iter_raw():
            received += piece
            if received == FIRST:
                upstream.release.set()  # without a piece-by-piece relay this point is never reached
    assert received == FIRST + REST
    assert data_lines(received)[-1] == "[DONE]"
    headers = {k.lower(): v for k, v in upstream.seen[-1].items()}
    assert headers["authorization"] == "Bearer up-key"
    assert "proxy-tok" not in json.dumps(upstream.seen)
    assert headers["x-trace-id"] == "trace-123"
    assert upstream.bodies[-1] == body


def test_non_stream_status_and_body_pass_through(relaying: RunningServer, upstream: Upstream) -> None:
    url = relaying.url + "/v1/chat/completions"
    ok = httpx.post(url, json=chat_body("hi", model="up-model"), headers=AUTH)
    assert ok.status_code == 200 and ok.json()["choices"][0]["message"]["content"] == "up"
    limited = httpx.post(url, json=chat_body("hi", model="limited"), headers=AUTH)
    assert limited.status_code == 429
    assert limited.json() == {"error": {"message": "Rate limit exceeded", "type": "rate_limit"}}


def test_models_come_from_upstream_and_offline_models_stay_local(relaying: RunningServer, upstream: Upstream) -> None:
    models = httpx.get(relaying.url + "/v1/models", headers=AUTH).json()
    assert [m["id"] for m in models["data"]] == ["up-model"]
    calls = len(upstream.bodies)
    local = httpx.post(relaying.url + "/v1/chat/completions", json=chat_body("x", model="offline-echo"), headers=AUTH)
    assert "Offline model" in local.json()["choices"][0]["message"]["content"]
    assert len(upstream.bodies) == calls


def test_unreachable_upstream_is_502(reference_backend_factory: Callable[..., RunningServer]) -> None:
    from tests.servers.process import free_ports

    url = reference_backend_factory("--upstream-url", f"http://127.0.0.1:{free_ports(1)[0]}").url
    reply = httpx.post(url + "/v1/chat/completions", json=chat_body("x", model="gpt-4o-mini"))
    assert reply.status_code == 502 and "Upstream unreachable" in reply.json()["detail"]


def test_fault_switches_apply_to_relayed_streams(
    upstream: Upstream, reference_backend_factory: Callable[..., RunningServer]
) -> None:
    url = reference_backend_factory(
        "--upstream-url",
        upstream.url,
        "--fault-cut-after",
        "1",
        "--fault-cut-mode",
        "clean",
        "--fault-split-writes",
        "5",
    ).url
    pieces: list[bytes] = []
    body = chat_body("hi", model="up-model", stream=True)
    with httpx.stream("POST", url + "/v1/chat/completions", json=body, timeout=20) as reply:
        for piece in reply.iter_raw():
            pieces.append(piece)
            if b"".join(pieces) == FIRST:
                upstream.release.set()
    assert b"".join(pieces) == FIRST  # cut after the first upstream piece: no [DONE]
    # each write is its own HTTP chunk, and the client never joins chunks: pieces of at most 5 bytes
    assert max(len(p) for p in pieces) <= 5


@pytest.mark.servers
def test_relay_to_a_real_litellm(litellm: LiteLLM, reference_backend_factory: Callable[..., RunningServer]) -> None:
    backend = reference_backend_factory("--upstream-url", litellm.base_url, "--upstream-key", litellm.master_key)
    models = httpx.get(backend.url + "/v1/models").json()
    assert "mock-gpt" in [m["id"] for m in models["data"]]
    body = chat_body("hi", model="mock-gpt", stream=True, stream_options={"include_usage": True})
    raw = httpx.post(backend.url + "/v1/chat/completions", json=body, timeout=60).content
    lines = data_lines(raw)
    assert lines[-1] == "[DONE]"
    chunks = [json.loads(x) for x in lines[:-1]]
    text = "".join((c["choices"][0]["delta"].get("content") or "") for c in chunks if c["choices"])
    assert text == MOCK_REPLY
    assert any(c.get("usage") for c in chunks)
    limited = httpx.post(backend.url + "/v1/chat/completions", json=chat_body("hi", model="mock-ratelimit"), timeout=60)
    assert limited.status_code == 429
