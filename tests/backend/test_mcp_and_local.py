"""The MCP tools (workspace confinement, write token, artifact URLs) and the newer backends'
local artifact routes under `/api/artifacts`."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.backend.helpers import PNG, upload
from tests.servers.reference import RunningServer, start_reference_backend

pytestmark = pytest.mark.servers  # starts the reference backend as a child process

MCP = "/api/mcp"


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with start_reference_backend(tmp_path_factory.mktemp("mcp")) as server:
        yield server


@pytest.fixture
def client(backend: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=backend.url, timeout=30) as http:
        yield http


def call(client: httpx.Client, name: str, headers: dict[str, str] | None = None, **args: object) -> httpx.Response:
    return client.post(MCP + "/call", json={"name": name, "arguments": args}, headers=headers)


def test_tools_list(client: httpx.Client) -> None:
    tools = client.get(MCP + "/tools").json()["tools"]
    assert [t["name"] for t in tools] == ["artifact_get_url", "workspace_read_file", "workspace_write_file"]
    assert all("inputSchema" in t for t in tools)


def test_write_then_read(client: httpx.Client, backend: RunningServer) -> None:
    wrote = call(client, "workspace_write_file", path="notes/a.md", content="# hi ✓")
    assert wrote.status_code == 200 and wrote.json()["ok"] is True
    assert (backend.root / "workspace" / "notes" / "a.md").read_text() == "# hi ✓"
    read = call(client, "workspace_read_file", path="notes/a.md").json()
    assert read == {"ok": True, "content": [{"type": "text", "text": "# hi ✓"}]}
    again = call(client, "workspace_write_file", path="notes/a.md", content="x")
    assert again.status_code == 409 and again.json()["ok"] is False
    assert call(client, "workspace_write_file", path="notes/a.md", content="x", overwrite=True).status_code == 200


@pytest.mark.parametrize("path", ["../escape.txt", "/etc/passwd", "a/../../x", "C:\\Windows\\x", "", "."])
def test_paths_outside_the_workspace_are_refused(client: httpx.Client, path: str) -> None:
    for name, args in (("workspace_read_file", {}), ("workspace_write_file", {"content": "x"})):
        reply = call(client, name, path=path, **args)
        assert reply.status_code == 400, (name, path)
        assert reply.json()["ok"] is False and reply.json()["error"]["message"]


def test_symlink_escape_is_refused(client: httpx.Client, backend: RunningServer) -> None:
    secret = backend.root / "secret.txt"
    secret.write_text("top secret")
    link = backend.root / "workspace" / "link"
    link.symlink_to(backend.root, target_is_directory=True)
    reply = call(client, "workspace_read_file", path="link/secret.txt")
    assert reply.status_code == 400 and "leaves the workspace" in reply.json()["error"]["message"]
    assert call(client, "workspace_write_file", path="link/new.txt", content="x").status_code == 400
    assert not (backend.root / "new.txt").exists()


def test_unknown_tool_and_bad_body(client: httpx.Client) -> None:
    assert call(client, "rm_rf").status_code == 400
    assert client.post(MCP + "/call", json=[1]).json()["ok"] is False


def test_artifact_get_url(client: httpx.Client) -> None:
    sid, _ = upload(client, "m.png")
    session = client.get(f"/api/v1/control-plane/api/v1/sessions/{sid}").json()["session"]
    key = session["artifacts"][0]["key"]
    url = call(client, "artifact_get_url", key=key, sessionId=sid).json()["content"][0]["text"]
    assert httpx.get(url).content == PNG
    assert call(client, "artifact_get_url", key="nope").status_code == 404
    assert call(client, "artifact_get_url", key=key, sessionId="other").status_code == 404


def test_write_token(reference_backend_factory: Callable[..., RunningServer]) -> None:
    url = reference_backend_factory("--mcp-write-token", "w-token").url
    with httpx.Client(base_url=url) as client:
        assert call(client, "workspace_write_file", path="a.txt", content="x").status_code == 403
        assert (
            call(client, "workspace_write_file", {"x-mcp-write-token": "bad"}, path="a.txt", content="x").status_code
            == 403
        )
        ok = call(client, "workspace_write_file", {"x-mcp-write-token": "w-token"}, path="a.txt", content="x")
        assert ok.status_code == 200
        assert call(client, "workspace_read_file", path="a.txt").status_code == 200  # reading needs no token


def test_local_artifact_routes(client: httpx.Client) -> None:
    session = client.post("/api/artifacts/sessions", json={"name": "ws"}).json()["session"]
    assert session["name"] == "ws" and session["id"]
    base = f"/api/artifacts/sessions/{session['id']}/artifacts"
    put = client.post(
        base + "/presign-put",
        json={"iteration": 0, "name": "my pic.png", "contentType": "image/png", "sizeBytes": len(PNG)},
    ).json()["artifact"]
    assert put["key"].startswith(f"{session['id']}/0/") and put["key"].endswith("_my pic.png")
    assert put["headers"] == {"Content-Type": "image/png"} and put["expiresInSeconds"] == 3600
    got = client.get(base + "/presign-get", params={"key": put["key"]}).json()["artifact"]
    early = httpx.get(got["url"])
    assert early.status_code == 404 and early.json() == {"detail": "Artifact not uploaded yet"}
    assert httpx.put(put["url"], content=PNG, headers=put["headers"]).json() == {"success": True}
    download = httpx.get(got["url"])
    assert download.content == PNG and download.headers["content-type"] == "image/png"


def test_local_artifact_errors(client: httpx.Client) -> None:
    missing = client.post("/api/artifacts/sessions/s/artifacts/presign-put", json={"name": "a.png"})
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"] == ["body", "iteration"]
    unknown = client.get("/api/artifacts/sessions/s/artifacts/presign-get", params={"key": "nope"})
    assert unknown.status_code == 404 and unknown.json() == {"detail": "Artifact not found"}
    assert client.get("/api/artifacts/download/nope").status_code == 404
    # presign-put on an unknown session creates it, as the original did
    auto = client.post("/api/artifacts/sessions/new-sid/artifacts/presign-put", json={"iteration": 1, "name": "x"})
    assert auto.status_code == 200 and auto.json()["artifact"]["key"].startswith("new-sid/1/")
