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
import time
from collections.abc import Callable, Sequence
from pathlib import Path

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]


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
    """A child process in its own session, its output captured to `log_path`."""

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
        )
        log.info("%s started, pid %d, log %s", name, self.popen.pid, log_path)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

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
            if not self.alive():
                raise ServerStartError(
                    f"{self.name} exited with status {self.popen.returncode} before {what}:\n{self.log_tail()}"
                )
            with contextlib.suppress(Exception):
                if probe():
                    return time.monotonic() - started
            if time.monotonic() - started > timeout:
                self.stop()
                raise ServerStartError(f"{self.name} not ready after {timeout:.0f} s ({what}):\n{self.log_tail()}")
            time.sleep(0.1)

    def stop(self) -> None:
        """SIGTERM the process group, SIGKILL it after `term_grace` seconds; idempotent."""
        if self.alive():
            self._signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=self.term_grace)
            except subprocess.TimeoutExpired:
                log.info("%s did not stop within %.1f s; SIGKILL", self.name, self.term_grace)
        # Whatever the leader did, no child of ours may outlive the fixture.
        self._signal(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=10)
        if not self._log_file.closed:
            self._log_file.close()

    def _signal(self, sig: signal.Signals) -> None:
        # The child leads its own session (start_new_session), so its pgid is its pid.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, sig)
