"""The streamed PUT against a real S3 store (SeaweedFS): bytes intact, refusals explained in plain words."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from smartspec_tk.core.media.errors import StoreRejected, UploadCancelled
from smartspec_tk.core.media.replies import Presigned
from smartspec_tk.core.media.upload import put_file
from smartspec_tk.core.media.validation import CheckedFile, check_file
from smartspec_tk.core.net import make_client
from smartspec_tk.core.settings import DEFAULT_ALLOWED_TYPES
from tests.media.samples import sha256_of, write_video
from tests.servers.seaweedfs import SeaweedFS

pytestmark = pytest.mark.servers
MB = 1024 * 1024


def checked(path: Path) -> CheckedFile:
    return check_file(path, max_bytes=50 * MB, allowed_types=tuple(DEFAULT_ALLOWED_TYPES.split(",")))


def presign_put(
    store: SeaweedFS, key: str, file: CheckedFile, expires: int = 300, length: int | None = None
) -> Presigned:
    params: dict[str, Any] = {"Bucket": store.bucket, "Key": key, "ContentType": file.content_type,
                              "ContentLength": file.size if length is None else length}
    url = store.client().generate_presigned_url("put_object", Params=params, ExpiresIn=expires)
    return Presigned(url, key, expires)


def presign_get(store: SeaweedFS, key: str) -> str:
    return str(store.client().generate_presigned_url("get_object", Params={"Bucket": store.bucket, "Key": key},
                                                     ExpiresIn=300))


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    client = make_client()
    yield client
    client.close()


def test_streamed_put_keeps_the_bytes_and_reports_progress(seaweedfs: SeaweedFS, http: httpx.Client,
                                                           tmp_path: Path) -> None:
    file = checked(write_video(tmp_path / "clip.mp4", 3 * MB + 123))
    seen: list[int] = []
    sha = put_file(http, file, presign_put(seaweedfs, "t/clip.mp4", file), progress=seen.append)
    assert sha == sha256_of(file.path)
    assert seen == sorted(seen) and seen[-1] == file.size and len(seen) > 3
    fetched = http.get(presign_get(seaweedfs, "t/clip.mp4"))
    assert fetched.status_code == 200 and fetched.headers["content-type"] == "video/mp4"
    assert fetched.content == file.path.read_bytes()


def test_tampered_signature_is_refused_in_plain_words(seaweedfs: SeaweedFS, http: httpx.Client,
                                                      tmp_path: Path) -> None:
    file = checked(write_video(tmp_path / "clip.mp4", 2000))
    target = presign_put(seaweedfs, "t/tampered.mp4", file)
    signature = target.url.rsplit("=", 1)[1]
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
    bad = Presigned(target.url[: -len(signature)] + flipped, target.key, 300)
    with pytest.raises(StoreRejected, match="refused the upload signature") as info:
        put_file(http, file, bad)
    assert info.value.status == 403


def test_wrong_length_is_refused(seaweedfs: SeaweedFS, http: httpx.Client, tmp_path: Path) -> None:
    file = checked(write_video(tmp_path / "clip.mp4", 4000))
    with pytest.raises(StoreRejected, match="size or type differs") as info:
        put_file(http, file, presign_put(seaweedfs, "t/len.mp4", file, length=file.size + 1))
    assert info.value.status == 403


def test_expired_link_is_refused(seaweedfs: SeaweedFS, http: httpx.Client, tmp_path: Path) -> None:
    file = checked(write_video(tmp_path / "clip.mp4", 4000))
    target = presign_put(seaweedfs, "t/expired.mp4", file, expires=1)
    time.sleep(2.2)
    with pytest.raises(StoreRejected, match="link expired.*Retry"):
        put_file(http, file, target)


def test_cancel_stops_the_upload(seaweedfs: SeaweedFS, http: httpx.Client, tmp_path: Path) -> None:
    file = checked(write_video(tmp_path / "clip.mp4", 8 * MB))
    cancel = threading.Event()

    def progress(sent: int) -> None:
        if sent >= 2 * MB:
            cancel.set()

    with pytest.raises(UploadCancelled):
        put_file(http, file, presign_put(seaweedfs, "t/cancel.mp4", file), progress=progress, cancel=cancel)
    assert http.get(presign_get(seaweedfs, "t/cancel.mp4")).status_code == 404
