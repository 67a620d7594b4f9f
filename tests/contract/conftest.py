"""Contract-test targets: the same OpenAI-compatible assertions run against the reference
backend (offline model), LiteLLM itself, and the reference backend relaying to LiteLLM.

The servers are session-scoped (started once, on first use); a `Target` says where to
send requests, with which credentials and model, and where a 429 comes from.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from tests.servers.litellm import LiteLLM
from tests.servers.reference import RunningServer, start_reference_backend
from tests.servers.seaweedfs import SeaweedFS

TOKEN = "contract-proxy-token"
TOKEN_HEADERS = {"Authorization": f"Bearer {TOKEN}", "x-proxy-token": TOKEN}


@dataclass(frozen=True)
class Target:
    """One OpenAI-compatible server under test."""

    name: str
    url: str
    model: str
    headers: dict[str, str] = field(default_factory=dict)
    limited_url: str = ""  # a server answering 429 …
    limited_model: str = ""  # … for this model

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers=self.headers, trust_env=False, timeout=60)


def _reference(tmp_path_factory: pytest.TempPathFactory, *args: str) -> Iterator[RunningServer]:
    with start_reference_backend(tmp_path_factory.mktemp("contract-ref"), *args) as backend:
        yield backend


@pytest.fixture(scope="session")
def ref_offline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    yield from _reference(tmp_path_factory, "--token", TOKEN, "--stream-delay", "0")


@pytest.fixture(scope="session")
def ref_ratelimited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    yield from _reference(tmp_path_factory, "--token", TOKEN, "--fault-chat-status", "429", "--fault-retry-after", "7")


@pytest.fixture(scope="session")
def ref_chain(tmp_path_factory: pytest.TempPathFactory, litellm: LiteLLM) -> Iterator[RunningServer]:
    yield from _reference(
        tmp_path_factory, "--token", TOKEN, "--upstream-url", litellm.base_url, "--upstream-key", litellm.master_key
    )


def s3_flags(store: SeaweedFS) -> tuple[str, ...]:
    return (
        "--s3-endpoint", store.endpoint, "--s3-bucket", store.bucket, "--s3-region", store.region,
        "--s3-access-key", store.access_key, "--s3-secret-key", store.secret_key,
    )


@pytest.fixture(scope="session")
def ref_s3(tmp_path_factory: pytest.TempPathFactory, seaweedfs: SeaweedFS) -> Iterator[RunningServer]:
    """The reference backend in S3 mode on SeaweedFS (signs content-length, like the original)."""
    yield from _reference(tmp_path_factory, *s3_flags(seaweedfs))


@pytest.fixture(scope="session")
def ref_s3_short(tmp_path_factory: pytest.TempPathFactory, seaweedfs: SeaweedFS) -> Iterator[RunningServer]:
    """S3 mode with 1-second presigned URLs, to watch them expire."""
    yield from _reference(tmp_path_factory, *s3_flags(seaweedfs), "--presign-expiry", "1")


@pytest.fixture(scope="session")
def ref_s3_typed(tmp_path_factory: pytest.TempPathFactory, seaweedfs: SeaweedFS) -> Iterator[RunningServer]:
    """S3 mode that also signs the Content-Type (as boto3 does)."""
    yield from _reference(tmp_path_factory, *s3_flags(seaweedfs), "--s3-sign-content-type")


@pytest.fixture(scope="session")
def target_reference(ref_offline: RunningServer, ref_ratelimited: RunningServer) -> Target:
    return Target("reference", ref_offline.url, "offline-echo", TOKEN_HEADERS, ref_ratelimited.url, "offline-echo")


@pytest.fixture(scope="session")
def target_litellm(litellm: LiteLLM) -> Target:
    return Target("litellm", litellm.base_url, "mock-gpt", litellm.headers(), litellm.base_url, "mock-ratelimit")


@pytest.fixture(scope="session")
def target_chain(ref_chain: RunningServer) -> Target:
    return Target("reference->litellm", ref_chain.url, "mock-gpt", TOKEN_HEADERS, ref_chain.url, "mock-ratelimit")


@pytest.fixture(params=["reference", "litellm", "chain"])
def target(request: pytest.FixtureRequest) -> Target:
    """Each OpenAI-compatible server in turn."""
    found: Target = request.getfixturevalue(f"target_{request.param}")
    return found
