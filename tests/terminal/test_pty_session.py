"""Real pty tests: a bash on a real pseudo-terminal driven through TerminalSession."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartspec_tk.core.terminal import TerminalSession

from .helpers import bash_session, foreground_runs, pid_alive, pump_until, screen_text


@pytest.fixture
def bash(tmp_path: Path) -> Iterator[TerminalSession]:
    session = bash_session(tmp_path)
    pump_until(session, lambda: "$" in screen_text(session), what="the prompt")
    yield session
    session.close()


def test_echo_typed_into_bash_shows_output(bash: TerminalSession) -> None:
    bash.write(b"echo hi $((6*7))\r")
    pump_until(bash, lambda: any(bash.line_text(y) == "hi 42" for y in range(bash.rows)), what="hi 42")


def test_ctrl_c_interrupts_sleep(bash: TerminalSession) -> None:
    bash.write(b"sleep 100; echo after-$?\r")
    pump_until(bash, lambda: foreground_runs(bash, "sleep"), what="sleep exec'd in the foreground")
    bash.write(b"\x03")
    pump_until(bash, lambda: not bash.foreground_busy(), what="sleep interrupted")
    bash.write(b"echo back\r")
    pump_until(bash, lambda: "back" in [bash.line_text(y) for y in range(bash.rows)], what="prompt back")
    lines = [bash.line_text(y) for y in range(bash.rows)]
    assert not any(line.startswith("after-") for line in lines)  # ^C ended the whole command list


def test_resize_reaches_the_program(bash: TerminalSession) -> None:
    bash.resize(101, 33)
    bash.write(b"stty size\r")
    pump_until(bash, lambda: "33 101" in screen_text(bash), what="stty size 33 101")
    assert (bash.cols, bash.rows) == (101, 33)


def test_close_leaves_no_process_of_the_session(tmp_path: Path) -> None:
    session = bash_session(tmp_path)
    session.write(b"sleep 1000 & echo bg=$!\r")
    pump_until(session, lambda: re.search(r"^bg=\d+$", screen_text(session), re.M) is not None, what="bg pid")
    match = re.search(r"^bg=(\d+)$", screen_text(session), re.M)
    assert match is not None
    bg_pid, shell_pid = int(match.group(1)), session.backend.pid
    assert pid_alive(bg_pid) and pid_alive(shell_pid)
    pgid = int(Path(f"/proc/{bg_pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[2])
    assert pgid != shell_pid  # job control really gave the job its own group
    session.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and (pid_alive(bg_pid) or pid_alive(shell_pid)):
        time.sleep(0.05)
    assert not pid_alive(bg_pid), "background job survived close()"
    assert not pid_alive(shell_pid), "shell survived close()"


def test_utf8_split_across_reads_renders(bash: TerminalSession) -> None:
    # printf emits the bytes of "é€😀" one write at a time, so reads may split them
    pieces = b"'\\xc3' '\\xa9' '\\xe2\\x82' '\\xac' '\\xf0\\x9f' '\\x98\\x80'"
    bash.write(b"for b in " + pieces + b'; do printf "$b"; sleep 0.05; done; echo\r')
    pump_until(bash, lambda: any(bash.line_text(y) == "é€😀" for y in range(bash.rows)), what="é€😀")


def test_exit_is_reported_with_code(tmp_path: Path) -> None:
    session = bash_session(tmp_path)
    try:
        session.write(b"exit 3\r")
        pump_until(session, lambda: session.exited, what="exit")
        assert session.exit_code == 3
    finally:
        session.close()


def test_flood_is_back_pressured(tmp_path: Path) -> None:
    session = bash_session(tmp_path)
    try:
        session.write(b"yes flood-line-of-text\r")
        deadline = time.monotonic() + 20
        while session.pending_bytes < session.queue_limit and time.monotonic() < deadline:
            time.sleep(0.05)  # nobody processes: the queue fills up to its limit...
        first = session.pending_bytes
        assert first >= session.queue_limit
        time.sleep(0.5)  # ...and then the reader blocks instead of growing it
        assert session.pending_bytes == first <= session.queue_limit + 65536
        session.process(0.05)  # parsing frees room; the reader refills it but stays bounded
        assert "flood-line-of-text" in screen_text(session)
        time.sleep(0.2)
        assert session.pending_bytes <= session.queue_limit + 65536
        session.write(b"\x03")
    finally:
        session.close()


def test_shell_exit_is_seen_even_when_a_job_keeps_the_pty_open(tmp_path: Path) -> None:
    session = bash_session(tmp_path)
    try:
        session.write(b"sleep 1000 & echo bg=$!\r")
        pump_until(session, lambda: re.search(r"^bg=\d+$", screen_text(session), re.M) is not None, what="bg pid")
        match = re.search(r"^bg=(\d+)$", screen_text(session), re.M)
        assert match is not None
        bg_pid = int(match.group(1))
        session.write(b"exit 4\r")
        pump_until(session, lambda: session.exited, what="exit seen")
        assert session.exit_code == 4
        assert pid_alive(bg_pid)  # the job still holds the pty...
    finally:
        session.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and pid_alive(bg_pid):
        time.sleep(0.05)
    assert not pid_alive(bg_pid)  # ...until the tab is closed
