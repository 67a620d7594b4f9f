"""The doctor's terminal check: the pseudo-console transport on Windows (ConPTY, else WinPTY and
why), with the Windows probe driven through a fake pywinpty; a plain pass on POSIX."""

from __future__ import annotations

import sys

import httpx
import pytest

from smartspec_tk.core.doctor import DoctorContext, format_result, run_checks
from smartspec_tk.core.doctor.terminal import check_terminal, probe_windows_pty
from smartspec_tk.core.settings import Settings
from tests.faults.app_run import free_port
from tests.terminal.test_windows_backend import FakeWinpty


@pytest.fixture
def ctx() -> DoctorContext:
    # A port just freed, not a fixed one: as root, an app started by another test may serve port 9.
    return DoctorContext(Settings(backend_url=f"http://127.0.0.1:{free_port()}"), httpx.Client())


def test_posix_passes(ctx: DoctorContext) -> None:
    assert check_terminal(ctx, "linux").ok


def test_windows_reports_the_transport_and_why(ctx: DoctorContext, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeWinpty(conpty_works=False)
    fake.proc.alive = False  # `cmd.exe /c exit 0` has ended
    monkeypatch.setitem(sys.modules, "winpty", fake)
    monkeypatch.delenv("SMARTSPEC_PTY_BACKEND", raising=False)
    assert probe_windows_pty() == ("WinPTY", "ConPTY: Invalid handle.")
    result = check_terminal(ctx, "win32")
    assert result.ok and result.summary == "WinPTY (ConPTY: Invalid handle.)"
    fake.conpty_works = True
    assert check_terminal(ctx, "win32").summary == "ConPTY"


def test_windows_without_any_transport_fails_in_plain_words(ctx: DoctorContext) -> None:
    def broken() -> tuple[str, str]:
        raise OSError("the terminal could not start: ConPTY: Invalid handle.; WinPTY: agent blocked")

    result = check_terminal(ctx, "win32", broken)
    assert not result.ok and "WinPTY: agent blocked" in result.summary and "SMARTSPEC_PTY_BACKEND" in result.advice


def test_the_terminal_check_runs_even_when_the_backend_is_down(ctx: DoctorContext) -> None:
    results = dict(run_checks(ctx))
    assert results["Upload host reachable"] is None  # skipped: the backend is not reachable
    terminal = results["Terminal"]
    assert terminal is not None and terminal.ok and format_result("Terminal", terminal) == "[  ok] Terminal: POSIX pty"
