"""S3 mode: AWS Signature Version 4 query presigning written with hashlib/hmac (no SDK), and a
store that presigns path-style URLs for any S3-compatible endpoint.

PUT URLs sign `content-length;host` like the original control plane's JS SDK presigner
(plus `content-type` with `--s3-sign-content-type`, like boto3); GET URLs sign `host`.
"""

from __future__ import annotations

import hashlib
import hmac
import urllib.error
import urllib.request
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

from smartspec_tk.backend.config import BackendConfig
from smartspec_tk.backend.storage import Presigned, StoredObject

ALGORITHM = "AWS4-HMAC-SHA256"
UNSIGNED = "UNSIGNED-PAYLOAD"


def _uri_encode(text: str, keep_slash: bool) -> str:
    return quote(text, safe="-_.~/" if keep_slash else "-_.~")


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def signing_key(secret: str, date: str, region: str, service: str = "s3") -> bytes:
    key = _hmac(("AWS4" + secret).encode(), date)
    return _hmac(_hmac(_hmac(key, region), service), "aws4_request")


def host_header(endpoint: str) -> str:
    """The Host value a client will send: the port only when it is not the scheme's default."""
    parts = urlsplit(endpoint)
    default = 443 if parts.scheme == "https" else 80
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    return host if parts.port in (None, default) else f"{host}:{parts.port}"


def presign_url(
    method: str,
    endpoint: str,
    path: str,
    *,
    access_key: str,
    secret_key: str,
    region: str,
    expires: int,
    headers: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> str:
    """A SigV4 query-presigned URL for `method endpoint+path`, signing `host` and `headers`."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    scope = f"{stamp[:8]}/{region}/s3/aws4_request"
    signed = {"host": host_header(endpoint)}
    signed.update({k.lower(): str(v).strip() for k, v in (headers or {}).items()})
    names = ";".join(sorted(signed))
    query = {
        "X-Amz-Algorithm": ALGORITHM,
        "X-Amz-Credential": f"{access_key}/{scope}",
        "X-Amz-Date": stamp,
        "X-Amz-Expires": str(expires),
        "X-Amz-SignedHeaders": names,
    }
    canonical_query = "&".join(f"{_uri_encode(k, False)}={_uri_encode(v, False)}" for k, v in sorted(query.items()))
    canonical_path = _uri_encode(path, True)
    canonical_headers = "".join(f"{k}:{signed[k]}\n" for k in sorted(signed))
    canonical = "\n".join((method.upper(), canonical_path, canonical_query, canonical_headers, names, UNSIGNED))
    to_sign = "\n".join((ALGORITHM, stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()))
    signature = hmac.new(signing_key(secret_key, stamp[:8], region), to_sign.encode(), hashlib.sha256)
    return f"{endpoint.rstrip('/')}{canonical_path}?{canonical_query}&X-Amz-Signature={signature.hexdigest()}"


class S3Store:
    """Path-style presigned URLs on `--s3-endpoint`/`--s3-bucket`; `stat` downloads via a signed GET."""

    kind = "s3"

    def __init__(self, config: BackendConfig) -> None:
        self.config = config

    def _presign(self, method: str, key: str, headers: Mapping[str, str] | None = None) -> str:
        c = self.config
        return presign_url(
            method,
            c.s3_endpoint,
            f"/{c.s3_bucket}/{key}",
            access_key=c.s3_access_key,
            secret_key=c.s3_secret_key,
            region=c.s3_region,
            expires=c.presign_expiry,
            headers=headers,
        )

    def presign_put(self, key: str, content_type: str, size: int | None) -> Presigned:
        signed: dict[str, str] = {}
        if size is not None:
            signed["content-length"] = str(size)
        if self.config.s3_sign_content_type:
            signed["content-type"] = content_type
        url = self._presign("PUT", key, signed)
        return Presigned(url, self.config.presign_expiry, {"Content-Type": content_type})

    def presign_get(self, key: str) -> Presigned:
        return Presigned(self._presign("GET", key), self.config.presign_expiry)

    def stat(self, key: str) -> StoredObject | None:
        digest, size = hashlib.sha256(), 0
        try:
            with urllib.request.urlopen(self._presign("GET", key), timeout=30) as resp:  # noqa: S310
                kind = resp.headers.get("Content-Type", "")
                while piece := resp.read(65536):
                    digest.update(piece)
                    size += len(piece)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise
        return StoredObject(size, digest.hexdigest(), kind)
