"""What a doctor check gets (`DoctorContext`) and gives back (`CheckResult`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from smartspec_tk.core.settings import Settings


@dataclass
class DoctorContext:
    """What the checks share: the settings and client, and what a check learned for a later one."""

    settings: Settings
    http: httpx.Client
    problems: tuple[str, ...] = ()
    models_reply: httpx.Response | None = None  # the token check's GET /v1/models, read by the model check
    models: list[str] = field(default_factory=list)  # the model ids, for the streamed answer
    upload_url: str = ""  # the presign check's presigned PUT URL, for the upload-host check


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


CheckFn = Callable[[DoctorContext], CheckResult]


@dataclass(frozen=True)
class Check:
    name: str
    run: CheckFn
