"""The command line: --version, no display, --self-test, --doctor (as a user runs them)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from smartspec_tk import __version__


def run(args: list[str], env_extra: dict[str, str], unset: tuple[str, ...] = (), timeout: float = 120):  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "smartspec_tk", *args], capture_output=True, text=True, env=env, timeout=timeout
    )


def test_version() -> None:
    result = run(["--version"], {})
    assert result.returncode == 0
    assert result.stdout.strip() == f"smartspec-tk {__version__}"


def test_without_a_display_exits_2_with_one_line(app_home: Path) -> None:
    result = run([], {"SMARTSPEC_EMBEDDED_BACKEND": "never"}, unset=("DISPLAY", "WAYLAND_DISPLAY"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no display" in lines[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_self_test_passes_under_xvfb_with_the_embedded_backend(app_home: Path) -> None:
    """Nothing answers at the backend URL: the app starts its demo backend and every check passes."""
    result = run(["--self-test"], {"SMARTSPEC_BACKEND_URL": f"http://127.0.0.1:{free_port()}"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test: terminal echo: ok" in result.stdout
    assert "self-test: chat round-trip: ok" in result.stdout
    assert "self-test: passed" in result.stdout


def test_self_test_fails_with_the_reason_when_the_backend_is_down(app_home: Path) -> None:
    result = run(
        ["--self-test"], {"SMARTSPEC_BACKEND_URL": "http://127.0.0.1:9", "SMARTSPEC_EMBEDDED_BACKEND": "never"}
    )
    assert result.returncode == 1
    assert "chat round-trip: FAILED" in result.stdout and "Cannot reach the backend" in result.stdout
    logs = list((app_home / "logs").glob("smartspec-tk-*.log"))
    assert len(logs) == 1


def test_doctor_explains_a_dead_backend(app_home: Path) -> None:
    result = run(["--doctor"], {"SMARTSPEC_BACKEND_URL": "http://127.0.0.1:9", "SMARTSPEC_EMBEDDED_BACKEND": "never"})
    assert result.returncode == 1
    assert "[FAIL] Backend reachable" in result.stdout
    assert "SMARTSPEC_BACKEND_URL" in result.stdout


def test_a_bad_setting_does_not_stop_the_app(app_home: Path) -> None:
    result = run(["--doctor"], {"SMARTSPEC_FONT_SIZE": "huge", "SMARTSPEC_BACKEND_URL": "http://127.0.0.1:9",
                                "SMARTSPEC_EMBEDDED_BACKEND": "never"})
    assert "[FAIL] Settings: 1 setting(s) invalid" in result.stdout
    assert "Terminal font size (SMARTSPEC_FONT_SIZE)" in result.stdout  # as the user knows it
