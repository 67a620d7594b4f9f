"""The MCP write token: the Remote tab's `write` works against a backend that requires it, fails in
plain words without it, and the token goes only with that call to the backend."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartspec_tk.core.net import BackendCredentials, make_client
from smartspec_tk.core.remote.api import RemoteApi
from smartspec_tk.core.remote.shell import RemoteShell
from tests.helpers.capture_server import capture_server
from tests.remote.conftest import PREFIX, TOKEN, Transcript
from tests.servers.reference import RunningServer, start_reference_backend

WRITE_TOKEN = "mcp-write-secret"


@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[RunningServer]:
    """The reference backend whose workspace_write_file requires the write token."""
    args = ("--token", TOKEN, "--protect-all", "--mcp-write-token", WRITE_TOKEN)
    with start_reference_backend(tmp_path, *args) as backend:
        (backend.root / "workspace").mkdir(parents=True, exist_ok=True)
        yield backend


def write_through_shell(backend: RunningServer, workspace: Path, write_token: str | None) -> str:
    """Run `write plan.md plan.md` and answer yes; returns everything the shell printed."""
    (workspace / "plan.md").write_text("new plan\n", encoding="utf-8")
    credentials = BackendCredentials(backend.url, token=TOKEN, mcp_write_token=write_token)
    out = Transcript()
    with make_client(credentials) as http:
        shell = RemoteShell(RemoteApi(http, backend.url, PREFIX, "/api/mcp"), workspace)
        shell.execute("write plan.md plan.md", out.emit)
        shell.execute("yes", out.emit)
    return out.text()


def test_write_succeeds_with_the_write_token(guarded: RunningServer, tmp_path: Path) -> None:
    shown = write_through_shell(guarded, tmp_path, WRITE_TOKEN)
    assert "+new plan" in shown and "Internal error" not in shown
    assert (guarded.root / "workspace" / "plan.md").read_text(encoding="utf-8") == "new plan\n"


@pytest.mark.parametrize("write_token", [None, "wrong-token"])
def test_write_fails_in_plain_words_without_a_valid_token(
    guarded: RunningServer, tmp_path: Path, write_token: str | None
) -> None:
    shown = write_through_shell(guarded, tmp_path, write_token)
    assert "The backend refused to call workspace_write_file: write token required" in shown
    assert "set SMARTSPEC_MCP_WRITE_TOKEN (File → Settings → MCP write token)" in shown
    assert not (guarded.root / "workspace" / "plan.md").exists()


def test_write_token_goes_only_with_the_write_call() -> None:
    """Reads, tool lists and the proxy token's other requests never carry the write token."""
    with capture_server() as backend:
        credentials = BackendCredentials(backend.url, token=TOKEN, mcp_write_token=WRITE_TOKEN)
        with make_client(credentials) as http:
            api = RemoteApi(http, backend.url, PREFIX, "/api/mcp")
            api.call("workspace_read_file", {"path": "a.md"})
            api.tools()
            api.write_file("a.md", "text")
    read, listed, written = backend.requests
    assert "x-mcp-write-token" not in read.headers and "x-mcp-write-token" not in listed.headers
    assert written.headers["x-mcp-write-token"] == WRITE_TOKEN
    assert written.headers["x-proxy-token"] == TOKEN
    assert WRITE_TOKEN not in json.dumps([r.path for r in backend.requests])
