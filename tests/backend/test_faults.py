"""Each fault switch reproduces its failure on the wire: cut streams (reset or clean), stalls,
keep-alive comments, CRLF framing, split writes, named events, chat pre-check errors, 501 for
streaming, control-plane errors as HTTP 200, slow upload acceptance."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import httpx
import pytest

from tests.backend.helpers import CP, PNG, chat_body, data_lines, new_session, presign_put, streamed_text
from tests.servers.reference import RunningServer

pytestmark = pytest.mark.servers  # starts the reference backend as a child process

Factory = Callable[..., RunningServer]
STREAM = chat_body("fault test ✓ é", model="offline-echo", stream=True)
FAST = chat_body("fault test ✓ é", model="offline-fast", stream=True)


def _raw_pieces(url: str, body: dict[str, object] = STREAM) -> list[bytes]:
    with httpx.stream("POST", url + "/v1/chat/completions", json=body, timeout=30) as reply:
        assert reply.status_code == 200
        return list(reply.iter_raw())


def test_cut_reset_drops_the_connection_without_done(reference_backend_factory: Factory) -> None:
    url = reference_backend_factory("--stream-delay", "0", "--fault-cut-after", "3").url
    received = b""
    with (
        pytest.raises(httpx.RemoteProtocolError),
        httpx.stream("POST", url + "/v1/chat/completions", json=STREAM, timeout=30) as reply,
    ):
        for piece in reply.iter_raw():
            received += piece
    assert len(data_lines(received)) == 3 and b"[DONE]" not in received


def test_cut_clean_ends_the_body_without_done(reference_backend_factory: Factory) -> None:
    url = reference_backend_factory("--stream-delay", "0", "--fault-cut-after", "5", "--fault-cut-mode", "clean").url
    raw = b"".join(_raw_pieces(url))
    lines = data_lines(raw)
    assert len(lines) == 5 and "[DONE]" not in lines
    assert streamed_text(raw)  # the partial text is there


def test_stall_pauses_mid_stream(reference_backend_factory: Factory) -> None:
    url = reference_backend_factory(
        "--stream-delay", "0", "--fault-stall-after", "2", "--fault-stall-seconds", "1.5"
    ).url
    stamps: list[tuple[float, bytes]] = []
    with httpx.stream("POST", url + "/v1/chat/completions", json=STREAM, timeout=30) as reply:
        for piece in reply.iter_raw():
            stamps.append((time.monotonic(), piece))
    gaps = [b[0] - a[0] for a, b in zip(stamps, stamps[1:], strict=False)]
    assert max(gaps) >= 1.4
    assert data_lines(b"".join(p for _, p in stamps))[-1] == "[DONE]"


def test_keepalive_comments_between_events(reference_backend_factory: Factory) -> None:
    url = reference_backend_factory("--stream-delay", "0", "--fault-keepalive").url
    raw = b"".join(_raw_pieces(url))
    assert raw.count(b": keep-alive\n\n") == len(data_lines(raw))
    assert data_lines(raw)[-1] == "[DONE]"


def test_crlf_framing(reference_backend_factory: Factory) -> None:
    url = reference_backend_factory("--stream-delay", "0", "--fault-crlf").url
    raw = b"".join(_raw_pieces(url))
    assert b"\r\n\r\n" in raw
    assert raw.count(b"\n") == raw.count(b"\r\n")  # no bare LF anywhere
    assert data_lines(raw)[-1] == "[DONE]"


def test_split_writes_cut_lines_and_utf8_characters(reference_backend_factory: Factory) -> None:
    url = reference_backend_factory("--stream-delay", "0", "--fault-split-writes", "3").url
    pieces = _raw_pieces(url, FAST)
    assert max(len(p) for p in pieces) <= 3  # each write is its own HTTP chunk; the client never joins chunks
    broken_utf8 = 0
    for piece in pieces:
        try:
            piece.decode("utf-8")
        except UnicodeDecodeError:
            broken_utf8 += 1
    assert broken_utf8 > 0
    raw = b"".join(pieces)
    assert "fault test ✓ é" in streamed_text(raw)


def test_named_events_of_the_old_gateway(reference_backend_factory: Factory) -> None:
    url = reference_backend_factory("--stream-delay", "0", "--fault-named-events").url
    raw = b"".join(_raw_pieces(url)).decode()
    assert raw.startswith("event: trace\ndata: ")
    assert "event: proxy_status" in raw
    assert raw.index("data: [DONE]") < raw.rindex("event: proxy_status")  # "released" comes after [DONE]


def test_chat_402_insufficient_credits(reference_backend_factory: Factory) -> None:
    url = reference_backend_factory("--fault-chat-status", "402").url
    reply = httpx.post(url + "/v1/chat/completions", json=STREAM)
    assert reply.status_code == 402
    detail = reply.json()["detail"]
    assert detail["error"] == "insufficient_credits" and detail["topup_url"] == "/credits/topup"


def test_chat_429_with_retry_after(reference_backend_factory: Factory) -> None:
    url = reference_backend_factory("--fault-chat-status", "429", "--fault-retry-after", "3").url
    reply = httpx.post(url + "/v1/chat/completions", json=STREAM)
    assert reply.status_code == 429 and reply.headers["Retry-After"] == "3"
    assert reply.json()["detail"]["error"] == "rate_limit_exceeded" and reply.json()["detail"]["retry_after"] == 3


def test_stream_501_direct_mode_but_non_stream_works(reference_backend_factory: Factory) -> None:
    url = reference_backend_factory("--fault-stream-501").url
    refused = httpx.post(url + "/v1/chat/completions", json=STREAM)
    assert refused.status_code == 501 and "Streaming not supported" in refused.json()["detail"]
    fallback = httpx.post(url + "/v1/chat/completions", json={**STREAM, "stream": False})
    assert fallback.status_code == 200 and fallback.json()["object"] == "chat.completion"


def test_control_plane_errors_as_http_200(reference_backend_factory: Factory) -> None:
    url = reference_backend_factory("--fault-cp-errors-200").url
    with httpx.Client(base_url=url) as client:
        reply = presign_put(client, "no-such-session", "a.png", PNG)
        assert reply.status_code == 200 and reply.json() == {"error": "session_not_found"}
        crash = client.post(CP + "/projects", json={})
        assert crash.status_code == 200 and crash.json()["statusCode"] == 500


def test_slow_upload_acceptance(reference_backend_factory: Factory) -> None:
    url = reference_backend_factory("--fault-upload-bps", "20000").url
    data = b"x" * 30000
    with httpx.Client(base_url=url) as client:
        sid = new_session(client)
        put = presign_put(client, sid, "slow.png", data).json()
        started = time.monotonic()
        assert httpx.put(put["url"], content=data, headers={"Content-Type": "image/png"}).status_code == 200
        assert time.monotonic() - started >= 1.2  # 30 kB at 20 kB/s


def test_faults_leave_the_json_chunks_valid(reference_backend_factory: Factory) -> None:
    url = reference_backend_factory(
        "--stream-delay", "0", "--fault-crlf", "--fault-keepalive", "--fault-split-writes", "1"
    ).url
    raw = b"".join(_raw_pieces(url, FAST))
    lines = data_lines(raw)
    assert lines[-1] == "[DONE]"
    assert all(json.loads(x)["object"] == "chat.completion.chunk" for x in lines[:-1])


def test_in_band_error_chunk_of_the_old_gateway(reference_backend_factory: Factory) -> None:
    url = reference_backend_factory("--stream-delay", "0", "--fault-error-chunk").url
    raw = b"".join(_raw_pieces(url))
    assert streamed_text(raw).startswith("Error: ")
    chunks = [json.loads(x) for x in data_lines(raw)[:-1]]
    assert {c["id"] for c in chunks} == {"chatcmpl_proxy_error"}
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop" and data_lines(raw)[-1] == "[DONE]"
