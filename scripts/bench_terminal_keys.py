"""Keystroke-to-screen latency of a terminal tab: a real Tk key event → pty → bash echo →
parse → redraw, measured until the typed text is in the Text widget. Prints ONE JSON object.

    python scripts/bench_terminal_keys.py [--keys 40]   (needs a DISPLAY, e.g. Xvfb)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import tkinter as tk
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from smartspec_tk.core.terminal import start_session  # noqa: E402
from smartspec_tk.ui.terminal.view import TerminalView  # noqa: E402

BASH = ["bash", "--norc", "--noprofile", "-i"]


def pump(root: tk.Tk, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        root.update()
        time.sleep(0.0005)


def measure(keys: int) -> dict[str, Any]:
    root = tk.Tk()
    root.geometry("800x500")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PS1": "$ ", "TERM": "xterm-256color"}
    with tempfile.TemporaryDirectory() as home:
        env["HOME"] = home
        view = TerminalView(root, lambda c, r: start_session(home, c, r, argv=BASH, env=env))
        view.pack(fill="both", expand=True)
        root.update()
        view.start()
        pump(root, 1.0)
        typed, latencies = "$ ", []
        for i in range(keys):
            char = "abcdefghijklmnopqrstuvwxyz"[i % 26]
            typed += char
            view.text.focus_force()
            started = time.perf_counter()
            view.text.event_generate("<Key>", keysym=char)
            while typed not in view.text.get("1.0", "end") and time.perf_counter() - started < 1:
                root.update()
            latencies.append((time.perf_counter() - started) * 1000)
            pump(root, 0.03)
        view.close()
    root.destroy()
    ordered = sorted(latencies)
    return {
        "keys": keys,
        "echo_latency_ms_median": round(statistics.median(ordered), 2),
        "echo_latency_ms_p90": round(ordered[int(len(ordered) * 0.9)], 2),
        "echo_latency_ms_max": round(ordered[-1], 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keys", type=int, default=40)
    opts = parser.parse_args(argv)
    print(json.dumps(measure(opts.keys)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
