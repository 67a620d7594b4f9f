"""The test hooks that drive the app from outside (the Windows tier uses them under Wine):
SMARTSPEC_TEST_TAB opens a tab running a given program, SMARTSPEC_TEST_CONTROL's lines close
it and quit. Here on Linux, the real app from source with a real pty and shell."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.tk


def tagged(tag: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and tag.encode() in (entry / "environ").read_bytes().split(b"\0"):
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                pids += [int(entry.name)] if state != "Z" else []
        except OSError:
            continue
    return pids


def wait_for(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_a_test_tab_runs_its_program_closes_on_command_and_the_app_quits(tmp_path: Path) -> None:
    tag = f"SMARTSPEC_HOOK_TAG={os.getpid()}"
    control = tmp_path / "control"
    control.write_text("")
    program = ["/usr/bin/env", tag, "/bin/sh", "-c", "sleep 300 & sleep 301; wait"]
    env = dict(os.environ, SMARTSPEC_EMBEDDED_BACKEND="never", SMARTSPEC_BACKEND_URL="http://127.0.0.1:9",
               SMARTSPEC_TEST_TAB=json.dumps(program), SMARTSPEC_TEST_CONTROL=str(control))  # fmt: skip
    app = subprocess.Popen([sys.executable, "-m", "smartspec_tk"], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
    try:
        wait_for(lambda: len(tagged(tag)) == 3, 30, "sh and its two sleeps")
        control.write_text("close-tab\n")
        wait_for(lambda: tagged(tag) == [], 15, "the tab's programs to end")
        assert app.poll() is None, "closing the test tab ended the app"
        control.write_text("close-tab\nquit\n")  # only the new line runs
        assert app.wait(timeout=30) == 0
    finally:
        if app.poll() is None:
            os.killpg(app.pid, 9)
        app.wait(timeout=10)
        assert app.stderr is not None
        app.stderr.close()
