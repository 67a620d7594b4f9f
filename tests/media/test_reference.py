"""The whole media flow against the reference backend (HMAC store and S3 mode on SeaweedFS).

End-to-end proof that the bytes are intact: the offline model downloads every
attachment URL it gets in a chat request and reports its SHA-256, which must equal
the SHA-256 of the file on disk.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from smartspec_tk.core.media.client import MediaClient
from smartspec_tk.core.media.errors import ArtifactRejected, SessionNotFound, StoreRejected
from smartspec_tk.core.media.parts import content_part, prepare_messages
from smartspec_tk.core.media.replies import Presigned
from smartspec_tk.core.media.upload import put_file
from smartspec_tk.core.media.validation import CheckedFile
from smartspec_tk.core.paths import resolve_paths
from smartspec_tk.core.settings import Settings
from smartspec_tk.services import Services
from tests.media.samples import sha256_of, write_png, write_video
from tests.servers.reference import RunningServer
from tests.servers.seaweedfs import SeaweedFS

pytestmark = pytest.mark.servers
Factory = Callable[..., RunningServer]
_ECHOED_SHA = re.compile(r"SHA-256 `([0-9a-f]{64})`")


def media(backend: RunningServer, tmp_path: Path, **overrides: Any) -> tuple[MediaClient, Services]:
    settings = Settings(backend_url=backend.url, workspace=tmp_path, **overrides)
    services = Services.build(settings, resolve_paths().ensure())
    return MediaClient(services.http, settings, services.paths.data_dir), services


def echoed_hashes(services: Services, parts: list[dict[str, Any]]) -> list[str]:
    """Send the parts to the offline model; return the SHA-256 values it reports, in order."""
    history = [{"role": "user", "content": [{"type": "text", "text": "what is this?"}, *parts]}]
    body = {"model": "offline-echo", "stream": False, "messages": prepare_messages(history, None)}
    response = services.http.post(services.settings.backend_url + "/v1/chat/completions", json=body)
    response.raise_for_status()
    return _ECHOED_SHA.findall(response.json()["choices"][0]["message"]["content"])


def test_control_plane_flow_bytes_intact_end_to_end(reference_backend: RunningServer, tmp_path: Path) -> None:
    client, services = media(reference_backend, tmp_path)
    png = write_png(tmp_path / "screen shot.png", 300, 200)
    video = write_video(tmp_path / "clip.webm", 2_000_000, "webm")
    image_part = content_part(client.upload(client.check(png)))
    video_part = content_part(client.upload(client.check(video)))
    text_part = content_part(client.upload(client.check(video)), "text")
    assert image_part["type"] == "image_url" and video_part["type"] == "file_url"
    assert text_part["text"].startswith("Video: http")
    hashes = echoed_hashes(services, [image_part, video_part, text_part])
    services.close()
    assert hashes == [sha256_of(png), sha256_of(video), sha256_of(video)]


def test_local_artifacts_mode(reference_backend: RunningServer, tmp_path: Path) -> None:
    client, services = media(reference_backend, tmp_path, artifact_mode="local")
    png = write_png(tmp_path / "a.png")
    artifact = client.upload(client.check(png))
    assert "/api/artifacts/download/" in artifact.url
    assert echoed_hashes(services, [content_part(artifact)]) == [sha256_of(png)]
    services.close()


def test_s3_mode_on_seaweedfs(reference_backend_factory: Factory, seaweedfs: SeaweedFS, tmp_path: Path) -> None:
    backend = reference_backend_factory(
        "--s3-endpoint", seaweedfs.endpoint, "--s3-bucket", seaweedfs.bucket, "--s3-access-key",
        seaweedfs.access_key, "--s3-secret-key", seaweedfs.secret_key, "--presign-wrapped",
    )
    client, services = media(backend, tmp_path)
    video = write_video(tmp_path / "clip.mov", 3_000_000, "mov")
    artifact = client.upload(client.check(video))
    assert artifact.url.startswith(seaweedfs.endpoint)
    assert echoed_hashes(services, [content_part(artifact)]) == [sha256_of(video)]
    services.close()


def test_server_rejections_in_plain_words(reference_backend_factory: Factory, tmp_path: Path) -> None:
    backend = reference_backend_factory("--fault-cp-errors-200", "--max-artifact-mb", "1",
                                        "--allowed-types", "image/png,video/mp4")
    client, services = media(backend, tmp_path, max_upload_mb=5)
    with pytest.raises(ArtifactRejected, match="server's limit is 1.0 MB"):
        client.upload(client.check(write_video(tmp_path / "big.mp4", 2_000_000)))
    with pytest.raises(ArtifactRejected, match="does not accept this type"):
        client.upload(client.check(write_video(tmp_path / "clip.webm", 1000, "webm")))
    with pytest.raises(SessionNotFound):
        client.api.presign_put("no-such-session", "x.png", "image/png", 10)
    services.close()


def test_session_null_recreates_the_session(reference_backend: RunningServer, tmp_path: Path) -> None:
    client, services = media(reference_backend, tmp_path)
    key = client.cache.cache_key(client.api.mode, reference_backend.url, tmp_path)
    client.cache.put(key, "p-gone", "s-gone")  # as if the control plane had been reset
    assert client.api.session_exists("s-gone") is False
    artifact = client.upload(client.check(write_png(tmp_path / "a.png")))
    services.close()
    assert artifact.session_id != "s-gone"
    cached = client.cache.get(key)
    assert cached is not None and cached[1] == artifact.session_id


def presigned_for(client: MediaClient, checked: CheckedFile, size: int | None = None) -> Presigned:
    session = client.session_id()
    return client.api.presign_put(session, "x-" + str(time.monotonic_ns()) + ".mp4", checked.content_type,
                                  checked.size if size is None else size)


def test_store_refuses_tampered_expired_and_wrong_length(reference_backend_factory: Factory,
                                                         tmp_path: Path) -> None:
    clock = tmp_path / "clock"
    backend = reference_backend_factory("--presign-expiry", "600", "--clock-file", str(clock))
    client, services = media(backend, tmp_path)
    checked = client.check(write_video(tmp_path / "clip.mp4", 5000))
    target = presigned_for(client, checked)
    tampered = Presigned(target.url.replace("sig=", "sig=0"), target.key, 1)
    with pytest.raises(StoreRejected, match="signature"):
        put_file(services.http, checked, tampered)
    with pytest.raises(StoreRejected, match="size or type differs"):
        put_file(services.http, checked, presigned_for(client, checked, size=checked.size + 1))
    late = presigned_for(client, checked)
    clock.write_text("700")
    with pytest.raises(StoreRejected, match="expired"):
        put_file(services.http, checked, late)
    services.close()


def test_refresh_after_expiry_gives_a_working_link(reference_backend_factory: Factory, tmp_path: Path) -> None:
    clock = tmp_path / "clock"  # the store's clock moves by what this file says: no race with a loaded machine
    backend = reference_backend_factory("--presign-expiry", "600", "--clock-file", str(clock))
    client, services = media(backend, tmp_path)
    png = write_png(tmp_path / "a.png")
    part = content_part(client.upload(client.check(png)))
    clock.write_text("700")  # the link is 700 s old; the refreshed one has 600 s ahead of it
    old_url = part["image_url"]["url"]
    assert services.http.get(old_url).status_code == 403  # the dead link the original app resent
    history = [{"role": "user", "content": [part]}]
    sent = prepare_messages(history, client.refresh_url, now=time.time() + 700)  # the client's clock moves too
    new_url = sent[0]["content"][0]["image_url"]["url"]
    assert new_url != old_url and "x_smartspec" not in sent[0]["content"][0]
    assert services.http.get(new_url).content == png.read_bytes()
    services.close()
