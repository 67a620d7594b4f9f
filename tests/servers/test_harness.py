"""Tests of the test harness itself: servers come up on free ports, stop for sure, fail loudly."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest

from tests.servers import litellm as litellm_mod
from tests.servers import seaweedfs as seaweedfs_mod
from tests.servers.litellm import LiteLLM
from tests.servers.process import ServerProcess, ServerStartError, free_ports, port_is_free
from tests.servers.seaweedfs import SeaweedFS

pytestmark = pytest.mark.servers


def test_free_ports_are_distinct_and_bindable() -> None:
    ports = free_ports(12)
    assert len(set(ports)) == 12
    assert all(port_is_free(p) for p in ports)


def test_stop_kills_a_child_that_ignores_sigterm(tmp_path: Path) -> None:
    code = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('up', flush=True); time.sleep(60)"
    proc = ServerProcess("stubborn", [sys.executable, "-c", code], tmp_path / "log", term_grace=0.3)
    proc.wait_ready(lambda: "up" in proc.log_path.read_text(), 10, "it prints up")
    proc.stop()
    assert not proc.alive()
    assert proc.popen.returncode == -9


def test_wait_ready_reports_an_early_exit_with_the_log(tmp_path: Path) -> None:
    proc = ServerProcess("dies", [sys.executable, "-c", "print('boom'); raise SystemExit(3)"], tmp_path / "log")
    with pytest.raises(ServerStartError, match=r"exited with status 3(.|\n)*boom"):
        proc.wait_ready(lambda: False, 10, "never")


def test_missing_litellm_binary_fails_with_an_install_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMARTSPEC_LITELLM_BIN", str(tmp_path / "nope" / "litellm"))
    with pytest.raises(ServerStartError, match="install-test-servers"):
        litellm_mod.start_litellm(tmp_path)


def test_missing_weed_binary_fails_with_an_install_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(seaweedfs_mod.sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ServerStartError, match="install-test-servers"):
        seaweedfs_mod.start_seaweedfs(tmp_path)


def test_seaweedfs_listens_only_on_its_chosen_loopback_ports(seaweedfs: SeaweedFS) -> None:
    assert seaweedfs.process.alive()
    assert all(not port_is_free(port) for port in seaweedfs.ports.values())
    assert seaweedfs.endpoint == f"http://127.0.0.1:{seaweedfs.ports['s3.port']}"
    s3 = seaweedfs.client()
    s3.put_object(Bucket=seaweedfs.bucket, Key="harness/hello.txt", Body=b"hello")
    assert s3.get_object(Bucket=seaweedfs.bucket, Key="harness/hello.txt")["Body"].read() == b"hello"


def test_seaweedfs_refuses_an_unsigned_read(seaweedfs: SeaweedFS) -> None:
    seaweedfs.client().put_object(Bucket=seaweedfs.bucket, Key="harness/private.txt", Body=b"x")
    response = httpx.get(f"{seaweedfs.endpoint}/{seaweedfs.bucket}/harness/private.txt", trust_env=False)
    assert response.status_code == 403


def test_litellm_serves_the_mock_models_and_wants_the_key(litellm: LiteLLM) -> None:
    with httpx.Client(base_url=litellm.base_url, trust_env=False, timeout=30) as http:
        listed = http.get("/v1/models", headers=litellm.headers())
        anonymous = http.get("/v1/models")
    assert listed.status_code == 200
    assert sorted(m["id"] for m in listed.json()["data"]) == sorted(litellm.models)
    assert anonymous.status_code >= 400
