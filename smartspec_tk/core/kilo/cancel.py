"""Cancelling a runner: Ctrl-C through its terminal, then the whole process group if it lingers.

`cancel_run` blocks for up to the grace periods, so call it on a worker thread.
POSIX only (on Windows the terminal layer ends the process tree itself).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass

from smartspec_tk.core.messages import Message

log = logging.getLogger(__name__)

INTERRUPT = b"\x03"  # Ctrl-C: the pty's line discipline turns it into SIGINT for the foreground group


@dataclass(frozen=True, slots=True)
class KiloCancelFinished(Message):
    """The cancel worker of a Kilo tab is done; `outcome` says how the run ended."""

    bar_id: str
    outcome: str


def process_group(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except (ProcessLookupError, PermissionError, OSError):
        return None


def group_alive(pgid: int) -> bool:
    """True while a process of the group still runs (zombies do not count: they have ended)."""
    if os.path.isdir("/proc/self"):
        return bool(live_members(pgid))
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def live_members(pgid: int) -> list[int]:
    """Linux: the pids of the group's processes that are not zombies."""
    members: list[int] = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 2 and fields[0] != "Z" and fields[2] == str(pgid):
            members.append(int(entry.name))
    return members


def cancel_run(
    pid: int,
    interrupt: Callable[[], None],
    is_alive: Callable[[], bool],
    *,
    grace: float = 3.0,
    kill_grace: float = 2.0,
    extra_groups: tuple[int, ...] = (),
    terminate: Callable[[], None] | None = None,
) -> str:
    """Ctrl-C, wait `grace` s, then SIGTERM (and later SIGKILL) the process groups still alive.

    `extra_groups` are further groups to end, e.g. the terminal's foreground group.
    Without process groups (Windows) `terminate` (the pty backend's, which ends the
    process tree) is called instead. Returns a short description for the status line.
    """
    if not hasattr(os, "killpg"):
        return _cancel_without_groups(interrupt, is_alive, grace, terminate)
    groups = {g for g in (process_group(pid), *extra_groups) if g and g != os.getpgrp()}
    try:
        interrupt()
    except OSError as exc:
        log.info("could not send Ctrl-C (%s); terminating", exc)
    if _wait(lambda: not is_alive() and not any(group_alive(g) for g in groups), grace):
        return "stopped after Ctrl-C"
    for sig, wait_s, label in ((signal.SIGTERM, kill_grace, "terminated"), (signal.SIGKILL, kill_grace, "killed")):
        for group in groups:
            _signal_group(group, sig)
        if not groups:
            _signal_pid(pid, sig)
        if _wait(lambda: not is_alive() and not any(group_alive(g) for g in groups), wait_s):
            return f"{label} after Ctrl-C was ignored"
    return "still running after SIGKILL"


def _cancel_without_groups(
    interrupt: Callable[[], None], is_alive: Callable[[], bool], grace: float, terminate: Callable[[], None] | None
) -> str:
    with contextlib.suppress(OSError):
        interrupt()
    if _wait(lambda: not is_alive(), grace):
        return "stopped after Ctrl-C"
    if terminate is not None:
        terminate()
    return "terminated after Ctrl-C was ignored" if not is_alive() else "still running"


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _signal_pid(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, sig)


def _wait(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
