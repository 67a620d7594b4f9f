"""core.winsys and core.windisplay, the Windows system calls, driven on Linux with fake DLL objects that check
what a real kernel32/user32 would be asked (rights, structure sizes, flags)."""

from __future__ import annotations

import ctypes
import io
import struct
from typing import Any

from smartspec_tk.core import windisplay, winsys


class FakeKernel32:
    """Records calls; processes are a dict pid -> (parent, exe); handles are small ints."""

    def __init__(self, processes: dict[int, tuple[int, str]] | None = None) -> None:
        self.processes = dict(processes or {})
        self.calls: list[tuple[Any, ...]] = []
        self.open_handles: set[int] = set()
        self.jobs: dict[int, dict[str, Any]] = {}
        self._next = 100
        self.refuse_open: set[int] = set()

    def _handle(self) -> int:
        self._next += 1
        self.open_handles.add(self._next)
        return self._next

    def OpenProcess(self, access: int, inherit: bool, pid: int) -> int:  # noqa: N802 - the Windows names
        self.calls.append(("OpenProcess", access, pid))
        if pid not in self.processes or pid in self.refuse_open:
            return 0
        return self._handle()

    def WaitForSingleObject(self, handle: int, timeout: int) -> int:  # noqa: N802
        self.calls.append(("WaitForSingleObject", handle, timeout))
        return winsys.WAIT_OBJECT_0

    def CloseHandle(self, handle: int) -> int:  # noqa: N802
        self.open_handles.discard(handle)
        return 1

    def CreateJobObjectW(self, security: Any, name: Any) -> int:  # noqa: N802
        handle = self._handle()
        self.jobs[handle] = {"members": [], "terminated": False}
        return handle

    def SetInformationJobObject(self, job: int, klass: int, info: Any, size: int) -> int:  # noqa: N802
        limits = info._obj  # the structure behind ctypes.byref
        self.jobs[job].update(klass=klass, size=size, flags=limits.BasicLimitInformation.LimitFlags)
        return 1

    def AssignProcessToJobObject(self, job: int, process: int) -> int:  # noqa: N802
        self.jobs[job]["members"].append(process)
        return 1

    def TerminateJobObject(self, job: int, code: int) -> int:  # noqa: N802
        self.jobs[job]["terminated"] = True
        return 1

    def TerminateProcess(self, handle: int, code: int) -> int:  # noqa: N802
        self.calls.append(("TerminateProcess", handle, code))
        return 1

    def CreateToolhelp32Snapshot(self, flags: int, pid: int) -> int:  # noqa: N802
        assert flags == winsys.TH32CS_SNAPPROCESS
        self._rows = iter(sorted(self.processes.items()))
        return self._handle()

    def _fill(self, snapshot: int, entry: Any) -> int:
        struct_ = entry._obj
        assert struct_.dwSize == ctypes.sizeof(winsys.PROCESSENTRY32W)
        try:
            pid, (parent, exe) = next(self._rows)
        except StopIteration:
            return 0
        struct_.th32ProcessID, struct_.th32ParentProcessID = pid, parent
        units = struct.unpack(f"<{len(exe.encode('utf-16-le')) // 2}H", exe.encode("utf-16-le"))
        for i in range(winsys.MAX_PATH):
            struct_.szExeFile[i] = units[i] if i < len(units) else 0
        return 1

    Process32FirstW = _fill  # noqa: N815
    Process32NextW = _fill  # noqa: N815


def test_structures_have_the_windows_x64_sizes() -> None:
    assert ctypes.sizeof(winsys.JOBOBJECT_EXTENDED_LIMIT_INFORMATION) == 144
    assert ctypes.sizeof(winsys.PROCESSENTRY32W) == 568


def test_wait_for_exit_waits_on_a_synchronize_handle() -> None:
    k32 = FakeKernel32({42: (1, "smartspec-tk.exe")})
    assert winsys.wait_for_exit(42, k32) == "exited"
    assert k32.calls[0] == ("OpenProcess", winsys.SYNCHRONIZE, 42)
    assert k32.calls[1][0] == "WaitForSingleObject" and k32.calls[1][2] == winsys.INFINITE
    assert not k32.open_handles
    assert winsys.wait_for_exit(43, k32) == "gone"  # no such process: the parent is already gone


