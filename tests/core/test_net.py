"""The network layer: the token goes to the backend's origin only; proxies; trust store."""

from __future__ import annotations

import ssl
import subprocess
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from smartspec_tk.core.net import WRITE_TOKEN, BackendCredentials, make_client, origin_of
from tests.helpers.capture_server import capture_server
from tests.helpers.local_server import QuietHandler, serving

TOKEN = "tok-scope-test"
MCP_WRITE = "mcp-write-scope-test"
CREDENTIAL_HEADERS = ("authorization", "x-proxy-token", "x-orchestrator-key", "x-mcp-write-token")


def creds(url: str, mode: str = "both") -> BackendCredentials:
    return BackendCredentials(url, token=TOKEN, token_mode=mode, orchestrator_key="orch-key", mcp_write_token=MCP_WRITE)


def test_origin_includes_default_ports() -> None:
    assert origin_of("http://LocalHost/x") == ("http", "localhost", 80)
    assert origin_of("https://h:8443/") == ("https", "h", 8443)
    assert origin_of("http://h:80") == origin_of("http://h/")


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("both", {"authorization", "x-proxy-token"}), ("bearer", {"authorization"}), ("header", {"x-proxy-token"})],
)
def test_token_modes_reach_the_backend(mode: str, expected: set[str]) -> None:
    with capture_server() as backend, make_client(creds(backend.url, mode)) as http:
        http.get(backend.url + "/v1/models")
    headers = backend.requests[0].headers
    assert {h for h in ("authorization", "x-proxy-token") if h in headers} == expected
    if "authorization" in expected:
        assert headers["authorization"] == f"Bearer {TOKEN}"
    assert headers["x-orchestrator-key"] == "orch-key"
    assert "key=" not in backend.requests[0].path


def test_token_never_goes_to_a_second_origin() -> None:
    """Same host, other port: another origin (a presigned store URL, say) gets no credential."""
    with capture_server() as backend, capture_server() as store, make_client(creds(backend.url)) as http:
        http.put(store.url + "/bucket/a.png?X-Amz-Signature=x", content=b"png")
        http.get(backend.url + "/health")
    assert backend.requests[0].headers["x-proxy-token"] == TOKEN
    store_headers = store.requests[0].headers
    assert not [h for h in CREDENTIAL_HEADERS if h in store_headers]


def test_token_dropped_on_redirect_to_another_origin() -> None:
    with capture_server() as store:

        def redirect(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(302)
            handler.send_header("Location", store.url + "/elsewhere")
            handler.send_header("x-proxy-token", "echo")  # response headers are irrelevant
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        with capture_server(redirect) as backend, make_client(creds(backend.url), follow_redirects=True) as http:
            response = http.get(backend.url + "/go")
    assert response.status_code == 200
    assert backend.requests[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert store.requests[0].path == "/elsewhere"
    assert not [h for h in CREDENTIAL_HEADERS if h in store.requests[0].headers]


def test_write_token_only_on_backend_requests_that_ask_for_it() -> None:
    with capture_server() as backend, capture_server() as store, make_client(creds(backend.url)) as http:
        http.get(backend.url + "/health")
        http.post(backend.url + "/api/mcp/call", json={}, extensions=WRITE_TOKEN)
        http.post(store.url + "/api/mcp/call", json={}, extensions=WRITE_TOKEN)
    plain, write = backend.requests
    assert "x-mcp-write-token" not in plain.headers
    assert write.headers["x-mcp-write-token"] == MCP_WRITE
    assert not [h for h in CREDENTIAL_HEADERS if h in store.requests[0].headers]


def test_write_token_dropped_on_redirect_to_another_origin() -> None:
    with capture_server() as store:

        def redirect(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(307)
            handler.send_header("Location", store.url + "/elsewhere")
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        with capture_server(redirect) as backend, make_client(creds(backend.url), follow_redirects=True) as http:
            http.post(backend.url + "/api/mcp/call", json={}, extensions=WRITE_TOKEN)
    assert backend.requests[0].headers["x-mcp-write-token"] == MCP_WRITE
    assert store.requests[0].path == "/elsewhere"
    assert not [h for h in CREDENTIAL_HEADERS if h in store.requests[0].headers]


def test_caller_set_credential_headers_are_stripped_for_other_origins() -> None:
    with capture_server() as backend, capture_server() as store, make_client(creds(backend.url)) as http:
        http.get(
            store.url + "/x",
            headers={"Authorization": "Bearer leaked", "x-proxy-token": "leaked", "x-mcp-write-token": "leaked"},
        )
    assert not [h for h in CREDENTIAL_HEADERS if h in store.requests[0].headers]


def test_proxy_used_for_remote_hosts_but_never_for_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    with capture_server() as proxy, capture_server() as backend:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "")
        monkeypatch.delenv("no_proxy", raising=False)
        with make_client(creds(backend.url)) as http:
            http.get(backend.url + "/health")
            http.get("http://upload.example.invalid/obj")
    assert [r.path for r in backend.requests] == ["/health"]
    # A forward proxy receives the absolute URL; no credential travels to it.
    assert [r.path for r in proxy.requests] == ["http://upload.example.invalid/obj"]
    assert not [h for h in CREDENTIAL_HEADERS if h in proxy.requests[0].headers]


def test_no_proxy_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    with capture_server() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "upload.example.invalid")
        with make_client(None, connect_timeout=1) as http, pytest.raises(httpx.ConnectError):
            http.get("http://upload.example.invalid/obj")
    assert proxy.requests == []


@pytest.fixture
def tls_server(tmp_path: Path):  # type: ignore[no-untyped-def]
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    with serving(server, "https") as url:
        yield url, cert


def test_extra_ca_file_is_trusted(tls_server: tuple[str, Path]) -> None:
    """An inspection CA unknown to the OS store fails; with SMARTSPEC_CA_FILE it works."""
    url, cert = tls_server
    with make_client(None) as http, pytest.raises(httpx.ConnectError):
        http.get(url)
    with make_client(None, ca_file=cert) as http:
        assert http.get(url).text == "ok"
