"""The embedded default backend: when nothing answers at a loopback backend URL (or the user
asked for it), the app runs the reference backend as a child process and stops it on exit.
When the child dies on its own it is started again (`core/embedded_watch.py`).

Called once by the composition root before `Services.build`; Tk-free.
"""

from __future__ import annotations

import atexit
import contextlib
import ipaddress
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from smartspec_tk.core.child_env import child_env
from smartspec_tk.core.paths import AppPaths
from smartspec_tk.core.settings import Settings

if TYPE_CHECKING:
    from smartspec_tk.core.winsys import JobObject

log = logging.getLogger(__name__)

PROBE_TIMEOUT = 0.3
READY_TIMEOUT = 5.0
# Windows: the child gets its own process group and no console window flashing up
_WINDOWS_FLAGS = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0) | getattr(subprocess, "CREATE_NO_WINDOW", 0)
_LISTENING = re.compile(r"listening on (http://\S+)")


@dataclass
class EmbeddedBackend:
    """A running child backend; `settings` point the app at it."""

    process: subprocess.Popen[bytes]
    url: str
    settings: Settings
    log_path: Path
    job: JobObject | None = None
    env: Mapping[str, str] = field(default_factory=dict, repr=False)
    root: Path | None = None
    _stopped: bool = field(default=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def stopped(self) -> bool:
        """True once `stop` was called: the app asked the child to end."""
        return self._stopped

    def restart(self, ready_timeout: float = READY_TIMEOUT) -> bool:
        """Start the child again on the same address (after it died); True when it answers.
        Any thread (the watcher's); does nothing once `stop` was called."""
        parts = urlsplit(self.url)
        argv = backend_command(parts.hostname or "127.0.0.1", parts.port or 80, self.root or Path("."))
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0  # skip the old `listening on`
        with self._lock:
            if self._stopped:
                return False
            old_job = self.job
            self.process, self.job = _spawn(argv, self.env, self.log_path, append=True)
        if old_job is not None:
            old_job.close()
        if _wait_listening(self.process, self.log_path, ready_timeout, offset=offset) is None:
            _end(self.process, kill=True)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
            return False
        log.info("demo backend restarted at %s (pid %d)", self.url, self.process.pid)
        return not self._stopped

    def stop(self, grace: float = 3.0) -> None:
        """Stop the child's whole process group: SIGTERM, then SIGKILL after `grace`; idempotent.
        On Windows (no signals, no process groups) the job object that holds the child ends it and
        whatever it started (the one-file exe's bootloader starts the real program as its child)."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        if self.job is not None:  # Windows: the onefile exe is a bootloader and its child; end both
            self.job.terminate()
        _end(self.process, kill=False)
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            _end(self.process, kill=True)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
        if self.job is not None:
            self.job.close()
        log.info("demo backend stopped (exit status %s)", self.process.returncode)


def _end(process: subprocess.Popen[bytes], *, kill: bool) -> None:
    """Ask the child's process group to stop (SIGTERM), or kill it (SIGKILL); on Windows
    there are neither signals nor groups, so both are TerminateProcess via Popen."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        if sys.platform == "win32":
            process.kill() if kill else process.terminate()
        else:
            os.killpg(process.pid, signal.SIGKILL if kill else signal.SIGTERM)


def is_loopback_host(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def answers(host: str, port: int, timeout: float = PROBE_TIMEOUT) -> bool:
    """True when a TCP connection to host:port succeeds within `timeout`."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def backend_command(host: str, port: int, root: Path) -> list[str]:
    """The argv that runs the reference backend, from source or from the frozen executable."""
    if getattr(sys, "frozen", False):
        head = [sys.executable, "backend"]
    else:
        head = [sys.executable, "-m", "smartspec_tk.backend"]
    return [*head, "--host", host, "--port", str(port), "--root", str(root), "--exit-with-parent", str(os.getpid())]


def _where(settings: Settings) -> tuple[str, int] | None:
    """(bind host, port) for the child, or None when no embedded backend should run."""
    mode = settings.embedded_backend
    parts = urlsplit(settings.backend_url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    usable = parts.scheme == "http" and is_loopback_host(host)
    if mode == "never" or (mode == "auto" and not usable):
        return None
    probe_host = "127.0.0.1" if host.lower() == "localhost" else host
    if usable and answers(probe_host, port):
        return None if mode == "auto" else ("127.0.0.1", 0)
    return (probe_host, port) if usable else ("127.0.0.1", 0)


def start_embedded_backend(
    settings: Settings, paths: AppPaths, ready_timeout: float = READY_TIMEOUT
) -> EmbeddedBackend | None:
    """Start the demo backend when the settings call for it; None when not needed or it failed."""
    where = _where(settings)
    if where is None:
        return None
    host, port = where
    log_path = paths.log_dir / "demo-backend.log"
    env = child_env(same_program=True)  # no secrets; frozen: it reuses our unpacked files (see core.frozen)
    if not getattr(sys, "frozen", False):  # run from source: make sure the child finds this package
        package_parent = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH", "")) if p)
    if settings.token:
        env["SMARTSPEC_PROXY_TOKEN"] = settings.token
    root = _writable_root(paths.data_dir / "demo-backend")
    process, job = _spawn(backend_command(host, port, root), env, log_path, append=False)
    url = _wait_listening(process, log_path, ready_timeout)
    if url is None:
        log.warning("demo backend did not start within %.1f s; see %s", ready_timeout, log_path.name)
        EmbeddedBackend(process, "", settings, log_path, job).stop(grace=1.0)
        return None
    if port == 0:  # "always" with the configured port taken or not on loopback: point the app at ours
        settings = settings.model_copy(update={"backend_url": url})
    embedded = EmbeddedBackend(process, url, settings, log_path, job, env, root)
    atexit.register(embedded.stop)
    log.info("demo backend started at %s (pid %d)", url, process.pid)
    return embedded


def make_job() -> JobObject | None:
    """Windows: a kill-on-close job for the child (`core/winsys.py`); elsewhere None, and ctypes
    (which winsys needs, about 0.4 MB resident) is never loaded."""
    if sys.platform != "win32":
        return None
    from smartspec_tk.core.winsys import make_job as windows_job

    return windows_job()


def _spawn(argv: list[str], env: Mapping[str, str], log_path: Path, *,
           append: bool) -> tuple[subprocess.Popen[bytes], JobObject | None]:  # fmt: skip
    """Start the child in its own process group (Windows: in a job object), its output in `log_path`."""
    with open(log_path, "ab" if append else "wb") as out:
        process = subprocess.Popen(
            argv,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=dict(env),
            start_new_session=sys.platform != "win32",
            creationflags=_WINDOWS_FLAGS,
        )
    job = make_job()  # Windows: the child ends with us even when we crash
    if job is not None:
        job.assign(process.pid)
    return process, job


def _writable_root(root: Path) -> Path:
    """`root`, or a fresh temporary folder when the data folder cannot be written (read-only or full)."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = root / ".write-probe"
        probe.write_bytes(b"ok")
        probe.unlink()
        return root
    except OSError as exc:
        fallback = Path(tempfile.mkdtemp(prefix="smartspec-demo-backend-"))
        log.warning("the demo backend's folder %s cannot be written (%s); using %s for this run", root, exc, fallback)
        return fallback


def _wait_listening(process: subprocess.Popen[bytes], log_path: Path, timeout: float,
                    offset: int = 0) -> str | None:  # fmt: skip
    """The URL from the child's `listening on` line (after byte `offset` of the log) once it answers, or None."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        with open(log_path, "rb") as f:
            f.seek(offset)
            match = _LISTENING.search(f.read().decode("utf-8", errors="replace"))
        if match:
            parts = urlsplit(match[1])
            if answers(parts.hostname or "127.0.0.1", parts.port or 80):
                return match[1]
        time.sleep(0.02)
    return None
