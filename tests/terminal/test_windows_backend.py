"""The Windows pty backend with a fake pywinpty: the transport is chosen deliberately (ConPTY,
then WinPTY; pywinpty's backend=0 pitfall avoided), every WinptyError is caught, the shell goes
into a kill-on-close job, and the busy check and the tree kill use the process table."""

from __future__ import annotations

import os
import sys
import types
from typing import Any

import pytest

from smartspec_tk.core.terminal import backend_windows
from smartspec_tk.core.terminal.backend_windows import CONPTY, WINPTY, SpawnFailed, WindowsPtyBackend


class WinptyError(Exception):
    """pywinpty's own exception (not an OSError)."""


class FakeProc:
    def __init__(self, pid: int = 20) -> None:
        self.pid = pid
        self.alive = True
        self.out = ["Microsoft Windows\r\n"]
        self.sent: list[str] = []
        self.sizes: list[tuple[int, int]] = []
        self.closed = False
        self.broken = False  # every call raises WinptyError, as after the shell exited

    def _check(self) -> None:
        if self.broken:
            raise WinptyError("The pipe is being closed.")

    def read(self, size: int) -> str:
        self._check()
        if self.out:
            return self.out.pop(0)
        raise EOFError

    def write(self, text: str) -> int:
        self._check()
        self.sent.append(text)
        return len(text)

    def setwinsize(self, rows: int, cols: int) -> None:
        self._check()
        self.sizes.append((rows, cols))

    def isalive(self) -> bool:
        self._check()
        return self.alive

    @property
    def exitstatus(self) -> int:
        self._check()
        return 0

    def close(self, force: bool = False) -> None:
        self.closed = True


class FakeWinpty(types.ModuleType):
    """`winpty` whose spawn records the backend it was given and the PYWINPTY_BACKEND it saw."""

    def __init__(self, conpty_works: bool = True) -> None:
        super().__init__("winpty")
        self.WinptyError = WinptyError
        self.spawns: list[tuple[Any, str | None]] = []
        self.conpty_works = conpty_works
        self.conpty_error: BaseException = WinptyError("Invalid handle.")  # what Wine 8 and 10 answer
        self.winpty_error: BaseException | None = None
        self.proc = FakeProc()
        self.PtyProcess = types.SimpleNamespace(spawn=self._spawn)

    def _spawn(self, argv: list[str], cwd: str, env: dict[str, str], dimensions: tuple[int, int],
               backend: int | None = None) -> FakeProc:
        # pywinpty itself does: backend = backend or os.environ.get("PYWINPTY_BACKEND")
        effective = int(backend or os.environ.get("PYWINPTY_BACKEND", "0"))
        self.spawns.append((backend, os.environ.get("PYWINPTY_BACKEND")))
        if effective == CONPTY and not self.conpty_works:
            raise self.conpty_error
        if effective == WINPTY and self.winpty_error is not None:
            raise self.winpty_error
        return self.proc


class FakeJob:
    def __init__(self) -> None:
        self.members: list[int] = []
        self.terminated = self.closed = False

    def assign(self, pid: int) -> bool:
        self.members.append(pid)
        return True

    def terminate(self, exit_code: int = 1) -> None:
        self.terminated = True

    def close(self) -> None:
        self.closed = True


TABLE = [(10, 1, "smartspec-tk.exe"), (30, 10, "winpty-agent.exe"), (20, 30, "cmd.exe"),
         (21, 20, "conhost.exe"), (22, 20, "python.exe"), (23, 22, "ping.exe")]  # fmt: skip


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeWinpty:
    module = FakeWinpty()
    monkeypatch.setitem(sys.modules, "winpty", module)
    monkeypatch.delenv("PYWINPTY_BACKEND", raising=False)
    monkeypatch.delenv("SMARTSPEC_PTY_BACKEND", raising=False)
    return module


Made = tuple[WindowsPtyBackend, FakeJob, list[int]]


