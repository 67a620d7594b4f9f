"""The doctor's terminal check: which pseudo-console the terminal tabs get.

On Windows it starts `cmd.exe /c exit 0` the way a tab does (ConPTY first, then WinPTY, see
core/terminal/backend_windows) and reports the transport that worked and why another did not;
elsewhere the POSIX pty needs no probe.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from smartspec_tk.core.doctor.result import CheckResult, DoctorContext

Probe = Callable[[], tuple[str, str]]  # () -> (transport, why not the others); raises when none works


def probe_windows_pty(timeout: float = 10.0) -> tuple[str, str]:
    from smartspec_tk.core.terminal.backend_windows import WindowsPtyBackend
    from smartspec_tk.core.terminal.shell import terminal_env

    backend = WindowsPtyBackend()
    backend.spawn([os.environ.get("COMSPEC") or "cmd.exe", "/c", "exit 0"], str(Path.home()), terminal_env(), 80, 24)
    try:
        deadline = time.monotonic() + timeout
        while backend.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        backend.terminate()
    return backend.transport, backend.transport_note


def check_terminal(ctx: DoctorContext, platform: str = sys.platform, probe: Probe | None = None) -> CheckResult:
    if platform != "win32":
        return CheckResult.passed("POSIX pty")
    try:
        transport, note = (probe or probe_windows_pty)()
    except Exception as exc:  # noqa: BLE001 - the doctor explains, never crashes
        return CheckResult.failed(
            f"no pseudo-console could start cmd.exe: {exc}",
            "Terminal tabs will show this error. pywinpty (winpty-agent.exe, OpenConsole.exe) may be missing "
            "or blocked; SMARTSPEC_PTY_BACKEND=winpty or conpty forces one transport.",
        )
    return CheckResult.passed(transport + (f" ({note})" if note else ""))
