"""Programs in a tab start with default signal handling, whatever the app inherited or Python set."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from .helpers import bash_session, foreground_runs, pump_until, screen_text

SIGPIPE_BIT = 1 << (13 - 1)
SIGINT_BIT = 1 << (2 - 1)


def test_sigpipe_is_not_ignored_in_the_shell(tmp_path: Path) -> None:
    session = bash_session(tmp_path)
    try:
        pump_until(session, lambda: "$" in screen_text(session), what="the prompt")
        session.write(b"grep SigIgn /proc/self/status; yes | head -n 1; echo status=${PIPESTATUS[0]}\r")
        pump_until(session, lambda: "status=" in screen_text(session).split("echo status=")[-1], what="the status")
        text = screen_text(session)
        ignored = int(next(line for line in text.splitlines() if line.startswith("SigIgn:")).split()[1], 16)
        assert not ignored & SIGPIPE_BIT
        # yes died of SIGPIPE (128 + 13), quietly, as in any terminal.
        assert "status=141" in text
        assert "Broken pipe" not in text
    finally:
        session.close()


def test_ctrl_c_works_even_when_the_app_started_with_sigint_ignored(tmp_path: Path) -> None:
    # A script that starts the app in the background (`app &`) hands it SIGINT and SIGQUIT
    # ignored; exec keeps that, so without the reset no program in a tab could be ^C'd.
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        session = bash_session(tmp_path)
    finally:
        signal.signal(signal.SIGINT, old)
    try:
        pump_until(session, lambda: "$" in screen_text(session), what="the prompt")
        session.write(b"sleep 100; echo after-$?\r")
        pump_until(session, lambda: foreground_runs(session, "sleep"), what="sleep exec'd in the foreground")
        ignored = int(next(line for line in Path(f"/proc/{os.tcgetpgrp(session.backend.fileno())}/status")
                           .read_text().splitlines() if line.startswith("SigIgn:")).split()[1], 16)
        assert not ignored & SIGINT_BIT
        session.write(b"\x03")
        pump_until(session, lambda: not session.foreground_busy(), what="sleep interrupted")
    finally:
        session.close()
