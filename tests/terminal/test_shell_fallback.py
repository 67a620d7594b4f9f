"""The shell chain (Windows: SMARTSPEC_SHELL, pwsh, powershell, then %COMSPEC%/cmd.exe), the
fallback when a shell cannot start or ends at once, and a failed spawn shown in its tab.
The chain logic runs with fakes and a fake clock; the fallback and the failed spawn also on a
real pty with real programs."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator

import pytest

from smartspec_tk.core import terminal
from smartspec_tk.core.terminal import TerminalSession, shell, start_session
from smartspec_tk.core.terminal.backend_posix import PosixPtyBackend
from smartspec_tk.core.terminal.fallback import FailedBackend, FallbackBackend, ShellChoice
from smartspec_tk.ui.terminal.actions import self_test_program

from .fakes import FakeBackend

WINDOWS_PATHS = {"pwsh.exe": "C:\\Program Files\\PowerShell\\7\\pwsh.exe",
                 "powershell.exe": "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                 "cmd.exe": "C:\\Windows\\System32\\cmd.exe"}  # fmt: skip


def test_the_windows_chain_in_order() -> None:
    choices, notes = shell.windows_shell_chain("", {"COMSPEC": "C:\\Windows\\system32\\cmd.exe"}, WINDOWS_PATHS.get)
    assert [c.label for c in choices] == ["pwsh.exe", "powershell.exe", "cmd.exe"] and notes == []
    assert choices[0].argv == [WINDOWS_PATHS["pwsh.exe"], "-NoLogo"]
    assert choices[-1].argv == ["C:\\Windows\\system32\\cmd.exe"]
    choices, notes = shell.windows_shell_chain("D:\\tools\\nu.exe", {}, {"cmd.exe": WINDOWS_PATHS["cmd.exe"]}.get)
    assert [c.label for c in choices] == ["nu.exe", "cmd.exe"]
    assert choices[-1].argv == [WINDOWS_PATHS["cmd.exe"]]
    assert notes == ["pwsh.exe not found", "powershell.exe not found"]
    assert shell.windows_shell_chain("", {}, lambda name: None)[0][-1].argv == ["cmd.exe"]  # always last


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def read_all(backend: FallbackBackend) -> bytes:
    out = b""
    while chunk := backend.read(1024):
        out += chunk
    return out


def test_a_shell_that_ends_at_once_is_replaced_by_the_next() -> None:
    made: list[FakeBackend] = [FakeBackend([], exit_code=0), FakeBackend([b"C:\\> "], hold_open=True)]
    backends = iter(made)
    fallback = FallbackBackend([ShellChoice(["powershell.exe"], "powershell.exe"), ShellChoice(["cmd.exe"], "cmd.exe")],
                               lambda: next(backends), notes=["pwsh.exe not found"], clock=Clock())  # fmt: skip
    fallback.spawn([], "C:\\", {}, 80, 24)
    assert fallback.read(1024) == b"\x1b[2m[powershell.exe \xe2\x80\x94 pwsh.exe not found]\x1b[0m\r\n"
    second_notice = fallback.read(1024)  # powershell ended without a word: cmd.exe takes over
    assert b"[cmd.exe \xe2\x80\x94 pwsh.exe not found; powershell.exe ended at once (status 0)]" in second_notice
    assert made[0].terminated and fallback.read(1024) == b"C:\\> "
    fallback.write(b"dir\r")
    fallback.resize(100, 30)
    assert made[1].written == b"dir\r" and made[1].sizes[-1] == (100, 30)
    fallback.terminate()
    assert made[1].terminated


def test_a_shell_that_ran_for_a_while_is_not_replaced() -> None:
    clock = Clock()
    made = [FakeBackend([b"PS> "], exit_code=3), FakeBackend([b"never"])]
    backends = iter(made)
    fallback = FallbackBackend([ShellChoice(["pwsh.exe"], "pwsh.exe"), ShellChoice(["cmd.exe"], "cmd.exe")],
                               lambda: next(backends), clock=clock)  # fmt: skip
    fallback.spawn([], "C:\\", {}, 80, 24)
    assert fallback.read(1024).startswith(b"\x1b[2m[pwsh.exe]") and fallback.read(1024) == b"PS> "
    clock.now += 60  # the user typed `exit` a minute later
    assert fallback.read(1024) == b"" and fallback.exit_status() == 3 and fallback.label == "pwsh.exe"


class Refusing(FakeBackend):
    def spawn(self, *args: object) -> None:
        raise PermissionError("[WinError 1260] This program is blocked by group policy")


def test_a_blocked_shell_is_skipped_and_all_blocked_raises() -> None:
    backends = iter([Refusing(), FakeBackend([b"ok"], hold_open=True)])
    fallback = FallbackBackend([ShellChoice(["powershell.exe"], "powershell.exe"), ShellChoice(["cmd.exe"], "cmd.exe")],
                               lambda: next(backends), clock=Clock())  # fmt: skip
    fallback.spawn([], "C:\\", {}, 80, 24)
    assert b"cmd.exe \xe2\x80\x94 powershell.exe could not start: [WinError 1260]" in fallback.read(1024)
    nothing = FallbackBackend([ShellChoice(["x"], "x")], Refusing, clock=Clock())
    with pytest.raises(OSError, match="no shell could start: x could not start"):
        nothing.spawn([], "C:\\", {}, 80, 24)


def test_windows_tabs_run_the_chain_and_a_total_failure_shows_in_the_tab(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(shell, "make_backend", Refusing)
    monkeypatch.delenv("COMSPEC", raising=False)
    backend = shell.spawn_shell("", "C:\\", 80, 24, {})
    assert isinstance(backend, FailedBackend)
    assert "could not start the shell: no shell could start" in backend.message and "cmd.exe" in backend.message
    monkeypatch.setattr(shell, "make_backend", lambda: FakeBackend([b"C:\\>"], hold_open=True))
    running = shell.spawn_shell("", "C:\\", 80, 24, {})
    assert isinstance(running, FallbackBackend) and running.label == "cmd.exe"
    running.terminate()


@pytest.fixture
def sessions() -> Iterator[list[TerminalSession]]:
    made: list[TerminalSession] = []
    yield made
    for session in made:
        session.close()


def wait_text(session: TerminalSession, wanted: str, wait: Callable[..., None]) -> None:
    def seen() -> bool:
        session.process(0.01)
        return wanted in "\n".join(session.line_text(y) for y in range(session.rows))

    wait(seen, 15, repr(wanted))


def test_the_fallback_on_a_real_pty(sessions: list[TerminalSession], wait_until: Callable[..., None]) -> None:
    """/bin/true ends at once, so /bin/sh takes over in the same tab and runs a command."""
    fallback = FallbackBackend([ShellChoice(["/bin/true"], "true"), ShellChoice(["/bin/sh", "-i"], "sh")],
                               PosixPtyBackend, quick_exit_s=60)  # fmt: skip
    fallback.spawn([], "/", terminal.terminal_env(), 80, 24)
    session = TerminalSession(fallback, 80, 24)
    sessions.append(session)
    wait_text(session, "[sh — true ended at once", wait_until)
    session.write(b"echo fell-back-$((6*7))\r")
    wait_text(session, "fell-back-42", wait_until)


def test_a_program_that_cannot_start_shows_why_in_its_tab(sessions: list[TerminalSession],
                                                         wait_until: Callable[..., None]) -> None:
    session = start_session("/", argv=["/no/such/program"])
    sessions.append(session)
    wait_text(session, "could not start /no/such/program", wait_until)
    wait_until(lambda: (session.process(0.01), session.exited)[1], 10, "the failed tab to end")
    assert session.exit_code is None


def test_the_self_check_uses_cmd_on_windows() -> None:
    argv, keys = self_test_program("win32", {"COMSPEC": "C:\\Windows\\system32\\cmd.exe"})
    assert argv == ["C:\\Windows\\system32\\cmd.exe"] and keys == "echo smartspec-self-test-4^2\r"
    assert "smartspec-self-test-42" not in keys  # only cmd's output can show it
    assert self_test_program("win32", {})[0] == ["cmd.exe"]
    assert self_test_program("linux", {})[0] == ["/bin/sh", "-i"]
