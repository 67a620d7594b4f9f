"""Session-scoped pytest fixtures for the real servers (a plugin listed in tests/conftest.py).

Each server starts once per test session, on the first test that asks for it, and
is stopped at the end of the session, also after failures. A missing binary makes
the fixture fail with an install hint; it never skips.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Protocol, TypeVar

import pytest

from tests.servers.litellm import LiteLLM, start_litellm
from tests.servers.reference import RunningServer, start_reference_backend
from tests.servers.seaweedfs import SeaweedFS, start_seaweedfs

log = logging.getLogger(__name__)


class _Stoppable(Protocol):
    def stop(self) -> None: ...


S = TypeVar("S", bound=_Stoppable)


def _for_the_session(name: str, start: Callable[[], S], address: Callable[[S], str]) -> Iterator[S]:
    """Start a server (logging how long it took), hand it out, and stop it at the end, also after failures."""
    started = time.monotonic()
    server = start()
    log.info("%s ready at %s in %.1f s", name, address(server), time.monotonic() - started)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedFS]:
    """A real S3 store (SeaweedFS) with credentials and a bucket."""
    yield from _for_the_session(
        "SeaweedFS", lambda: start_seaweedfs(tmp_path_factory.mktemp("seaweedfs")), lambda s: s.endpoint
    )


@pytest.fixture(scope="session")
def litellm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiteLLM]:
    """A real LiteLLM proxy with the mock models mock-gpt, mock-ratelimit, mock-midstream-error."""
    yield from _for_the_session(
        "LiteLLM", lambda: start_litellm(tmp_path_factory.mktemp("litellm")), lambda s: s.base_url
    )


@pytest.fixture
def reference_backend(tmp_path: Path) -> Iterator[RunningServer]:
    """The reference backend with its defaults (offline models, local store, no token)."""
    with start_reference_backend(tmp_path) as backend:
        yield backend


@pytest.fixture
def reference_backend_factory(tmp_path: Path) -> Iterator[Callable[..., RunningServer]]:
    """start(*flags, env=None) -> RunningServer; every backend started is stopped at teardown."""
    with ExitStack() as stack:

        def start(*args: str, env: dict[str, str] | None = None) -> RunningServer:
            return stack.enter_context(start_reference_backend(tmp_path, *args, env=env))

        yield start
