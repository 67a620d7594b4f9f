"""The strict framing checker used by the contract tests rejects what it must (so it can fail)."""

from __future__ import annotations

import httpx
import pytest

from tests.contract.framing import sse_events


def _response(text: str) -> httpx.Response:
    return httpx.Response(200, text=text, headers={"content-type": "text/event-stream"})


def test_well_framed_stream() -> None:
    assert sse_events(_response('data: {"a":1}\n\ndata: [DONE]\n\n')) == ['{"a":1}', "[DONE]"]


@pytest.mark.parametrize(
    "text",
    [
        'data: {"a":1}\r\n\r\ndata: [DONE]\r\n\r\n',  # CRLF framing
        ': keep-alive\n\ndata: [DONE]\n\n',  # a comment event
        "event: trace\ndata: {}\n\ndata: [DONE]\n\n",  # a named event
        "data: [DONE]\n",  # no blank line at the end
    ],
    ids=["crlf", "comment", "named-event", "unterminated"],
)
def test_anything_else_is_rejected(text: str) -> None:
    with pytest.raises(AssertionError):
        sse_events(_response(text))


def test_lines_of_one_event_are_one_payload() -> None:
    # Without the blank line both lines belong to one event, so [DONE] is not an event of its own.
    assert sse_events(_response('data: {"a":1}\ndata: [DONE]\n\n')) == ['{"a":1}\n[DONE]']
