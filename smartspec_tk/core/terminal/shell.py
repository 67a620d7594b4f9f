"""Which program a terminal tab runs and with what environment: the login shell
($SHELL -l, else /bin/sh; on Windows pwsh, powershell, then cmd), TERM=xterm-256color,
COLORTERM=truecolor and a UTF-8 locale, started in the workspace folder.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from .backend import PtyBackend

log = logging.getLogger(__name__)


def login_shell_argv(configured: str = "", environ: Mapping[str, str] | None = None) -> list[str]:
    """The shell command line: the configured shell, else $SHELL -l, else /bin/sh (POSIX)."""
    env = os.environ if environ is None else environ
    if sys.platform == "win32":
        if configured:
            return [configured]
        for name in ("pwsh.exe", "powershell.exe"):
            found = shutil.which(name)
            if found:
                return [found, "-NoLogo"]
        return [env.get("COMSPEC", "cmd.exe")]
    for candidate in (configured, env.get("SHELL", "")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return [candidate, "-l"]
        if candidate:
            found = shutil.which(candidate)
            if found:
                return [found, "-l"]
    return ["/bin/sh", "-l"] if os.path.exists("/bin/sh") else ["sh"]


def _is_utf8(value: str) -> bool:
    return "utf-8" in value.lower() or "utf8" in value.lower()


def terminal_env(base: Mapping[str, str] | None = None, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The child environment: base (default os.environ) + terminal type + UTF-8 locale + extra."""
    env = dict(os.environ if base is None else base)
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
    """Make and spawn a backend; `env` defaults to `terminal_env()`."""
    workdir = str(cwd) if Path(cwd).is_dir() else str(Path.home())
    backend = make_backend()
    backend.spawn(list(argv), workdir, terminal_env() if env is None else env, cols, rows)
    log.info("terminal: spawned %s (pid %s) in %s", argv[0] if argv else "?", backend.pid, workdir)
    return backend
