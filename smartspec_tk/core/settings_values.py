"""Value checks for the settings: each turns a raw value (from the environment, `.env`,
the settings file or code) into the field's type, or raises `ValueError` with a short reason.

Plain functions instead of a validation library: settings are read once at start-up,
and the idle app should not carry a schema engine in memory for 25 fields.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

Check = Callable[[Any], Any]

_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "off"})


class Secret:
    """A secret string whose repr and str never show it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    return value


def url(value: Any) -> str:
    value = text(value).strip().rstrip("/")
    if not value.startswith(("http://", "https://")):
        raise ValueError("must start with http:// or https://")
    return value


def secret(value: Any) -> Secret | None:
    """None, or a Secret; empty text counts as no secret."""
    if value is None or isinstance(value, Secret):
        return value
    value = text(value)
    return Secret(value) if value.strip() else None


def path(value: Any) -> Path:
    if isinstance(value, Path):
        return value
    return Path(text(value).strip() or Path.cwd())  # empty: the working folder, like the default


def optional_path(value: Any) -> Path | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return path(value)


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    word = value.strip().lower() if isinstance(value, str) else None
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    raise ValueError("must be true or false")


def choice(*choices: str, upper: bool = False) -> Check:
    def check(value: Any) -> str:
        value = text(value).strip()
        value = value.upper() if upper else value
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return value

    return check


def number(*, above: float) -> Check:
    """A float greater than `above` (text such as "5" or "0.5" is accepted)."""

    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError("must be a number")
        try:
            result = float(value)
        except ValueError:
            raise ValueError("must be a number") from None
        if math.isnan(result) or result <= above:
            raise ValueError(f"must be greater than {above:g}")
        return result

    return check


def integer(*, low: int, high: int) -> Check:
    """A whole number in [low, high] (text such as "13" and 13.0 are accepted)."""

    def check(value: Any) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be a whole number")
        if not low <= value <= high:
            raise ValueError(f"must be between {low} and {high}")
        return value

    return check
