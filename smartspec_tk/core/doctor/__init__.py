"""Connection doctor: ordered checks that each explain a failure in plain words.

Used by `smartspec-tk --doctor` and the Help menu. A check is a function taking a
`DoctorContext` and returning a `CheckResult`; later checks are skipped when an
earlier one marked itself `blocking`. `CHECKS` lists them all, in the order of
product.md §7; a new check is a function in one of this package's modules and a line there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from smartspec_tk.core.doctor import chat, connection, terminal, upload
from smartspec_tk.core.doctor.result import Check, CheckResult, DoctorContext

__all__ = ["CHECKS", "LOCAL_CHECKS", "Check", "CheckResult", "DoctorContext", "format_result", "run_checks",
           "run_doctor"]

log = logging.getLogger(__name__)

CHECKS: tuple[Check, ...] = (
    Check("Settings", connection.check_settings),
    Check("Backend reachable", connection.check_reachable),
    Check("Token accepted", connection.check_token),
    Check("Model list (/v1/models)", chat.check_models),
    Check("Streamed answer", chat.check_stream),  # catches proxies that buffer SSE
    Check("Presign round-trip", upload.check_presign),
    Check("Upload host reachable", upload.check_upload_host),
)
# Not about the connection, so no earlier failure skips it.
LOCAL_CHECKS: tuple[Check, ...] = (Check("Terminal", terminal.check_terminal),)


def run_checks(ctx: DoctorContext) -> Iterator[tuple[str, CheckResult | None]]:
    """Yield (name, result) per check in order; result None means skipped."""
    blocked = False
    for check in CHECKS:
        if blocked:
            yield check.name, None
            continue
        result = _run(check, ctx)
        blocked = not result.ok and result.blocking
        yield check.name, result
    for check in LOCAL_CHECKS:
        yield check.name, _run(check, ctx)


def _run(check: Check, ctx: DoctorContext) -> CheckResult:
    try:
        return check.run(ctx)
    except Exception as exc:  # noqa: BLE001 - a doctor never crashes
        log.exception("doctor check %s crashed", check.name)
        return CheckResult.failed(f"internal error ({type(exc).__name__})", "See the log file.")


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
