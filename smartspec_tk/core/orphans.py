"""Which processes belong to a terminal tab, and ending them (Linux and macOS; Tk-free).

Every tab's shell is started with `SMARTSPEC_TAB=<app pid>-<n>` in its environment, and so
every program started from it carries the mark, wherever it goes: into its own process group
(`cmd &`), its own session (`setsid`), or adopted by init after its parent exited (`nohup`,
double forks). A tab's processes are those with its mark, the members of their sessions and
process groups (a program that cleared its environment stays in its shell's session), and
all their descendants. Closing a tab ends them; when the app dies, even by `kill -9`, its
watchdog (`core/watchdog.py`) ends the processes of all its tabs.

While the app lives its watchdog is a `/bin/sh` waiting for the end of a pipe (about 1 MB
resident, where a waiting Python was 12 MB from source and 16 MB one-file); only then does it
exec the Python watchdog. This module is what that watchdog imports, so it imports little.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import sys
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess

TAB_ENV = "SMARTSPEC_TAB"
#: The waiting watchdog: a shell reads the pipe until its end, then becomes the Python watchdog
#: ("$@"), whose own read then ends at once. Ctrl+C and hang-ups meant for the app are ignored.
#: An app that quits normally has closed its tabs and writes `done` first (`release_watchdog`), so
#: the shell just ends: the frozen executable is not unpacked again for nothing.
WAIT_THEN_EXEC = 'trap "" INT HUP; while read -r line; do [ "$line" = done ] && exit 0; done; exec "$@"'

_numbers = itertools.count(1)
_watchdog: subprocess.Popen[bytes] | None = None


def new_tab_mark() -> str:
    """A mark for the next tab of this app: `<app pid>-<n>`."""
    return f"{os.getpid()}-{next(_numbers)}"


def process_table() -> dict[int, tuple[int, int, int]]:
    """Every live (not zombie) process: pid -> (ppid, process group, session)."""
    table: dict[int, tuple[int, int, int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()
        if fields[0] not in (b"Z", b"X"):
            table[int(name)] = (int(fields[1]), int(fields[2]), int(fields[3]))
    return table


def _marked(pid: int, entry: bytes, *, prefix: bool) -> bool:
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            variables = f.read().split(b"\0")
    except OSError:  # gone, or another user's
        return False
    return any(v.startswith(entry) if prefix else v == entry for v in variables)


def marked_processes(mark: str, *, prefix: bool = False) -> list[int]:
    """The processes of the tab with `mark` (or, with `prefix`, of every tab whose mark starts so),
    the members of their sessions and process groups, and their descendants. Linux only
    (elsewhere: [], and closing a tab ends its session as before)."""
    if not os.path.isdir("/proc/self"):
        return []
    table = process_table()
    entry = f"{TAB_ENV}={mark}".encode()
    me = os.getpid()
    found = {pid for pid in table if pid != me and _marked(pid, entry, prefix=prefix)}
    found |= {pid for pid, (_pp, group, session) in table.items() if group in found or session in found}
    children: dict[int, list[int]] = {}
    for pid, (ppid, _g, _s) in table.items():
        children.setdefault(ppid, []).append(pid)
    todo = list(found)
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found and child != me:
                found.add(child)
                todo.append(child)
    return sorted(found)


def end_processes(find: Callable[[], list[int]], waits: tuple[float, float, float] = (0.3, 0.5, 1.0)) -> None:
    """SIGHUP+SIGCONT, then SIGTERM, then SIGKILL to what `find()` returns, until nothing is left."""
    for sig, wait in zip((signal.SIGHUP, signal.SIGTERM, signal.SIGKILL), waits, strict=True):
        pids = find()
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, sig)
                if sig == signal.SIGHUP:
                    os.kill(pid, signal.SIGCONT)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and find():
            time.sleep(0.02)


def watchdog_command() -> list[str]:
    """The argv of this app's watchdog: the waiting shell, then the Python watchdog (from source
    without site-packages, which it does not need; or the frozen executable)."""
    head = [sys.executable, "tab-watchdog"] if getattr(sys, "frozen", False) else [
        sys.executable, "-S", "-m", "smartspec_tk.core.watchdog"]
    return ["/bin/sh", "-c", WAIT_THEN_EXEC, "tab-watchdog", *head, str(os.getpid())]


def start_watchdog(env: Mapping[str, str] | None = None) -> subprocess.Popen[bytes] | None:
    """Start the watchdog that ends every tab's processes once this app is gone (Linux; once per app).

    It reads a pipe whose only writer is this process: the end of the file means the app died,
    however it died. It runs in its own session, so a Ctrl+C meant for the app does not stop it.
    Frozen, it gets the user's environment: by the time it starts Python the one-file unpack
    folder of this app is gone with the app, so the executable unpacks itself again.
    """
    global _watchdog
    if _watchdog is not None or not sys.platform.startswith("linux"):
        return _watchdog
    import subprocess
    from pathlib import Path

    from smartspec_tk.core.frozen import external_env

    child_env = external_env(env)
    if not getattr(sys, "frozen", False):  # from source: make sure the child finds this package
        parent = str(Path(__file__).resolve().parents[2])
        child_env["PYTHONPATH"] = os.pathsep.join(p for p in (parent, child_env.get("PYTHONPATH", "")) if p)
    child_env.pop(TAB_ENV, None)  # an app started from another app's tab: the watchdog is not that tab's
    _watchdog = subprocess.Popen(watchdog_command(), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, env=child_env, start_new_session=True)  # fmt: skip
    return _watchdog


def release_watchdog() -> None:
    """Tell the watchdog this app quit normally, after its tabs were closed: it ends without a scan
    (Tk thread, at quit). An app that dies never gets here, and the watchdog does its work."""
    import logging
    import subprocess

    global _watchdog
    watchdog, _watchdog = _watchdog, None
    if watchdog is None or watchdog.stdin is None:
        return
    try:
        watchdog.stdin.write(b"done\n")
        watchdog.stdin.close()
        watchdog.wait(5)
    except (OSError, subprocess.TimeoutExpired) as exc:
        logging.getLogger(__name__).warning("the tabs' watchdog did not end at quit: %s", exc)
