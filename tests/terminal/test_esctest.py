"""esctest2 (../shared/tools/esctest2, or $ESCTEST2_DIR) run inside the product's real TerminalSession:
pty, parser and screen, DECRQCRA enabled, VT level 4. A missing esctest2 fails loudly."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]

#: classes that pass completely today: any failure among them is a regression
PASSING_CLASSES = ("CBTTests", "CUDTests", "CUUTests", "DECDSRTests", "HPATests", "SaveRestoreCursorTests",
                   "TBCTests", "VPATests", "SMTitleTests", "DECFRATests", "DECERATests", "DECSERATests",
                   "DECCRATests", "DECICTests", "DECDCTests", "DECBITests", "DECFITests", "DECRCTests",
                   "SCORCTests", "DECSETTiteInhibitTests", "XtermSaveTests", "EDTests", "ELTests", "ECHTests",
                   "DECSEDTests", "DECSELTests", "DECSCLTests", "DECRQSSTests", "CHTTests", "CUBTests",
                   "DECSETTests", "RISTests", "DECRQMTests", "DECIDTests")
#: a little below the whole suite's pass count recorded in docs/terminal.md (503): a reply delayed past
#: esctest's 1 s timeout on a loaded host must not fail the tier
WHOLE_SUITE_FLOOR = 497


def _runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_esctest", ROOT / "scripts" / "bench_esctest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_esctest", module)
    spec.loader.exec_module(module)
    return module


def test_esctest_subset_passes() -> None:
    runner = _runner()
    result = runner.run_esctest(include=r"^({})\.".format("|".join(PASSING_CLASSES)))
    assert "error" not in result, result
    assert result["failed"] == 0, result["failures"]
    assert result["passed"] >= 37, result


def test_esctest_whole_suite_does_not_drop_below_the_recorded_count() -> None:
    result = _runner().run_esctest()
    assert "error" not in result, result
    assert result["total"] == 568, result
    assert result["passed"] >= WHOLE_SUITE_FLOOR, result
