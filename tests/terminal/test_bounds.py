"""Hostile output cannot grow memory (issue 11, item 7): scripts/bench_hostile.py feeds each kind of
endless or oversized sequence to the product's parser and screen in a child process that measures its
own RSS; every kind must leave RSS within 20 MB of where it started. The fast kinds get 24 MB each;
kinds that cost a Python call per few bytes (random mode numbers, combining marks, distinct truecolour
cells) get less — their state is bounded after a few thousand sequences."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIMIT_MB = 20.0


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_hostile", ROOT / "scripts" / "bench_hostile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_hostile", module)
    spec.loader.exec_module(module)
    return module


FAST = ["osc", "osc_long_titles", "dcs", "apc", "pm", "sos", "csi_params", "csi_digits", "sgr_50000_params"]
SLOW = ["modes", "combining", "sgr_distinct"]


@pytest.mark.parametrize(("kinds", "megabytes"), [(FAST, 24.0), (SLOW, 3.0)], ids=["fast-24MB", "slow-3MB"])
def test_hostile_streams_leave_rss_within_20_mb(kinds: list[str], megabytes: float) -> None:
    result = _bench().main(["--mb", str(megabytes), "--kind", *kinds])
    grown = {kind: r["rss_growth_mb"] for kind, r in result["kinds"].items()}
    assert set(grown) == set(kinds)
    assert all(r["mb_fed"] >= megabytes for r in result["kinds"].values()), result
    assert max(grown.values()) < LIMIT_MB, grown


def test_a_csi_longer_than_a_feed_still_runs_with_its_first_parameters() -> None:
    from .test_conformance import Term

    t = Term()
    sgr = "\x1b[" + "1;" * 50_000 + "4m"
    for k in range(0, len(sgr), 4096):  # split across many feeds, as a pty delivers it
        t.feed(sgr[k:k + 4096])
    t.feed("x")
    cell = t.cell(0, 0)
    assert cell.data == "x" and cell.bold and not cell.underscore  # parameters past the 32nd dropped
    assert t.stream._open_csi is None
    t.feed("\x1b[" + "9" * 10_000)
    assert t.stream._open_csi is not None and len(t.stream._open_csi.head) <= 256
    t.feed("9" * 10_000 + "C!")  # CUF 65535 (capped), never digits drawn as text
    assert t.text(0) == "x" + " " * 78 + "!"


def test_rows_past_the_style_table_pack_their_styles(monkeypatch: pytest.MonkeyPatch) -> None:
    from smartspec_tk.core.terminal import history
    from smartspec_tk.core.terminal.render import Style

    monkeypatch.setattr(history, "STYLE_CAP", len(history.STYLES))  # the table is full from now on
    styles = [Style(f"#{k:02x}0000", "#cdcdcccccccc" if k % 2 else None, bold=k % 3 == 0, dim=k % 5 == 0)
              for k in range(120)]
    text, runs = history.compact([("ab", s) for s in styles])
    assert isinstance(runs, history.LiteralRuns) and len(runs) == 11 * 120
    assert history.expand((text, runs)) == [("ab", s) for s in styles]


def test_unknown_mode_numbers_stay_out_of_the_mode_set_but_are_reported() -> None:
    from .test_conformance import Term

    t = Term().feed("\x1b[?12345h\x1b[777h\x1b[?12345$p")
    assert (12345 << 5) not in t.screen.mode and 777 not in t.screen.mode
    assert t.replies == ["\x1b[?12345;1$y"]


def test_leading_zeros_do_not_count_towards_the_parameter_cap() -> None:
    # vttest's "leading zeros" screen: xterm reads CSI 00000000004;000000001H as row 4, column 1.
    from .test_conformance import Term

    t = Term()
    t.feed("\x1b[00000000004;000000001HThis is a correct sentence")
    assert t.text(3).startswith("This is a correct sentence")
    t.feed("\x1b[1;1H\x1b[" + "0" * 30 + "1234567C#")  # six significant digits: still the cap
    assert t.text(0) == " " * 79 + "#"
