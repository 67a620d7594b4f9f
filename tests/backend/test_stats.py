"""The reference-only stream counters (`GET /_reference/stats`): what they count, who may read them."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import httpx

from smartspec_tk.backend import stats
from tests.backend.helpers import chat_body, streamed_text
from tests.servers.reference import RunningServer

Factory = Callable[..., RunningServer]


def read_stats(url: str) -> dict[str, int]:
    response = httpx.get(url + stats.STATS_PATH, timeout=10)
    assert response.status_code == 200
    return dict(response.json())


def test_completed_and_cut_streams_are_counted(reference_backend_factory: Factory) -> None:
    backend = reference_backend_factory("--stream-delay", "0")
    assert read_stats(backend.url) == dict.fromkeys(stats.COUNTERS, 0)
    with httpx.Client(base_url=backend.url, timeout=10) as client:
        whole = client.post("/v1/chat/completions", json=chat_body("hello", stream=True))
        assert streamed_text(whole.content)
        client.post("/v1/chat/completions", json=chat_body("not streamed", stream=False))
    assert read_stats(backend.url) == {
        "streams_started": 1, "streams_completed": 1, "streams_cut": 0, "client_disconnects": 0,
    }  # fmt: skip
    cutting = reference_backend_factory("--stream-delay", "0", "--fault-cut-after", "2", "--fault-cut-mode", "clean")
    with httpx.Client(base_url=cutting.url, timeout=10) as client:
        client.post("/v1/chat/completions", json=chat_body("hello", stream=True))
    counted = read_stats(cutting.url)
    assert (counted["streams_started"], counted["streams_cut"], counted["streams_completed"]) == (1, 1, 0)


def test_only_loopback_callers_may_read_them() -> None:
    counters = stats.StreamStats()
    counters.count("streams_started")
    (route,) = stats.routes(counters)
    assert route.pattern.match(stats.STATS_PATH)
    refused = route.handler(SimpleNamespace(client="10.0.0.5"))  # type: ignore[arg-type]
    assert refused is not None and refused.status == 403
    shown = route.handler(SimpleNamespace(client="127.0.0.1"))  # type: ignore[arg-type]
    assert shown is not None and b'"streams_started":1' in shown.body
