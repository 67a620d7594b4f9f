"""Kilo test helpers: a workspace whose autopilot is the fake runner program."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

FAKE_RUNNER = Path(__file__).with_name("fake_runner.py")


@pytest.fixture
def autopilot_workspace(tmp_path: Path) -> Path:
    """A workspace with one workflow and the fake runner installed as `ss_autopilot.cli_enhanced`."""
    ws = tmp_path / "workspace"
    package = ws / ".smartspec" / "ss_autopilot"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    shutil.copy(FAKE_RUNNER, package / "cli_enhanced.py")
    flows = ws / ".smartspec" / "workflows"
    flows.mkdir()
    (flows / "sync-tasks.md").write_text("---\nargument-hint: <spec-id>\n---\n# Sync tasks\n", encoding="utf-8")
    return ws


def read_report(workspace: Path) -> dict[str, object] | None:
    path = workspace / ".runner-report.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def checked_report_env(workspace: Path, argv: list[str]) -> dict[str, str]:
    """The fake autopilot's report, checked (this argv, run in `workspace` on a tty); returns its env."""
    report = read_report(workspace)
    assert report is not None
    assert report["argv"] == argv
    assert Path(str(report["cwd"])) == workspace and report["isatty"] is True
    env = report["env"]
    assert isinstance(env, dict)
    return env
