"""Connection doctor checks: the settings, the backend's reachability, the proxy token."""

from __future__ import annotations

import httpx

from smartspec_tk.core.chat.models import ModelsClient
from smartspec_tk.core.doctor.result import CheckResult, DoctorContext
from smartspec_tk.core.health import probe_backend
from smartspec_tk.core.settings_labels import env_name


def check_settings(ctx: DoctorContext) -> CheckResult:
    if ctx.problems:
        return CheckResult.failed(
            f"{len(ctx.problems)} setting(s) invalid: " + " ".join(ctx.problems),
            "Fix the value in the environment, .env or the Settings dialog; defaults are in use.",
        )
    return CheckResult.passed(f"valid (backend {ctx.settings.backend_url})")


def check_reachable(ctx: DoctorContext) -> CheckResult:
    url = ctx.settings.backend_url
    reachable, detail = probe_backend(ctx.http, url)
    if not reachable:
        return CheckResult.failed(
            f"{url} {detail}",
            "Start the python-backend (or `smartspec-tk backend`), or set SMARTSPEC_BACKEND_URL.",
            blocking=True,
        )
    return CheckResult.passed(f"{url} {detail}")


def check_token(ctx: DoctorContext) -> CheckResult:
    try:
        response = ModelsClient(ctx.http, ctx.settings.backend_url).get()
    except httpx.HTTPError as exc:
        return CheckResult.failed(f"request failed ({type(exc).__name__})", "Check the backend log.", blocking=True)
    ctx.models_reply = response  # check_models reads the same reply
    has_token = ctx.settings.proxy_token is not None
    if response.status_code == 401:
        return CheckResult.failed("HTTP 401 Unauthorized", _refused_advice(ctx, has_token), blocking=True)
    if response.status_code == 403:
        return CheckResult.failed(
            "HTTP 403 Forbidden", "The backend only accepts local callers: use a loopback URL.", blocking=True
        )
    if response.status_code == 500 and "PROXY_TOKEN" in response.text:
        return CheckResult.failed(
            "the backend has no proxy token configured",
            "Start the backend with SMARTSPEC_PROXY_TOKEN set (or in debug mode).",
            blocking=True,
        )
    return CheckResult.passed("accepted" if has_token else "no token configured, none required")


def _refused_advice(ctx: DoctorContext, has_token: bool) -> str:
    if has_token:
        return "The backend refused the proxy token: set SMARTSPEC_PROXY_TOKEN to the backend's value."
    if any(env_name("proxy_token") in problem for problem in ctx.problems):
        return "The proxy token that is set is not valid (see Settings above), so none was sent: paste it again."
    return "The backend needs a proxy token: set SMARTSPEC_PROXY_TOKEN."
