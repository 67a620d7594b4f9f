"""The checks the real backend runs before any route: loopback gate, rate limit, body size,
content type, the legacy `?key=` refusal and the proxy token.

Each check returns None to let the request through, or the error `Response`.
"""

from __future__ import annotations

import hmac
import ipaddress
import math
import threading
import time
from collections import deque

from smartspec_tk.backend.config import BackendConfig
from smartspec_tk.backend.web import Request, Response, detail, json_response

UPLOAD_PREFIXES = ("/api/artifacts/upload/", "/api/kilo/media/", "/store/")
JSON_METHODS = ("POST", "PUT", "PATCH")
TOKEN_FREE_PREFIXES = ("/health", "/store/", "/api/artifacts/upload/", "/api/artifacts/download/")


def is_loopback(address: str) -> bool:
    """True for 127.0.0.0/8, ::1, IPv4-mapped loopback and the name `localhost`."""
    if address == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


class RateLimiter:
    """A sliding window of request times per client; thread-safe."""

    def __init__(self, per_minute: int, window: float = 60.0) -> None:
        self.per_minute = per_minute
        self.window = window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> int:
        """0 when the request may pass (and is counted), else seconds to wait."""
        if self.per_minute <= 0:
            return 0
        now = time.monotonic()
        with self._lock:
            times = self._seen.setdefault(client, deque())
            while times and now - times[0] >= self.window:
                times.popleft()
            if len(times) >= self.per_minute:
                return max(1, math.ceil(self.window - (now - times[0])))
            times.append(now)
            return 0


def check_loopback(config: BackendConfig, req: Request) -> Response | None:
    if config.localhost_only and not is_loopback(req.client):
        return detail(403, "Forbidden (localhost only)")
    return None


def check_rate(limiter: RateLimiter, req: Request) -> Response | None:
    if req.path.startswith("/store/"):
        return None
    wait = limiter.retry_after(req.client)
    if not wait:
        return None
    body = {"error": "RATE_LIMIT_EXCEEDED", "message": "Too many requests. Please try again later.", "details": {}}
    return json_response(429, body, {"Retry-After": str(wait)})


def check_size(config: BackendConfig, req: Request) -> Response | None:
    length = req.content_length
    if length is not None and length > config.max_body:
        return json_response(413, {"error": "Request too large", "max_size": config.max_body})
    return None


def check_content_type(req: Request) -> Response | None:
    if req.method not in JSON_METHODS or req.path.startswith(UPLOAD_PREFIXES):
        return None
    kind = req.header("Content-Type")
    if not kind:
        return json_response(400, {"error": "Missing Content-Type header"})
    if "application/json" not in kind.lower():
        return json_response(415, {"error": "Unsupported Media Type", "supported": ["application/json"]})
    return None


def check_legacy_key(req: Request) -> Response | None:
    if req.path.startswith("/v1/") and "key" in req.query:
        return detail(400, "Legacy key query parameter is disabled")
    return None


def needs_token(config: BackendConfig, req: Request) -> bool:
    if req.path.startswith("/v1/"):
        return True
    return config.protect_all and not req.path.startswith(TOKEN_FREE_PREFIXES)


def check_token(config: BackendConfig, req: Request) -> Response | None:
    """Bearer wins when present; otherwise x-proxy-token (f32dcfe `_require_proxy_token`)."""
    if not needs_token(config, req):
        return None
    if not config.token:
        if config.require_token:
            return detail(500, "SMARTSPEC_PROXY_TOKEN is required in production")
        return None
    auth = req.header("Authorization").strip()
    bearer = auth.lower().startswith("bearer ")
    candidate = auth[7:].strip() if bearer else req.header("x-proxy-token").strip()
    if not hmac.compare_digest(candidate.encode(), config.token.encode()):
        return detail(401, "Unauthorized")
    return None
