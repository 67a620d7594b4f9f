"""Start-up benchmark: binary size, time to the mapped main window (one-file and from source), idle RSS.

Run through the dispatcher: `python scripts/bench.py startup [--runs N] [--idle S] [--build]`.
Idle memory is measured twice: the one-file binary (no backend), and from source as
`./scripts/run` starts it (`source_*`: `python -OO -X no_debug_ranges -m smartspec_tk` with the
embedded demo backend, which runs in its own process and is reported apart, not counted).
The tabs' watchdog (a waiting /bin/sh) is reported as `watchdog_rss_mb` / `source_watchdog_*`.
The app prints `MAPPED` on its first `<Map>` when SMARTSPEC_PRINT_MAPPED=1; each run
gets a fresh SMARTSPEC_HOME, its own TMPDIR (the one-file unpack folder), no
embedded backend and a backend URL on a closed port, so nothing but start-up is timed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import selectors
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the repository root, for `tests.helpers`

from tests.helpers.xvfb import display  # noqa: E402

BINARY = ROOT / "dist" / "smartspec-tk"
SOURCE = [sys.executable, "-OO", "-X", "no_debug_ranges", "-m", "smartspec_tk"]  # as ./scripts/run starts it
GOALS = {"binary_mb": 30.0, "onefile_start_s": 1.0, "idle_rss_mb": 60.0, "source_app_rss_mb": 60.0}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench.py startup")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per variant (median)")
    parser.add_argument("--idle", type=float, default=2.0, help="seconds idle before reading RSS")
    parser.add_argument("--build", action="store_true", help="rebuild dist/smartspec-tk first")
    return parser.parse_args(sys.argv[1:])


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def app_env(display_name: str) -> Iterator[dict[str, str]]:
    """Environment for one app run: fresh home and TMPDIR, removed afterwards."""
    scratch = Path(tempfile.mkdtemp(prefix="smartspec-bench-"))
    (scratch / "tmp").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SMARTSPEC_", "VITE_"))}
    # A user's start finds the byte-code its previous start wrote (the warm-up run writes it here);
    # a module compiled from its source on every start would cost time and about 1 MB more memory.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        DISPLAY=display_name,
        TMPDIR=str(scratch / "tmp"),
        SMARTSPEC_HOME=str(scratch / "home"),
        SMARTSPEC_PRINT_MAPPED="1",
        SMARTSPEC_EMBEDDED_BACKEND="never",
        SMARTSPEC_BACKEND_URL=f"http://127.0.0.1:{closed_port()}",
    )
    try:
        yield env
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def start_until_mapped(
    cmd: list[str], env: dict[str, str], timeout: float = 30.0
) -> tuple[subprocess.Popen[bytes], float]:
    """Start `cmd` and return it with the seconds until it printed MAPPED."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        env=env,
        cwd=Path(env["TMPDIR"]).parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    assert proc.stdout is not None
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while time.perf_counter() - start < timeout:
            if sel.select(timeout=0.5):
                line = proc.stdout.readline()
                if line.strip() == b"MAPPED":
                    return proc, time.perf_counter() - start
                if not line:
                    break
    stop(proc)
    raise RuntimeError(f"{cmd[0]} never printed MAPPED (exit code {proc.returncode})")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the app (the one-file bootloader forwards it and removes its unpack folder)."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    if proc.stdout is not None:
        proc.stdout.close()


def time_starts(cmd: list[str], display_name: str, runs: int) -> list[float]:
    """One untimed warm-up run, then `runs` timed runs."""
    times: list[float] = []
    for _ in range(runs + 1):
        with app_env(display_name) as env:
            proc, seconds = start_until_mapped(cmd, env)
            stop(proc)
            times.append(seconds)
    return times[1:]


