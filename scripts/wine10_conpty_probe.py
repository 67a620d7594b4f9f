"""Run by scripts/wine10-chroot inside Wine with the Windows CPython (not on Linux): can the app's
own Windows pty backend (core/terminal/backend_windows.WindowsPtyBackend, pywinpty underneath) run
cmd.exe on ConPTY, and on WinPTY? For each transport it runs `cmd.exe /c echo …` and then types a
command into an interactive cmd.exe, as the self-test does, and prints one line per check. It also
says whether Wine's own bcryptprimitives.dll has ProcessPrng (Wine 8 lacks it; scripts/_wine.sh
builds a stub). Exit status 0 only when both ConPTY checks pass.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from smartspec_tk.core.terminal.backend_windows import (  # noqa: E402 - after the path is set
    CONPTY,
    TRANSPORT_NAMES,
    WINPTY,
    WindowsPtyBackend,
)

MARK = "smartspec-probe-42"
COMMAND = "echo smartspec-probe-4^2"  # cmd drops the caret: only the shell's output can show MARK
ESCAPES = re.compile(rb"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|.)")


def _answered(out: bytearray) -> bool:
    """MARK alone on a line: the command ran (an error message quoting the command does not count)."""
    text = ESCAPES.sub(b"", bytes(out)).replace(b"\r", b"\n")
    return any(line.strip() == MARK.encode() for line in text.split(b"\n"))


def _collect(backend: WindowsPtyBackend, out: bytearray) -> None:
    while chunk := backend.read(4096):
        out.extend(chunk)


def _wait_for(out: bytearray, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _answered(out):
            return True
        time.sleep(0.1)
    return _answered(out)


def check(kind: int, interactive: bool) -> tuple[bool, str]:
    """Start cmd.exe on one transport; True when the command's output came back."""
    backend = WindowsPtyBackend(order=[kind])
    argv = ["cmd.exe"] if interactive else ["cmd.exe", "/c", COMMAND]
    try:
        backend.spawn(argv, "C:\\", dict(os.environ), 80, 24)
    except OSError as exc:
        return False, f"spawn failed: {exc}"
    out = bytearray()
    threading.Thread(target=_collect, args=(backend, out), daemon=True).start()
    try:
        if interactive:
            time.sleep(2)  # the banner and prompt first
            backend.write(f"{COMMAND}\r".encode())
        ok = _wait_for(out, 15)
    finally:
        backend.terminate()
    return ok, f"output {bytes(out[-160:])!r}"


def has_process_prng() -> bool:
    try:
        return hasattr(ctypes.WinDLL("bcryptprimitives"), "ProcessPrng")  # type: ignore[attr-defined]
    except OSError:
        return False


def main() -> int:
    print(f"bcryptprimitives.dll exports ProcessPrng: {has_process_prng()}", flush=True)
    results: dict[tuple[int, bool], bool] = {}
    for kind in (CONPTY, WINPTY):
        for interactive in (False, True):
            ok, detail = check(kind, interactive)
            results[kind, interactive] = ok
            what = "interactive cmd.exe, typed command" if interactive else "cmd.exe /c echo"
            print(f"{TRANSPORT_NAMES[kind]:7} {what:35} {'ok' if ok else 'FAILED'}: {detail}", flush=True)
    return 0 if results[CONPTY, False] and results[CONPTY, True] else 1


if __name__ == "__main__":
    sys.exit(main())
