"""The artifact flow against a real S3 store: the reference backend in S3 mode presigns,
SeaweedFS checks the signatures. SeaweedFS's 403s are the truth here: a URL must only
work for exactly the request it was signed for, and only until it expires.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.servers.reference import RunningServer
from tests.servers.seaweedfs import SeaweedFS

pytestmark = pytest.mark.servers

PREFIX = "/api/v1/control-plane/api/v1"
DATA = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


class Flow:
    """The desktop's control-plane calls, through the backend's proxy prefix."""

    def __init__(self, backend: RunningServer) -> None:
        self.http = httpx.Client(base_url=backend.url + PREFIX, trust_env=False, timeout=30)
        project = self.call("POST", "/projects", {"name": "Desktop: contract"})["project"]
        self.sid = self.call("POST", f"/projects/{project['id']}/sessions", {"name": "s3"})["session"]["id"]

    def call(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        response = self.http.request(method, path, json=body)
        data: dict[str, Any] = response.json()
        assert response.status_code == 200 and "error" not in data, data
        return data

    def presign_put(self, content_type: str = "image/png", size: int = len(DATA)) -> dict[str, Any]:
        body = {"iteration": 0, "name": f"{uuid.uuid4().hex}.png", "contentType": content_type, "sizeBytes": size}
        return self.call("POST", f"/sessions/{self.sid}/artifacts/presign-put", body)

    def complete(self, key: str, data: bytes = DATA) -> dict[str, Any]:
        body = {"key": key, "sha256": hashlib.sha256(data).hexdigest(), "sizeBytes": len(data)}
        return self.call("POST", f"/sessions/{self.sid}/artifacts/complete", body)

    def presign_get(self, key: str) -> httpx.Response:
        return self.http.get(f"/sessions/{self.sid}/artifacts/presign-get?key={quote(key, safe='')}")


def put(url: str, data: bytes = DATA, content_type: str = "image/png") -> httpx.Response:
    # A bare client: a presigned URL is its own credential, nothing else is sent.
    return httpx.put(url, content=data, headers={"Content-Type": content_type}, trust_env=False, timeout=30)


def tamper(url: str) -> str:
    head, _, signature = url.partition("X-Amz-Signature=")
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
    return head + "X-Amz-Signature=" + flipped


def test_presigned_put_complete_and_get_round_trip(ref_s3: RunningServer, seaweedfs: SeaweedFS) -> None:
    flow = Flow(ref_s3)
    signed = flow.presign_put()
    assert signed["url"].startswith(f"{seaweedfs.endpoint}/{seaweedfs.bucket}/")
    assert "X-Amz-Signature=" in signed["url"]
    assert put(signed["url"]).status_code == 200
    assert flow.complete(signed["key"])["artifact"]["status"] == "complete"
    got = flow.presign_get(signed["key"]).json()
    download = httpx.get(got["url"], trust_env=False, timeout=30)
    assert download.status_code == 200
    assert download.content == DATA
    assert download.headers["content-type"] == "image/png"
    stored = seaweedfs.client().get_object(Bucket=seaweedfs.bucket, Key=signed["key"])["Body"].read()
    assert stored == DATA


def test_presign_get_is_refused_before_complete(ref_s3: RunningServer) -> None:
    flow = Flow(ref_s3)
    signed = flow.presign_put()
    assert put(signed["url"]).status_code == 200
    early = flow.presign_get(signed["key"])
    assert early.status_code == 404
    assert early.json()["error"] == "artifact_not_found_or_not_complete"


@pytest.mark.parametrize("delta", [1, -1], ids=["one-byte-more", "one-byte-less"])
def test_wrong_length_is_refused_by_the_store(ref_s3: RunningServer, delta: int) -> None:
    signed = Flow(ref_s3).presign_put()
    data = DATA + b"x" if delta > 0 else DATA[:-1]
    refused = put(signed["url"], data)
    assert refused.status_code == 403, refused.text
    assert "SignatureDoesNotMatch" in refused.text


def test_tampered_signature_is_refused_by_the_store(ref_s3: RunningServer) -> None:
    signed = Flow(ref_s3).presign_put()
    refused = put(tamper(signed["url"]))
    assert refused.status_code == 403
    assert "SignatureDoesNotMatch" in refused.text
    assert put(signed["url"]).status_code == 200  # the untouched URL still works


def test_expired_url_is_refused_by_the_store(ref_s3_short: RunningServer) -> None:
    signed = Flow(ref_s3_short).presign_put()
    assert signed["expiresInSeconds"] == 1
    time.sleep(2.5)
    refused = put(signed["url"])
    assert refused.status_code == 403
    assert "expired" in refused.text.lower()


def test_download_urls_are_bound_to_method_and_signature(ref_s3: RunningServer) -> None:
    flow = Flow(ref_s3)
    signed = flow.presign_put()
    assert put(signed["url"]).status_code == 200
    flow.complete(signed["key"])
    url = flow.presign_get(signed["key"]).json()["url"]
    assert httpx.get(tamper(url), trust_env=False).status_code == 403
    # A HEAD probe on a GET URL is refused: the method is signed (the doctor never does this).
    assert httpx.head(url, trust_env=False).status_code == 403
    assert httpx.get(url.split("?")[0], trust_env=False).status_code == 403  # anonymous
    assert httpx.get(url, trust_env=False).content == DATA


def test_content_type_is_enforced_only_when_signed(ref_s3: RunningServer, ref_s3_typed: RunningServer) -> None:
    # Like the original's JS presigner, the default signs content-length but not content-type.
    loose = Flow(ref_s3).presign_put()
    assert "content-type" not in loose["url"].split("X-Amz-SignedHeaders=")[1].split("&")[0]
    assert put(loose["url"], content_type="image/jpeg").status_code == 200
    strict = Flow(ref_s3_typed).presign_put()
    assert put(strict["url"], content_type="image/jpeg").status_code == 403
    assert put(strict["url"]).status_code == 200