def test_job_object_kills_on_close_and_takes_processes() -> None:
    k32 = FakeKernel32({7: (1, "cmd.exe")})
    job = winsys.JobObject(k32)
    (handle, state), = k32.jobs.items()
    assert state["flags"] == winsys.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
    assert state["klass"] == 9 and state["size"] == 144
    assert job.assign(7) and len(state["members"]) == 1
    assert ("OpenProcess", winsys.PROCESS_SET_QUOTA | winsys.PROCESS_TERMINATE, 7) in k32.calls
    assert not job.assign(8)  # gone already: refused, not raised
    job.terminate()
    assert state["terminated"]
    job.close()
    job.close()
    assert k32.open_handles == set()


def test_make_job_is_none_off_windows_and_with_a_dll_when_given() -> None:
    assert winsys.make_job() is None  # this is Linux
    assert isinstance(winsys.make_job(FakeKernel32()), winsys.JobObject)


def test_process_table_and_descendants() -> None:
    k32 = FakeKernel32({
        4: (0, "System"), 10: (4, "smartspec-tk.exe"), 20: (10, "cmd.exe"), 21: (20, "conhost.exe"),
        22: (20, "python.exe"), 23: (22, "ping.exe"), 30: (10, "winpty-agent.exe"), 40: (99, "éditeur.exe"),
    })  # fmt: skip
    table = winsys.process_table(k32)
    assert (40, 99, "éditeur.exe") in table and len(table) == 8
    assert winsys.descendants(20, table) == [(21, "conhost.exe"), (22, "python.exe"), (23, "ping.exe")]
    assert winsys.descendants(23, table) == []
    assert not k32.open_handles


def test_terminate_pid() -> None:
    k32 = FakeKernel32({5: (1, "ping.exe")})
    assert winsys.terminate_pid(5, k32) and ("OpenProcess", winsys.PROCESS_TERMINATE, 5) in k32.calls
    assert not winsys.terminate_pid(6, k32)


def test_console_utf8_makes_a_cp1252_pipe_take_any_text() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1252")
    try:
        stream.write("→")
        stream.flush()
        raise AssertionError("cp1252 took the arrow")
    except UnicodeEncodeError:
        pass
    assert windisplay.console_utf8([stream, None]) == 1
    stream.write("ok → ✓\n")
    stream.flush()
    assert raw.getvalue().endswith("ok → ✓\n".encode())


class _Fn:
    def __init__(self, result: Any) -> None:
        self.result, self.args = result, []
        self.argtypes: Any = None
        self.restype: Any = None

    def __call__(self, *args: Any) -> Any:
        self.args.append(args)
        return self.result


def test_dpi_awareness_prefers_per_monitor_v2_then_falls_back() -> None:
    user32 = type("U", (), {})()
    user32.SetProcessDpiAwarenessContext = _Fn(1)
    assert windisplay.enable_dpi_awareness(user32, object()) == "per-monitor v2"
    assert user32.SetProcessDpiAwarenessContext.args[0][0].value == ctypes.c_void_p(-4).value  # (HANDLE)-4
    old = type("U", (), {})()  # Windows 8.1: no ...Context, shcore has it
    old.SetProcessDPIAware = _Fn(1)
    shcore = type("S", (), {})()
    shcore.SetProcessDpiAwareness = _Fn(0)
    assert windisplay.enable_dpi_awareness(old, shcore) == "per-monitor"
    assert shcore.SetProcessDpiAwareness.args == [(2,)]
    shcore.SetProcessDpiAwareness = _Fn(-2147024891)  # E_ACCESSDENIED: already set by the manifest
    assert windisplay.enable_dpi_awareness(old, shcore) == "system"
    user32.GetDpiForWindow = _Fn(144)
    assert windisplay.window_dpi(0x1234, user32) == 144


def test_the_app_switches_a_piped_cp1252_stdout_to_utf8_on_windows(monkeypatch: Any) -> None:
    from smartspec_tk import app

    raw = io.BytesIO()
    piped = io.TextIOWrapper(raw, encoding="cp1252")
    monkeypatch.setattr("sys.platform", "win32")
    monkeypatch.setattr("sys.stdout", piped)
    monkeypatch.setattr("sys.stderr", None)  # a windowed exe has none
    assert app.main(["--version"]) == 0
    print("doctor → ok", file=piped, flush=True)
    assert piped.encoding == "utf-8" and raw.getvalue().endswith("doctor → ok\n".encode())
