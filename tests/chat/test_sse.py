"""Golden tests of the SSE decoder and the stream interpreter, fed in random chunk sizes."""

from __future__ import annotations

import json
import random

import pytest

from smartspec_tk.core.chat.sse import SSEDecoder, SSEEvent
from smartspec_tk.core.chat.stream import StreamDone, TextPiece, Usage, interpret


def chunk(text: str) -> str:
    return json.dumps({"choices": [{"delta": {"content": text}}]}, ensure_ascii=False)


def decode(raw: bytes, seed: int) -> list[SSEEvent]:
    """Feed `raw` cut at random places (inside lines, CRLF pairs and UTF-8 characters)."""
    rng = random.Random(seed)
    decoder = SSEDecoder()
    events: list[SSEEvent] = []
    pos = 0
    while pos < len(raw):
        size = rng.randint(1, 7)
        events.extend(decoder.feed(raw[pos : pos + size]))
        pos += size
    return events + decoder.flush()


def meaning(events: list[SSEEvent]) -> list[object]:
    return [item for event in events for item in interpret(event)]


GOLDEN: dict[str, tuple[bytes, list[object]]] = {
    "lf framing": (
        f"data: {chunk('Hel')}\n\ndata: {chunk('lo')}\n\ndata: [DONE]\n\n".encode(),
        [TextPiece("Hel"), TextPiece("lo"), StreamDone()],
    ),
    "crlf framing": (
        f"data: {chunk('a')}\r\n\r\ndata: {chunk('b')}\r\n\r\ndata: [DONE]\r\n\r\n".encode(),
        [TextPiece("a"), TextPiece("b"), StreamDone()],
    ),
    "bare cr framing": (
        f"data: {chunk('a')}\r\rdata: [DONE]\r\r".encode(),
        [TextPiece("a"), StreamDone()],
    ),
    "comments and fields": (
        (
            f": keep-alive\n\nretry: 3000\nid: 7\nevent: message\ndata: {chunk('x')}\n\n: ping\r\n\r\ndata: [DONE]\n\n"
        ).encode(),
        [TextPiece("x"), StreamDone()],
    ),
    "multi-line data": (
        b'data: {"choices":\ndata: [{"delta":{"content":"joined"}}]}\n\ndata: [DONE]\n\n',
        [TextPiece("joined"), StreamDone()],
    ),
    "split utf-8": (
        f"data: {chunk('héllo ✓ 🎉')}\n\ndata: [DONE]\n\n".encode(),
        [TextPiece("héllo ✓ 🎉"), StreamDone()],
    ),
    "null, absent and role-only content": (
        (
            'data: {"choices":[{"delta":{"role":"assistant","content":null}}]}\n\n'
            'data: {"choices":[{"delta":{}}]}\n\n'
            f"data: {chunk('ok')}\n\ndata: [DONE]\n\n"
        ).encode(),
        [TextPiece("ok"), StreamDone()],
    ),
    "usage with empty choices and with an empty delta": (
        (
            f"data: {chunk('t')}\n\n"
            'data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}\n\n'
            'data: {"choices":[{"delta":{}}],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}\n\n'
            "data: [DONE]\n\n"
        ).encode(),
        [TextPiece("t"), Usage(3, 1, 4), Usage(5, 2, 7), StreamDone()],
    ),
    "unknown named events are ignored": (
        (
            'event: trace\ndata: {"step":1}\n\n'
            'event: proxy_status\ndata: {"choices":[{"delta":{"content":"hidden"}}]}\n\n'
            "event: tool_approval_required\ndata: not json\n\n"
            f"data: {chunk('shown')}\n\ndata: [DONE]\n\n"
        ).encode(),
        [TextPiece("shown"), StreamDone()],
    ),
    "stream without [DONE]": (
        f"data: {chunk('partial')}\n\ndata: {chunk(' answer')}\n\n".encode(),
        [TextPiece("partial"), TextPiece(" answer")],
    ),
    "last event without its blank line": (
        f"data: {chunk('end')}\n\ndata: [DONE]".encode(),
        [TextPiece("end"), StreamDone()],
    ),
}


@pytest.mark.parametrize("name", sorted(GOLDEN))
@pytest.mark.parametrize("seed", range(12))
def test_golden_streams_in_random_chunks(name: str, seed: int) -> None:
    raw, expected = GOLDEN[name]
    assert meaning(decode(raw, seed)) == expected


