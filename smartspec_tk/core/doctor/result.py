"""What a doctor check gets (`DoctorContext`) and gives back (`CheckResult`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from smartspec_tk.core.settings import Settings


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


CheckFn = Callable[[DoctorContext], CheckResult]


@dataclass(frozen=True)
class Check:
    name: str
    run: CheckFn
