"""The full chain: the reference backend relaying to a real upstream (LiteLLM).

The relay must pass the upstream's answers through unchanged (model list, stream
payloads including LiteLLM's own usage-chunk shape, error statuses) while applying
its own token rules in front.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.contract.conftest import TOKEN_HEADERS
from tests.contract.framing import sse_events
from tests.servers.litellm import MOCK_REPLY, LiteLLM
from tests.servers.process import free_ports
from tests.servers.reference import RunningServer, start_reference_backend

pytestmark = pytest.mark.servers


def _post(url: str, headers: dict[str, str], body: dict[str, object]) -> httpx.Response:
    with httpx.Client(trust_env=False, timeout=60) as http:
        return http.post(url + "/v1/chat/completions", json=body, headers=headers)


def test_model_list_is_the_upstreams(ref_chain: RunningServer, litellm: LiteLLM) -> None:
    direct = httpx.get(litellm.base_url + "/v1/models", headers=litellm.headers(), trust_env=False)
    relayed = httpx.get(ref_chain.url + "/v1/models", headers=TOKEN_HEADERS, trust_env=False)
    assert relayed.status_code == 200
    assert relayed.json() == direct.json()


def test_stream_payloads_pass_through_unchanged(ref_chain: RunningServer, litellm: LiteLLM) -> None:
    body = {"model": "mock-gpt", "stream": True, "stream_options": {"include_usage": True},
            "messages": [{"role": "user", "content": "hi"}]}
    relayed = sse_events(_post(ref_chain.url, TOKEN_HEADERS, body))
    direct = sse_events(_post(litellm.base_url, litellm.headers(), body))

    def shape(payloads: list[str]) -> list[object]:
        # ids and timestamps differ per request; everything else must be identical.
        return [p if p == "[DONE]" else {**json.loads(p), "id": "", "created": 0} for p in payloads]

    assert shape(relayed) == shape(direct)
    usage_chunk = json.loads(relayed[-2])
    assert usage_chunk["choices"] == [{"index": 0, "delta": {}}]  # LiteLLM's shape, not OpenAI's []
    text = "".join(json.loads(p)["choices"][0]["delta"].get("content") or "" for p in relayed[:-2])
    assert text == MOCK_REPLY


def test_the_backend_token_is_checked_before_relaying(ref_chain: RunningServer) -> None:
    body = {"model": "mock-gpt", "messages": [{"role": "user", "content": "hi"}]}
    refused = _post(ref_chain.url, {"Authorization": "Bearer wrong", "x-proxy-token": "wrong"}, body)
    assert refused.status_code == 401
    assert refused.json() == {"detail": "Unauthorized"}


def test_upstream_errors_keep_their_status(ref_chain: RunningServer, litellm: LiteLLM) -> None:
    body = {"model": "mock-midstream-error", "stream": True, "messages": [{"role": "user", "content": "hi"}]}
    direct = _post(litellm.base_url, litellm.headers(), body)
    relayed = _post(ref_chain.url, TOKEN_HEADERS, body)
    assert direct.status_code >= 500
    assert relayed.status_code == direct.status_code
    assert relayed.json()["error"]["message"] == direct.json()["error"]["message"]


def test_reference_rate_limit_carries_retry_after(ref_ratelimited: RunningServer) -> None:
    answer = _post(ref_ratelimited.url, TOKEN_HEADERS, {"model": "offline-echo", "messages": []})
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "7"
    assert answer.json()["detail"]["error"] == "rate_limit_exceeded"


def test_unreachable_upstream_is_a_502(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    with start_reference_backend(tmp_path, "--upstream-url", f"http://127.0.0.1:{port}") as backend:
        answer = _post(backend.url, {}, {"model": "x", "stream": True, "messages": [{"role": "user", "content": "hi"}]})
    assert answer.status_code == 502
    assert "Upstream unreachable" in answer.json()["detail"]
