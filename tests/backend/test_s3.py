"""SigV4 query presigning: the AWS documentation example, botocore's presigner as a cross-check,
and the backend in S3 mode against a real SeaweedFS that checks every signature."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import botocore.auth
import httpx
import pytest

from smartspec_tk.backend.s3 import host_header, presign_url
from tests.backend.helpers import CP, PNG, chat_body, new_session, presign_put
from tests.servers.reference import RunningServer
from tests.servers.seaweedfs import SeaweedFS

NOW = datetime(2013, 5, 24, tzinfo=UTC)
AWS = {"access_key": "AKIAIOSFODNN7EXAMPLE", "secret_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}


def test_aws_documentation_example() -> None:
    # "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)", GET example.
    url = presign_url(
        "GET", "https://examplebucket.s3.amazonaws.com", "/test.txt", region="us-east-1", expires=86400, now=NOW, **AWS
    )
    assert url == (
        "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
        "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
        "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    )


def test_host_header() -> None:
    assert host_header("http://127.0.0.1:8333") == "127.0.0.1:8333"
    assert host_header("https://s3.example.com:443") == "s3.example.com"
    assert host_header("http://[::1]:9000") == "[::1]:9000"


def _boto_url(monkeypatch: pytest.MonkeyPatch, method: str, key: str, params: dict[str, str]) -> str:
    import boto3
    from botocore.config import Config

    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: NOW.replace(tzinfo=None))
    client = boto3.client(
        "s3",
        endpoint_url="http://127.0.0.1:8333",
        region_name="auto",
        aws_access_key_id=AWS["access_key"],
        aws_secret_access_key=AWS["secret_key"],
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )
    return str(client.generate_presigned_url(method, Params={"Bucket": "bkt", "Key": key, **params}, ExpiresIn=600))


@pytest.mark.parametrize("key", ["projects/p1/sessions/s1/iter/0/a.png", "dir/with space+plus~x.png"])
def test_matches_botocore_for_get(monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    theirs = _boto_url(monkeypatch, "get_object", key, {})
    ours = presign_url("GET", "http://127.0.0.1:8333", f"/bkt/{key}", region="auto", expires=600, now=NOW, **AWS)
    assert urlsplit(ours).path == urlsplit(theirs).path
    assert parse_qs(urlsplit(ours).query) == parse_qs(urlsplit(theirs).query)


def test_matches_botocore_for_put_with_content_type(monkeypatch: pytest.MonkeyPatch) -> None:
    theirs = _boto_url(monkeypatch, "put_object", "k/a.png", {"ContentType": "image/png"})
    ours = presign_url(
        "PUT",
        "http://127.0.0.1:8333",
        "/bkt/k/a.png",
        region="auto",
        expires=600,
        now=NOW,
        headers={"Content-Type": "image/png"},
        **AWS,
    )
    assert parse_qs(urlsplit(theirs).query)["X-Amz-SignedHeaders"] == ["content-type;host"]
    assert parse_qs(urlsplit(ours).query) == parse_qs(urlsplit(theirs).query)


@pytest.mark.servers
def test_s3_mode_against_seaweedfs(
    seaweedfs: SeaweedFS, reference_backend_factory: Callable[..., RunningServer]
) -> None:
    backend = reference_backend_factory(
        "--s3-endpoint",
        seaweedfs.endpoint,
        "--s3-bucket",
        seaweedfs.bucket,
        "--s3-access-key",
        seaweedfs.access_key,
        "--s3-secret-key",
        seaweedfs.secret_key,
        "--s3-region",
        seaweedfs.region,
        "--stream-delay",
        "0",
    )
    with httpx.Client(base_url=backend.url, timeout=30) as client:
        sid = new_session(client)
        put = presign_put(client, sid, "s3.png", PNG).json()
        assert put["url"].startswith(f"{seaweedfs.endpoint}/{seaweedfs.bucket}/projects/")
        assert parse_qs(urlsplit(put["url"]).query)["X-Amz-SignedHeaders"] == ["content-length;host"]
        # the store itself refuses a wrong length and a tampered signature
        assert httpx.put(put["url"], content=PNG + b"x", headers={"Content-Type": "image/png"}).status_code == 403
        tampered = put["url"][:-1] + ("0" if put["url"][-1] != "0" else "1")
        assert httpx.put(tampered, content=PNG, headers={"Content-Type": "image/png"}).status_code == 403
        done = {"key": put["key"], "sha256": hashlib.sha256(PNG).hexdigest(), "sizeBytes": len(PNG)}
        assert client.post(f"{CP}/sessions/{sid}/artifacts/complete", json=done).json()["error"] == (
            "object_not_uploaded"
        )
        assert httpx.put(put["url"], content=PNG, headers={"Content-Type": "image/png"}).status_code == 200
        wrong = {**done, "sha256": "1" * 64}
        assert client.post(f"{CP}/sessions/{sid}/artifacts/complete", json=wrong).json()["error"] == "sha256_mismatch"
        assert client.post(f"{CP}/sessions/{sid}/artifacts/complete", json=done).status_code == 200
        got = client.get(f"{CP}/sessions/{sid}/artifacts/presign-get", params={"key": put["key"]}).json()
        assert httpx.get(got["url"]).content == PNG
        assert httpx.head(got["url"]).status_code == 403  # the method is signed
        part = {"type": "image_url", "image_url": {"url": got["url"]}}
        answer = client.post("/v1/chat/completions", json=chat_body([part])).json()["choices"][0]["message"]
        assert f"SHA-256 `{hashlib.sha256(PNG).hexdigest()}`" in answer["content"]
