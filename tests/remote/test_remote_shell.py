"""The Remote shell against the real reference backend: browse, download, read, confirmed and declined writes."""

from __future__ import annotations

import json
from pathlib import Path

from smartspec_tk.core.remote.files import safe_file_name
from tests.remote.conftest import ARTIFACT_TEXT, RemoteWorld


def test_browse_session_reports_and_project(remote: RemoteWorld) -> None:
    shown = remote.run("session demo-session")
    assert "Session demo-session: Demo session" in shown
    assert "Iterations (1)" in shown and "[done] Write the spec" in shown
    assert "1. Test run (tests) — all green" in shown and "2. Spec review (review) — 2 findings" in shown
    assert remote.artifact_key in shown
    assert remote.shell.prompt == "remote:demo-session> "
    assert "12 passed" in remote.run("report 1")
    assert "There is no report 9" in remote.run("report 9")
    pid = remote.shell.state.session_projects["demo-session"]
    assert "Demo project" in remote.run(f"project {pid}")
    assert "demo-session" in remote.run(f"sessions {pid}")
    assert "No project 'nope' on the server." in remote.run("project nope")
    assert "No session 'nope' on the server." in remote.run("session nope")
    assert remote.shell.prompt == "remote:demo-session> "  # the current session stays
    assert pid in remote.run("projects")


def test_get_downloads_through_presign_and_asks_before_overwriting(remote: RemoteWorld) -> None:
    remote.run("session demo-session")
    assert "Saved notes.txt" in remote.run(f"get {remote.artifact_key}")
    target = remote.workspace / "notes.txt"
    assert target.read_bytes() == ARTIFACT_TEXT
    target.write_text("local edits", encoding="utf-8")
    assert "already exists" in remote.run(f"get {remote.artifact_key}")
    assert "Cancelled" in remote.run("no")
    assert target.read_text(encoding="utf-8") == "local edits"
    remote.run(f"get {remote.artifact_key}")
    assert "Saved notes.txt" in remote.run("yes")
    assert target.read_bytes() == ARTIFACT_TEXT
    assert "artifact_not_found_or_not_complete" in remote.run("get projects/x/sessions/demo-session/iter/0/none.txt")
    remote.shell.workspace = remote.workspace / "missing-folder"
    assert "Could not save notes.txt in the workspace" in remote.run(f"get {remote.artifact_key}")


def test_tools_call_and_cat(remote: RemoteWorld) -> None:
    (remote.backend.root / "workspace").mkdir(parents=True, exist_ok=True)
    (remote.backend.root / "workspace" / "README.md").write_text("# Remote readme\nline two\n", encoding="utf-8")
    listed = remote.run("tools")
    assert "workspace_read_file(path)" in listed and "workspace_write_file(path, content, overwrite)" in listed
    assert remote.run("cat README.md") == "# Remote readme\nline two"
    assert "line two" in remote.run('call workspace_read_file {"path": "README.md"}')
    assert "not valid JSON" in remote.run("call workspace_read_file {path")
    assert "file not found" in remote.run("cat missing.md")
    assert "'..' is not allowed" in remote.run("cat ../etc/passwd")


def test_write_shows_a_diff_and_writes_only_after_yes(remote: RemoteWorld) -> None:
    remote_file = remote.backend.root / "workspace" / "plan.md"
    remote_file.parent.mkdir(parents=True, exist_ok=True)
    remote_file.write_text("step one\nstep two\n", encoding="utf-8")
    (remote.workspace / "plan-v2.md").write_text("step one\nstep 2, reworded\n", encoding="utf-8")
    shown = remote.run("write plan.md plan-v2.md")
    assert "-step two" in remote.out.kinds("remove") and "+step 2, reworded" in remote.out.kinds("add")
    assert "Type yes to go ahead" in shown and remote.shell.prompt == "confirm (yes/no)> "
    assert "Cancelled; nothing was changed." in remote.run("y")
    assert remote_file.read_text(encoding="utf-8") == "step one\nstep two\n"
    remote.run("write plan.md plan-v2.md")
    assert "wrote" in remote.run("yes")
    assert remote_file.read_text(encoding="utf-8") == "step one\nstep 2, reworded\n"
    assert "nothing to write" in remote.run("write plan.md plan-v2.md")


def test_write_of_a_new_file_and_refusals(remote: RemoteWorld) -> None:
    (remote.workspace / "new.md").write_text("fresh\n", encoding="utf-8")
    shown = remote.run("write docs/new.md new.md")
    assert "--- /dev/null" in shown and "Create docs/new.md" in shown
    remote.run("yes")
    assert (remote.backend.root / "workspace" / "docs" / "new.md").read_text(encoding="utf-8") == "fresh\n"
    assert "No local file" in remote.run("write a.md missing-local.md")
    assert "shows the change and asks first" in remote.run('call workspace_write_file {"path": "x", "content": "y"}')
    assert "Unknown command 'frobnicate'" in remote.run("frobnicate")
    assert "Usage: session <id>" in remote.run("session")


def test_completion_of_commands_and_ids(remote: RemoteWorld) -> None:
    assert remote.shell.complete("se") == ["sessions", "session"]
    remote.run("session demo-session")
    remote.run("tools")
    assert remote.shell.complete("session de") == ["demo-session"]
    assert remote.shell.complete("call workspace_r") == ["workspace_read_file"]
    assert remote.shell.complete("get proj") == [remote.artifact_key]


def test_errors_in_plain_words_when_the_token_is_wrong_or_the_backend_is_gone(remote: RemoteWorld) -> None:
    from smartspec_tk.core.net import BackendCredentials, make_client
    from smartspec_tk.core.remote.api import RemoteApi
    from smartspec_tk.core.remote.shell import RemoteShell

    with make_client(BackendCredentials(remote.backend.url, token="wrong")) as http:
        shell = RemoteShell(
            RemoteApi(http, remote.backend.url, "/api/v1/control-plane/api/v1", "/api/mcp"), remote.workspace
        )
        lines: list[tuple[str, str]] = []
        shell.execute("tools", lambda t, k: lines.append((t, k)))
        assert lines[0][1] == "error" and "Check the proxy token" in lines[0][0]
    remote.backend.stop()
    assert "could not be reached" in remote.run("tools")


def test_safe_file_names() -> None:
    assert safe_file_name("projects/p/sessions/s/iter/0/report v1.md") == "report_v1.md"
    assert safe_file_name("..\\..\\evil.sh") == "evil.sh"
    assert safe_file_name(".hidden") == "hidden"


def test_upload_cache_ids_are_offered(remote: RemoteWorld, tmp_path: Path) -> None:
    cache = tmp_path / "artifact-sessions.json"
    pid = remote.shell.api.get_session("demo-session")["projectId"]  # type: ignore[index]
    entry = {"control-plane|x|/w/my-ws": {"projectId": pid, "sessionId": "demo-session"}}
    cache.write_text(json.dumps(entry), encoding="utf-8")
    remote.shell.upload_cache = cache
    shown = remote.run("projects")
    assert "showing the projects known on this computer" in shown and f"{pid}  (uploads of my-ws)" in shown
    assert "demo-session" in remote.shell.complete("session d")
