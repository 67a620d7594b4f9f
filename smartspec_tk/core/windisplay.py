"""The app's window and console on Windows, through ctypes: DPI awareness, a window's DPI, UTF-8 output.

- `enable_dpi_awareness`: per-monitor DPI awareness, before Tk creates a window.
- `window_dpi`: the DPI of the monitor a window is on (the Tk scaling follows it).
- `console_utf8`: stdout/stderr in UTF-8 (a piped stdout is cp1252 otherwise).

Like `core/winsys.py`, it loads on every platform and takes the DLL objects as optional
arguments, so tests/core/test_winsys.py drives the Windows branches on Linux with fakes.
"""

from __future__ import annotations

import contextlib
import ctypes
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from smartspec_tk.core.winsys import load_dll

DPI_AWARENESS_CONTEXT_PER_MONITOR_AWARE_V2 = -4
PROCESS_PER_MONITOR_DPI_AWARE = 2


def enable_dpi_awareness(user32: Any = None, shcore: Any = None) -> str:
    """Declare per-monitor DPI awareness (call before Tk opens a window); says which call worked."""
    with contextlib.suppress(OSError):
        user32 = load_dll("user32") if user32 is None else user32
    if user32 is not None:
        setter = getattr(user32, "SetProcessDpiAwarenessContext", None)
        if setter is not None:
            setter.argtypes = [ctypes.c_void_p]
            if setter(ctypes.c_void_p(DPI_AWARENESS_CONTEXT_PER_MONITOR_AWARE_V2)):
                return "per-monitor v2"
    with contextlib.suppress(OSError):
        shcore = load_dll("shcore") if shcore is None else shcore
    if shcore is not None:
        setter = getattr(shcore, "SetProcessDpiAwareness", None)
        if setter is not None and setter(PROCESS_PER_MONITOR_DPI_AWARE) == 0:
            return "per-monitor"
    if user32 is not None and getattr(user32, "SetProcessDPIAware", None) is not None and user32.SetProcessDPIAware():
        return "system"
    return "unaware"


def window_dpi(hwnd: int, user32: Any = None) -> int | None:
    """The DPI of the monitor a window is on (Windows 10 1607+), or None."""
    with contextlib.suppress(OSError, AttributeError):
        user32 = load_dll("user32") if user32 is None else user32
        getter = user32.GetDpiForWindow
        getter.argtypes = [ctypes.c_void_p]
        getter.restype = ctypes.c_uint32
        dpi = int(getter(ctypes.c_void_p(hwnd)))
        return dpi or None
    return None


def console_utf8(streams: Iterable[TextIO | None] = ()) -> int:
    """Re-encode the given text streams (default stdout and stderr) as UTF-8 with errors
    replaced, so no character can raise UnicodeEncodeError; returns how many were changed."""
    changed = 0
    for stream in tuple(streams) or (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if stream is None or reconfigure is None:
            continue
        with contextlib.suppress(ValueError, OSError, AttributeError):
            reconfigure(encoding="utf-8", errors="replace")
            changed += 1
    return changed
