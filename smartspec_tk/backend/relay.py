"""The upstream relay: forwards chat and model requests to an OpenAI-compatible server with
`http.client`, passing a stream through piece by piece as it arrives."""

from __future__ import annotations

import http.client
import json
import logging
import ssl
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from smartspec_tk.backend.sse import SseWriter, StreamCut
from smartspec_tk.backend.web import ChunkedStream, Request, Response, detail

if TYPE_CHECKING:
    from smartspec_tk.backend.state import AppState

log = logging.getLogger(__name__)
TIMEOUT = 600.0


def upstream_url(base: str, path: str) -> str:
    """`path` ("/chat/completions") under an upstream given with or without its `/v1`."""
    base = base.rstrip("/")
    return base + path if base.endswith("/v1") else base + "/v1" + path


def _connect(url: str) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    if parts.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, timeout=TIMEOUT, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=TIMEOUT)
    return conn, target


def _headers(app: AppState, req: Request | None, accept: str) -> dict[str, str]:
    trace = (req.header("x-trace-id") or req.header("x-request-id")) if req else ""
    headers = {"Accept": accept, "x-trace-id": trace or str(uuid.uuid4())}
    if app.config.upstream_key:
        headers["Authorization"] = f"Bearer {app.config.upstream_key}"
    return headers


def _passthrough(resp: http.client.HTTPResponse) -> Response:
    kind = resp.getheader("Content-Type", "application/json")
    return Response(resp.status, resp.read(), kind)


def models(app: AppState) -> Response:
    conn, target = _connect(upstream_url(app.config.upstream_url, "/models"))
    try:
        conn.request("GET", target, headers=_headers(app, None, "application/json"))
        return _passthrough(conn.getresponse())
    except OSError as exc:
        log.warning("upstream /models failed: %s", exc)
        return detail(502, f"Upstream unreachable: {exc}")
    finally:
        conn.close()


def chat(app: AppState, req: Request, body: dict[str, Any]) -> Response | None:
    stream = bool(body.get("stream"))
    conn, target = _connect(upstream_url(app.config.upstream_url, "/chat/completions"))
    headers = _headers(app, req, "text/event-stream" if stream else "application/json")
    headers["Content-Type"] = "application/json"
    try:
        try:
            conn.request("POST", target, body=json.dumps(body).encode(), headers=headers)
            resp = conn.getresponse()
        except OSError as exc:
            log.warning("upstream chat failed: %s", exc)
            return detail(502, f"Upstream unreachable: {exc}")
        kind = resp.getheader("Content-Type", "")
        if not stream or resp.status >= 400 or not kind.startswith("text/event-stream"):
            return _passthrough(resp)
        _pipe(app, req, resp, kind)
        return None
    finally:
        conn.close()


def _pipe(app: AppState, req: Request, resp: http.client.HTTPResponse, kind: str) -> None:
    headers = {"Content-Type": kind, "Cache-Control": "no-cache, no-transform"}
    writer = SseWriter(ChunkedStream(req.handler, 200, headers), app.config.faults, app.stats)
    try:
        while True:
            try:
                piece = resp.read1(65536)
            except (OSError, http.client.HTTPException) as exc:
                log.warning("upstream stream broke: %s", exc)
                writer.out.reset()  # like the original: the stream just stops, no [DONE]
                return
            if not piece:
                break
            writer.raw(piece)
        writer.finish()
    except StreamCut:
        return
