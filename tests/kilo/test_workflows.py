"""Workflow discovery, argument hints, command parsing and completion."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartspec_tk.core.errors import ValidationError
from smartspec_tk.core.kilo import workflows as wf


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    write(
        ws / ".smartspec/workflows/sync-tasks.md",
        "---\ndescription: Sync tasks with the spec\nargument-hint: <spec-id> [--apply]\n---\n# Sync\n",
    )
    write(
        ws / ".smartspec/workflows/generate_plan.md",
        "# Generate a plan\n\nSome text.\n\n**Usage:** `/generate_plan.md <spec-file> --out <dir>`\n",
    )
    write(ws / ".kilocode/workflows/review.md", "Review the code.\n\nusage: [path]\n")
    write(ws / ".kilocode/workflows/sync-tasks.md", "---\nargument-hint: shadowed\n---\n")
    write(ws / ".smartspec/workflows/notes.txt", "not a workflow")
    write(ws / ".smartspec/workflows/bad name.md", "spaces are not allowed in names")
    return ws


def test_discover_lists_both_folders_sorted_and_first_folder_wins(workspace: Path) -> None:
    found = wf.discover(workspace)
    assert [w.command for w in found] == ["/generate_plan.md", "/review.md", "/sync-tasks.md"]
    sync = wf.find(found, "sync-tasks")
    assert sync is not None and sync.source == ".smartspec/workflows"
    assert sync.hint == "<spec-id> [--apply]" and sync.description == "Sync tasks with the spec"


def test_hint_from_usage_line_and_heading(workspace: Path) -> None:
    found = {w.name: w for w in wf.discover(workspace)}
    assert found["generate_plan"].hint == "<spec-file> --out <dir>"
    assert found["generate_plan"].description == "Generate a plan"
    assert found["review"].hint == "[path]" and found["review"].description == ""


def test_missing_folders_give_no_workflows(tmp_path: Path) -> None:
    assert wf.discover(tmp_path) == []


def test_front_matter_without_closing_line_is_body() -> None:
    assert wf.split_front_matter("---\nargument-hint: x\n# never closed") == (
        {},
        "---\nargument-hint: x\n# never closed",
    )


@pytest.mark.parametrize(
    ("text", "name", "args"),
    [
        ("/sync-tasks.md", "sync-tasks", ()),
        ("/sync-tasks SPEC-1 --apply", "sync-tasks", ("SPEC-1", "--apply")),
        ('  /plan.md "two words" x  ', "plan", ("two words", "x")),
    ],
)
def test_parse_command(text: str, name: str, args: tuple[str, ...]) -> None:
    command = wf.parse_command(text)
    assert (command.name, command.args) == (name, args)
    assert wf.parse_command(command.text()) == command


@pytest.mark.parametrize(
    ("text", "reason"),
    [("", "Type a command"), ("sync.md", "starts with /"), ("/x.md 'open", "quotes"), ("/../x.md", "not a workflow")],
)
def test_parse_command_refuses_in_plain_words(text: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        wf.parse_command(text)


def test_plan_only_adds_the_flag_once() -> None:
    command = wf.parse_command("/a.md x").with_plan_only(True)
    assert command.argv() == ["/a.md", "x", "--plan-only"]
    assert command.with_plan_only(True) == command
    assert wf.parse_command("/a.md x").with_plan_only(False).argv() == ["/a.md", "x"]


def test_completion_and_common_prefix(workspace: Path) -> None:
    found = wf.discover(workspace)
    assert wf.complete("/s", found) == ["/sync-tasks.md"]
    assert wf.complete("", found) == ["/generate_plan.md", "/review.md", "/sync-tasks.md"]
    assert wf.complete("/sync-tasks.md arg", found) == []
    assert wf.common_prefix(["/sync-a.md", "/sync-b.md"]) == "/sync-"
    assert wf.common_prefix([]) == ""


def test_palette_filter_matches_name_and_description(workspace: Path) -> None:
    found = wf.discover(workspace)
    assert [w.name for w in wf.filter_palette(found, "spec")] == ["sync-tasks"]
    assert [w.name for w in wf.filter_palette(found, "PLAN gen")] == ["generate_plan"]
    assert len(wf.filter_palette(found, "")) == 3