def process_tree(root_pid: int) -> list[int]:
    """root_pid and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def rss_kib(pid: int) -> tuple[str, int]:
    """(command name, VmRSS in KiB) of one process."""
    status = Path(f"/proc/{pid}/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return fields["Name"].strip(), int(fields.get("VmRSS", "0 kB").split()[0])


def idle_rss(cmd: list[str], display_name: str, idle_s: float) -> dict[str, Any]:
    """RSS of the app's whole process tree after idling with its main window shown.

    `idle_rss_mb` is the whole tree. Split: `app_rss_mb` the app's own processes
    (bootloader + Python; `app_pss_mb` the same with shared pages divided among their
    users), `shell_rss_mb` the terminal tab's login shell, `shell_profile_rss_mb`
    whatever that shell's login profile is still running (machine-specific).
    """
    with app_env(display_name) as env:
        proc, _ = start_until_mapped(cmd, env)
        try:
            time.sleep(idle_s)
            tree = process_tree(proc.pid)
            per_process = [rss_kib(pid) for pid in tree]
            app = [pid for pid in tree if _exe(pid) == _exe(proc.pid)]
            watchdog = [pid for pid in tree if pid not in app and _role(pid, proc.pid) == "watchdog"]
            shells = [pid for pid in tree if pid not in app and pid not in watchdog and _ppid(pid) in app]
            app_pss = sum(_pss_kib(pid) for pid in app)
        finally:
            stop(proc)
    rss = {pid: kib for pid, (_, kib) in zip(tree, per_process, strict=True)}
    own, dog, shell = (sum(rss[p] for p in pids) for pids in (app, watchdog, shells))
    total = sum(rss.values())
    return {
        "idle_rss_mb": round(total / 1024, 1),
        "app_rss_mb": round(own / 1024, 1),
        "app_pss_mb": round(app_pss / 1024, 1),
        "watchdog_rss_mb": round(dog / 1024, 1),
        "shell_rss_mb": round(shell / 1024, 1),
        "shell_profile_rss_mb": round((total - own - dog - shell) / 1024, 1),
        "idle_processes": {f"{name}#{i}": round(kib / 1024, 1) for i, (name, kib) in enumerate(per_process)},
    }


def source_idle(display_name: str, idle_s: float) -> dict[str, Any]:
    """Idle memory from source with the embedded demo backend (as ./scripts/run): the app's own
    process, the tabs' watchdog, the login shell, and the backend (its own process, not counted)."""
    roles: dict[str, list[int]] = {"app": [], "watchdog": [], "backend": [], "shell": []}
    with app_env(display_name) as env:
        del env["SMARTSPEC_EMBEDDED_BACKEND"], env["SMARTSPEC_BACKEND_URL"]  # the default: auto
        proc, _ = start_until_mapped(SOURCE, env)
        try:
            time.sleep(idle_s)
            roles["app"].append(proc.pid)
            for pid in process_tree(proc.pid)[1:]:
                roles[_role(pid, proc.pid)].append(pid)
            rss = {role: sum(_rss_kib_or_0(pid) for pid in pids) for role, pids in roles.items()}
            pss = {role: sum(_pss_kib(pid) for pid in pids) for role, pids in roles.items()}
        finally:
            stop(proc)
            _wait_gone(roles["backend"])
    return {
        "source_app_rss_mb": round(rss["app"] / 1024, 1),
        "source_app_pss_mb": round(pss["app"] / 1024, 1),
        "source_watchdog_rss_mb": round(rss["watchdog"] / 1024, 1),
        "source_watchdog_pss_mb": round(pss["watchdog"] / 1024, 1),
        "source_shell_rss_mb": round(rss["shell"] / 1024, 1),
        "source_backend_rss_mb": round(rss["backend"] / 1024, 1),
    }


def _rss_kib_or_0(pid: int) -> int:
    try:
        return rss_kib(pid)[1]
    except OSError:  # ended meanwhile (a login profile's `sleep`)
        return 0


def _wait_gone(pids: list[int], timeout: float = 10.0) -> None:
    """Wait until the demo backend ended (it follows the app), so the next run starts its own."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in pids):
        time.sleep(0.1)


def _role(pid: int, app_pid: int) -> str:
    """watchdog, backend, or shell (whatever else runs below the app: the tab's shell and its children)."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "shell"
    if b"tab-watchdog" in argv or b"smartspec_tk.core.watchdog" in argv:
        return "watchdog"
    if _ppid(pid) == app_pid and (b"backend" in argv or b"smartspec_tk.backend" in argv):
        return "backend"
    return "shell"


def _ppid(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return 0


def _pss_kib(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0)


def _exe(pid: int) -> str:
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return ""


def ensure_binary(rebuild: bool) -> None:
    if rebuild or not BINARY.exists():
        subprocess.run([str(ROOT / "scripts" / "build"), "--no-setup"], check=True, stdout=sys.stderr)


def main() -> dict[str, Any]:
    args = parse_args()
    ensure_binary(args.build)
    onefile = [str(BINARY)]
    with display() as display_name:
        onefile_times = time_starts(onefile, display_name, args.runs)
        python_times = time_starts(SOURCE, display_name, args.runs)
        memory = idle_rss(onefile, display_name, args.idle)
        source_memory = source_idle(display_name, args.idle)
    result: dict[str, Any] = {
        "binary_mb": round(BINARY.stat().st_size / 1e6, 2),
        "onefile_start_s": round(statistics.median(onefile_times), 3),
        "python_start_s": round(statistics.median(python_times), 3),
        **memory,
        **source_memory,
        "onefile_start_runs_s": [round(t, 3) for t in onefile_times],
        "python_start_runs_s": [round(t, 3) for t in python_times],
        "load_average": round(os.getloadavg()[0], 2),
    }
    result["goals_met"] = {key: result[key] <= goal for key, goal in GOALS.items()}
    return result
