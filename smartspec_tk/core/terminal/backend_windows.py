"""Windows pty backend on pywinpty: ConPTY first, WinPTY (winpty-agent.exe) as the fallback.

pywinpty is imported lazily so this module loads everywhere; the unit tests drive it with a
fake `winpty` module (tests/terminal/test_windows_backend.py).

- The transport is chosen deliberately, in `transport_order()`: `SMARTSPEC_PTY_BACKEND`
  (`conpty`, `winpty` or `auto`), default ConPTY then WinPTY. pywinpty's
  `PtyProcess.spawn(backend=0)` silently ignores ConPTY (0 is falsy and it falls back to the
  environment), so the choice is passed through `PYWINPTY_BACKEND` as well. The transport that
  worked (and why another did not) is logged and kept in `transport`/`transport_note`.
- Every pywinpty call may raise `winpty.WinptyError` (for example `set_size` after the shell
  exited); each one is caught here, so it can never become an "internal error".
- The shell goes into a kill-on-close Job Object (core.winsys): closing the tab or the app
  ends the whole process tree, not only the shell. The busy check before closing walks the
  process table (CreateToolhelp32Snapshot), no `wmic` (gone from recent Windows 11).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from smartspec_tk.core import winsys
from smartspec_tk.core.frozen import external_env

log = logging.getLogger(__name__)

CONPTY, WINPTY = 0, 1  # pywinpty's Backend enum values
TRANSPORT_NAMES = {CONPTY: "ConPTY", WINPTY: "WinPTY"}
_ENV_LOCK = threading.Lock()  # PYWINPTY_BACKEND is process-wide


def _winpty() -> Any:
    return importlib.import_module("winpty")


def pty_errors(module: Any = None) -> tuple[type[BaseException], ...]:
    """The exceptions a pywinpty call can raise: OSError, EOFError and winpty.WinptyError."""
    errors: list[type[BaseException]] = [OSError, EOFError]
    with contextlib.suppress(ImportError):
        module = _winpty() if module is None else module
    found = getattr(module, "WinptyError", None)
    if isinstance(found, type) and issubclass(found, BaseException):
        errors.append(found)
    return tuple(errors)


def transport_order(environ: Mapping[str, str] | None = None) -> list[int]:
    """Which transports to try, in order, from SMARTSPEC_PTY_BACKEND (default: ConPTY, WinPTY)."""
    env = os.environ if environ is None else environ
    wanted = env.get("SMARTSPEC_PTY_BACKEND", "auto").strip().lower()
    if wanted == "conpty":
        return [CONPTY]
    if wanted == "winpty":
        return [WINPTY]
    if wanted not in ("", "auto"):
        log.warning("SMARTSPEC_PTY_BACKEND=%r is not conpty, winpty or auto; using auto", wanted)
    return [CONPTY, WINPTY]


def describe_error(exc: BaseException) -> str:
    """The error's text, or its type when it has none (pywinpty's ConPTY under Wine 10 raises
    WinptyError('') when its conpty.dll fails with an NTSTATUS that has no message)."""
    return str(exc).strip() or f"{type(exc).__name__} without a message"


class SpawnFailed(OSError):
    """No transport could start the program; the message says what each one answered."""


class WindowsPtyBackend:
    """PtyBackend for Windows; pywinpty hands out text, which is re-encoded as UTF-8."""

    def __init__(self, *, order: Sequence[int] | None = None, job_factory: Callable[[], Any] | None = None,
                 process_table: Callable[[], list[tuple[int, int, str]]] | None = None,
                 kill_pid: Callable[[int], object] | None = None) -> None:
        self._proc: Any = None
        self._closed = False
        self._order = list(order) if order is not None else None
        self._job_factory = job_factory or winsys.make_job
        self._process_table = process_table or winsys.process_table
        self._kill_pid = kill_pid or winsys.terminate_pid
        self._job: Any = None
        self._errors: tuple[type[BaseException], ...] = (OSError, EOFError)
        self.transport = ""
        self.transport_note = ""

    def spawn(self, argv: Sequence[str], cwd: str, env: Mapping[str, str], cols: int, rows: int) -> None:
        module = _winpty()
        self._errors = pty_errors(module)
        retry: tuple[type[BaseException], ...] = (*self._errors, ValueError, RuntimeError)
        tried: list[str] = []
        for kind in self._order if self._order is not None else transport_order():
            name = TRANSPORT_NAMES.get(kind, str(kind))
            try:
                self._proc = self._spawn_with(module, kind, argv, cwd, env, cols, rows)
            except FileNotFoundError:
                raise
            except retry as exc:
                why = describe_error(exc)
                log.info("terminal: %s could not start %s: %s", name, argv[0] if argv else "?", why)
                tried.append(f"{name}: {why}")
                continue
            self.transport = name
            self.transport_note = "; ".join(tried)
            log.info("terminal: %s transport%s", name, f" ({self.transport_note})" if tried else "")
            self._contain()
            return
        raise SpawnFailed("the terminal could not start: " + ("; ".join(tried) or "no transport"))

    @staticmethod
    def _spawn_with(module: Any, kind: int, argv: Sequence[str], cwd: str, env: Mapping[str, str],
                    cols: int, rows: int) -> Any:
        with _ENV_LOCK:
            previous = os.environ.get("PYWINPTY_BACKEND")
            os.environ["PYWINPTY_BACKEND"] = str(kind)  # backend=0 alone would be ignored
            try:
                # external_env: in the one-file exe, drop the bootloader's _PYI_* and TCL/TK variables
                return module.PtyProcess.spawn(list(argv), cwd=cwd, env=external_env(env), dimensions=(rows, cols),
                                               backend=kind or None)
            finally:
                if previous is None:
                    os.environ.pop("PYWINPTY_BACKEND", None)
                else:
                    os.environ["PYWINPTY_BACKEND"] = previous

    def _contain(self) -> None:
        """Put the shell (and WinPTY's agent, its parent) into a kill-on-close job."""
        self._job = self._job_factory()
        if self._job is None or not self.pid:
            return
        self._job.assign(self.pid)
        with contextlib.suppress(OSError):
            table = self._process_table()
            names = {pid: name for pid, _parent, name in table}
            parent = next((pp for pid, pp, _name in table if pid == self.pid), 0)
            if parent and parent != os.getpid() and names.get(parent, "").lower() == "winpty-agent.exe":
                self._job.assign(parent)

    @property
    def pid(self) -> int:
        if self._proc is None:
            return 0
        with contextlib.suppress(*self._errors, TypeError, ValueError):
            return int(self._proc.pid or 0)
        return 0

    def fileno(self) -> int:
        return -1

    def read(self, max_bytes: int) -> bytes:
        while not self._closed and self._proc is not None:
            try:
                text = self._proc.read(max_bytes)
            except self._errors as exc:
                log.debug("winpty read ended: %s", exc)
                return b""
            if text:
                return text.encode("utf-8", "replace") if isinstance(text, str) else bytes(text)
            if not self.is_alive():
                return b""
        return b""

    def write(self, data: bytes) -> None:
        if self._proc is not None and not self._closed:
            with contextlib.suppress(*self._errors):
                self._proc.write(data.decode("utf-8", "replace"))

    def resize(self, cols: int, rows: int) -> None:
        if self._proc is not None and not self._closed:
            with contextlib.suppress(*self._errors):
                self._proc.setwinsize(rows, cols)

    def is_alive(self) -> bool:
        if self._proc is None:
            return False
        with contextlib.suppress(*self._errors):
            return bool(self._proc.isalive())
        return False

    def exit_status(self) -> int | None:
        if self._proc is None or self.is_alive():
            return None
        with contextlib.suppress(*self._errors, TypeError, ValueError):
            status = self._proc.exitstatus
            return int(status) if status is not None else None
        return None

    def children(self) -> list[tuple[int, str]]:
        """(pid, exe) of every live process below the shell, console hosts left out."""
        if not self.pid:
            return []
        table = self._process_table()
        return [(pid, name) for pid, name in winsys.descendants(self.pid, table)
                if name.lower() not in winsys.CONSOLE_HOSTS]  # fmt: skip

    def foreground_busy(self) -> bool:
        """Windows has no foreground process group: a live child process of the shell counts."""
        if not self.is_alive():
            return False
        try:
            return bool(self.children())
        except OSError as exc:
            log.info("busy check: no process list (%s)", exc)
            return False

    def terminate(self) -> None:
        """End the shell's whole process tree: its job, every descendant found, then the pty."""
        if self._proc is None:
            return
        self._closed = True
        with contextlib.suppress(OSError):
            for pid, _name in reversed(self.children()):
                self._kill_pid(pid)
        if self._job is not None:
            self._job.terminate()
            self._job.close()
            self._job = None
        with contextlib.suppress(Exception):  # pywinpty's terminate uses signal.SIGKILL, absent on Windows
            if self._proc.isalive():
                self._kill_pid(self.pid)
        with contextlib.suppress(Exception):
            self._proc.close(force=True)
