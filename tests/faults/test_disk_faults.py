"""A full or read-only disk (issue 13, finding 7): plain messages, the prompt kept, the app always starts.

Real file systems: a tiny tmpfs, filled up or remounted read-only, in a private mount namespace
(`unshare -rm`), under the real app (`--self-test`) or the real chat pane.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartspec_tk.core.storage import storage_error
from tests.chat.sse_server import ChatServer, chat_server
from tests.faults.app_run import run_app, unshare

TINY = "size=64k"


def in_tmpfs(folder: Path, *then: str, size: str = TINY) -> list[str]:
    """The argv prefix that mounts a tiny tmpfs at `folder`, runs the shell commands `then`, then the program."""
    script = " && ".join([f"mount -t tmpfs -o {size} tmpfs {shlex.quote(str(folder))}", *then, 'exec "$@"'])
    return [*unshare(), "sh", "-c", script, "sh"]


def temp_logs(temp: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in temp.glob("smartspec-tk-logs-*/*.log"))


def _start(app_home: Path, tmp_path: Path, *then: str) -> tuple[subprocess.CompletedProcess[str], str]:
    app_home.mkdir(parents=True, exist_ok=True)
    temp = tmp_path / "tmp"
    temp.mkdir()
    result = run_app(["--self-test"], {"TMPDIR": str(temp)}, prefix=in_tmpfs(app_home, *then))
    return result, temp_logs(temp)


def test_a_read_only_home_starts_and_logs_elsewhere(app_home: Path, tmp_path: Path) -> None:
    result, log = _start(app_home, tmp_path, f"mount -o remount,ro {shlex.quote(str(app_home))}")
    assert result.returncode == 0 and "self-test: passed" in result.stdout, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert f"The log folder {app_home / 'logs'} cannot be written (Read-only file system)" in log
    assert f"The folder {app_home / 'config'} cannot be created (Read-only file system)" in log


def test_a_full_home_starts_without_a_logging_error(app_home: Path, tmp_path: Path) -> None:
    fill = f"(dd if=/dev/zero of={shlex.quote(str(app_home / 'filler'))} bs=4k 2>/dev/null || true)"
    result, log = _start(app_home, tmp_path, fill)
    assert result.returncode == 0 and "self-test: passed" in result.stdout, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "Logging error" not in result.stderr
    assert "cannot be written (No space left on device)" in log


@pytest.fixture
def server() -> Iterator[ChatServer]:
    with chat_server() as running:
        yield running


def test_a_prompt_sent_on_a_full_disk_is_kept_with_a_plain_message(
    app_home: Path, server: ChatServer, tmp_path: Path
) -> None:
    data = app_home / "data"
    data.mkdir(parents=True)
    env = dict(os.environ, SMARTSPEC_BACKEND_URL=server.url, SMARTSPEC_DEFAULT_MODEL="echo-1")
    command = [*in_tmpfs(data, size="size=2m"), sys.executable, "-m", "tests.faults.disk_full_chat"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parents[2])  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert shown["errors"] == []  # not "internal error — see log"
    assert shown["input"] == "keep this prompt"
    assert shown["note"] == (
        "The conversation could not be saved: the disk is full. Free some space, then try again. "
        "Your text and attachments are still here."
    )
    assert server.bodies == []  # nothing was sent that could not be kept
    assert "keep this prompt" not in shown["transcript"]


def test_settings_and_other_writes_name_the_problem() -> None:
    assert str(storage_error(OSError(28, "No space left on device"), "The settings file s.json")) == (
        "The settings file s.json could not be saved: the disk is full. Free some space, then try again."
    )
    assert "read-only" in str(storage_error(OSError(30, "Read-only file system"), "x"))
    assert storage_error(OSError(2, "No such file"), "x") is None


def test_the_settings_dialog_on_a_full_disk_says_so_and_stays_open(
    tk_root: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file the dialog writes first is /dev/full (the kernel's always-full device): a real ENOSPC."""
    from smartspec_tk.core.settings import load_settings
    from smartspec_tk.ui.window.settings_dialog import SettingsDialog

    shown: list[str] = []
    monkeypatch.setattr("tkinter.messagebox.showerror", lambda title, text, **kw: shown.append(text))
    user_file = tmp_path / "settings.json"
    user_file.with_suffix(".tmp").symlink_to("/dev/full")
    dialog = SettingsDialog(tk_root, load_settings(None, env_file=None).settings, user_file)  # type: ignore[arg-type]
    dialog._vars["font_size"].set("14")
    dialog.save()
    assert shown == [
        f"The settings file {user_file} could not be saved: the disk is full. "
        "Free some space, then try again."
    ]
    assert dialog.winfo_exists() and dialog._vars["font_size"].get() == "14"  # nothing typed is lost
    assert not user_file.exists()
    dialog.destroy()
