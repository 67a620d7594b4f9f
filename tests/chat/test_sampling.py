"""Temperature and max_tokens: parsing the boxes, the prefs they are remembered in, the request body."""

from __future__ import annotations

import pytest

from smartspec_tk.core.chat import sampling
from smartspec_tk.core.chat.request import ChatOptions, build_body
from smartspec_tk.core.chat.sampling import Sampling, parse_max_tokens, parse_temperature


def test_temperature_accepts_0_to_2_or_empty() -> None:
    assert parse_temperature(" 0.7 ") == 0.7
    assert parse_temperature("0,5") == 0.5  # a decimal comma is fine
    assert parse_temperature("2") == 2.0
    assert parse_temperature("") is None
    for bad in ("2.1", "-0.1", "warm", "nan"):
        with pytest.raises(ValueError, match="Temperature"):
            parse_temperature(bad)


def test_max_tokens_accepts_whole_numbers_or_empty() -> None:
    assert parse_max_tokens("512") == 512
    assert parse_max_tokens("1 000") == 1000
    assert parse_max_tokens("") is None
    assert parse_max_tokens("0") is None  # 0 means no limit, never "answer nothing"
    for bad in ("1.5", "-3", "many", "1000001"):
        with pytest.raises(ValueError, match="Max tokens"):
            parse_max_tokens(bad)


class Prefs(dict[str, str]):
    def get_pref(self, key: str, default: str = "") -> str:
        return self.get(key, default)

    def set_pref(self, key: str, value: str) -> None:
        self[key] = value


def test_prefs_round_trip_and_defaults() -> None:
    prefs = Prefs()
    assert sampling.load(prefs) == Sampling(0.3, None)  # nothing chosen yet
    sampling.save(prefs, Sampling(None, 256))
    assert prefs == {"temperature": "", "max_tokens": "256"}
    assert sampling.load(prefs) == Sampling(None, 256)  # a cleared temperature stays cleared
    prefs["temperature"] = "hot"
    assert sampling.load(prefs).temperature == 0.3  # a damaged pref falls back


def test_body_carries_only_the_chosen_values() -> None:
    history = [{"role": "user", "content": "hi"}]
    body = build_body(ChatOptions("m", temperature=0.9, max_tokens=64), history)
    assert (body["temperature"], body["max_tokens"]) == (0.9, 64)
    bare = build_body(ChatOptions("m", temperature=None, max_tokens=None), history)
    assert "temperature" not in bare and "max_tokens" not in bare
