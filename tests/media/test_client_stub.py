"""MediaClient against a control-plane stub and a store on a second loopback origin.

Credential scope: the backend gets the proxy token, the store never does.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartspec_tk.core.media.client import MediaClient
from smartspec_tk.core.media.errors import ArtifactRejected
from smartspec_tk.core.media.sessions import CACHE_FILE_NAME
from smartspec_tk.core.net import origin_of
from smartspec_tk.core.paths import resolve_paths
from smartspec_tk.core.settings import Settings
from smartspec_tk.services import Services
from tests.media.samples import sha256_of, write_png, write_video
from tests.media.stub_backend import StubState, stub_servers

TOKEN = "proxy-token-do-not-leak"
ORCH_KEY = "orchestrator-key-do-not-leak"


@pytest.fixture
def stub() -> Iterator[StubState]:
    with stub_servers() as state:
        yield state


def media_client(stub: StubState, workspace: Path) -> tuple[MediaClient, Services]:
    settings = Settings(backend_url=stub.backend_url, proxy_token=TOKEN, orchestrator_key=ORCH_KEY,
                        workspace=workspace)
    services = Services.build(settings, resolve_paths().ensure())
    return MediaClient(services.http, settings, services.paths.data_dir), services


def test_store_requests_carry_no_smartspec_credentials(stub: StubState, tmp_path: Path) -> None:
    assert origin_of(stub.store_url) != origin_of(stub.backend_url)
    client, services = media_client(stub, tmp_path)
    path = write_video(tmp_path / "clip.mp4", 300_000)
    artifact = client.upload(client.check(path))
    services.http.get(artifact.url).raise_for_status()  # the GET a local tool would make
    services.close()
    assert [s.method for s in stub.store_seen] == ["PUT", "GET"]
    for request in stub.store_seen:
        leaked = {"authorization", "x-proxy-token", "x-orchestrator-key"} & set(request.headers)
        assert not leaked, f"{request.method} to the store carried {leaked}"
        assert TOKEN not in str(request.headers) and ORCH_KEY not in str(request.headers)
        assert TOKEN not in request.path
    put = stub.store_seen[0]
    assert put.headers["content-length"] == "300000" and put.headers["content-type"] == "video/mp4"
    assert "transfer-encoding" not in put.headers
    # … while every backend call did carry the token
    assert all(s.headers.get("x-proxy-token") == TOKEN for s in stub.backend_seen)
    assert all(s.headers.get("authorization") == f"Bearer {TOKEN}" for s in stub.backend_seen)


def test_full_sequence_and_bytes(stub: StubState, tmp_path: Path) -> None:
    client, services = media_client(stub, tmp_path)
    path = write_png(tmp_path / "shot one.png")
    artifact = client.upload(client.check(path))
    services.close()
    assert artifact.sha256 == sha256_of(path)
    assert stub.artifacts[artifact.key]["sha256"] == artifact.sha256
    assert stub.artifacts[artifact.key]["size"] == path.stat().st_size
    assert stub.objects[artifact.key] == path.read_bytes()
    name = artifact.key.split("/", 1)[1]
    assert name.endswith("-shot_one.png") and len(name) > len("shot_one.png") + 10
    routes = [s.path.split("?")[0].rsplit("/", 2)[-2:] for s in stub.backend_seen]
    assert [r[-1] for r in routes] == ["projects", "sessions", "presign-put", "complete", "presign-get"]


def test_session_is_cached_on_disk_and_recreated_when_lost(stub: StubState, tmp_path: Path) -> None:
    client, services = media_client(stub, tmp_path)
    first = client.upload(client.check(write_png(tmp_path / "a.png")))
    services.close()
    assert (services.paths.data_dir / CACHE_FILE_NAME).exists()
    # A new run reuses the cached session (after checking it still exists).
    client, services = media_client(stub, tmp_path)
    second = client.upload(client.check(write_png(tmp_path / "b.png")))
    assert second.session_id == first.session_id
    # The server forgets it (reset): the next upload gets session_not_found and recovers.
    stub.sessions.clear()
    third = client.upload(client.check(write_png(tmp_path / "c.png")))
    services.close()
    assert third.session_id != first.session_id
    # And a new run whose cached session is gone ({"session": null}) creates a new one up front.
    stub.sessions.clear()
    client, services = media_client(stub, tmp_path)
    fourth = client.upload(client.check(write_png(tmp_path / "d.png")))
    services.close()
    assert fourth.session_id not in (first.session_id, third.session_id)


def test_refresh_gives_a_new_url(stub: StubState, tmp_path: Path) -> None:
    client, services = media_client(stub, tmp_path)
    artifact = client.upload(client.check(write_png(tmp_path / "a.png")))
    url, expires_at = client.refresh_url(artifact.session_id, artifact.key)
    assert services.http.get(url).content == (tmp_path / "a.png").read_bytes()
    services.close()
    assert expires_at > artifact.expires_at - 1


def test_get_before_complete_is_explained(stub: StubState, tmp_path: Path) -> None:
    client, services = media_client(stub, tmp_path)
    session = client.session_id()
    with pytest.raises(ArtifactRejected, match="does not know this upload"):
        client.refresh_url(session, "never-completed")
    services.close()


def test_jobs_throttle_progress_and_always_end_with_one_final_message(stub: StubState, tmp_path: Path) -> None:
    from smartspec_tk.core.media.jobs import UploadJobs, UploadProgressed, UploadSucceeded

    client, services = media_client(stub, tmp_path)
    stub.bytes_per_second = 4 * 1024 * 1024
    jobs = UploadJobs(client, services.outbox)
    started = time.monotonic()
    job_id = jobs.start(client.check(write_video(tmp_path / "clip.mp4", 6 * 1024 * 1024)))
    messages: list[object] = []
    while not any(isinstance(m, UploadSucceeded) for m in messages):
        assert time.monotonic() - started < 30, "the upload did not finish"
        messages += services.outbox.drain(100)
        time.sleep(0.02)
    elapsed = time.monotonic() - started
    services.close()
    progress = [m for m in messages if isinstance(m, UploadProgressed)]
    assert all(m.job_id == job_id for m in progress)
    assert len(progress) >= 3, "progress is reported while uploading"
    # ~10 per second, plus one per phase change (preparing, uploading, finishing) and the last byte
    assert len(progress) <= elapsed * 10 + 5
    assert [type(m).__name__ for m in messages].count("UploadSucceeded") == 1
    assert isinstance(messages[-1], UploadSucceeded) and messages[-1].sha256 == sha256_of(tmp_path / "clip.mp4")
