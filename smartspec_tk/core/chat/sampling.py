"""Temperature and max_tokens as the user types them: parsing, limits, and the prefs they live in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

DEFAULT_TEMPERATURE = 0.3
TEMPERATURE_MAX = 2.0
MAX_TOKENS_LIMIT = 1_000_000
TEMPERATURE_PREF = "temperature"
MAX_TOKENS_PREF = "max_tokens"


class Prefs(Protocol):
    """The per-user prefs table (`ConversationStore`)."""

    def get_pref(self, key: str, default: str = "") -> str: ...

    def set_pref(self, key: str, value: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Sampling:
    """What goes in the request body; None leaves the choice to the backend (the key is not sent)."""

    temperature: float | None = DEFAULT_TEMPERATURE
    max_tokens: int | None = None


def parse_temperature(text: str) -> float | None:
    """Empty → None (backend default); otherwise a number from 0 to 2. Raises ValueError with plain words."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError("Temperature must be a number from 0 to 2 (or empty).") from None
    if not 0.0 <= value <= TEMPERATURE_MAX:
        raise ValueError("Temperature must be from 0 to 2 (or empty).")
    return round(value, 2)


def parse_max_tokens(text: str) -> int | None:
    """Empty or 0 → None (no limit); otherwise a whole number up to 1,000,000. Raises ValueError."""
    text = text.strip().replace("_", "").replace(" ", "")
    if not text:
        return None
    if not text.isdigit():
        raise ValueError("Max tokens must be a whole number (or empty for no limit).")
    value = int(text)
    if value > MAX_TOKENS_LIMIT:
        raise ValueError(f"Max tokens must be at most {MAX_TOKENS_LIMIT:,}.")
    return value or None


def show_temperature(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def show_max_tokens(value: int | None) -> str:
    return "" if value is None else str(value)


def from_prefs(temperature: str, max_tokens: str) -> Sampling:
    """The remembered choice ("" means the user cleared it); a bad stored value falls back to the default."""
    try:
        temp = parse_temperature(temperature)
    except ValueError:
        temp = DEFAULT_TEMPERATURE
    try:
        tokens = parse_max_tokens(max_tokens)
    except ValueError:
        tokens = None
    return Sampling(temp, tokens)


def load(prefs: Prefs) -> Sampling:
    """The user's remembered temperature and max_tokens (the defaults before any choice)."""
    return from_prefs(
        prefs.get_pref(TEMPERATURE_PREF, show_temperature(DEFAULT_TEMPERATURE)), prefs.get_pref(MAX_TOKENS_PREF)
    )


def save(prefs: Prefs, value: Sampling) -> None:
    prefs.set_pref(TEMPERATURE_PREF, show_temperature(value.temperature))
    prefs.set_pref(MAX_TOKENS_PREF, show_max_tokens(value.max_tokens))
