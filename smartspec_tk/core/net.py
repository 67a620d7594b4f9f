"""The one httpx client factory: OS trust store, corporate proxies, and a token that stays home.

Every HTTP request of the app goes through a client made here:
- TLS verification uses the OS certificate store (truststore), so CAs installed by
  IT for TLS inspection just work; certifi is the fallback; `SMARTSPEC_CA_FILE`
  adds one more CA bundle.
- `HTTP(S)_PROXY` / `NO_PROXY` are honoured for other hosts; loopback is never proxied.
- The proxy token (and the legacy orchestrator key) are attached only to requests
  whose origin (scheme, host, port) is the backend's, and stripped from any other
  request, including a redirect to another origin. They never go into a URL.
- The MCP write token goes only on the backend-origin requests that ask for it
  with `extensions=WRITE_TOKEN` (the Remote tab's write), and never elsewhere.
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass
from pathlib import Path

import httpx

log = logging.getLogger(__name__)

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
CREDENTIAL_HEADERS = ("authorization", "x-proxy-token", "x-orchestrator-key", "x-mcp-write-token")
WRITE_TOKEN_EXTENSION = "smartspec_mcp_write_token"
WRITE_TOKEN = {WRITE_TOKEN_EXTENSION: True}  # pass as `extensions=` to send the MCP write token


def origin_of(url: httpx.URL | str) -> tuple[str, str, int]:
    """(scheme, host, port) with the default port filled in."""
    parsed = httpx.URL(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    return parsed.scheme, parsed.host.lower(), port


def is_loopback(url: httpx.URL | str) -> bool:
    host = httpx.URL(url).host.lower()
    return host in ("localhost", "::1") or host.startswith("127.")


@dataclass(frozen=True)
class BackendCredentials:
    """What the backend gets, and only the backend: the proxy token and friends."""

    backend_url: str
    token: str | None = None
    token_mode: str = "both"  # both | bearer | header
    orchestrator_key: str | None = None
    mcp_write_token: str | None = None

    def headers(self, *, write: bool = False) -> dict[str, str]:
        """The headers of a backend request; `write` adds the MCP write token when there is one."""
        headers: dict[str, str] = {}
        if self.token:
            if self.token_mode in ("both", "bearer"):
                headers["Authorization"] = f"Bearer {self.token}"
            if self.token_mode in ("both", "header"):
                headers["x-proxy-token"] = self.token
        if self.orchestrator_key:
            headers["x-orchestrator-key"] = self.orchestrator_key
        if write and self.mcp_write_token:
            headers["x-mcp-write-token"] = self.mcp_write_token
        return headers

    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.token, self.orchestrator_key, self.mcp_write_token) if s)


class _CredentialScope:
    """Request hook: credentials on backend-origin requests, none anywhere else.

    httpx calls request hooks for every request it sends, redirects included, so
    a redirect to another origin loses the headers here.
    """

    def __init__(self, credentials: BackendCredentials | None) -> None:
        self.set(credentials)

    def set(self, credentials: BackendCredentials | None) -> None:
        self._credentials = credentials
        self._origin = origin_of(credentials.backend_url) if credentials else None

    def __call__(self, request: httpx.Request) -> None:
        if self._credentials is not None and origin_of(request.url) == self._origin:
            write = bool(request.extensions.get(WRITE_TOKEN_EXTENSION))
            for name, value in self._credentials.headers(write=write).items():
                request.headers[name] = value
            return
        for name in CREDENTIAL_HEADERS:
            request.headers.pop(name, None)


def update_credentials(client: httpx.Client, credentials: BackendCredentials) -> None:
    """Send `credentials` from the next request on (a token typed into Settings applies at once)."""
    for hook in client.event_hooks["request"]:
        if isinstance(hook, _CredentialScope):
            hook.set(credentials)


def ssl_context(ca_file: Path | None = None) -> ssl.SSLContext:
    """The OS trust store (truststore) when available, else certifi; plus an extra CA file."""
    context: ssl.SSLContext
    try:
        import truststore

        context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    except Exception:  # noqa: BLE001 - any failure means: use certifi
        import certifi

        log.info("OS trust store unavailable; using certifi")
        context = ssl.create_default_context(cafile=certifi.where())
    if ca_file is not None:
        context.load_verify_locations(cafile=str(ca_file))
    return context


def make_client(
    credentials: BackendCredentials | None = None,
    *,
    ca_file: Path | None = None,
    connect_timeout: float = 5.0,
    read_timeout: float | None = 120.0,
    follow_redirects: bool = False,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """Build the app's HTTP client. Pass `transport` in unit tests (MockTransport)."""
    timeout = httpx.Timeout(connect=connect_timeout, read=read_timeout, write=60.0, pool=connect_timeout)
    # None as a mount value means "the client's own transport": no proxy for loopback.
    loopback = {f"all://{host}": None for host in LOOPBACK_HOSTS}
    loopback["all://127.*"] = None
    kwargs: dict[str, object] = {}
    if transport is not None:
        kwargs["transport"] = transport
    else:
        kwargs["verify"] = ssl_context(ca_file)
        kwargs["mounts"] = loopback
        kwargs["trust_env"] = True
    return httpx.Client(
        timeout=timeout,
        follow_redirects=follow_redirects,
        event_hooks={"request": [_CredentialScope(credentials)]},
        headers={"User-Agent": _user_agent()},
        **kwargs,  # type: ignore[arg-type]
    )


def _user_agent() -> str:
    from smartspec_tk import __version__

    return f"smartspec-tk/{__version__}"