def test_whole_stream_in_one_chunk_matches_byte_by_byte() -> None:
    raw = GOLDEN["comments and fields"][0]
    whole = SSEDecoder()
    one = whole.feed(raw) + whole.flush()
    single = SSEDecoder()
    bytewise = [e for i in range(len(raw)) for e in single.feed(raw[i : i + 1])] + single.flush()
    assert one == bytewise
    assert one[0] == SSEEvent(chunk("x"), "message", "7", 3000)


def test_crlf_pair_split_across_chunks_is_one_line_end() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\r") == []
    assert decoder.feed(b"\n") == []  # the LF belongs to the CR: no blank line yet
    assert decoder.feed(b"\r") == [SSEEvent("a")]
    assert decoder.feed(b"\ndata: b\n\n") == [SSEEvent("b")]


def test_field_without_space_and_without_colon() -> None:
    decoder = SSEDecoder()
    events = decoder.feed(b"data:tight\ndata\n\n")
    assert events == [SSEEvent("tight\n")]


def test_comment_lines_are_counted_not_dispatched() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b": one\n\n: two\r\n\r\n") == []
    assert decoder.comments == 2


def test_error_object_in_stream() -> None:
    from smartspec_tk.core.chat.stream import StreamError

    event = SSEEvent('{"error":{"message":"upstream exploded"}}')
    assert interpret(event) == [StreamError("upstream exploded")]


def test_inline_markdown_spans_nest() -> None:
    from smartspec_tk.core.chat.markdown import Span, spans

    assert spans("**Offline `m`** see [the *docs*](https://x.org/a) or https://y.org/b.") == [
        Span("Offline ", ("bold",)),
        Span("m", ("bold", "code")),
        Span(" see "),
        Span("the ", ("link",), "https://x.org/a"),
        Span("docs", ("link", "italic"), "https://x.org/a"),
        Span(" or "),
        Span("https://y.org/b", ("link",), "https://y.org/b"),
        Span("."),
    ]
    assert spans("snake_case_name stays") == [Span("snake_case_name stays")]


def test_block_kinds_including_code_inside_quotes() -> None:
    from smartspec_tk.core.chat.markdown import classify

    assert classify("## Title ##", False).kind == "heading"
    assert classify("> ```python", False).kind == "fence_open"
    assert classify("> ```python", False).text == "python"
    assert classify(">     x = 1", True).text == "    x = 1"
    assert classify("> ```", True).kind == "fence_close"
    assert classify("```python", True).kind == "code"  # a fence with a language never closes
    assert classify("  - item", False).level == 1
    assert classify("3) third", False).marker == "3)"
    assert classify("***", False).kind == "rule"


def test_a_line_up_to_the_limit_is_decoded_and_one_byte_more_is_refused() -> None:
    from smartspec_tk.core.chat.sse import MAX_LINE, SSELimitError

    fits = b"data: " + b"a" * (MAX_LINE - 6)
    decoder = SSEDecoder()
    for start in range(0, len(fits), 65536):
        assert decoder.feed(fits[start : start + 65536]) == []
    assert decoder.feed(b"\n\n") == [SSEEvent("a" * (MAX_LINE - 6))]
    too_long = SSEDecoder()
    for start in range(0, len(fits), 65536):
        too_long.feed(fits[start : start + 65536])
    with pytest.raises(SSELimitError, match=r"a line longer than 1 MB \(1,048,576 bytes\)"):
        too_long.feed(b"a")
    with pytest.raises(SSELimitError):
        SSEDecoder().feed(fits + b"a\n\n")  # the whole line in one chunk


def test_an_event_of_many_lines_over_the_limit_is_refused() -> None:
    from smartspec_tk.core.chat.sse import MAX_EVENT, SSELimitError

    line = b"data: " + b"b" * 1000 + b"\n"
    decoder = SSEDecoder()
    with pytest.raises(SSELimitError, match="an event longer than 1 MB"):
        for _ in range(MAX_EVENT // 1000 + 1):
            decoder.feed(line)
    small = SSEDecoder()
    for _ in range(MAX_EVENT // 1001 - 1):
        assert small.feed(line) == []
    assert len(small.feed(b"\n")[0].data) > MAX_EVENT - 2000  # the count restarts with each event
    assert small.feed(line + b"\n")[0].data == "b" * 1000
