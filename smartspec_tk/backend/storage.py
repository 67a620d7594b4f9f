"""Artifact object stores: a local folder served at `/store/<key>` with HMAC-signed expiring
URLs, or (see `s3.py`) any S3-compatible store with SigV4 presigned URLs.

A local PUT URL is signed over the method, key, content type, length and expiry, so a
different type or length, a changed key or a late request gets 403 with an S3-like XML
error, as a real store would answer.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import quote
from xml.sax.saxutils import escape

from smartspec_tk.backend.config import BackendConfig
from smartspec_tk.backend.routing import Route, route
from smartspec_tk.backend.web import Request, Response


@dataclass(frozen=True)
class Presigned:
    url: str
    expires_in: int
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredObject:
    size: int
    sha256: str
    content_type: str


class Store(Protocol):
    kind: str

    def presign_put(self, key: str, content_type: str, size: int | None) -> Presigned: ...

    def presign_get(self, key: str) -> Presigned: ...

    def stat(self, key: str) -> StoredObject | None: ...


def s3_error(status: int, code: str, message: str, key: str = "") -> Response:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{escape(message)}</Message>"
        f"<Key>{escape(key)}</Key></Error>"
    ).encode()
    return Response(status, body, "application/xml")


class LocalStore:
    """Objects in `<root>/objects/<key>`, their content type in `<root>/objects-meta/<key>.json`."""

    kind = "local"

    def __init__(self, root: Path, secret: bytes, expiry: int, base_url: object, *,
                 clock_file: Path | None = None) -> None:  # fmt: skip
        self.root = root / "objects"
        self._clock_file = clock_file
        self.meta_root = root / "objects-meta"
        self.root.mkdir(parents=True, exist_ok=True)
        self.secret = secret
        self.expiry = expiry
        self._base = base_url  # an object with a `base_url` attribute, known after bind

    def now(self) -> float:
        """The store's clock: the system's, plus the seconds in `--clock-file` (tests move time so)."""
        offset = 0.0
        if self._clock_file is not None:
            try:
                offset = float(self._clock_file.read_text(encoding="utf-8").strip() or 0)
            except (OSError, ValueError):
                offset = 0.0
        return time.time() + offset

    def signature(self, method: str, key: str, content_type: str, length: str, exp: int) -> str:
        text = "\n".join((method.upper(), key, content_type, length, str(exp)))
        return hmac.new(self.secret, text.encode(), hashlib.sha256).hexdigest()

    def _url(self, method: str, key: str, content_type: str, length: str) -> Presigned:
        exp = int(self.now()) + self.expiry
        sig = self.signature(method, key, content_type, length, exp)
        base = getattr(self._base, "base_url", "")
        url = f"{base}/store/{quote(key, safe='/')}?exp={exp}&sig={sig}"
        headers = {"Content-Type": content_type} if method == "PUT" else {}
        return Presigned(url, self.expiry, headers)

    def presign_put(self, key: str, content_type: str, size: int | None) -> Presigned:
        return self._url("PUT", key, content_type, "" if size is None else str(size))

    def presign_get(self, key: str) -> Presigned:
        return self._url("GET", key, "", "")

    def path_for(self, key: str) -> Path | None:
        path = (self.root / key).resolve()
        return path if path.is_relative_to(self.root.resolve()) and key else None

    def stat(self, key: str) -> StoredObject | None:
        path = self.path_for(key)
        if path is None or not path.is_file():
            return None
        data = path.read_bytes()
        meta = self.read_meta(key)
        return StoredObject(len(data), hashlib.sha256(data).hexdigest(), meta.get("contentType", ""))

    def read_meta(self, key: str) -> dict[str, str]:
        try:
            data = json.loads((self.meta_root / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def write_meta(self, key: str, meta: dict[str, str]) -> None:
        target = self.meta_root / f"{key}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(meta), encoding="utf-8")

    def verify(self, req: Request, key: str) -> Response | None:
        """None when the request matches its signature and has not expired."""
        exp_raw, sig = req.arg("exp"), req.arg("sig")
        if not exp_raw or not sig or not exp_raw.isdigit():
            return s3_error(403, "AccessDenied", "Request is not signed", key)
        if req.method == "PUT":
            content_type, length = req.header("Content-Type"), str(req.content_length or "")
        else:
            content_type, length = "", ""
        expected = self.signature(req.method, key, content_type, length, int(exp_raw))
        if not hmac.compare_digest(expected, sig):
            message = "The request signature we calculated does not match the signature you provided."
            return s3_error(403, "SignatureDoesNotMatch", message, key)
        if int(exp_raw) < self.now():
            return s3_error(403, "AccessDenied", "Request has expired", key)
        return None


def _put(store: LocalStore, upload_bps: int, req: Request) -> Response:
    key = req.params["key"]
    refused = store.verify(req, key)
    if refused is not None:
        return refused
    path = store.path_for(key)
    if path is None:
        return s3_error(400, "InvalidArgument", "Invalid key", key)
    req.read_bps = upload_bps
    data = req.body()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    store.write_meta(key, {"contentType": req.header("Content-Type") or "application/octet-stream"})
    etag = '"' + hashlib.md5(data).hexdigest() + '"'  # noqa: S324 - S3's ETag is an MD5
    return Response(200, b"", "application/xml", {"ETag": etag})


def _get(store: LocalStore, req: Request) -> Response:
    key = req.params["key"]
    refused = store.verify(req, key)
    if refused is not None:
        return refused
    path = store.path_for(key)
    if path is None or not path.is_file():
        return s3_error(404, "NoSuchKey", "The specified key does not exist.", key)
    kind = store.read_meta(key).get("contentType", "application/octet-stream")
    return Response(200, path.read_bytes(), kind)


def routes(store: Store, config: BackendConfig) -> list[Route]:
    """`/store/<key>` for the local store (none in S3 mode: the URLs point at the S3 endpoint)."""
    if not isinstance(store, LocalStore):
        return []
    bps = config.faults.upload_bps
    return [
        route("PUT", "/store/(?P<key>.+)", lambda req: _put(store, bps, req)),
        route("GET", "/store/(?P<key>.+)", lambda req: _get(store, req)),
    ]
