"""Conformance figure: esctest2 (``../shared/tools/esctest2``, or ``$ESCTEST2_DIR``) run as a program
inside the product's real ``TerminalSession`` (pty, parser, screen; DECRQCRA and window operations
enabled), whole suite in
one session. Prints ONE JSON object: passed, failed, known bugs, total and the failing test names.

    python scripts/bench.py esctest [--include REGEX] [--max-vt-level 4] [--by-class]

No display is needed (the core is Tk-free). Exit status 0 even when tests fail: this is a figure,
the test tier (tests/terminal/test_esctest.py) holds the floor.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from smartspec_tk.core.terminal import start_session  # noqa: E402

_SUMMARY = re.compile(r"\*\*\* (\d+) tests? passed, (\d+) known bugs?, (\d+) (?:TESTS?|tests?) (?:FAILED|failed)")


def esctest_dir() -> Path:
    """Where esctest2's ``esctest/esctest.py`` lives; a clear error when it is missing."""
    env = os.environ.get("ESCTEST2_DIR")
    candidates = [Path(env)] if env else [ROOT.parent / "shared" / "tools" / "esctest2"]
    for base in candidates:
        if (base / "esctest" / "esctest.py").is_file():
            return base / "esctest"
    raise FileNotFoundError(f"esctest2 not found (looked in {', '.join(map(str, candidates))}); "
                            "set ESCTEST2_DIR to the esctest2 checkout")


def run_esctest(include: str = ".*", max_vt_level: int = 4, timeout_s: float = 1.0,
                limit_s: float = 3600.0, keep_log: Path | None = None) -> dict[str, Any]:
    """Run esctest2 in one TerminalSession; return its counts and failing test names."""
    os.environ["SMARTSPEC_TERMINAL_CHECKSUMS"] = "1"
    os.environ["SMARTSPEC_TERMINAL_WINDOW_OPS"] = "1"  # as xterm's allowWindowOps in the reference run
    where = esctest_dir()
    with tempfile.TemporaryDirectory(prefix="esctest-") as tmp:
        log = Path(tmp) / "esctest.log"
        argv = [sys.executable, str(where / "esctest.py"), "--expected-terminal=xterm",
                f"--max-vt-level={max_vt_level}", f"--timeout={timeout_s}", "--no-print-logs",
                f"--logfile={log}", f"--include={include}"]
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": tmp, "TERM": "xterm",
               "LANG": "C.UTF-8"}
        started = time.monotonic()
        session = start_session(where, cols=80, rows=25, argv=argv, env=env)
        try:
            while not session.exited and time.monotonic() - started < limit_s:
                if not session.process(0.02):
                    time.sleep(0.002)
        finally:
            session.close()
        text = log.read_text(errors="replace") if log.exists() else ""
        if keep_log is not None:
            keep_log.write_text(text)
    elapsed = time.monotonic() - started
    matches = list(_SUMMARY.finditer(text))
    match = matches[-1] if matches else None
    failures: list[str] = []
    if "Failing tests:\n" in text:
        failures = [line.strip() for line in text.split("Failing tests:\n", 1)[1].splitlines()
                    if re.fullmatch(r"\s*\w+\.\w+\s*", line)]
    if match is None:
        tail = text[-2000:] if text else "(no log written)"
        return {"benchmark": "esctest", "error": "esctest did not finish", "seconds": round(elapsed, 1),
                "log_tail": tail}
    passed, known, failed = (int(g) for g in match.groups())
    return {"benchmark": "esctest", "include": include, "max_vt_level": max_vt_level,
            "passed": passed, "known_bugs": known, "failed": failed, "total": passed + known + failed,
            "seconds": round(elapsed, 1), "failures": failures}


def by_class(result: dict[str, Any]) -> dict[str, int]:
    """Failures per test class (the class is the part before the dot)."""
    return dict(sorted(Counter(name.split(".")[0] for name in result.get("failures", [])).items()))


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--include", default=".*")
    parser.add_argument("--max-vt-level", type=int, default=4)
    parser.add_argument("--by-class", action="store_true", help="also count failures per test class")
    parser.add_argument("--log", type=Path, help="keep esctest's log there")
    args = parser.parse_args(argv)
    result = run_esctest(args.include, args.max_vt_level, keep_log=args.log)
    if args.by_class:
        result["failures_by_class"] = by_class(result)
    return result


if __name__ == "__main__":
    import json

    print(json.dumps(main()))
