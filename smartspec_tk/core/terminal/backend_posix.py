"""POSIX pty backend on ptyprocess: coalescing reads, and a terminate that kills the
whole session of the child (found through /proc, or `ps` where there is no /proc).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import select
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence

from ptyprocess import PtyProcess

from smartspec_tk.core.frozen import external_env
from smartspec_tk.core.orphans import TAB_ENV, marked_processes, new_tab_mark

log = logging.getLogger(__name__)


def restore_default_signals() -> None:
    """In the forked child: every signal back to its default and none blocked, before the exec.

    Ignored signals and the blocked mask survive exec. Python ignores SIGPIPE and SIGXFSZ
    (else `ls | head` in a tab prints "ls: write error"), and an app started in the
    background by a script inherits SIGINT and SIGQUIT ignored: Ctrl+C would then never
    stop a program in any tab.
    """
    for number in signal.valid_signals():
        if number in (signal.SIGKILL, signal.SIGSTOP):
            continue
        with contextlib.suppress(OSError, ValueError):
            if signal.getsignal(number) == signal.SIG_IGN:
                signal.signal(number, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, set())


def session_pids(sid: int) -> list[int]:
    """Every live process whose session id (or process group) is `sid`."""
    pids: list[int] = []
    if os.path.isdir("/proc/self"):
        from smartspec_tk.core.orphans import process_table

        return [pid for pid, (_ppid, group, session) in process_table().items() if sid in (group, session)]
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(["ps", "-A", "-o", "pid=,pgid=,sess=,stat="], capture_output=True,
                             text=True, timeout=5).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) >= 4 and not parts[3].startswith("Z") and str(sid) in parts[1:3]:
                pids.append(int(parts[0]))
    return pids


class PosixPtyBackend:
    """PtyBackend for Linux and macOS."""

    def __init__(self) -> None:
        self._proc: PtyProcess | None = None
        self.mark = new_tab_mark()
        self._closed = False
        self._wait_lock = threading.Lock()  # isalive() reaps the child; reader and UI both ask

    def spawn(self, argv: Sequence[str], cwd: str, env: Mapping[str, str], cols: int, rows: int) -> None:
        # external_env: in the one-file binary, drop the bootloader's LD_LIBRARY_PATH and _PYI_* variables.
        # The tab's mark goes to everything the shell starts (core/orphans.py).
        child_env = {**external_env(env), TAB_ENV: self.mark}
        self._proc = PtyProcess.spawn(list(argv), cwd=cwd, env=child_env, dimensions=(rows, cols),
                                      preexec_fn=restore_default_signals)
        os.set_blocking(self._proc.fd, False)

    @property
    def proc(self) -> PtyProcess:
        if self._proc is None:
            raise RuntimeError("pty backend not spawned")
        return self._proc

    @property
    def pid(self) -> int:
        return int(self._proc.pid) if self._proc is not None else 0

    def fileno(self) -> int:
        return int(self.proc.fd)  # ptyprocess is untyped

    def read(self, max_bytes: int) -> bytes:
        """Wait for output, then take everything available up to max_bytes."""
        fd = self.proc.fd
        chunks: list[bytes] = []
        size = 0
        while not self._closed:
            try:
                data = os.read(fd, max_bytes - size)
            except BlockingIOError:
                if chunks:
                    break
                try:
                    ready, _, _ = select.select([fd], [], [], 0.25)
                except (OSError, ValueError):
                    break
                if not ready and not self.is_alive():
                    break  # the shell is gone though a leftover job keeps the pty open
                continue
            except OSError as exc:  # EIO: the slave side is closed
                if exc.errno not in (errno.EIO, errno.EBADF):
                    log.debug("pty read failed: %s", exc)
                break
            if not data:
                break
            chunks.append(data)
            size += len(data)
            if size >= max_bytes:
                break
        return b"".join(chunks)

    def write(self, data: bytes) -> None:
        fd = self.proc.fd
        view = memoryview(data)
        while view and not self._closed:
            try:
                view = view[os.write(fd, view):]
            except BlockingIOError:
                try:
                    select.select([], [fd], [], 0.25)
                except (OSError, ValueError):
                    return
            except OSError as exc:
                log.debug("pty write failed: %s", exc)
                return

    def resize(self, cols: int, rows: int) -> None:
        with contextlib.suppress(OSError):
            self.proc.setwinsize(rows, cols)

    def is_alive(self) -> bool:
        if self._proc is None:
            return False
        with self._wait_lock:
            return bool(self._proc.isalive())

    def exit_status(self) -> int | None:
        proc = self._proc
        if proc is None or self.is_alive():
            return None
        if proc.signalstatus is not None:
            return -int(proc.signalstatus)
        return int(proc.exitstatus) if proc.exitstatus is not None else None

    def foreground_busy(self) -> bool:
        if not self.is_alive():
            return False
        try:
            return os.tcgetpgrp(self.fileno()) != self.pid
        except OSError:
            return False

    def _session_members(self, sid: int) -> list[int]:
        """The shell's session and every process with this tab's mark (`setsid`, `nohup`, double
        forks: core/orphans.py); the session only while it cannot belong to another process.

        Linux never reuses a pid still in use as a session id, so while members live the
        sid is ours; but after the last one exits, a new session leader may get that pid.
        """
        marked = marked_processes(self.mark)
        if not self.is_alive() and os.path.exists(f"/proc/{sid}"):
            return marked
        return sorted({*session_pids(sid), *marked})

    def terminate(self) -> None:
        """SIGHUP+SIGCONT, SIGTERM, then SIGKILL to every process of the child's session."""
        if self._proc is None:
            return
        sid = self._proc.pid
        self._closed = True
        for sig, wait in ((signal.SIGHUP, 0.3), (signal.SIGTERM, 0.5), (signal.SIGKILL, 1.0)):
            pids = self._session_members(sid)
            if not pids and not self.is_alive():
                break
            # the shell's own pid only while it is unreaped (a reaped pid may be reused)
            for pid in [*pids, *([sid] if self.is_alive() and sid not in pids else [])]:
                with contextlib.suppress(OSError):
                    os.kill(pid, sig)
                    if sig == signal.SIGHUP:
                        os.kill(pid, signal.SIGCONT)
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline and (self.is_alive() or self._session_members(sid)):
                time.sleep(0.02)
        with self._wait_lock, contextlib.suppress(OSError):
            self._proc.close(force=True)
