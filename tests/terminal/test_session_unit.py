"""TerminalSession with a scripted backend: decoding, paste, replies, OSC 52, search, exit, shell env."""

from __future__ import annotations

import base64
import sys
import time
import types

import pytest

from smartspec_tk.core.terminal import TerminalSession, login_shell_argv, terminal_env
from smartspec_tk.core.terminal.backend import PtyBackend
from smartspec_tk.core.terminal.backend_windows import WindowsPtyBackend

from .fakes import FakeBackend


def drain(session: TerminalSession, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not session.process(0.005) and session.pending_bytes == 0 and session.exited:
            return
        time.sleep(0.001)
    raise AssertionError("session did not finish")


def wait_written(backend: FakeBackend, expected: bytes) -> None:
    deadline = time.monotonic() + 30
    while expected not in bytes(backend.written) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert expected in bytes(backend.written)


def test_utf8_split_at_every_byte() -> None:
    text = "é€😀 漢字"
    backend = FakeBackend([bytes([b]) for b in text.encode()])
    session = TerminalSession(backend, 20, 3)
    drain(session)
    assert session.line_text(0) == text
    session.close()


def test_paste_strips_escape_and_brackets_when_asked() -> None:
    backend = FakeBackend([b"\x1b[?2004h"], hold_open=True)
    session = TerminalSession(backend, 20, 3)
    session.paste("a\x1b[31m\nb")
    wait_written(backend, b"a[31m\rb")
    assert b"\x1b[200~" not in backend.written
    while not session.bracketed_paste:
        session.process(0.005)
    session.paste("x\r\ny")
    wait_written(backend, b"\x1b[200~x\ry\x1b[201~")
    session.close()


def test_device_status_reply_goes_to_the_pty() -> None:
    backend = FakeBackend([b"\x1b[3;4H\x1b[6n"], hold_open=True)
    session = TerminalSession(backend, 20, 5)
    while session.cursor[:2] != (3, 2):
        session.process(0.005)
    wait_written(backend, b"\x1b[3;4R")
    session.close()


@pytest.mark.parametrize("allowed", [False, True])
def test_osc52_clipboard_write_needs_the_setting(allowed: bool) -> None:
    payload = base64.b64encode(b"secret").decode()
    backend = FakeBackend([f"\x1b]52;c;{payload}\x07\x1b]52;c;?\x07done".encode()])
    session = TerminalSession(backend, 20, 3, allow_clipboard_write=allowed)
    got: list[str] = []
    session.on_clipboard = got.append
    drain(session)
    assert got == (["secret"] if allowed else [])
    assert session.line_text(0) == "done"
    assert backend.written == b""  # a clipboard query is never answered
    session.close()


def test_search_covers_scrollback_and_screen() -> None:
    lines = "".join(f"line {i}\r\n" for i in range(50)) + "Needle here"
    session = TerminalSession(FakeBackend([lines.encode()]), 20, 5, scrollback=100)
    drain(session)
    assert session.history_len() == 46
    hits = session.search("line 1")
    assert hits[0] == (1, 0)
    assert (session.history_len() + 4, 0) in session.search("needle")
    assert session.search("needle", case=True) == []
    session.close()


def test_exit_code_and_title() -> None:
    session = TerminalSession(FakeBackend([b"\x1b]0;job\x07bye"], exit_code=7), 20, 3)
    drain(session)
    assert session.exited and session.exit_code == 7
    assert session.title == "job"
    session.close()


def test_take_dirty_reports_changed_rows_once() -> None:
    backend = FakeBackend([b"\x1b[2;1Hx"], hold_open=True)
    session = TerminalSession(backend, 10, 4)
    while session.pending_bytes or not session.line_text(1):
        session.process(0.005)
    assert 1 in session.take_dirty()
    assert session.take_dirty() == set()
    session.close()


def test_resize_reaches_backend() -> None:
    backend = FakeBackend(hold_open=True)
    session = TerminalSession(backend, 10, 4)
    session.resize(30, 9)
    assert backend.sizes[-1] == (30, 9) and (session.cols, session.rows) == (30, 9)
    session.close()


def test_fake_backend_satisfies_the_protocol() -> None:
    assert isinstance(FakeBackend(), PtyBackend)
    assert isinstance(WindowsPtyBackend(), PtyBackend)


class _FakeWinProc:
    def __init__(self) -> None:
        self.out = ["héllo", ""]
        self.sent: list[str] = []
        self.size = (0, 0)
        self.alive = True
        self.pid = 99
        self.exitstatus = 5

    def read(self, size: int) -> str:
        if self.out:
            return self.out.pop(0)
        self.alive = False
        raise EOFError

    def write(self, text: str) -> None:
        self.sent.append(text)

    def setwinsize(self, rows: int, cols: int) -> None:
        self.size = (rows, cols)

    def isalive(self) -> bool:
        return self.alive

    def terminate(self, force: bool = False) -> None:
        self.alive = False


def test_windows_backend_with_a_fake_winpty(monkeypatch: pytest.MonkeyPatch) -> None:
    proc = _FakeWinProc()
    spawned: list[tuple[object, ...]] = []

    def spawn(argv: list[str], cwd: str, env: dict[str, str], dimensions: tuple[int, int],
              backend: int | None = None) -> _FakeWinProc:
        spawned.append((argv, cwd, dimensions))
        return proc

    fake = types.ModuleType("winpty")
    fake.PtyProcess = types.SimpleNamespace(spawn=spawn)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "winpty", fake)
    backend = WindowsPtyBackend()
    backend.spawn(["cmd.exe"], "C:\\", {}, 80, 24)
    assert spawned == [(["cmd.exe"], "C:\\", (24, 80))]
    assert backend.read(1024) == "héllo".encode()
    backend.write(b"dir\r")
    backend.resize(100, 30)
    assert proc.sent == ["dir\r"] and proc.size == (30, 100)
    assert backend.read(1024) == b""
    assert not backend.is_alive() and backend.exit_status() == 5 and backend.fileno() == -1


def test_terminal_env_and_shell() -> None:
    env = terminal_env({"LANG": "C", "PATH": "/bin", "COLUMNS": "3"}, extra={"X": "1"})
    assert env["TERM"] == "xterm-256color" and env["COLORTERM"] == "truecolor"
    assert "UTF-8" in env["LC_CTYPE"] and "COLUMNS" not in env and env["X"] == "1"
    assert terminal_env({"LANG": "en_US.UTF-8"})["LANG"] == "en_US.UTF-8"
    assert login_shell_argv("", {"SHELL": "/no/such/shell"}) == ["/bin/sh", "-l"]
    assert login_shell_argv("", {"SHELL": "/bin/bash"}) == ["/bin/bash", "-l"]
