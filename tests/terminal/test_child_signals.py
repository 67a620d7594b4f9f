"""Programs in a tab start with default signal handling, not Python's ignored SIGPIPE."""

from __future__ import annotations

from pathlib import Path

from .helpers import bash_session, pump_until, screen_text

SIGPIPE_BIT = 1 << (13 - 1)


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
