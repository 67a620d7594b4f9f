"""Which program a terminal tab runs and with what environment: the login shell
($SHELL -l, else /bin/sh; on Windows the chain of `windows_shell_chain`, tried in turn by
fallback.FallbackBackend), TERM=xterm-256color, COLORTERM=truecolor and a UTF-8 locale,
started in the workspace folder.
"""

from __future__ import annotations

import logging
import ntpath
import os
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from smartspec_tk.core.child_env import child_env

from .backend import PtyBackend
from .fallback import FailedBackend, FallbackBackend, ShellChoice

log = logging.getLogger(__name__)


def login_shell_argv(configured: str = "", environ: Mapping[str, str] | None = None) -> list[str]:
    """The shell command line: the configured shell, else $SHELL -l, else /bin/sh (POSIX)."""
    env = os.environ if environ is None else environ
    if sys.platform == "win32":
        return windows_shell_chain(configured, env)[0][0].argv
    for candidate in (configured, env.get("SHELL", "")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return [candidate, "-l"]
        if candidate:
            found = shutil.which(candidate)
            if found:
                return [found, "-l"]
    return ["/bin/sh", "-l"] if os.path.exists("/bin/sh") else ["sh"]


def windows_shell_chain(configured: str = "", environ: Mapping[str, str] | None = None,
                        which: Callable[[str], str | None] = shutil.which) -> tuple[list[ShellChoice], list[str]]:
    """The shells to try on Windows, in order (the configured one (SMARTSPEC_SHELL), pwsh,
    powershell, then %COMSPEC% or cmd.exe, which is always last), and notes on the missing ones."""
    env = os.environ if environ is None else environ
    choices: list[ShellChoice] = []
    notes: list[str] = []
    if configured:
        choices.append(ShellChoice([configured], ntpath.basename(configured) or configured))
    for name in ("pwsh.exe", "powershell.exe"):
        found = which(name)
        if found:
            choices.append(ShellChoice([found, "-NoLogo"], name))
        else:
            notes.append(f"{name} not found")
    comspec = env.get("COMSPEC", "") or which("cmd.exe") or "cmd.exe"
    choices.append(ShellChoice([comspec], ntpath.basename(comspec) or "cmd.exe"))
    return choices, notes


def _is_utf8(value: str) -> bool:
    return "utf-8" in value.lower() or "utf8" in value.lower()


def terminal_env(base: Mapping[str, str] | None = None, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The child environment: base (default os.environ) without secrets + terminal type + UTF-8 locale + extra."""
    env = child_env(base)
    env["TERM"] = "xterm-256color"
    env["COLORTERM"] = "truecolor"
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    if sys.platform != "win32":
        effective = env.get("LC_ALL") or env.get("LC_CTYPE") or env.get("LANG") or ""
        if not _is_utf8(effective):
            fallback = "en_US.UTF-8" if sys.platform == "darwin" else "C.UTF-8"
            if env.get("LC_ALL"):
                env["LC_ALL"] = fallback
            env["LC_CTYPE"] = fallback
            env.setdefault("LANG", fallback)
    if extra:
        env.update(extra)
    return env


def make_backend() -> PtyBackend:
    """The platform's pty backend (not spawned yet)."""
    if sys.platform == "win32":
        from .backend_windows import WindowsPtyBackend

        return WindowsPtyBackend()
    from .backend_posix import PosixPtyBackend

    return PosixPtyBackend()


def spawn_backend(argv: Sequence[str], cwd: str | Path, cols: int, rows: int,
                  env: Mapping[str, str] | None = None) -> PtyBackend:
    """Make and spawn a backend; `env` defaults to `terminal_env()`. A program that cannot
    start gives a FailedBackend that shows why (the tab shows it; nothing raises)."""
    workdir = str(cwd) if Path(cwd).is_dir() else str(Path.home())
    backend = make_backend()
    try:
        backend.spawn(list(argv), workdir, terminal_env() if env is None else env, cols, rows)
    except Exception as exc:  # noqa: BLE001 - shown in the tab instead
        return failed_spawn(argv[0] if argv else "?", exc)
    log.info("terminal: spawned %s (pid %s) in %s", argv[0] if argv else "?", backend.pid, workdir)
    return backend


def spawn_shell(configured: str, cwd: str | Path, cols: int, rows: int,
                env: Mapping[str, str] | None = None) -> PtyBackend:
    """The user's shell: on Windows the first of the chain that starts and stays up
    (its first line says which and why); elsewhere the login shell."""
    if sys.platform != "win32":
        return spawn_backend(login_shell_argv(configured), cwd, cols, rows, env)
    workdir = str(cwd) if Path(cwd).is_dir() else str(Path.home())
    choices, notes = windows_shell_chain(configured)
    backend = FallbackBackend(choices, make_backend, notes=notes)
    try:
        backend.spawn([], workdir, terminal_env() if env is None else env, cols, rows)
    except Exception as exc:  # noqa: BLE001 - shown in the tab instead
        return failed_spawn("the shell", exc)
    return backend


def failed_spawn(what: str, exc: BaseException) -> FailedBackend:
    log.warning("terminal: could not start %s: %s", what, exc)
    return FailedBackend(f"smartspec-tk: could not start {what}: {exc}")
