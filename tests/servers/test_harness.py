"""Tests of the test harness itself: servers come up on free ports, stop for sure, fail loudly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.servers import litellm as litellm_mod
from tests.servers import seaweedfs as seaweedfs_mod
from tests.servers.litellm import LiteLLM
from tests.servers.process import REPO_ROOT, ServerProcess, ServerStartError, free_ports, port_is_free
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


def test_a_server_dies_with_the_test_process(tmp_path: Path) -> None:
    # A parent that starts a server and is then SIGKILLed (no finalizers run) must not leave it behind.
    pid_file = tmp_path / "child.pid"
    code = (
        "import sys, time; sys.path.insert(0, sys.argv[1]);"
        "from pathlib import Path; from tests.servers.process import ServerProcess;"
        "p = ServerProcess('sleeper', [sys.executable, '-c', 'import time; time.sleep(60)'], Path(sys.argv[2]));"
        "Path(sys.argv[3]).write_text(str(p.pid)); time.sleep(60)"
    )
    parent = subprocess.Popen([sys.executable, "-c", code, str(REPO_ROOT), str(tmp_path / "log"), str(pid_file)])
    child = 0
    try:
        deadline = time.monotonic() + 20
        while not pid_file.exists() or not pid_file.read_text():
            assert time.monotonic() < deadline, "the parent never started its server"
            time.sleep(0.05)
        child = int(pid_file.read_text())
        parent.kill()
        parent.wait(timeout=10)
        while _running(child):
            assert time.monotonic() < deadline + 10, "the server outlived its killed parent"
            time.sleep(0.05)
    finally:
        parent.kill()
        parent.wait(timeout=10)
        if child and _running(child):  # only when the test failed: do not leave the sleeper behind
            os.kill(child, signal.SIGKILL)


def _running(pid: int) -> bool:
    """True while `pid` exists and is not a zombie (an orphan is reaped by init)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"
