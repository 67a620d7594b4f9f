"""docs/architecture.md's file index lists every module of the package, and nothing that is gone."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INDEX_HEADING = "## File index"
_SECTION = re.compile(r"^\*\*`([^`]+)`")  # **`smartspec_tk/core/chat/`**
_ENTRY = re.compile(r"^- (.+?) — ")  # - `name.py` — what it is
_NAME = re.compile(r"`([^`]+)`")


def index_entries(text: str) -> list[str]:
    """The paths the index names: a section's folder joined with each entry's backticked names."""
    index = text.split(INDEX_HEADING, 1)[1]
    folder = ""
    paths: list[str] = []
    for line in index.splitlines():
        if section := _SECTION.match(line):
            folder = section.group(1) if section.group(1).startswith("smartspec_tk") else ""
        elif entry := _ENTRY.match(line):
            paths += [folder + name for name in _NAME.findall(entry.group(1))]
    return paths


def test_index_parsing_reads_folders_and_entries() -> None:
    text = (
        "x\n## File index\n\n**`smartspec_tk/ui/`**\n\n- `a.py` — A\n\n"
        "**`scripts/` and `build/`**\n\n- `b/c`, `d` — B\n"
    )
    assert index_entries(text) == ["smartspec_tk/ui/a.py", "b/c", "d"]


def test_the_index_matches_the_package_on_disk() -> None:
    listed = index_entries((ROOT / "docs" / "architecture.md").read_text(encoding="utf-8"))
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "smartspec_tk").rglob("*.py")}
    missing = sorted(modules - set(listed))
    gone = sorted(path for path in listed if not (ROOT / path).exists())
    twice = sorted({path for path in listed if listed.count(path) > 1})
    assert not missing, f"modules without a line in docs/architecture.md's file index: {missing}"
    assert not gone, f"the file index lists files that do not exist: {gone}"
    assert not twice, f"listed twice: {twice}"
