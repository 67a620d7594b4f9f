"""Windows system calls the app needs, through ctypes (no pywin32, no psutil, no wmic).

Everything here loads on every platform: the DLLs are opened only when a function is
called, and each function takes the DLL object as an optional argument so the unit
tests drive the Windows branches on Linux with fakes (tests/core/test_winsys.py).

- `read_flags`/`write_flags`: `os.open` flags with `O_BINARY`, from `core/fileflags.py`
  (which the app imports directly, so that other platforms do not load ctypes).
- `wait_for_exit`: block until a process has ended, on a process handle
  (`os.getppid()` never changes on Windows, so a child cannot watch its parent that way).
- `JobObject`: a Job Object with JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE; every process assigned
  to it (and everything they start) ends when the job is terminated or its handle closes,
  also when the app crashes.
- `process_table`/`descendants`: the process list from CreateToolhelp32Snapshot.

The window's DPI and the console's encoding are in `core/windisplay.py`.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Iterable
from typing import Any

from smartspec_tk.core.fileflags import read_flags as read_flags
from smartspec_tk.core.fileflags import write_flags as write_flags

log = logging.getLogger(__name__)

SYNCHRONIZE = 0x0010_0000
PROCESS_TERMINATE = 0x0001
PROCESS_SET_QUOTA = 0x0100
PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
INFINITE = 0xFFFF_FFFF
WAIT_OBJECT_0 = 0
JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x2000
JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS = 9
TH32CS_SNAPPROCESS = 0x2
INVALID_HANDLE_VALUE = ctypes.c_void_p(-1).value
MAX_PATH = 260
# Programs that belong to the console itself, not to what the user runs in it.
CONSOLE_HOSTS = frozenset({"conhost.exe", "openconsole.exe", "winpty-agent.exe"})


def load_dll(name: str) -> Any:
    """A Windows DLL with GetLastError kept (raises OSError elsewhere)."""
    loader = getattr(ctypes, "WinDLL", None)
    if loader is None:
        raise OSError(f"{name}.dll exists only on Windows")
    return loader(name, use_last_error=True)


def _last_error() -> int:
    getter = getattr(ctypes, "get_last_error", None)
    return int(getter()) if getter is not None else 0


def kernel32() -> Any:
    dll = load_dll("kernel32")
    dll.OpenProcess.restype = ctypes.c_void_p
    dll.OpenProcess.argtypes = [ctypes.c_uint32, ctypes.c_int, ctypes.c_uint32]
    dll.WaitForSingleObject.restype = ctypes.c_uint32
    dll.WaitForSingleObject.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
    dll.CloseHandle.argtypes = [ctypes.c_void_p]
    dll.CreateJobObjectW.restype = ctypes.c_void_p
    dll.CreateJobObjectW.argtypes = [ctypes.c_void_p, ctypes.c_wchar_p]
    dll.SetInformationJobObject.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_uint32]
    dll.AssignProcessToJobObject.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    dll.TerminateJobObject.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
    dll.TerminateProcess.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
    dll.CreateToolhelp32Snapshot.restype = ctypes.c_void_p
    dll.CreateToolhelp32Snapshot.argtypes = [ctypes.c_uint32, ctypes.c_uint32]
    dll.Process32FirstW.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    dll.Process32NextW.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    return dll


# -- waiting for a process --------------------------------------------------------------
def wait_for_exit(pid: int, k32: Any = None) -> str:
    """Block until process `pid` has ended; returns why it returned ("exited", "gone", "error")."""
    k32 = kernel32() if k32 is None else k32
    handle = k32.OpenProcess(SYNCHRONIZE, False, pid)
    if not handle:
        log.info("cannot open process %d (error %d): taken as gone", pid, _last_error())
        return "gone"
    try:
        result = k32.WaitForSingleObject(handle, INFINITE)
        return "exited" if result == WAIT_OBJECT_0 else "error"
    finally:
        k32.CloseHandle(handle)


# -- job objects ------------------------------------------------------------------------
class IO_COUNTERS(ctypes.Structure):  # noqa: N801 - the Windows name
    _fields_ = [(name, ctypes.c_uint64) for name in (
        "ReadOperationCount", "WriteOperationCount", "OtherOperationCount",
        "ReadTransferCount", "WriteTransferCount", "OtherTransferCount")]  # fmt: skip


class JOBOBJECT_BASIC_LIMIT_INFORMATION(ctypes.Structure):  # noqa: N801
    _fields_ = [
        ("PerProcessUserTimeLimit", ctypes.c_int64),
        ("PerJobUserTimeLimit", ctypes.c_int64),
        ("LimitFlags", ctypes.c_uint32),
        ("MinimumWorkingSetSize", ctypes.c_size_t),
        ("MaximumWorkingSetSize", ctypes.c_size_t),
        ("ActiveProcessLimit", ctypes.c_uint32),
        ("Affinity", ctypes.c_size_t),
        ("PriorityClass", ctypes.c_uint32),
        ("SchedulingClass", ctypes.c_uint32),
    ]


class JOBOBJECT_EXTENDED_LIMIT_INFORMATION(ctypes.Structure):  # noqa: N801
    _fields_ = [
        ("BasicLimitInformation", JOBOBJECT_BASIC_LIMIT_INFORMATION),
        ("IoInfo", IO_COUNTERS),
        ("ProcessMemoryLimit", ctypes.c_size_t),
        ("JobMemoryLimit", ctypes.c_size_t),
        ("PeakProcessMemoryUsed", ctypes.c_size_t),
        ("PeakJobMemoryUsed", ctypes.c_size_t),
    ]


class JobObject:
    """A kill-on-close Job Object: `assign(pid)` puts a process (and its future children) in it;
    `terminate()` ends them all; closing the handle (also by the app's exit) does the same."""

    def __init__(self, k32: Any = None) -> None:
        self._k32 = kernel32() if k32 is None else k32
        handle = self._k32.CreateJobObjectW(None, None)
        if not handle:
            raise OSError(f"CreateJobObjectW failed (error {_last_error()})")
        info = JOBOBJECT_EXTENDED_LIMIT_INFORMATION()
        info.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
        if not self._k32.SetInformationJobObject(
            handle, JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS, ctypes.byref(info), ctypes.sizeof(info)
        ):
            self._k32.CloseHandle(handle)
            raise OSError(f"SetInformationJobObject failed (error {_last_error()})")
        self._handle: int | None = handle

    def assign(self, pid: int) -> bool:
        """Put process `pid` into the job; False (logged) when Windows refuses."""
        if self._handle is None:
            return False
        process = self._k32.OpenProcess(PROCESS_SET_QUOTA | PROCESS_TERMINATE, False, pid)
        if not process:
            log.warning("job: cannot open process %d (error %d)", pid, _last_error())
            return False
        try:
            if not self._k32.AssignProcessToJobObject(self._handle, process):
                log.warning("job: cannot assign process %d (error %d)", pid, _last_error())
                return False
            return True
        finally:
            self._k32.CloseHandle(process)

    def terminate(self, exit_code: int = 1) -> None:
        if self._handle is not None:
            self._k32.TerminateJobObject(self._handle, exit_code)

    def close(self) -> None:
        """Close the handle: with kill-on-close every process still in the job ends."""
        handle, self._handle = self._handle, None
        if handle is not None:
            self._k32.CloseHandle(handle)


def make_job(k32: Any = None) -> JobObject | None:
    """A JobObject, or None (logged) where there is none (not Windows, or Windows refused)."""
    if k32 is None and sys.platform != "win32":
        return None
    try:
        return JobObject(k32)
    except (OSError, AttributeError) as exc:
        log.warning("no job object: %s", exc)
        return None


# -- the process table ------------------------------------------------------------------
class PROCESSENTRY32W(ctypes.Structure):  # noqa: N801
    # szExeFile as UTF-16 code units: ctypes.c_wchar is 4 bytes on Linux, 2 on Windows.
    _fields_ = [
        ("dwSize", ctypes.c_uint32),
        ("cntUsage", ctypes.c_uint32),
        ("th32ProcessID", ctypes.c_uint32),
        ("th32DefaultHeapID", ctypes.c_size_t),
        ("th32ModuleID", ctypes.c_uint32),
        ("cntThreads", ctypes.c_uint32),
        ("th32ParentProcessID", ctypes.c_uint32),
        ("pcPriClassBase", ctypes.c_int32),
        ("dwFlags", ctypes.c_uint32),
        ("szExeFile", ctypes.c_uint16 * MAX_PATH),
    ]

    def exe_name(self) -> str:
        units = list(self.szExeFile)
        end = units.index(0) if 0 in units else len(units)
        return bytes(b for unit in units[:end] for b in unit.to_bytes(2, "little")).decode("utf-16-le", "replace")


def process_table(k32: Any = None) -> list[tuple[int, int, str]]:
    """(pid, parent pid, exe name) of every process, from a Toolhelp snapshot."""
    k32 = kernel32() if k32 is None else k32
    snapshot = k32.CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0)
    if not snapshot or snapshot == INVALID_HANDLE_VALUE:
        raise OSError(f"CreateToolhelp32Snapshot failed (error {_last_error()})")
    rows: list[tuple[int, int, str]] = []
    try:
        entry = PROCESSENTRY32W()
        entry.dwSize = ctypes.sizeof(PROCESSENTRY32W)
        more = k32.Process32FirstW(snapshot, ctypes.byref(entry))
        while more:
            rows.append((int(entry.th32ProcessID), int(entry.th32ParentProcessID), entry.exe_name()))
            more = k32.Process32NextW(snapshot, ctypes.byref(entry))
    finally:
        k32.CloseHandle(snapshot)
    return rows


def descendants(pid: int, table: Iterable[tuple[int, int, str]]) -> list[tuple[int, str]]:
    """(pid, exe name) of every process below `pid` in `table` (children first)."""
    children: dict[int, list[tuple[int, str]]] = {}
    for child, parent, name in table:
        if child != parent:  # the idle process is its own parent
            children.setdefault(parent, []).append((child, name))
    found: list[tuple[int, str]] = []
    seen = {pid}
    todo = [pid]
    while todo:
        for child, name in children.get(todo.pop(0), []):
            if child not in seen:
                seen.add(child)
                found.append((child, name))
                todo.append(child)
    return found


def terminate_pid(pid: int, k32: Any = None, exit_code: int = 1) -> bool:
    """TerminateProcess on `pid`; False when it cannot be opened (already gone)."""
    k32 = kernel32() if k32 is None else k32
    handle = k32.OpenProcess(PROCESS_TERMINATE, False, pid)
    if not handle:
        return False
    try:
        return bool(k32.TerminateProcess(handle, exit_code))
    finally:
        k32.CloseHandle(handle)
