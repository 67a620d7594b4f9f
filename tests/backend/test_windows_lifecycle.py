"""The demo backend's life on Windows, driven on Linux: no POSIX-only signal is touched when
it is stopped, a job object ends it (and the one-file exe's child), and `--exit-with-parent`
waits on the parent's process handle because Windows never re-parents (getppid stays)."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from smartspec_tk.backend import server
from smartspec_tk.core import embedded, winsys
from smartspec_tk.core.settings import Settings


class FakeProcess:
    def __init__(self, exits_on: str = "terminate") -> None:
        self.calls: list[str] = []
        self.returncode: int | None = None
        self.exits_on = exits_on
        self.pid = 77

    def poll(self) -> int | None:
        return self.returncode

    def terminate(self) -> None:
        self.calls.append("terminate")
        if self.exits_on == "terminate":
            self.returncode = 1

    def kill(self) -> None:
        self.calls.append("kill")
        self.returncode = 1

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            raise subprocess.TimeoutExpired("backend", timeout or 0)
        return self.returncode


class FakeJob:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def terminate(self, exit_code: int = 1) -> None:
        self.calls.append("terminate")

    def close(self) -> None:
        self.calls.append("close")


def _backend(process: FakeProcess, job: FakeJob | None) -> embedded.EmbeddedBackend:
    return embedded.EmbeddedBackend(process, "http://127.0.0.1:1", Settings(), Path("x.log"), job)  # type: ignore[arg-type]


def test_stop_on_windows_needs_no_posix_signal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delattr(signal, "SIGKILL")  # as on Windows
    stubborn = FakeProcess(exits_on="kill")
    job = FakeJob()
    _backend(stubborn, job).stop(grace=0)
    assert stubborn.calls == ["terminate", "kill"] and job.calls == ["terminate", "close"]
    polite = FakeProcess()
    backend = _backend(polite, None)
    backend.stop()
    backend.stop()  # idempotent
    assert polite.calls == ["terminate"]


def test_the_backend_is_put_into_a_job_on_windows(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """start_embedded_backend assigns the child to a kill-on-close job (so a crash of the app ends it)."""
    assigned: list[int] = []

    class Job(FakeJob):
        def assign(self, pid: int) -> bool:
            assigned.append(pid)
            return True

    monkeypatch.setattr(embedded, "make_job", Job)
    from smartspec_tk.core.paths import AppPaths

    paths = AppPaths(tmp_path / "c", tmp_path / "d", tmp_path / "l").ensure()
    started = embedded.start_embedded_backend(Settings(embedded_backend="always"), paths)
    assert started is not None
    try:
        assert assigned == [started.process.pid] and isinstance(started.job, Job)
    finally:
        started.stop()
    assert started.job.calls == ["terminate", "close"]


class FakeServer:
    def __init__(self) -> None:
        self.stopped = False

    def shutdown(self) -> None:
        self.stopped = True


def test_exit_with_parent_waits_on_a_process_handle_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    waited: list[int] = []

    def wait_for_exit(pid: int, k32: Any = None) -> str:
        waited.append(pid)
        return "exited"

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(winsys, "wait_for_exit", wait_for_exit)
    monkeypatch.setattr(server.os, "getppid", lambda: pytest.fail("getppid never changes on Windows"))
    fake = FakeServer()
    server._watch_parent(fake, 4242)  # type: ignore[arg-type]
    assert waited == [4242] and fake.stopped


def test_exit_with_parent_on_windows_with_a_fake_kernel32() -> None:
    from tests.core.test_winsys import FakeKernel32

    k32 = FakeKernel32({4242: (1, "smartspec-tk.exe")})
    fake = FakeServer()
    server._watch_parent(fake, 4242, lambda pid: winsys.wait_for_exit(pid, k32))  # type: ignore[arg-type]
    assert fake.stopped and k32.calls[0] == ("OpenProcess", winsys.SYNCHRONIZE, 4242)
