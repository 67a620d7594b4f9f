"""Memory under hostile terminal output: each kind of endless or oversized sequence (OSC/DCS/APC/PM/SOS
strings never terminated, a CSI with endless parameters or digits, SGR with 50,000 parameters, many
distinct colours, titles and modes) fed to the product's parser and screen (FastStream + TermScreen
with a scrollback, as TerminalSession builds them) in 64 KiB chunks, each kind in its own process
measuring its own RSS. Prints ONE JSON object: per kind the RSS growth in MB and the seconds taken.

    python scripts/bench.py hostile [--mb 100] [--kind osc ...]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHUNK = 65536


def _endless(opener: str, fill: str) -> Iterator[str]:
    yield opener
    block = fill * (CHUNK // len(fill))
    while True:
        yield block


def _repeated(make: Any) -> Iterator[str]:
    rnd = random.Random(11)
    while True:
        yield make(rnd)


KINDS: dict[str, Any] = {
    "osc": lambda: _endless("\x1b]0;", "A"),
    "osc_long_titles": lambda: _repeated(lambda r: "\x1b]2;" + "T" * 60000 + f"{r.random()}\x07"),
    "dcs": lambda: _endless("\x1bP", "A"),
    "apc": lambda: _endless("\x1b_", "A"),
    "pm": lambda: _endless("\x1b^", "A"),
    "sos": lambda: _endless("\x1bX", "A"),
    "csi_params": lambda: _endless("\x1b[", "1;"),
    "csi_digits": lambda: _endless("\x1b[", "9"),
    "sgr_50000_params": lambda: _repeated(lambda r: "\x1b[" + "1;" * 50000 + "mx"),
    "sgr_distinct": lambda: _repeated(lambda r: "".join(
        f"\x1b[38;2;{r.randrange(256)};{r.randrange(256)};{r.randrange(256)};48;5;{r.randrange(256)}mX"
        for _ in range(1000)) + "\r\n"),
    "modes": lambda: _repeated(lambda r: "".join(f"\x1b[?{r.randrange(65536)}h\x1b[{r.randrange(65536)}h"
                                                 for _ in range(1000))),
    "combining": lambda: _endless("x", "\u0301"),
}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status (Linux only)")


def run_kind(kind: str, megabytes: float) -> dict[str, Any]:
    """Feed `megabytes` of `kind` in this process; RSS before and after."""
    import gc

    from smartspec_tk.core.terminal.history import History
    from smartspec_tk.core.terminal.rows import undefer_row
    from smartspec_tk.core.terminal.screen import TermScreen
    from smartspec_tk.core.terminal.stream import FastStream

    screen = TermScreen(120, 40, History(10_000, undefer=undefer_row))
    screen.reply = lambda _text: None
    stream = FastStream(screen)
    stream.feed("warm-up\r\n" * 100)
    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    fed, limit = 0, int(megabytes * 1024 * 1024)
    for chunk in KINDS[kind]():
        stream.feed(chunk)
        fed += len(chunk)
        if fed >= limit:
            break
    stream.feed("\x1b\\\x07\x1b[0m\r\nend\r\n")  # terminate whatever was open
    gc.collect()
    after = rss_mb()
    return {"kind": kind, "mb_fed": round(fed / 1024 / 1024, 1), "rss_before_mb": round(before, 1),
            "rss_growth_mb": round(after - before, 1), "seconds": round(time.perf_counter() - started, 1)}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100.0, help="megabytes of each kind")
    parser.add_argument("--kind", nargs="*", default=list(KINDS), choices=list(KINDS))
    args = parser.parse_args(argv)
    results = {}
    for kind in args.kind:
        out = subprocess.run([sys.executable, __file__, "--child", kind, str(args.mb)],
                             capture_output=True, text=True, timeout=3600)
        if out.returncode != 0:
            raise RuntimeError(f"{kind} failed: {out.stderr[-2000:]}")
        results[kind] = json.loads(out.stdout.strip().splitlines()[-1])
    worst = max(r["rss_growth_mb"] for r in results.values())
    return {"benchmark": "hostile", "mb_each": args.mb, "worst_rss_growth_mb": worst, "kinds": results}


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(run_kind(sys.argv[2], float(sys.argv[3]))))
    else:
        print(json.dumps(main()))
