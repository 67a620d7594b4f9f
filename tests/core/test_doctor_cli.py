"""`smartspec-tk --doctor` as a subprocess against the reference backend: healthy, and with faults.

Each fault is produced for real (a backend switch, a buffering proxy, a stopped
server) and the test asserts on the plain-words explanation the user would read.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.servers.buffering_proxy import buffering_proxy
from tests.servers.litellm import LiteLLM
from tests.servers.process import REPO_ROOT, free_ports
from tests.servers.reference import RunningServer
from tests.servers.seaweedfs import SeaweedFS

pytestmark = pytest.mark.servers

Start = Callable[..., RunningServer]


@dataclass(frozen=True)
class DoctorRun:
    code: int
    output: str

    def line(self, check: str) -> str:
        """The result line of one check plus its advice line, if any."""
        lines = self.output.splitlines()
        for i, text in enumerate(lines):
            if f"] {check}:" in text:
                advice = lines[i + 1] if i + 1 < len(lines) and lines[i + 1].lstrip().startswith("→") else ""
                return text + "\n" + advice
        raise AssertionError(f"no line for {check!r} in:\n{self.output}")


def run_doctor(url: str, tmp_path: Path, **settings: str) -> DoctorRun:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SMARTSPEC_", "VITE_"))}
    env.update(SMARTSPEC_HOME=str(tmp_path / "doctor-home"), SMARTSPEC_BACKEND_URL=url, **settings)
    env["PYTHONPATH"] = str(REPO_ROOT)
    work = tmp_path / "doctor-cwd"
    work.mkdir(exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "smartspec_tk", "--doctor"],
        env=env, cwd=work, capture_output=True, text=True, timeout=120,
    )
    return DoctorRun(done.returncode, done.stdout + done.stderr)


def test_healthy_backend_passes_every_check(reference_backend_factory: Start, tmp_path: Path) -> None:
    backend = reference_backend_factory("--token", "s3cret")
    run = run_doctor(backend.url, tmp_path, SMARTSPEC_PROXY_TOKEN="s3cret")
    assert run.code == 0, run.output
    assert "[  ok] Token accepted: accepted" in run.output
    assert "[  ok] Model list (/v1/models): 3 model(s)" in run.output
    assert "streamed (" in run.line("Streamed answer")
    assert "uploaded, completed, downloaded a 68-byte PNG" in run.line("Presign round-trip")
    assert "[  ok] Upload host reachable: 127.0.0.1:" in run.output
    assert run.output.rstrip().endswith("All checks passed.")


def test_wrong_token_is_explained_and_later_checks_skip(reference_backend_factory: Start, tmp_path: Path) -> None:
    backend = reference_backend_factory("--token", "right")
    run = run_doctor(backend.url, tmp_path, SMARTSPEC_PROXY_TOKEN="wrong")
    assert run.code == 1
    token = run.line("Token accepted")
    assert "[FAIL] Token accepted: HTTP 401" in token
    assert "refused the proxy token: set SMARTSPEC_PROXY_TOKEN" in token
    assert "[skip] Streamed answer" in run.output


def test_buffering_proxy_is_detected(reference_backend_factory: Start, tmp_path: Path) -> None:
    backend = reference_backend_factory("--stream-delay", "0.06")
    with buffering_proxy(backend.url) as proxied:
        run = run_doctor(proxied, tmp_path)
    stream = run.line("Streamed answer")
    assert "[FAIL] Streamed answer: the answer arrived all at once, not streamed" in stream
    assert "buffers server-sent events" in stream
    assert "[  ok] Model list" in run.output  # only the streaming is broken


def test_same_backend_without_the_proxy_streams(reference_backend_factory: Start, tmp_path: Path) -> None:
    backend = reference_backend_factory("--stream-delay", "0.06")
    assert "[  ok] Streamed answer" in run_doctor(backend.url, tmp_path).output


def test_stream_refused_with_501(reference_backend_factory: Start, tmp_path: Path) -> None:
    run = run_doctor(reference_backend_factory("--fault-stream-501").url, tmp_path)
    stream = run.line("Streamed answer")
    assert "[FAIL] Streamed answer: the backend refuses streaming (HTTP 501" in stream
    assert "Answers will come in one piece" in stream


def test_stream_cut_without_done(reference_backend_factory: Start, tmp_path: Path) -> None:
    run = run_doctor(reference_backend_factory("--fault-cut-after", "3").url, tmp_path)
    stream = run.line("Streamed answer")
    assert "the stream stopped without [DONE]" in stream
    assert "offers Retry" in stream


def test_control_plane_error_delivered_as_http_200(reference_backend_factory: Start, tmp_path: Path) -> None:
    backend = reference_backend_factory("--fault-cp-errors-200", "--allowed-types", "application/json")
    run = run_doctor(backend.url, tmp_path)
    presign = run.line("Presign round-trip")
    assert "presign-put: content_type_not_allowed (delivered as HTTP 200" in presign
    assert "ARTIFACT_ALLOWED_CONTENT_TYPES" in presign
    assert "[FAIL] Upload host reachable: no presigned URL to test" in run.output


def test_wrong_control_plane_prefix(reference_backend_factory: Start, tmp_path: Path) -> None:
    backend = reference_backend_factory()
    run = run_doctor(backend.url, tmp_path, SMARTSPEC_CONTROL_PLANE_PREFIX="/api/v1/nowhere")
    assert "no control-plane proxy at /api/v1/nowhere" in run.line("Presign round-trip")


def test_local_artifact_mode(reference_backend_factory: Start, tmp_path: Path) -> None:
    run = run_doctor(reference_backend_factory().url, tmp_path, SMARTSPEC_ARTIFACT_MODE="local")
    assert "[  ok] Presign round-trip: uploaded and downloaded a 68-byte PNG" in run.output, run.output


def test_backend_down(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    run = run_doctor(f"http://127.0.0.1:{port}", tmp_path)
    assert run.code == 1
    reach = run.line("Backend reachable")
    assert "not reachable (ConnectError)" in reach
    assert "Start the python-backend" in reach
    assert "[skip] Presign round-trip" in run.output


def test_s3_mode_uploads_to_seaweedfs(
    reference_backend_factory: Start, seaweedfs: SeaweedFS, tmp_path: Path
) -> None:
    backend = reference_backend_factory(
        "--s3-endpoint", seaweedfs.endpoint, "--s3-bucket", seaweedfs.bucket,
        "--s3-access-key", seaweedfs.access_key, "--s3-secret-key", seaweedfs.secret_key,
    )
    run = run_doctor(backend.url, tmp_path)
    assert run.code == 0, run.output
    assert f"127.0.0.1:{seaweedfs.ports['s3.port']} answers" in run.line("Upload host reachable")


def test_full_chain_to_litellm_streams_without_a_false_buffering_alarm(
    reference_backend_factory: Start, litellm: LiteLLM, tmp_path: Path
) -> None:
    backend = reference_backend_factory("--upstream-url", litellm.base_url, "--upstream-key", litellm.master_key)
    run = run_doctor(backend.url, tmp_path)
    assert run.code == 0, run.output
    assert "3 model(s): mock-gpt, mock-ratelimit, mock-midstream-error" in run.output
    assert "[  ok] Streamed answer: mock-gpt streamed (" in run.output


def test_default_model_is_the_one_tried(reference_backend_factory: Start, litellm: LiteLLM, tmp_path: Path) -> None:
    backend = reference_backend_factory("--upstream-url", litellm.base_url, "--upstream-key", litellm.master_key)
    run = run_doctor(backend.url, tmp_path, SMARTSPEC_DEFAULT_MODEL="mock-ratelimit")
    stream = run.line("Streamed answer")
    assert "[FAIL] Streamed answer: HTTP 429" in stream
    assert "rate-limiting" in stream
