"""A stand-in for the SmartSpec autopilot (`ss_autopilot.cli_enhanced`) used by the Kilo tests.

It writes what it received (argv, cwd, the environment, its pid and process
group) to `.runner-report.json` in its working folder, prints a line, and then:
- with the argument `--spawn-and-wait`: ignores Ctrl-C (SIGINT), starts a
  grandchild that ignores it too, records the grandchild's pid and waits forever,
  so only a process-group termination can end them;
- with `--wait`: waits until Ctrl-C ends it (exit code 130);
- otherwise exits 0.
"""

import json
import os
import signal
import subprocess
import sys
import time

REPORT = ".runner-report.json"


def main() -> int:
    report = {
        "argv": sys.argv[1:],
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "pid": os.getpid(),
        "pgid": os.getpgrp(),
        "isatty": sys.stdout.isatty(),
    }
    if "--spawn-and-wait" in sys.argv:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        child = subprocess.Popen(
            [sys.executable, "-c", "import signal,time; signal.signal(signal.SIGINT, signal.SIG_IGN); time.sleep(600)"]
        )
        report["grandchild_pid"] = child.pid
    tmp = REPORT + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(report, handle)
    os.replace(tmp, REPORT)
    print("fake autopilot ran:", " ".join(sys.argv[1:]), flush=True)
    if "--spawn-and-wait" in sys.argv:
        print("waiting (Ctrl-C is ignored)", flush=True)
        while True:
            time.sleep(1)
    if "--wait" in sys.argv:
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