def make(table: list[tuple[int, int, str]] | None = None, **kwargs: Any) -> Made:
    job, killed = FakeJob(), []
    backend = WindowsPtyBackend(job_factory=lambda: job, process_table=lambda: list(table or TABLE),
                                kill_pid=killed.append, **kwargs)  # fmt: skip
    return backend, job, killed


def test_conpty_is_asked_for_through_the_environment(fake: FakeWinpty) -> None:
    backend, _job, _killed = make()
    backend.spawn(["cmd.exe"], "C:\\", {}, 80, 24)
    assert fake.spawns == [(None, "0")]  # backend=0 would be ignored by pywinpty: the variable says it
    assert backend.transport == "ConPTY" and backend.transport_note == ""
    assert "PYWINPTY_BACKEND" not in os.environ  # put back as it was


def test_winpty_is_the_fallback_when_conpty_fails(fake: FakeWinpty) -> None:
    fake.conpty_works = False
    backend, _job, _killed = make()
    backend.spawn(["cmd.exe"], "C:\\", {}, 80, 24)
    assert [s[1] for s in fake.spawns] == ["0", "1"] and fake.spawns[1][0] == WINPTY
    assert backend.transport == "WinPTY" and "ConPTY: Invalid handle." in backend.transport_note


def test_the_setting_forces_one_transport(fake: FakeWinpty, monkeypatch: pytest.MonkeyPatch) -> None:
    assert backend_windows.transport_order({"SMARTSPEC_PTY_BACKEND": "winpty"}) == [WINPTY]
    assert backend_windows.transport_order({"SMARTSPEC_PTY_BACKEND": "ConPTY"}) == [CONPTY]
    assert backend_windows.transport_order({"SMARTSPEC_PTY_BACKEND": " WinPTY "}) == [WINPTY]
    assert backend_windows.transport_order({"SMARTSPEC_PTY_BACKEND": "bogus"}) == [CONPTY, WINPTY]
    assert backend_windows.transport_order({"SMARTSPEC_PTY_BACKEND": "auto"}) == [CONPTY, WINPTY]
    assert backend_windows.transport_order({"SMARTSPEC_PTY_BACKEND": ""}) == [CONPTY, WINPTY]
    assert backend_windows.transport_order({}) == [CONPTY, WINPTY]
    monkeypatch.setenv("SMARTSPEC_PTY_BACKEND", "conpty")
    fake.conpty_works = False
    backend, _job, _killed = make()
    with pytest.raises(SpawnFailed, match="ConPTY: Invalid handle"):
        backend.spawn(["cmd.exe"], "C:\\", {}, 80, 24)


