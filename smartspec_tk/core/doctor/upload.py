"""Connection doctor checks: a presign round-trip through the control plane (a tiny
PNG uploaded, completed and downloaded again) and the reachability of the upload host.

Uploads and downloads go through a client without credentials: a presigned URL is its
own credential, and the proxy token never leaves the backend's origin.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from typing import Any
from urllib.parse import quote

import httpx

from smartspec_tk.core.doctor.replies import body_message
from smartspec_tk.core.doctor.result import CheckResult, DoctorContext
from smartspec_tk.core.net import is_loopback, make_client

log = logging.getLogger(__name__)

# A 1x1 transparent PNG: what the presign check uploads.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
)

CP_ADVICE = {
    "CONTROL_PLANE_API_KEY_not_configured": "Set CONTROL_PLANE_API_KEY in the backend's environment and restart it.",
    "content_type_not_allowed": "The server does not accept image/png: add the image and video types to "
    "ARTIFACT_ALLOWED_CONTENT_TYPES on the control plane.",
    "artifact_too_large": "The control plane's ARTIFACT_MAX_BYTES is tiny: raise it.",
    "session_not_found": "The control plane lost the session it just created: check that it has a database.",
    "unauthorized": "The backend's control-plane key was refused: check CONTROL_PLANE_API_KEY on both sides.",
    "localhost_only": "The control-plane proxy only answers local callers: run the backend on this machine.",
}
NOT_MOUNTED = (
    "This backend has no control-plane proxy at {prefix}. Set SMARTSPEC_CONTROL_PLANE_PREFIX to the right "
    "prefix, or SMARTSPEC_ARTIFACT_MODE=local for a backend with /api/artifacts."
)


class StepFailed(Exception):
    """One step of the round-trip failed; carries the summary and the advice."""

    def __init__(self, summary: str, advice: str) -> None:
        super().__init__(summary)
        self.summary = summary
        self.advice = advice


def _error_of(response: httpx.Response) -> str | None:
    """The error of a control-plane answer, also when the proxy delivered it as HTTP 200."""
    try:
        data = response.json()
    except ValueError:
        return None if response.is_success else body_message(response)
    status = data.get("statusCode") if isinstance(data, dict) else None
    if isinstance(data, dict) and (data.get("error") or (isinstance(status, int) and status >= 400)):
        return body_message(response)
    return None if response.is_success else body_message(response)


def _call(ctx: DoctorContext, method: str, path: str, step: str, body: Any = None) -> dict[str, Any]:
    prefix = "" if ctx.settings.artifact_mode == "local" else ctx.settings.control_plane_prefix
    url = ctx.settings.backend_url + prefix + path
    try:
        response = ctx.http.request(method, url, json=body, timeout=15)
    except httpx.HTTPError as exc:
        raise StepFailed(f"{step}: request failed ({type(exc).__name__})", "Check the backend's log.") from exc
    error = _error_of(response)
    if error is None:
        data = response.json()
        return dict(data.get("artifact", data)) if isinstance(data, dict) else {}
    if response.status_code == 404 and error == "Not Found":
        raise StepFailed(f"{step}: HTTP 404", NOT_MOUNTED.format(prefix=prefix or "/api/artifacts"))
    how = " (delivered as HTTP 200, so the real status was lost)" if response.is_success else ""
    advice = CP_ADVICE.get(error, "The control plane refused the call: see the message and the backend's log.")
    raise StepFailed(f"{step}: {error}{how}", advice)


def _create_session(ctx: DoctorContext) -> str:
    if ctx.settings.artifact_mode == "local":
        return str(_call(ctx, "POST", "/api/artifacts/sessions", "create session", {"name": "doctor"})["session"]["id"])
    project = _call(ctx, "POST", "/projects", "create project", {"name": "Desktop: connection doctor"})
    pid = project["project"]["id"]
    session = _call(ctx, "POST", f"/projects/{pid}/sessions", "create session", {"name": "Connection doctor"})
    return str(session["session"]["id"])


def _sessions_path(ctx: DoctorContext, sid: str) -> str:
    return f"/api/artifacts/sessions/{sid}" if ctx.settings.artifact_mode == "local" else f"/sessions/{sid}"


def _transfer(client: httpx.Client, method: str, url: str, step: str, **kwargs: Any) -> httpx.Response:
    """PUT or GET on the store (no credentials); a refusal or network error becomes StepFailed."""
    host = httpx.URL(url).host
    try:
        response = client.request(method, url, timeout=30, **kwargs)
    except httpx.HTTPError as exc:
        raise StepFailed(
            f"{step}: cannot reach the upload host {host} ({type(exc).__name__})",
            "See the next check: the store named in the presigned URL must be reachable from this computer.",
        ) from exc
    if response.status_code == 403:
        raise StepFailed(
            f"{step}: the store refused the presigned URL (HTTP 403: {body_message(response)[:120]})",
            "The signature did not match: a proxy may change the request (host, headers), or the "
            "backend's clock or store credentials are wrong.",
        )
    if not response.is_success:
        raise StepFailed(f"{step}: HTTP {response.status_code} from {host}", "See the store's log.")
    return response


def _round_trip(ctx: DoctorContext, store: httpx.Client) -> str:
    sid = _create_session(ctx)
    base = _sessions_path(ctx, sid) + "/artifacts"
    request = {"iteration": 0, "name": f"doctor-{uuid.uuid4().hex[:12]}.png", "contentType": "image/png"}
    put = _call(ctx, "POST", base + "/presign-put", "presign-put", {**request, "sizeBytes": len(TINY_PNG)})
    ctx.upload_url = str(put["url"])
    get_path = f"{base}/presign-get?key={quote(put['key'], safe='')}"
    early = "" if ctx.settings.artifact_mode == "local" else _early_get(ctx, get_path)
    headers = {"Content-Type": "image/png", **(put.get("headers") or {})}
    _transfer(store, "PUT", put["url"], "upload", content=TINY_PNG, headers=headers)
    if ctx.settings.artifact_mode != "local":
        done = {"key": put["key"], "sha256": hashlib.sha256(TINY_PNG).hexdigest(), "sizeBytes": len(TINY_PNG)}
        _call(ctx, "POST", base + "/complete", "complete", done)
    got = _call(ctx, "GET", get_path, "presign-get")
    if _transfer(store, "GET", got["url"], "download").content != TINY_PNG:
        raise StepFailed("download: the bytes differ from the upload", "The store or a proxy altered the file.")
    steps = "uploaded and downloaded" if ctx.settings.artifact_mode == "local" else "uploaded, completed, downloaded"
    return f"{steps} a {len(TINY_PNG)}-byte PNG via {httpx.URL(put['url']).host}{early}"


def _early_get(ctx: DoctorContext, get_path: str) -> str:
    """presign-get before the upload is completed must be refused; say so when it is not."""
    try:
        _call(ctx, "GET", get_path, "presign-get before upload")
    except StepFailed:
        return ""
    return " (note: a download link was given before the upload completed)"


def check_presign(ctx: DoctorContext) -> CheckResult:
    with make_client(None, ca_file=ctx.settings.ca_file) as store:
        try:
            return CheckResult.passed(_round_trip(ctx, store))
        except StepFailed as failure:
            return CheckResult.failed(failure.summary, failure.advice)
        except (KeyError, TypeError, ValueError) as exc:
            log.info("presign round-trip: unexpected answer", exc_info=True)
            return CheckResult.failed(
                f"unexpected answer shape ({type(exc).__name__}: {exc})",
                "The backend's artifact routes do not speak the expected contract: check its version.",
            )


def check_upload_host(ctx: DoctorContext) -> CheckResult:
    url = ctx.upload_url
    if not url:
        return CheckResult.failed("no presigned URL to test", "The presign check above failed; fix that first.")
    target = httpx.URL(url)
    origin = f"{target.scheme}://{target.netloc.decode()}/"
    with make_client(None, ca_file=ctx.settings.ca_file) as plain:
        try:
            # OPTIONS on the bare origin: no signature, no credentials, nothing a store could refuse as a probe.
            response = plain.request("OPTIONS", origin, timeout=10)
        except httpx.HTTPError as exc:
            summary = f"{target.host} is not reachable ({type(exc).__name__})"
            return CheckResult.failed(summary, _reach_advice(ctx, target, exc))
    port = target.port or (443 if target.scheme == "https" else 80)
    return CheckResult.passed(f"{target.host}:{port} answers (HTTP {response.status_code} to OPTIONS)")


def _reach_advice(ctx: DoctorContext, target: httpx.URL, exc: httpx.HTTPError) -> str:
    if is_loopback(target) and not is_loopback(ctx.settings.backend_url):
        return ("The backend hands out upload URLs on its own loopback address: configure its store "
                "endpoint with a host name that this computer can reach.")
    if isinstance(exc, httpx.ProxyError):
        return "The HTTPS proxy refused the connection: ask IT to allow the store's host, or add it to NO_PROXY."
    if isinstance(exc, httpx.ConnectError) and "CERTIFICATE" in str(exc).upper():
        return "TLS inspection: set SMARTSPEC_CA_FILE to your company's CA certificate (PEM)."
    return "A firewall or proxy blocks the store's host: ask IT to allow it (uploads go straight to the store)."
