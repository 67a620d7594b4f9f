"""The embedded default: the app starts the reference backend when nothing answers at a loopback
URL, points itself at it, and leaves no process behind."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from smartspec_tk.core.embedded import EmbeddedBackend, start_embedded_backend
from smartspec_tk.core.paths import AppPaths, resolve_paths
from smartspec_tk.core.settings import Settings
from tests.servers.process import REPO_ROOT, free_ports

pytestmark = pytest.mark.servers  # starts the reference backend as a child process


@pytest.fixture
def paths(app_home: Path) -> AppPaths:
    return resolve_paths().ensure()


@pytest.fixture
def start(paths: AppPaths) -> Iterator[Callable[[Settings], EmbeddedBackend]]:
    """start(settings) -> the embedded backend, which must have started; each one is stopped at teardown."""
    backends: list[EmbeddedBackend] = []

    def run(settings: Settings) -> EmbeddedBackend:
        backend = start_embedded_backend(settings, paths)
        assert backend is not None
        backends.append(backend)
        return backend

    yield run
    for backend in backends:
        backend.stop()


def _gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def _port_closed(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_auto_starts_on_the_configured_port_and_stops(start: Callable[[Settings], EmbeddedBackend]) -> None:
    port = free_ports(1)[0]
    settings = Settings(backend_url=f"http://127.0.0.1:{port}", embedded_backend="auto")
    backend = start(settings)
    assert backend.url == f"http://127.0.0.1:{port}"
    assert backend.settings.backend_url == settings.backend_url
    assert httpx.get(backend.url + "/healthz").json() == {"ok": True}
    models = httpx.get(backend.url + "/v1/models").json()
    assert "offline-echo" in [m["id"] for m in models["data"]]
    backend.stop()
    assert backend.process.poll() is not None
    assert _gone(backend.process.pid)
    assert _port_closed(port)


def test_auto_leaves_an_answering_backend_alone(paths: AppPaths) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        settings = Settings(backend_url=f"http://localhost:{port}", embedded_backend="auto")
        assert start_embedded_backend(settings, paths) is None


@pytest.mark.parametrize(
    ("url", "mode"),
    [("http://192.0.2.10:8000", "auto"), ("https://127.0.0.1:1", "auto"), ("http://127.0.0.1:1", "never")],
)
def test_no_embedded_backend_for_remote_urls_or_never(paths: AppPaths, url: str, mode: str) -> None:
    started_at = time.monotonic()
    assert start_embedded_backend(Settings(backend_url=url, embedded_backend=mode), paths) is None
    assert time.monotonic() - started_at < 1.0  # no probe of a non-loopback host


def test_always_with_the_port_taken_uses_a_free_port(start: Callable[[Settings], EmbeddedBackend]) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        settings = Settings(backend_url=f"http://127.0.0.1:{port}", embedded_backend="always")
        backend = start(settings)
    assert backend.settings.backend_url == backend.url != settings.backend_url
    assert httpx.get(backend.url + "/health").json()["status"] == "healthy"


def test_the_child_uses_the_apps_token(start: Callable[[Settings], EmbeddedBackend]) -> None:
    port = free_ports(1)[0]
    settings = Settings(backend_url=f"http://127.0.0.1:{port}", proxy_token="s3cret-token")
    backend = start(settings)
    assert httpx.get(backend.url + "/v1/models").status_code == 401
    ok = httpx.get(backend.url + "/v1/models", headers={"Authorization": "Bearer s3cret-token"})
    assert ok.status_code == 200


def test_no_orphan_when_the_app_dies_without_stopping_it(tmp_path: Path) -> None:
    port = free_ports(1)[0]
    script = textwrap.dedent(f"""
        import os
        from smartspec_tk.core.embedded import start_embedded_backend
        from smartspec_tk.core.paths import resolve_paths
        from smartspec_tk.core.settings import Settings
        backend = start_embedded_backend(Settings(backend_url="http://127.0.0.1:{port}"), resolve_paths().ensure())
        print(backend.process.pid, flush=True)
        os._exit(0)  # a crash: no atexit, no stop()
    """)
    env = {**os.environ, "SMARTSPEC_HOME": str(tmp_path / "home"), "PYTHONPATH": str(REPO_ROOT)}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=30)
    assert result.returncode == 0, result.stderr
    child = int(result.stdout.strip())
    assert _gone(child), "the demo backend outlived the app"
    assert _port_closed(port)


def test_the_app_runs_its_demo_backend_and_stops_it(tmp_path: Path) -> None:
    port = free_ports(1)[0]
    env = {
        **os.environ,
        "SMARTSPEC_HOME": str(tmp_path / "home"),
        "PYTHONPATH": str(REPO_ROOT),
        "SMARTSPEC_BACKEND_URL": f"http://127.0.0.1:{port}",
        "SMARTSPEC_EMBEDDED_BACKEND": "auto",
    }
    result = subprocess.run(
        [sys.executable, "-m", "smartspec_tk", "--self-test"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=tmp_path,
    )
    assert "self-test: main window mapped" in result.stdout, result.stdout + result.stderr
    # (the other self-checks belong to other features; here only the demo backend's part is checked)
    demo_log = next((tmp_path / "home").rglob("demo-backend.log")).read_text()
    assert f"listening on http://127.0.0.1:{port}" in demo_log
    assert '"GET /health' in demo_log  # the app talked to it
    app_logs = "\n".join(p.read_text() for p in (tmp_path / "home").rglob("*.log"))
    assert "demo backend started" in app_logs and "demo backend stopped" in app_logs
    assert _port_closed(port)
