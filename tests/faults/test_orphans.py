"""No orphans (finding 9 of issue 13): what a tab started ends with the tab, and with the app
even when the app is killed with `kill -9`. Real ptys, real bash, the real app."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from smartspec_tk.core import orphans
from smartspec_tk.core.orphans import TAB_ENV
from smartspec_tk.core.terminal import TerminalSession
from tests.faults.app_run import free_port, log_text
from tests.terminal.helpers import bash_session, pid_alive, pump_until, screen_text


def _until(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out after {timeout} s waiting for {what}"
        time.sleep(0.05)


def _found(session: TerminalSession, name: str) -> bool:
    """The shell printed `name=<digits>` (not only echoed the command that prints it)."""
    return re.search(name + r"=\d+", screen_text(session)) is not None


def _field(pid: int, index: int) -> int:
    """A number of /proc/<pid>/stat after the state: 1 ppid, 2 process group, 3 session."""
    return int(Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[index])


def test_setsid_and_double_forked_children_end_with_their_tab(tmp_path: Path) -> None:
    session = bash_session(tmp_path)
    try:
        pump_until(session, lambda: "$" in screen_text(session), what="the prompt")
        session.write(b"setsid sh -c 'echo own-session=$$; exec sleep 1000' &\r")
        session.write(b"( sleep 1001 & echo orphan=$! ) \r")
        pump_until(session, lambda: _found(session, "own-session") and _found(session, "orphan"), what="the pids")
        text = screen_text(session)
        escaped = int(re.findall(r"own-session=(\d+)", text)[0])
        orphan = int(re.findall(r"orphan=(\d+)", text)[0])
        shell = session.backend.pid
        _until(lambda: Path(f"/proc/{escaped}/comm").read_text().strip() == "sleep", "the exec of sleep")
        assert _field(escaped, 3) == escaped != shell  # left the shell's session and process group
        assert pid_alive(orphan) and _field(orphan, 1) != shell  # its parent exited: adopted by init
        assert f"{TAB_ENV}=".encode() in Path(f"/proc/{escaped}/environ").read_bytes()
    finally:
        session.close()
    _until(lambda: not pid_alive(escaped) and not pid_alive(orphan), "the tab's processes to end", timeout=10)
    assert not pid_alive(shell)


def test_another_tabs_processes_are_left_alone(tmp_path: Path) -> None:
    first, second = bash_session(tmp_path), bash_session(tmp_path)
    try:
        for session in (first, second):
            pump_until(session, lambda s=session: "$" in screen_text(s), what="the prompt")  # type: ignore[misc]
            session.write(b"setsid sh -c 'echo own-session=$$; exec sleep 1000' &\r")
            pump_until(session, lambda s=session: _found(s, "own-session"), what="the pid")  # type: ignore[misc]
        kept = int(re.findall(r"own-session=(\d+)", screen_text(second))[0])
        ended = int(re.findall(r"own-session=(\d+)", screen_text(first))[0])
        first.close()
        _until(lambda: not pid_alive(ended), "the first tab's process to end", timeout=10)
        assert pid_alive(kept), "closing one tab ended another tab's process"
    finally:
        first.close()
        second.close()
    _until(lambda: not pid_alive(kept), "the second tab's process to end", timeout=10)


def _shell_script(tmp_path: Path, pids: Path) -> Path:
    """A 'login shell' for the app's first tab: an interactive bash that starts background jobs."""
    rc = tmp_path / "jobs.rc"
    rc.write_text(
        f"PIDS={pids}\n"
        "sleep 1000 & echo $! >> $PIDS\n"  # a job in its own process group
        "nohup sleep 1000 >/dev/null 2>&1 & echo $! >> $PIDS\n"  # immune to SIGHUP
        "setsid sh -c 'echo $$ >> '$PIDS'; exec sleep 1000' &\n"  # its own session
        "( sleep 1000 & echo $! >> $PIDS )\n"  # adopted by init
        "echo $$ >> $PIDS\n"  # the shell
    )
    script = tmp_path / "jobs-shell"
    script.write_text(f"#!/bin/bash\nexec bash --noprofile --rcfile {rc} -i\n")
    script.chmod(0o755)
    return script


def test_kill_minus_9_of_the_app_ends_every_job_of_its_tabs(tmp_path: Path, app_home: Path) -> None:
    pids_file = tmp_path / "pids"
    env = dict(os.environ, SMARTSPEC_BACKEND_URL=f"http://127.0.0.1:{free_port()}",
               SMARTSPEC_SHELL=str(_shell_script(tmp_path, pids_file)))  # fmt: skip
    app = subprocess.Popen([sys.executable, "-m", "smartspec_tk"], env=env, cwd=tmp_path,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        lines: list[str] = []

        def all_started() -> bool:
            lines[:] = pids_file.read_text().split() if pids_file.exists() else []
            return len(lines) == 5 and all(pid_alive(int(p)) for p in lines)

        _until(all_started, "the tab's five processes", timeout=60)
        jobs = [int(p) for p in lines]
        _until(lambda: "main window mapped" in log_text(app_home), "the window")
        app.send_signal(signal.SIGKILL)
        app.wait(10)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(10)
    _until(lambda: not any(pid_alive(p) for p in jobs), "every job to end after the app's kill -9", timeout=15)


def _waiting_watchdog(marker: Path) -> subprocess.Popen[bytes]:
    """The watchdog's waiting shell with `touch MARKER` standing in for the Python watchdog."""
    return subprocess.Popen(["/bin/sh", "-c", orphans.WAIT_THEN_EXEC, "tab-watchdog", "touch", str(marker)],
                            stdin=subprocess.PIPE)  # fmt: skip


def test_a_normal_quit_releases_the_watchdog_without_starting_it(tmp_path: Path, monkeypatch: Any) -> None:
    # A frozen app's watchdog would unpack the executable again: after a normal quit it must not run.
    released = _waiting_watchdog(tmp_path / "released")
    monkeypatch.setattr(orphans, "_watchdog", released)
    orphans.release_watchdog()
    assert released.wait(10) == 0 and not (tmp_path / "released").exists()
    died = _waiting_watchdog(tmp_path / "died")  # the app died: its end of the pipe closes, nothing said
    assert died.stdin is not None
    died.stdin.close()
    assert died.wait(10) == 0 and (tmp_path / "died").exists()


def test_sigterm_quits_the_app_like_the_quit_command(tmp_path: Path, app_home: Path) -> None:
    # A logout or `kill` sends SIGTERM: the app quits normally (exit 0, its tabs closed and the
    # watchdog released), instead of dying and leaving the tabs to the watchdog.
    pids_file = tmp_path / "pids"
    env = dict(os.environ, SMARTSPEC_BACKEND_URL=f"http://127.0.0.1:{free_port()}",
               SMARTSPEC_SHELL=str(_shell_script(tmp_path, pids_file)))  # fmt: skip
    app = subprocess.Popen([sys.executable, "-m", "smartspec_tk"], env=env, cwd=tmp_path,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        _until(lambda: pids_file.exists() and len(pids_file.read_text().split()) == 5, "the tab's processes", 60)
        jobs = [int(p) for p in pids_file.read_text().split()]
        _until(lambda: "main window mapped" in log_text(app_home), "the window")
        app.send_signal(signal.SIGTERM)
        assert app.wait(30) == 0, "SIGTERM should quit the app normally"
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(10)
    _until(lambda: not any(pid_alive(p) for p in jobs), "every job to end with the app's quit", timeout=15)
