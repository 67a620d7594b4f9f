"""tmux in a real tab turns truecolour on by itself: it picks its feature set from our XTVERSION
reply (a real pty, our real session answering tmux's queries, tmux 3.x from Debian)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from smartspec_tk.core.terminal import start_session


def test_tmux_detects_truecolour_and_the_xterm_features(tmp_path: Path) -> None:
    assert shutil.which("tmux"), "tmux is missing: ./scripts/test installs it (apt tmux)"
    sock = f"smartspec-test-{os.getpid()}"
    tmux = ["tmux", "-L", sock]
    session = start_session(str(tmp_path), 100, 30, argv=[*tmux, "-f", "/dev/null", "new-session", "sleep 60"])
    features = ""
    try:
        deadline = time.monotonic() + 30
        while "RGB" not in features.split(",") and time.monotonic() < deadline:
            session.process(0.05)  # our replies to tmux's queries go back through the pty
            shown = subprocess.run([*tmux, "display", "-p", "#{client_termfeatures}"],
                                   capture_output=True, text=True, timeout=10)  # fmt: skip
            features = shown.stdout.strip()
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True, timeout=10)
        session.close()
    assert {"RGB", "256", "strikethrough"} <= set(features.split(",")), features
