"""The tabs' watchdog: a small process per app that ends every terminal tab's processes once the
app is gone, however it ended (`kill -9` included). Started by `core/orphans.start_watchdog`.

`python -m smartspec_tk.core.watchdog APP_PID` (frozen: `smartspec-tk tab-watchdog APP_PID`)
reads its standard input, a pipe only the app writes to, until the end of file. The app starts
it behind a waiting `/bin/sh` (`core.orphans.WAIT_THEN_EXEC`), which execs it once that pipe
ended, so its read ends at once; started directly it waits itself.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Sequence

from smartspec_tk.core.orphans import end_processes, marked_processes


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1 or not args[0].isdigit():
        print("usage: tab-watchdog APP_PID", file=sys.stderr)
        return 2
    for sig in (signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)  # a Ctrl+C or hang-up meant for the app: wait for its end
    with contextlib.suppress(OSError):
        while sys.stdin.buffer.read(4096):
            pass
    end_processes(lambda: marked_processes(f"{args[0]}-", prefix=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