def test_a_pywinpty_backend_set_by_the_user_is_overridden_then_put_back(
        fake: FakeWinpty, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("PYWINPTY_BACKEND", "1")  # would make pywinpty use WinPTY for backend=0
    backend, _job, _killed = make()
    backend.spawn(["cmd.exe"], "C:\\", {}, 80, 24)
    assert fake.spawns == [(None, "0")] and backend.transport == "ConPTY"
    assert os.environ["PYWINPTY_BACKEND"] == "1"


def test_a_conpty_session_reads_writes_resizes_and_ends(fake: FakeWinpty) -> None:
    backend, _job, _killed = make()
    backend.spawn(["cmd.exe", "/c", "echo hi"], "C:\\", {}, 80, 24)
    assert backend.transport == "ConPTY" and backend.pid == 20
    fake.proc.out = ["hi \u2713\r\n"]
    assert backend.read(100) == "hi \u2713\r\n".encode()  # pywinpty's text comes back as UTF-8
    backend.write("dir \u00e9\r".encode())
    backend.resize(100, 30)
    assert fake.proc.sent == ["dir \u00e9\r"] and fake.proc.sizes == [(30, 100)]
    assert backend.exit_status() is None
    fake.proc.alive = False
    assert backend.exit_status() == 0 and backend.read(100) == b""


@pytest.mark.parametrize("error", [RuntimeError("conpty.dll missing"), ValueError("bad size")])
def test_any_conpty_failure_falls_back_to_winpty(fake: FakeWinpty, error: BaseException) -> None:
    fake.conpty_works, fake.conpty_error = False, error
    backend, _job, _killed = make()
    backend.spawn(["cmd.exe"], "C:\\", {}, 80, 24)
    assert backend.transport == "WinPTY" and backend.transport_note == f"ConPTY: {error}"


def test_a_conpty_error_without_text_is_named(fake: FakeWinpty) -> None:
    # Wine 10 with a console: pywinpty's conpty.dll fails with an NTSTATUS and the message is empty
    fake.conpty_works, fake.conpty_error = False, WinptyError("")
    backend, _job, _killed = make()
    backend.spawn(["cmd.exe"], "C:\\", {}, 80, 24)
    assert backend.transport_note == "ConPTY: WinptyError without a message"


def test_when_both_transports_fail_the_message_names_both(fake: FakeWinpty) -> None:
    fake.conpty_works = False
    fake.winpty_error = WinptyError("winpty-agent.exe blocked by policy")
    backend, job, _killed = make()
    with pytest.raises(SpawnFailed) as failed:
        backend.spawn(["cmd.exe"], "C:\\", {}, 80, 24)
    assert str(failed.value) == ("the terminal could not start: ConPTY: Invalid handle.; "
                                 "WinPTY: winpty-agent.exe blocked by policy")  # fmt: skip
    assert [s[1] for s in fake.spawns] == ["0", "1"] and job.members == [] and backend.pid == 0


def test_a_missing_program_is_not_retried_on_another_transport(fake: FakeWinpty) -> None:
    def missing(*args: Any, **kwargs: Any) -> FakeProc:
        raise FileNotFoundError("The command was not found or was not executable: pwsh.exe.")

    fake.PtyProcess = types.SimpleNamespace(spawn=missing)
    with pytest.raises(FileNotFoundError):
        make()[0].spawn(["pwsh.exe"], "C:\\", {}, 80, 24)


def test_every_winpty_error_is_caught(fake: FakeWinpty) -> None:
    backend, _job, _killed = make()
    backend.spawn(["cmd.exe"], "C:\\", {}, 80, 24)
    assert backend.read(100) == b"Microsoft Windows\r\n"
    fake.proc.broken = True  # the shell has gone: pywinpty raises WinptyError from everything
    backend.resize(100, 30)
    backend.write(b"dir\r")
    assert backend.read(100) == b""
    assert not backend.is_alive() and backend.exit_status() is None
    assert backend.foreground_busy() is False
    backend.terminate()
    assert fake.proc.closed


def test_the_shell_and_winpty_agent_go_into_the_job(fake: FakeWinpty) -> None:
    backend, job, _killed = make()
    backend.spawn(["cmd.exe"], "C:\\", {}, 80, 24)
    assert job.members == [20, 30]
    conpty_table = [(10, 1, "smartspec-tk.exe"), (20, os.getpid(), "cmd.exe")]
    other, job2, _ = make(conpty_table)
    other.spawn(["cmd.exe"], "C:\\", {}, 80, 24)
    assert job2.members == [20]


def test_busy_means_a_child_other_than_the_console_host(fake: FakeWinpty) -> None:
    backend, _job, _killed = make()
    backend.spawn(["cmd.exe"], "C:\\", {}, 80, 24)
    assert backend.children() == [(22, "python.exe"), (23, "ping.exe")]
    assert backend.foreground_busy()
    idle, _job2, _ = make([(20, 30, "cmd.exe"), (21, 20, "conhost.exe")])
    idle.spawn(["cmd.exe"], "C:\\", {}, 80, 24)
    assert not idle.foreground_busy()


def test_terminate_ends_the_tree_the_job_and_the_pty(fake: FakeWinpty) -> None:
    backend, job, killed = make()
    backend.spawn(["cmd.exe"], "C:\\", {}, 80, 24)
    backend.terminate()
    assert killed[:2] == [23, 22] and job.terminated and job.closed and fake.proc.closed
    assert 20 in killed  # the shell itself: fake's isalive still says alive
