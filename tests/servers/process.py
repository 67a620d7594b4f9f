"""Helpers for real test servers: free loopback ports, a managed child process, readiness polling.

A `ServerProcess` keeps the child's output in a log file (shown when start-up
fails) and always stops the child: SIGTERM to its own process group, then
SIGKILL after a grace period.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]


def _die_with_parent() -> None:
    """In the child before exec (Linux): SIGKILL it when the test process dies, even by SIGKILL,
    so a killed or timed-out pytest leaves no server behind."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)


class ServerStartError(RuntimeError):
    """A test server could not be installed, started or made ready (the fixture fails)."""


def free_ports(count: int) -> list[int]:
    """`count` distinct free TCP ports on 127.0.0.1 (held together while choosing)."""
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for sock in sockets:
            sock.close()


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class ServerProcess:
    """A child process in its own session, its output captured to `log_path`.

    Start it from the main thread (fixtures are): Linux kills the child when the
    starting *thread* ends, which is what makes it die with a killed pytest.
    """

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        log_path: Path,
        *,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        term_grace: float = 3.0,
    ) -> None:
        self.name = name
        self.log_path = log_path
        self.term_grace = term_grace
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log_file = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(
            list(argv),
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=cwd,
            start_new_session=True,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - the test process is single-threaded here
        )
        log.info("%s started, pid %d, log %s", name, self.popen.pid, log_path)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        """Running (not exited). Does not reap the child, so its pid (= pgid) stays ours until stop()."""
        return self._exited() is None

    def _exited(self) -> int | None:
        """The exit status once the leader exited (a zombie until stop() reaps it), else None."""
        if self.popen.returncode is not None:
            return self.popen.returncode
        try:
            info = os.waitid(os.P_PID, self.popen.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return self.popen.poll()
        if info is None:
            return None
        return -info.si_status if info.si_code in (os.CLD_KILLED, os.CLD_DUMPED) else info.si_status

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def wait_ready(self, probe: Callable[[], bool], timeout: float, what: str) -> float:
        """Poll `probe` until true; returns seconds taken. Fails with the log tail on timeout or exit."""
        started = time.monotonic()
        while True:
            status = self._exited()
            if status is not None:
                self.stop()
                raise ServerStartError(f"{self.name} exited with status {status} before {what}:\n{self.log_tail()}")
            with contextlib.suppress(Exception):
                if probe():
                    return time.monotonic() - started
            if time.monotonic() - started > timeout:
                self.stop()
                raise ServerStartError(f"{self.name} not ready after {timeout:.0f} s ({what}):\n{self.log_tail()}")
            time.sleep(0.1)

    def stop(self) -> None:
        """SIGTERM the process group, SIGKILL it after `term_grace` seconds, then reap; idempotent.

        The leader is reaped only after the group got its SIGKILL: until then its pid
        cannot be reused, so the signals can only reach processes we started.
        """
        if self.popen.returncode is None:
            if self.alive():
                self._signal(signal.SIGTERM)
                deadline = time.monotonic() + self.term_grace
                while self.alive() and time.monotonic() < deadline:
                    time.sleep(0.05)
            self._signal(signal.SIGKILL)  # whatever the leader did, none of its children outlive it
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=10)
        if not self._log_file.closed:
            self._log_file.close()

    def _signal(self, sig: signal.Signals) -> None:
        # The child leads its own session (start_new_session), so its pgid is its pid.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, sig)
