"""Windows branches found by the sweep over os/subprocess calls: the log folder opens with the
shell's own "open" (os.startfile; no console program), and its failure is a notice, not a crash."""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from smartspec_tk.ui.window import app_shell


def services(folder: Path, posted: list[Any]) -> Any:
    return types.SimpleNamespace(paths=types.SimpleNamespace(log_dir=folder),
                                 outbox=types.SimpleNamespace(post=posted.append))  # fmt: skip


def test_the_log_folder_opens_with_startfile_on_windows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "startfile", opened.append, raising=False)
    monkeypatch.setattr(app_shell.subprocess, "Popen", lambda *a, **k: pytest.fail("no program is started"))
    posted: list[Any] = []
    app_shell._open_folder(services(tmp_path, posted))
    assert opened == [str(tmp_path)] and posted == []

    def refused(path: str) -> None:
        raise OSError("blocked by policy")

    monkeypatch.setattr(os, "startfile", refused, raising=False)
    app_shell._open_folder(services(tmp_path, posted))
    assert len(posted) == 1 and str(tmp_path) in posted[0].text


def test_saving_settings_retries_a_rename_windows_refuses_for_a_moment(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from smartspec_tk.core import settings

    real_replace = os.replace
    refusals = [PermissionError("[WinError 5] Access is denied")] * 2

    def replace(source: Any, target: Any) -> None:
        if refusals:
            raise refusals.pop()
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(sys, "platform", "win32")
    target = tmp_path / "settings.json"
    settings.save_user_settings(target, {"theme": "light"})
    assert refusals == [] and '"theme": "light"' in target.read_text(encoding="utf-8")
    refusals[:] = [PermissionError("denied")] * 9
    with pytest.raises(PermissionError):
        settings.save_user_settings(target, {"theme": "dark"})
    monkeypatch.setattr(sys, "platform", "linux")
    refusals[:] = [PermissionError("denied")]
    with pytest.raises(PermissionError):  # elsewhere a refusal is real at once
        settings.save_user_settings(target, {"theme": "dark"})
