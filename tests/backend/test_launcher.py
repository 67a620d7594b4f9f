"""The shared launcher starts the reference backend on a free port and always stops it."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.servers.process import REPO_ROOT
from tests.servers.reference import RunningServer

pytestmark = pytest.mark.servers  # starts the reference backend as a child process


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


def test_cli_subcommand_prints_the_listening_line(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "smartspec_tk", "backend", "--port", "0", "--root", str(tmp_path / "root")]
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    with subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env, start_new_session=True) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline().strip()
            assert re.fullmatch(r"listening on http://127\.0\.0\.1:\d+", line), line
            assert not line.endswith(":0")
            assert httpx.get(line.split()[-1] + "/healthz").json() == {"ok": True}
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def test_cli_refuses_a_taken_port(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        argv = [sys.executable, "-m", "smartspec_tk.backend", "--port", port, "--root", str(tmp_path)]
        result = subprocess.run(
            argv, capture_output=True, text=True, timeout=30, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}
        )
    assert result.returncode == 1 and "cannot listen" in result.stderr
