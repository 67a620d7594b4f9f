"""Windows benchmark: the exe's size and start-up time under Wine, beside the Linux binary's.

Run through the dispatcher: `python scripts/bench.py windows [--runs N] [--build]`.
`exe_start_s` is the median time from starting `smartspec-tk.exe` under Wine to its main window
mapped (it prints `MAPPED`, see smartspec_tk/testhooks.py); `wine_process_start_s` the median
time Wine takes to run a trivial Windows program (`cmd.exe /c exit 0`), so Wine's own cost can
be subtracted; `linux_binary_start_s` the same start-up of the Linux one-file binary
(dist/smartspec-tk, built by ./scripts/build when missing), measured in the same run. The
wineserver is kept running for the whole benchmark (as on a desktop, where Windows is up), and
each run gets a fresh SMARTSPEC_HOME, no backend and one untimed warm-up first.
"""

from __future__ import annotations

import argparse
import os
import selectors
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_startup import BINARY, closed_port, ensure_binary, time_starts

from tests.helpers.xvfb import display
from tests.windows.wine import EXE, ROOT, RUN_VAR, kill_run, start_wineserver, stop_wineserver, wine_env, winpath

GOAL_EXE_MB = 30.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench.py windows")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement (median)")
    parser.add_argument("--build", action="store_true", help="rebuild dist/windows first (--force)")
    return parser.parse_args(sys.argv[1:])


def ensure_exe(rebuild: bool) -> None:
    if rebuild or not EXE.exists():
        argv = [str(ROOT / "scripts" / "build-windows"), *(["--force"] if rebuild else [])]
        subprocess.run(argv, check=True, stdout=sys.stderr)


def exe_start(display_name: str, run: int) -> float:
    """Seconds from `wine smartspec-tk.exe` to its `MAPPED` line; the app is then told to quit."""
    scratch = Path(tempfile.mkdtemp(prefix="smartspec-bench-win-"))
    control = scratch / "control"
    control.write_text("")
    run_id = f"bench-{os.getpid()}-{run}"
    env = wine_env({
        RUN_VAR: run_id, "DISPLAY": display_name, "SMARTSPEC_HOME": winpath(scratch / "home"),
        "SMARTSPEC_PRINT_MAPPED": "1", "SMARTSPEC_EMBEDDED_BACKEND": "never",
        "SMARTSPEC_BACKEND_URL": f"http://127.0.0.1:{closed_port()}", "SMARTSPEC_TEST_CONTROL": winpath(control),
    })  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.Popen(["wine", str(EXE)], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL)  # fmt: skip
    try:
        seconds = _until_mapped(proc, start)
        control.write_text("quit\n")
        proc.wait(timeout=60)
        return seconds
    finally:
        kill_run(run_id)
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        assert proc.stdout is not None
        proc.stdout.close()
        shutil.rmtree(scratch, ignore_errors=True)


def _until_mapped(proc: subprocess.Popen[bytes], start: float, timeout: float = 120) -> float:
    assert proc.stdout is not None
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while time.perf_counter() - start < timeout:
            if sel.select(timeout=0.5):
                line = proc.stdout.readline()
                if line.strip() == b"MAPPED":
                    return time.perf_counter() - start
                if not line:
                    break
    raise RuntimeError(f"smartspec-tk.exe never printed MAPPED (exit code {proc.poll()})")


def wine_process_start() -> float:
    start = time.perf_counter()
    quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run(["wine", "cmd.exe", "/c", "exit 0"], env=wine_env(), check=True, timeout=60, **quiet)
    return time.perf_counter() - start


def median_of(runs: int, measure: Any) -> tuple[float, list[float]]:
    """One untimed warm-up call, then `runs` timed ones: (median, the runs)."""
    times = [measure(i) for i in range(runs + 1)][1:]
    return round(statistics.median(times), 3), [round(t, 3) for t in times]


def main() -> dict[str, Any]:
    args = parse_args()
    ensure_exe(args.build)
    ensure_binary(False)
    session = f"bench-{os.getpid()}"
    start_wineserver(session)  # stays up (with Wine's services and desktop) until stop_wineserver
    try:
        with display() as display_name:
            exe_s, exe_runs = median_of(args.runs, lambda i: exe_start(display_name, i))
            wine_s, wine_runs = median_of(args.runs, lambda _i: wine_process_start())
            linux_runs = time_starts([str(BINARY)], display_name, args.runs)
    finally:
        stop_wineserver(session)
    linux_s = round(statistics.median(linux_runs), 3)
    result: dict[str, Any] = {
        "exe_mb": round(EXE.stat().st_size / 1e6, 2),
        "exe_start_s": exe_s,
        "wine_process_start_s": wine_s,
        "linux_binary_start_s": linux_s,
        "exe_start_minus_wine_s": round(exe_s - wine_s, 3),
        "exe_start_runs_s": exe_runs,
        "wine_process_start_runs_s": wine_runs,
        "linux_binary_start_runs_s": [round(t, 3) for t in linux_runs],
        "load_average": round(os.getloadavg()[0], 2),
    }
    result["goals_met"] = {
        "exe_mb": result["exe_mb"] <= GOAL_EXE_MB,
        "exe_start_s": exe_s - wine_s <= 2 * linux_s,
    }
    return result
