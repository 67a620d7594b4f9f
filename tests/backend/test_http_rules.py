"""Middleware rules of the real backend: loopback gate, content type, body size, legacy `?key=`,
proxy token (Bearer wins, else x-proxy-token), production mode, rate limit; health shapes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from smartspec_tk.backend.config import BackendConfig
from smartspec_tk.backend.middleware import RateLimiter, check_loopback, is_loopback
from tests.backend.helpers import CP
from tests.servers.reference import RunningServer, start_reference_backend

Factory = Callable[..., RunningServer]


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with start_reference_backend(tmp_path_factory.mktemp("rules"), "--stream-delay", "0") as server:
        yield server


@pytest.mark.parametrize("address", ["127.0.0.1", "127.3.4.5", "::1", "::ffff:127.0.0.1", "localhost"])
def test_loopback_addresses_pass(address: str) -> None:
    assert is_loopback(address)
    assert check_loopback(BackendConfig(), SimpleNamespace(client=address)) is None  # type: ignore[arg-type]


@pytest.mark.parametrize("address", ["10.0.0.5", "192.168.1.20", "2001:db8::1", "::ffff:10.0.0.1", "example.com"])
def test_other_callers_get_403(address: str) -> None:
    assert not is_loopback(address)
    refused = check_loopback(BackendConfig(), SimpleNamespace(client=address))  # type: ignore[arg-type]
    assert refused is not None and refused.status == 403
    assert refused.body == b'{"detail":"Forbidden (localhost only)"}'
    allowed = BackendConfig(localhost_only=False)
    assert check_loopback(allowed, SimpleNamespace(client=address)) is None  # type: ignore[arg-type]


def test_rate_limiter_window() -> None:
    limiter = RateLimiter(2, window=1.0)
    assert [limiter.retry_after("a"), limiter.retry_after("a")] == [0, 0]
    assert limiter.retry_after("a") >= 1
    assert limiter.retry_after("b") == 0
    import time

    time.sleep(1.05)
    assert limiter.retry_after("a") == 0


@pytest.mark.servers
def test_health_shapes(backend: RunningServer) -> None:
    health = httpx.get(backend.url + "/health").json()
    assert health["status"] == "healthy" and isinstance(health["services"], list)
    assert httpx.get(backend.url + "/health/live").json()["status"] == "alive"
    assert httpx.get(backend.url + "/health/ready").json()["status"] == "ready"
    assert httpx.get(backend.url + "/healthz").json() == {"ok": True}


@pytest.mark.servers
def test_unknown_path_and_method(backend: RunningServer) -> None:
    assert httpx.get(backend.url + "/nope").json() == {"detail": "Not Found"}
    assert httpx.delete(backend.url + "/v1/models").status_code == 405


@pytest.mark.servers
def test_json_content_type_is_required(backend: RunningServer) -> None:
    url = backend.url + "/v1/chat/completions"
    missing = httpx.post(url, content=b"{}")
    assert missing.status_code == 400 and missing.json() == {"error": "Missing Content-Type header"}
    other = httpx.post(url, content=b"{}", headers={"Content-Type": "text/plain"})
    assert other.status_code == 415
    assert other.json() == {"error": "Unsupported Media Type", "supported": ["application/json"]}
    charset = httpx.post(
        url,
        content=b'{"model":"offline-fast","messages":[]}',
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert charset.status_code == 200


@pytest.mark.servers
def test_upload_routes_are_exempt_from_the_json_rule(backend: RunningServer) -> None:
    reply = httpx.put(
        backend.url + "/api/artifacts/upload/unknown", content=b"x", headers={"Content-Type": "image/png"}
    )
    assert reply.status_code == 404 and reply.json() == {"detail": "Artifact not found"}


@pytest.mark.servers
def test_body_over_10_mib_gets_413(backend: RunningServer) -> None:
    big = b" " * (10 * 1024 * 1024 + 1)
    reply = httpx.post(backend.url + "/v1/chat/completions", content=big, headers={"Content-Type": "application/json"})
    assert reply.status_code == 413
    assert reply.json() == {"error": "Request too large", "max_size": 10485760}
    assert httpx.get(backend.url + "/healthz").status_code == 200  # the server is still fine


@pytest.mark.servers
def test_legacy_key_query_is_refused_on_v1_only(backend: RunningServer) -> None:
    reply = httpx.get(backend.url + "/v1/models", params={"key": "k"})
    assert reply.status_code == 400 and reply.json() == {"detail": "Legacy key query parameter is disabled"}
    cp = httpx.get(f"{backend.url}{CP}/sessions/x/artifacts/presign-get", params={"key": "k"})
    assert cp.status_code == 404  # the artifact key is a legitimate `key` there


def _models(url: str, headers: dict[str, str]) -> int:
    return httpx.get(url + "/v1/models", headers=headers).status_code


@pytest.mark.servers
def test_token_rules(reference_backend_factory: Factory) -> None:
    url = reference_backend_factory("--token", "good-token").url
    assert _models(url, {}) == 401
    assert httpx.get(url + "/v1/models").json() == {"detail": "Unauthorized"}
    assert _models(url, {"Authorization": "Bearer good-token"}) == 200
    assert _models(url, {"authorization": "bearer good-token"}) == 200
    assert _models(url, {"x-proxy-token": "good-token"}) == 200
    assert _models(url, {"Authorization": "Bearer good-token", "x-proxy-token": "good-token"}) == 200
    # the Bearer value wins: a wrong Bearer is refused even with the right header
    assert _models(url, {"Authorization": "Bearer wrong", "x-proxy-token": "good-token"}) == 401
    assert _models(url, {"x-proxy-token": "wrong"}) == 401
    # only /v1/* is token-protected (the control-plane proxy and health are localhost-only)
    assert httpx.get(url + "/health").status_code == 200
    assert httpx.post(url + CP + "/projects", json={"name": "p"}).status_code == 200


@pytest.mark.servers
def test_protect_all_extends_the_token_to_other_routes(reference_backend_factory: Factory) -> None:
    url = reference_backend_factory("--token", "t", "--protect-all").url
    assert httpx.post(url + CP + "/projects", json={"name": "p"}).status_code == 401
    assert httpx.post(url + CP + "/projects", json={"name": "p"}, headers={"x-proxy-token": "t"}).status_code == 200
    assert httpx.get(url + "/api/mcp/tools").status_code == 401
    assert httpx.get(url + "/healthz").status_code == 200


@pytest.mark.servers
def test_production_mode_without_token_is_500(reference_backend_factory: Factory) -> None:
    url = reference_backend_factory("--require-token").url
    reply = httpx.get(url + "/v1/models", headers={"Authorization": "Bearer anything"})
    assert reply.status_code == 500
    assert reply.json() == {"detail": "SMARTSPEC_PROXY_TOKEN is required in production"}


@pytest.mark.servers
def test_rate_limit_429_with_retry_after(reference_backend_factory: Factory) -> None:
    url = reference_backend_factory("--rate-limit", "3").url  # the launcher's /healthz probe counts as one
    replies = [httpx.get(url + "/v1/models") for _ in range(3)]
    assert [r.status_code for r in replies] == [200, 200, 429]
    limited = replies[-1]
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.json() == {
        "error": "RATE_LIMIT_EXCEEDED",
        "message": "Too many requests. Please try again later.",
        "details": {},
    }


def test_flags_read_from_the_environment(tmp_path: Path) -> None:
    from smartspec_tk.backend.config import parse_config

    env: dict[str, Any] = {
        "SMARTSPEC_BACKEND_RATE_LIMIT": "60",
        "SMARTSPEC_BACKEND_FAULT_CRLF": "1",
        "SMARTSPEC_UPSTREAM_URL": "http://127.0.0.1:9/v1/",
        "SMARTSPEC_PROXY_TOKEN": "env-token",
    }
    config = parse_config(["--root", str(tmp_path)], env)
    assert (config.rate_limit, config.faults.crlf, config.upstream_url, config.token) == (
        60,
        True,
        "http://127.0.0.1:9/v1",
        "env-token",
    )
    assert parse_config(["--root", str(tmp_path), "--rate-limit", "5"], env).rate_limit == 5
