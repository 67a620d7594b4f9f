"""Remote tests: the reference backend with its demo data, one artifact, and a shell wired to it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from smartspec_tk.core.net import BackendCredentials, make_client
from smartspec_tk.core.remote.api import RemoteApi
from smartspec_tk.core.remote.shell import RemoteShell
from tests.servers.reference import RunningServer, start_reference_backend

PREFIX = "/api/v1/control-plane/api/v1"
TOKEN = "remote-test-token"
ARTIFACT_TEXT = b"artifact body: hello from the control plane\n"


@dataclass
class Transcript:
    lines: list[tuple[str, str]] = field(default_factory=list)

    def emit(self, text: str, kind: str) -> None:
        self.lines.append((text, kind))

    def text(self) -> str:
        return "\n".join(t for t, _ in self.lines)

    def kinds(self, kind: str) -> list[str]:
        return [t for t, k in self.lines if k == kind]


@dataclass
class RemoteWorld:
    backend: RunningServer
    shell: RemoteShell
    workspace: Path
    artifact_key: str
    out: Transcript

    def run(self, line: str) -> str:
        """Run one line; returns only what this line printed."""
        start = len(self.out.lines)
        self.out.emit(self.shell.prompt + line, "prompt")
        self.shell.execute(line, self.out.emit)
        return "\n".join(t for t, _ in self.out.lines[start + 1 :])


def upload_artifact(http: httpx.Client, url: str, session_id: str) -> str:
    base = f"{url}{PREFIX}/sessions/{session_id}/artifacts"
    put = http.post(
        f"{base}/presign-put",
        json={"iteration": 0, "name": "notes.txt", "contentType": "text/plain", "sizeBytes": len(ARTIFACT_TEXT)},
    )
    put.raise_for_status()
    signed = put.json()
    assert http.put(signed["url"], content=ARTIFACT_TEXT, headers={"Content-Type": "text/plain"}).status_code < 300
    done = http.post(
        f"{base}/complete",
        json={
            "key": signed["key"],
            "sizeBytes": len(ARTIFACT_TEXT),
            "sha256": hashlib.sha256(ARTIFACT_TEXT).hexdigest(),
        },
    )
    done.raise_for_status()
    return str(signed["key"])


@pytest.fixture
def remote(tmp_path: Path) -> Iterator[RemoteWorld]:
    with start_reference_backend(tmp_path, "--seed-demo", "--token", TOKEN, "--protect-all") as backend:
        http = make_client(BackendCredentials(backend.url, token=TOKEN))
        try:
            key = upload_artifact(http, backend.url, "demo-session")
            workspace = tmp_path / "local-workspace"
            workspace.mkdir()
            api = RemoteApi(http, backend.url, PREFIX, "/api/mcp")
            yield RemoteWorld(backend, RemoteShell(api, workspace), workspace, key, Transcript())
        finally:
            http.close()
