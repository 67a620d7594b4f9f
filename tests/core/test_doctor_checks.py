"""Unit tests of the doctor: stream timing judgement, error-body reading, upload-host advice (no servers)."""

from __future__ import annotations

import json

import httpx
import pytest

from smartspec_tk.core.doctor import DoctorContext
from smartspec_tk.core.doctor.chat import StreamTrace
from smartspec_tk.core.doctor.replies import body_message
from smartspec_tk.core.doctor.upload import TINY_PNG, _error_of, check_upload_host
from smartspec_tk.core.settings import Settings
from tests.servers.process import free_ports


def _event(text: str) -> str:
    return "data: " + json.dumps({"choices": [{"index": 0, "delta": {"content": text}}]}) + "\n\n"


def _trace(arrivals: list[float], *, done: bool = True) -> StreamTrace:
    trace = StreamTrace(started=0.0)
    for i, at in enumerate(arrivals):
        trace.feed(_event(f"w{i} "), at)
    if done:
        trace.feed("data: [DONE]\n\n", arrivals[-1])
    return trace


def test_a_paced_stream_is_not_buffered() -> None:
    trace = _trace([0.5 + 0.05 * i for i in range(20)])
    assert trace.done and trace.text.startswith("w0 w1")
    assert not trace.buffered()


def _one_read(at: float, events: int = 20) -> StreamTrace:
    trace = StreamTrace(started=0.0)
    trace.feed("".join(_event(f"w{i} ") for i in range(events)) + "data: [DONE]\n\n", at)
    return trace


def test_everything_in_one_read_after_a_wait_is_buffered() -> None:
    trace = _one_read(1.2)
    assert trace.buffered()
    assert "20 chunks in 1 read," in trace.timing()


def test_a_fast_short_answer_is_not_called_buffered() -> None:
    # All at once but after 50 ms: nobody can tell (or would notice) buffering.
    assert not _one_read(0.05).buffered()


def test_a_slow_start_then_fast_chunks_read_one_by_one_is_not_buffered() -> None:
    # A mock upstream that emits everything instantly after a slow first byte (LiteLLM under load).
    assert not _trace([0.52 + 0.0005 * i for i in range(18)]).buffered()


def test_events_split_across_reads_and_crlf_framing() -> None:
    trace = StreamTrace(started=0.0)
    wire = (_event("Hel") + _event("lo") + "data: [DONE]\n\n").replace("\n", "\r\n")
    for i in range(0, len(wire), 7):
        trace.feed(wire[i : i + 7], 0.1)
    assert trace.text == "Hello" and trace.done


def test_role_only_and_comment_lines_carry_no_content() -> None:
    trace = StreamTrace(started=0.0)
    trace.feed(': keep-alive\n\ndata: {"choices":[{"delta":{"role":"assistant","content":null}}]}\n\n', 0.1)
    assert trace.content_times == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"detail": "Unauthorized"}, "Unauthorized"),
        ({"detail": {"error": "insufficient_credits", "message": "Top up"}}, "Top up"),
        ({"detail": [{"msg": "field required"}]}, "field required"),
        ({"error": {"message": "Rate limit exceeded"}}, "Rate limit exceeded"),
        ({"statusCode": 500, "error": "Internal Server Error", "message": "boom"}, "Internal Server Error"),
    ],
)
def test_body_message_reads_every_error_shape(body: object, message: str) -> None:
    assert body_message(httpx.Response(400, json=body)) == message


def test_control_plane_errors_in_a_200_body_are_errors() -> None:
    assert _error_of(httpx.Response(200, json={"error": "session_not_found"})) == "session_not_found"
    assert _error_of(httpx.Response(200, json={"statusCode": 500, "message": "x"})) == "x"
    assert _error_of(httpx.Response(200, json={"url": "http://s/x", "key": "k"})) is None
    assert _error_of(httpx.Response(502, text="Bad Gateway")) == "Bad Gateway"


def test_the_probe_image_is_a_valid_png() -> None:
    import struct
    import zlib

    assert TINY_PNG.startswith(b"\x89PNG\r\n\x1a\n")
    pos, kinds = 8, []
    while pos < len(TINY_PNG):
        (size,) = struct.unpack(">I", TINY_PNG[pos : pos + 4])
        kind, data = TINY_PNG[pos + 4 : pos + 8], TINY_PNG[pos + 8 : pos + 8 + size]
        assert struct.unpack(">I", TINY_PNG[pos + 8 + size : pos + 12 + size])[0] == zlib.crc32(kind + data)
        kinds.append(kind)
        pos += 12 + size
    assert kinds == [b"IHDR", b"IDAT", b"IEND"]


def test_body_message_is_one_line() -> None:
    response = httpx.Response(429, json={"error": {"message": "Rate limited\n\nLiteLLM: model group 'x'"}})
    assert body_message(response) == "Rate limited LiteLLM: model group 'x'"


def _context(backend_url: str, upload_url: str) -> DoctorContext:
    settings = Settings(backend_url=backend_url)  # type: ignore[call-arg]
    ctx = DoctorContext(settings, httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(500))))
    ctx.upload_url = upload_url
    return ctx


def test_loopback_upload_url_from_a_remote_backend_is_explained() -> None:
    (port,) = free_ports(1)
    result = check_upload_host(_context("http://backend.example:8000", f"http://127.0.0.1:{port}/b/k?X-Amz-Signature=s"))
    assert not result.ok
    assert "127.0.0.1 is not reachable (ConnectError)" in result.summary
    assert "its own loopback address" in result.advice


def test_unreachable_upload_host_from_a_local_backend_blames_the_network() -> None:
    (port,) = free_ports(1)
    result = check_upload_host(_context("http://127.0.0.1:8000", f"http://127.0.0.1:{port}/b/k"))
    assert not result.ok
    assert "firewall or proxy" in result.advice


def test_upload_host_check_needs_a_presigned_url() -> None:
    ctx = _context("http://127.0.0.1:8000", "")
    assert check_upload_host(ctx).summary == "no presigned URL to test"
