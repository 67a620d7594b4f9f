"""The repository tracks the project, not one machine's set-up: no virtualenv or tool folder (or a link to one)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCAL_ONLY = (".venv", ".venv-llm", ".kilo-cli", ".wine-build")


def test_no_local_environment_is_tracked() -> None:
    result = subprocess.run(["git", "ls-files", "--", *LOCAL_ONLY], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, check=True)  # fmt: skip
    assert result.stdout.split() == [], "tracked (a link here replaces the real folder on checkout)"


def test_gitignore_matches_the_folders_and_links_to_them() -> None:
    result = subprocess.run(["git", "check-ignore", "--no-index", "-v", *LOCAL_ONLY], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    ignored = {line.split("\t")[-1] for line in result.stdout.splitlines()}
    assert ignored == set(LOCAL_ONLY), result.stdout
