"""Session restore with the real app (from source, a real pty and bash, driven from outside by
SMARTSPEC_TEST_CONTROL): tabs opened, one renamed, cd'd elsewhere, the window resized and its
divider moved, quit; started again, the same tabs come back (order, names, folders read from
the new shells by the OS), the same geometry and divider, and no command runs again. Also: the
setting turns it off, a damaged session file is ignored with a log line, OSC 7 and
"New tab here" on real Tk."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from smartspec_tk.core.session_state import FILE_NAME, folder_from_osc7, load_state
from smartspec_tk.ui.terminal.restore import fit_geometry
from tests.faults.app_run import log_text
from tests.terminal.ui_helpers import BASH_ENV, make_notebook

pytestmark = pytest.mark.tk


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


class RealApp:
    """`python -m smartspec_tk` in a child process, told what to do through its control file."""

    def __init__(self, tmp: Path, workspace: Path, **env: str) -> None:
        self.control = tmp / f"control-{time.monotonic_ns()}"
        self.control.write_text("")
        full_env = dict(os.environ, SMARTSPEC_EMBEDDED_BACKEND="never", SMARTSPEC_BACKEND_URL="http://127.0.0.1:9",
                        SMARTSPEC_SHELL="bash", SMARTSPEC_WORKSPACE=str(workspace), HOME=str(tmp),
                        SMARTSPEC_TEST_CONTROL=str(self.control), SMARTSPEC_PRINT_MAPPED="1",
                        **BASH_ENV, **env)  # fmt: skip
        self.process = subprocess.Popen([sys.executable, "-m", "smartspec_tk"], env=full_env, text=True,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        start_new_session=True)  # fmt: skip
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "MAPPED"  # the window is up

    def send(self, *lines: str) -> None:
        with self.control.open("a", encoding="utf-8") as handle:
            handle.writelines(line + "\n" for line in lines)

    def quit(self) -> None:
        self.send("quit")
        try:
            assert self.process.wait(timeout=60) == 0
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, 9)
                self.process.wait(timeout=10)
            for stream in (self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def test_tabs_names_folders_geometry_and_divider_come_back_after_a_restart(tmp_path: Path, app_home: Path) -> None:
    workspace, other = tmp_path / "work space", tmp_path / "other"
    (workspace / "sub one").mkdir(parents=True)
    other.mkdir()
    ran = tmp_path / "ran.txt"
    first = RealApp(tmp_path, workspace)
    try:
        first.send("geometry 900x600+30+40", "divider 420", "rename-tab build logs",
                   f"type cd '{workspace}/sub one' && echo tab1 >> '{ran}'\\n",
                   "new-tab", f"type cd '{other}' && echo tab2 >> '{ran}'\\n",
                   "new-tab", "rename-tab third")  # fmt: skip
        wait_for(lambda: lines(ran) == ["tab1", "tab2"], 60, "both cd commands to run")
    finally:
        first.quit()
    saved = load_state(app_home / "data" / FILE_NAME)
    assert saved is not None
    assert [(t.name, t.cwd) for t in saved.tabs] == [
        ("build logs", f"{workspace}/sub one"), ("", str(other)), ("third", str(workspace))]
    assert saved.geometry == "900x600+30+40" and saved.sash == 420 and saved.current == 2

    pwd = tmp_path / "pwd.txt"
    second = RealApp(tmp_path, workspace)
    try:
        second.send(f"type pwd > '{pwd}'\\n")  # the third tab is the current one again
        wait_for(lambda: lines(pwd) == [str(workspace)], 60, "pwd in the restored current tab")
    finally:
        second.quit()
    again = load_state(app_home / "data" / FILE_NAME)
    assert again is not None
    assert again.tabs == saved.tabs  # read back from the restored shells: /proc/PID/cwd of each new bash
    assert again.geometry == saved.geometry and again.sash == saved.sash and again.current == 2
    assert lines(ran) == ["tab1", "tab2"]  # fresh shells: nothing ran again


def test_restore_off_and_a_damaged_session_file(tmp_path: Path, app_home: Path) -> None:
    state_file = app_home / "data" / FILE_NAME
    state_file.parent.mkdir(parents=True)
    state_file.write_text('{"version": 1, "tabs": [{"name": "x"')
    app = RealApp(tmp_path, tmp_path)
    app.quit()
    assert "session: session.json could not be read" in log_text(app_home)
    saved = load_state(state_file)  # replaced by the session of this run: one fresh tab
    assert saved is not None and [t.name for t in saved.tabs] == [""]
    state_file.unlink()
    off = RealApp(tmp_path, tmp_path, SMARTSPEC_RESTORE_SESSION="0")
    off.quit()
    assert not state_file.exists()


def test_osc7_and_new_tab_here(tk_root: object, wait_until: Callable[..., None], tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("SMARTSPEC_SHELL", "bash")  # a login bash; HOME below keeps this machine's ~/.bashrc out
    monkeypatch.setenv("HOME", str(tmp_path))
    notebook = make_notebook(tk_root)  # type: ignore[arg-type]
    try:
        here, there = tmp_path / "here", tmp_path / "there dir"
        here.mkdir()
        there.mkdir()
        view = notebook.open_session(argv=None, cwd=here)
        wait_until(lambda: view.session is not None, what="the shell")
        view.session.write(f"cd '{there}'\r".encode())
        wait_until(lambda: notebook.folder_of(view) == str(there), 30,
                   f"the shell's folder from /proc, not {notebook.folder_of(view)}")  # fmt: skip
        uri = "file://localhost" + str(here)
        view.session.write(f"printf '\\033]7;{uri}\\007'\r".encode())
        wait_until(lambda: notebook.folder_of(view) == str(here), 30, "the OSC 7 folder (it wins over /proc)")
        second = notebook.new_tab_here()
        assert second is not view and notebook.started_in[str(second)] == str(here)
        wait_until(lambda: second.session is not None and second.session.backend.pid > 0, what="the new shell")
        wait_until(lambda: os.readlink(f"/proc/{second.session.backend.pid}/cwd") == str(here), 30,
                   "the new tab's shell to run in the same folder")  # fmt: skip
    finally:
        notebook.close_all()


def test_folder_from_osc7_and_fit_geometry() -> None:
    assert folder_from_osc7("file://myhost/home/a%20b", hostname="myhost") == "/home/a b"
    assert folder_from_osc7("file:///srv/x") == "/srv/x"
    assert folder_from_osc7("file://elsewhere/srv/x", hostname="myhost") is None  # a shell over ssh
    assert folder_from_osc7("http://myhost/x", hostname="myhost") is None
    assert fit_geometry("900x600+30+40", (1600, 1000), (640, 400)) == "900x600+30+40"
    assert fit_geometry("3000x2000+30+40", (1600, 1000), (640, 400)) == "1600x1000+30+40"
    assert fit_geometry("900x600+2500+40", (1600, 1000), (640, 400)) == "900x600"  # its monitor is gone
    assert fit_geometry("300x200", (1600, 1000), (640, 400)) == "640x400"
    assert fit_geometry("garbage", (1600, 1000), (640, 400)) is None
