"""Connection doctor: ordered checks that each explain a failure in plain words.

Used by `smartspec-tk --doctor` and the Help menu. A check is a function taking a
`DoctorContext` and returning a `CheckResult`; later checks are skipped when an
earlier one marked itself `blocking`. Features append their checks to `CHECKS`
through `register()`, in the order of product.md §7.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from smartspec_tk.core.health import probe_backend
from smartspec_tk.core.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class DoctorContext:
    settings: Settings
    http: httpx.Client
    problems: tuple[str, ...] = ()
    notes: dict[str, Any] = field(default_factory=dict)  # what a check learned, for later checks


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    summary: str
    advice: str = ""
    blocking: bool = False  # a failure here makes later checks pointless

    @staticmethod
    def passed(summary: str) -> CheckResult:
        return CheckResult(True, summary)

    @staticmethod
    def failed(summary: str, advice: str, *, blocking: bool = False) -> CheckResult:
        return CheckResult(False, summary, advice, blocking)


@dataclass(frozen=True)
class Check:
    order: int
    name: str
    run: Callable[[DoctorContext], CheckResult]


CHECKS: list[Check] = []


CheckFn = Callable[[DoctorContext], CheckResult]


def register(order: int, name: str) -> Callable[[CheckFn], CheckFn]:
    """Decorator: add a check; `order` places it (10 settings, 20 reachable, 30 token, …)."""

    def add(fn: CheckFn) -> CheckFn:
        CHECKS.append(Check(order, name, fn))
        CHECKS.sort(key=lambda c: c.order)
        return fn

    return add


def run_checks(ctx: DoctorContext) -> Iterator[tuple[str, CheckResult | None]]:
    """Yield (name, result) per check in order; result None means skipped."""
    blocked = False
    for check in list(CHECKS):
        if blocked:
            yield check.name, None
            continue
        try:
            result = check.run(ctx)
        except Exception as exc:  # noqa: BLE001 - a doctor never crashes
            log.exception("doctor check %s crashed", check.name)
            result = CheckResult.failed(f"internal error ({type(exc).__name__})", "See the log file.")
        blocked = not result.ok and result.blocking
        yield check.name, result


def format_result(name: str, result: CheckResult | None) -> str:
    if result is None:
        return f"[skip] {name}: skipped (an earlier check failed)"
    mark = "ok" if result.ok else "FAIL"
    line = f"[{mark:>4}] {name}: {result.summary}"
    if result.advice:
        line += f"\n       → {result.advice}"
    return line


def run_doctor(ctx: DoctorContext, emit: Callable[[str], None]) -> int:
    """Run every check, print each result as it comes; exit status 0 when all passed."""
    failures = 0
    for name, result in run_checks(ctx):
        emit(format_result(name, result))
        if result is None or not result.ok:
            failures += 1
    emit("All checks passed." if failures == 0 else f"{failures} check(s) failed or were skipped.")
    return 0 if failures == 0 else 1


@register(10, "Settings")
def check_settings(ctx: DoctorContext) -> CheckResult:
    if ctx.problems:
        return CheckResult.failed(
            f"{len(ctx.problems)} setting(s) invalid: " + " ".join(ctx.problems),
            "Fix the value in the environment, .env or the Settings dialog; defaults are in use.",
        )
    return CheckResult.passed(f"valid (backend {ctx.settings.backend_url})")


@register(20, "Backend reachable")
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


@register(30, "Token accepted")
def check_token(ctx: DoctorContext) -> CheckResult:
    try:
        response = ctx.http.get(ctx.settings.backend_url + "/v1/models", timeout=10)
    except httpx.HTTPError as exc:
        return CheckResult.failed(f"request failed ({type(exc).__name__})", "Check the backend log.", blocking=True)
    ctx.notes["models_response"] = response
    has_token = ctx.settings.proxy_token is not None
    if response.status_code == 401:
        advice = (
            "The backend refused the proxy token: set SMARTSPEC_PROXY_TOKEN to the backend's value."
            if has_token
            else "The backend needs a proxy token: set SMARTSPEC_PROXY_TOKEN."
        )
        return CheckResult.failed("HTTP 401 Unauthorized", advice, blocking=True)
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
