"""Strict SSE framing for the contract tests: every event is `data:` lines ended by a blank line."""

from __future__ import annotations

import httpx


def sse_events(response: httpx.Response) -> list[str]:
    """The data payloads of a strictly framed stream: `data:` lines, events ended by a blank line."""
    raw = response.text
    assert raw.endswith("\n\n"), f"stream does not end with a blank line: {raw[-80:]!r}"
    payloads = []
    for event in raw[:-2].split("\n\n"):
        lines = event.split("\n")
        assert lines and all(line.startswith("data: ") for line in lines), f"bad event framing: {event!r}"
        payloads.append("\n".join(line[6:] for line in lines))
    return payloads
