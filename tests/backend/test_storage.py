"""The local store's HMAC-signed URLs: in-process signature checks, and over HTTP the S3-like
403 answers to tampering, a wrong length or type, a wrong method, and expiry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from smartspec_tk.backend.storage import LocalStore
from tests.backend.helpers import PNG, new_session, presign_put
from tests.servers.reference import RunningServer

Factory = Callable[..., RunningServer]


def _store(tmp_path: Path, expiry: int = 600) -> LocalStore:
    return LocalStore(tmp_path, b"k" * 32, expiry, SimpleNamespace(base_url="http://127.0.0.1:1"))


def _fake_request(method: str, url: str, content_type: str = "", length: int | None = None) -> SimpleNamespace:
    query = parse_qs(urlsplit(url).query)
    headers = {"Content-Type": content_type, "Content-Length": "" if length is None else str(length)}
    return SimpleNamespace(
        method=method,
        arg=lambda name: query.get(name, [None])[0],
        header=lambda name: headers.get(name, ""),
        content_length=length,
    )


def test_signature_covers_method_key_type_length_and_expiry(tmp_path: Path) -> None:
    store = _store(tmp_path)
    put = store.presign_put("p/a.png", "image/png", 10).url
    assert put.startswith("http://127.0.0.1:1/store/p/a.png?exp=")
    assert store.verify(_fake_request("PUT", put, "image/png", 10), "p/a.png") is None  # type: ignore[arg-type]
    cases = [
        ("PUT", put, "image/jpeg", 10, "p/a.png"),
        ("PUT", put, "image/png", 11, "p/a.png"),
        ("PUT", put, "image/png", 10, "p/b.png"),
        ("GET", put, "", None, "p/a.png"),
        ("PUT", put.replace("exp=", "exp=1"), "image/png", 10, "p/a.png"),
    ]
    for method, url, kind, length, key in cases:
        refused = store.verify(_fake_request(method, url, kind, length), key)  # type: ignore[arg-type]
        assert refused is not None and refused.status == 403 and b"SignatureDoesNotMatch" in refused.body


def test_other_secret_and_expiry(tmp_path: Path) -> None:
    store = _store(tmp_path, expiry=-1)
    url = store.presign_get("k").url
    expired = store.verify(_fake_request("GET", url), "k")  # type: ignore[arg-type]
    assert expired is not None and b"Request has expired" in expired.body
    other = LocalStore(tmp_path, b"x" * 32, 600, SimpleNamespace(base_url=""))
    assert other.verify(_fake_request("GET", _store(tmp_path).presign_get("k").url), "k") is not None  # type: ignore[arg-type]
    unsigned = store.verify(_fake_request("GET", "http://h/store/k"), "k")  # type: ignore[arg-type]
    assert unsigned is not None and b"AccessDenied" in unsigned.body


def test_keys_cannot_escape_the_store(tmp_path: Path) -> None:
    store = _store(tmp_path)
    assert store.path_for("../outside") is None
    assert store.path_for("a/../../x") is None
    assert store.path_for("projects/p/a.png") is not None


def _presigned(url: str, data: bytes = PNG) -> dict[str, str]:
    with httpx.Client(base_url=url) as client:
        return dict(presign_put(client, new_session(client), "s.png", data).json())


@pytest.mark.servers
def test_http_refusals_are_s3_like(reference_backend: RunningServer) -> None:
    put = _presigned(reference_backend.url)
    url = put["url"]
    wrong_type = httpx.put(url, content=PNG, headers={"Content-Type": "image/jpeg"})
    assert wrong_type.status_code == 403 and wrong_type.headers["content-type"] == "application/xml"
    assert b"<Code>SignatureDoesNotMatch</Code>" in wrong_type.content
    assert httpx.put(url, content=PNG + b"!", headers={"Content-Type": "image/png"}).status_code == 403
    tampered = url.replace("sig=", "sig=f")
    assert httpx.put(tampered, content=PNG, headers={"Content-Type": "image/png"}).status_code == 403
    other_key = url.replace("/s.png", "/t.png")
    assert httpx.put(other_key, content=PNG, headers={"Content-Type": "image/png"}).status_code == 403
    assert httpx.put(url, content=PNG, headers={"Content-Type": "image/png"}).status_code == 200
    assert httpx.get(url).status_code == 403  # a PUT URL does not allow GET


@pytest.mark.servers
def test_expired_urls_get_403(reference_backend_factory: Factory, tmp_path: Path) -> None:
    clock = tmp_path / "clock"  # the store's clock, moved by the test (no sleeping, no race)
    backend = reference_backend_factory("--presign-expiry", "600", "--clock-file", str(clock))
    put = _presigned(backend.url)
    clock.write_text("601")
    reply = httpx.put(put["url"], content=PNG, headers={"Content-Type": "image/png"})
    assert reply.status_code == 403 and b"Request has expired" in reply.content


@pytest.mark.servers
def test_urls_are_bound_to_the_store_secret(reference_backend_factory: Factory) -> None:
    first = reference_backend_factory("--store-secret", "fixed-secret")
    put = _presigned(first.url)
    assert httpx.put(put["url"], content=PNG, headers={"Content-Type": "image/png"}).status_code == 200
    second = reference_backend_factory("--store-secret", "another")
    moved = put["url"].replace(first.url, second.url)
    assert httpx.put(moved, content=PNG, headers={"Content-Type": "image/png"}).status_code == 403
