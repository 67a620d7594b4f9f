"""The window's session, kept across restarts: geometry, divider, and the terminal tabs (order,
names the user gave, working folders), stored as JSON in the data folder.

Tabs come back as fresh shells in their folders — no command is ever run again. A tab's folder
is what its shell last reported with OSC 7 (`file://host/path`, for this host), else the
shell's working folder as the OS knows it (`/proc/PID/cwd` on Linux, `lsof` on macOS), else the
folder it started in. An unreadable or damaged file is ignored (with a log line).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from smartspec_tk.core.fileflags import write_flags

log = logging.getLogger(__name__)

FILE_NAME = "session.json"
VERSION = 1
MAX_TABS = 50


@dataclass(frozen=True)
class TabState:
    name: str = ""  # the name the user gave ("" = the program's title)
    cwd: str = ""


@dataclass(frozen=True)
class WindowState:
    geometry: str = ""  # Tk's WxH+X+Y
    zoomed: bool = False
    sash: int | None = None  # the divider's x, in pixels from the left
    chat_visible: bool = True
    tabs: tuple[TabState, ...] = ()
    current: int = 0


def save_state(path: Path, state: WindowState) -> None:
    """Write atomically (a crash mid-write leaves the old file)."""
    data = {"version": VERSION, **asdict(state)}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, write_flags(), 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        json.dump(data, handle, indent=2)
    os.replace(tmp, path)


def load_state(path: Path) -> WindowState | None:
    """The saved session, or None (missing, unreadable or damaged: logged, never raised)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return _parse(raw)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError) as exc:
        log.warning("session: %s could not be read (%s); starting with a fresh window", path.name, exc)
        return None


def _parse(raw: Any) -> WindowState:
    if not isinstance(raw, dict) or raw.get("version") != VERSION:
        raise ValueError("not a session file of this version")
    tabs = tuple(TabState(str(t.get("name", "")), str(t.get("cwd", ""))) for t in raw.get("tabs", [])[:MAX_TABS])
    sash = raw.get("sash")
    return WindowState(
        geometry=str(raw.get("geometry", "")), zoomed=bool(raw.get("zoomed", False)),
        sash=int(sash) if sash is not None else None, chat_visible=bool(raw.get("chat_visible", True)),
        tabs=tabs, current=int(raw.get("current", 0)),
    )  # fmt: skip


def folder_from_osc7(uri: str, hostname: str | None = None) -> str | None:
    """The local folder of an OSC 7 report ('file://host/path'), None when it names another host
    (a shell over ssh) or is not a file URL."""
    parts = urlsplit(uri)
    if parts.scheme != "file" or not parts.path:
        return None
    host = parts.hostname or ""
    if host not in ("", "localhost", (hostname or socket.gethostname()).lower()):
        return None
    path = unquote(parts.path)
    if sys.platform == "win32" and len(path) > 2 and path[0] == "/" and path[2] == ":":
        path = path[1:]  # file:///C:/Users → C:/Users
    return path


def process_cwd(pid: int) -> str | None:
    """The working folder of process `pid` as the OS knows it (None where it cannot be read)."""
    if sys.platform.startswith("linux"):
        try:
            return os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            return None
    if sys.platform == "darwin":
        try:
            out = subprocess.run(["lsof", "-a", "-p", str(pid), "-d", "cwd", "-Fn"],  # noqa: S607 - the system's lsof
                                 capture_output=True, text=True, timeout=2).stdout  # fmt: skip
        except (OSError, subprocess.SubprocessError):
            return None
        return next((line[1:] for line in out.splitlines() if line.startswith("n")), None)
    return None


def tab_folder(osc7: str, pid: int | None, started_in: str) -> str:
    """Where a shell tab is now: OSC 7, else the OS's view of the shell, else where it started."""
    for found in (folder_from_osc7(osc7) if osc7 else None, process_cwd(pid) if pid else None):
        if found and Path(found).is_dir():
            return found
    return started_in
