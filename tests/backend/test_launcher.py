"""The shared launcher starts the reference backend on a free port and always stops it."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.servers.reference import RunningServer


def test_reference_backend_answers_health_and_stops(reference_backend: RunningServer) -> None:
    for path in ("/health", "/health/live", "/health/ready", "/healthz"):
        assert httpx.get(reference_backend.url + path).status_code == 200, path
    assert httpx.get(reference_backend.url + "/healthz").json() == {"ok": True}
    reference_backend.stop()
    assert reference_backend.process.poll() is not None


def test_factory_passes_flags_and_env(reference_backend_factory: Callable[..., RunningServer]) -> None:
    backend = reference_backend_factory("--token", "from-flag")
    other = reference_backend_factory(env={"SMARTSPEC_PROXY_TOKEN": "from-env"})
    assert backend.url != other.url
    assert httpx.get(backend.url + "/v1/models", headers={"x-proxy-token": "from-flag"}).status_code == 200
    assert httpx.get(other.url + "/v1/models", headers={"x-proxy-token": "from-flag"}).status_code == 401
    assert httpx.get(other.url + "/v1/models", headers={"x-proxy-token": "from-env"}).status_code == 200
