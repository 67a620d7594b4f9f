"""The Windows tier's plumbing: the Windows build with a canary token, Windows programs run under
Wine in the project's prefix (as scripts/_wine.sh sets it up), and their processes seen from Linux.

Under Wine every Windows process is a Linux process whose command line is the Windows one
(`C:\\py\\cp313\\python.exe …`) and whose environment is the Windows environment it was given,
so a variable set for one test run (`SMARTSPEC_WINE_RUN=<random>`) marks every process that
run started, children and grandchildren included: Wine starts a child process by a double
fork, so the Linux parent ids do not show the Windows tree.

`python -m tests.windows.wine` builds (or checks) the exe as the tier's fixture does, with the
output on the terminal: scripts/test runs it before pytest so the build shows in the CI log.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist" / "windows"
EXE = DIST / "smartspec-tk.exe"
FOLDER_ZIP = DIST / "smartspec-tk-folder.zip"
CANARY_FILE = DIST / "smartspec-tk.canary"  # removed by scripts/build-windows whenever it rebuilds
STAMP = DIST / ".stamp"  # rewritten by scripts/build-windows at the end of each build
WINE_HOME = Path(os.environ.get("SMARTSPEC_WINE_HOME") or ROOT / ".wine-build")
PREFIX = WINE_HOME / "prefix"
WINDOWS_PYTHON = "C:\\py\\cp313\\python.exe"
RUN_VAR = "SMARTSPEC_WINE_RUN"  # one test's programs
SESSION_VAR = "SMARTSPEC_WINE_SESSION"  # every Wine process of one pytest session
# Wine's own desktop process: started (with the environment of whichever program first opens a
# window) once per wineserver, it stays until the wineserver ends. Not the app's.
WINE_DESKTOP = "c:\\windows\\system32\\explorer.exe /desktop"
SECRET_NAMES = (
    "SMARTSPEC_PROXY_TOKEN", "VITE_PY_PROXY_TOKEN", "SMARTSPEC_ORCHESTRATOR_KEY", "VITE_ORCHESTRATOR_KEY",
    "SMARTSPEC_MCP_WRITE_TOKEN",
)  # fmt: skip


class BuildFailed(RuntimeError):
    """scripts/build-windows failed; the message holds the end of its output."""


def wine_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of scripts/_wine.sh: the project's prefix, 64-bit, quiet, no Mono/Gecko prompts."""
    env = {k: v for k, v in os.environ.items() if k not in SECRET_NAMES}
    env.update(WINEPREFIX=str(PREFIX), WINEARCH="win64", WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=")
    env.update(extra or {})
    return env


def winpath(path: Path) -> str:
    """The Windows name of a Linux path: Wine's Z: drive is the whole file system."""
    return "Z:" + str(path).replace("/", "\\")


def _stamp_mtime() -> int:
    return STAMP.stat().st_mtime_ns if STAMP.exists() else 0


def _run_build(canary: str, force: bool, stream: bool) -> None:
    env = dict(os.environ, **dict.fromkeys(SECRET_NAMES, canary))
    argv = [str(ROOT / "scripts" / "build-windows"), *(["--force"] if force else [])]
    out = None if stream else subprocess.PIPE
    result = subprocess.run(argv, env=env, stdout=out, stderr=subprocess.STDOUT if out else None, timeout=1500)
    if result.returncode != 0:
        tail = (result.stdout or b"").decode(errors="replace")[-4000:]
        raise BuildFailed(f"scripts/build-windows failed ({result.returncode}):\n{tail}")


def ensure_built(stream: bool = False) -> str:
    """Build dist/windows (or find it up to date) with a known canary token; returns the canary.

    scripts/build-windows runs with every secret setting set to a fresh `canary-<random>`; if it
    rebuilt, that canary is recorded. If it found the exe up to date, the recorded canary is the
    one it was built with; an exe built without one (by hand) is rebuilt with ours.
    """
    canary = f"canary-{secrets.token_hex(16)}"
    before = _stamp_mtime()
    _run_build(canary, force=False, stream=stream)
    if _stamp_mtime() == before:
        recorded = CANARY_FILE.read_text().strip() if CANARY_FILE.exists() else ""
        if recorded:
            return recorded
        _run_build(canary, force=True, stream=stream)
    CANARY_FILE.write_text(canary + "\n")
    return canary


@dataclass(frozen=True)
class WineProcess:
    pid: int
    cmdline: str

    @property
    def name(self) -> str:
        """The Windows program's file name, lower case (`smartspec-tk.exe`), or '' for a non-Windows one."""
        match = re.match(r'"?(?:[^"\s]*[\\/])?([^"\\/\s]+\.exe)\b', self.cmdline, re.IGNORECASE)
        return match[1].lower() if match else ""


def processes_of_run(run_id: str) -> list[WineProcess]:
    """Every live process whose environment carries `SMARTSPEC_WINE_RUN=run_id`, except Wine's own
    desktop process: if a test's program started it, it has the mark, but it belongs to the wineserver."""
    return [p for p in processes_with(RUN_VAR, run_id) if p.cmdline.lower() != WINE_DESKTOP]


def processes_with(variable: str, value: str) -> list[WineProcess]:
    """Every live process whose environment has `variable=value`."""
    needle = f"{variable}={value}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            if state != "Z":
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
                found.append(WineProcess(int(entry.name), cmdline))
    return found


def kill_run(run_id: str) -> list[WineProcess]:
    """SIGKILL every process of the run (they all carry its marker); returns what was still there."""
    left = processes_of_run(run_id)
    for process in left:
        with contextlib.suppress(OSError):
            os.kill(process.pid, signal.SIGKILL)
    return left


def wait_for(condition: Callable[[], bool], timeout: float, what: str, interval: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def start_wineserver(session: str) -> None:
    """A wineserver of our own for the session, kept up between programs (`-p`), with Wine's
    services and its desktop process (explorer.exe, started by the first window) started here,
    their streams on /dev/null and with the session's mark but no test's: started by a test's
    program, they would carry that test's mark and keep its output pipes open."""
    stop_wineserver()
    env = wine_env({SESSION_VAR: session})
    quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run(["wineserver", "-p"], env=env, check=True, timeout=60, **quiet)
    warm_up = "import tkinter; root = tkinter.Tk(); root.update(); root.destroy()"
    subprocess.run(["wine", WINDOWS_PYTHON, "-c", warm_up], env=env, check=True, timeout=180, **quiet)


def stop_wineserver(session: str = "") -> None:
    """End every process of the prefix and its wineserver; then any process left with the
    session's mark (Wine's desktop process can outlive a wineserver that went away by itself)."""
    for flag in ("-k", "-w"):
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            subprocess.run(["wineserver", flag], env=wine_env(), timeout=30, check=False,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    if session:
        for process in processes_with(SESSION_VAR, session):
            with contextlib.suppress(OSError):
                os.kill(process.pid, signal.SIGKILL)


def main() -> int:
    started = time.monotonic()
    try:
        ensure_built(stream=True)
    except BuildFailed as exc:
        print(f"[windows] {exc}", file=sys.stderr)
        return 1
    size = EXE.stat().st_size / 1e6
    print(f"[windows] {EXE.relative_to(ROOT)} ready ({size:.1f} MB) in {time.monotonic() - started:.0f} s",
          file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
