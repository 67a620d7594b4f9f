"""Shared fixtures: an isolated app home, a virtual display, and a strict Tk root.

Xvfb is started once per test session when DISPLAY is unset; a missing Xvfb fails
the Tk tests loudly (never a silent skip).
"""

from __future__ import annotations

import gc
import logging
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers.xvfb import start_xvfb, stop_xvfb

# Real-server fixtures (SeaweedFS, LiteLLM): session-scoped, started on first use.
pytest_plugins = ["tests.servers.fixtures"]

_xvfb: subprocess.Popen[bytes] | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _xvfb
    if not os.environ.get("DISPLAY"):
        _xvfb, os.environ["DISPLAY"] = start_xvfb()
    # Never let a developer's real settings or .env leak into tests.
    os.environ.pop("SMARTSPEC_PROXY_TOKEN", None)
    os.environ.pop("VITE_PY_PROXY_TOKEN", None)
    os.environ.pop("SMARTSPEC_MCP_WRITE_TOKEN", None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    yield
    if "tk_root" in getattr(item, "fixturenames", ()):
        # Free the test's Tk interpreter now, on the main thread: left to a later cyclic GC
        # run inside some worker thread, its deletion aborts the process (Tcl_AsyncDelete).
        gc.collect()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _xvfb is not None:
        stop_xvfb(_xvfb)


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own SMARTSPEC_HOME (config, data, logs) and working folder."""
    home = tmp_path / "home"
    monkeypatch.setenv("SMARTSPEC_HOME", str(home))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return home


class _ErrorCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def tk_root() -> Iterator[object]:
    """A real Tk root that fails the test on any swallowed callback exception or logged error."""
    import tkinter as tk

    root = tk.Tk()
    root.geometry("1200x760+0+0")
    errors: list[str] = []

    def report(exc: type[BaseException], value: BaseException, tb: object) -> None:
        import traceback

        errors.append("".join(traceback.format_exception(exc, value, tb)))  # type: ignore[arg-type]

    root.report_callback_exception = report  # type: ignore[method-assign]
    collector = _ErrorCollector()
    logging.getLogger().addHandler(collector)
    try:
        yield root
    finally:
        logging.getLogger().removeHandler(collector)
        try:
            root.update()
            root.destroy()
        except tk.TclError:
            pass
    problems = errors + [collector.format(r) for r in collector.records]
    if problems:
        pytest.fail("Tk callback errors or logged errors:\n" + "\n".join(problems))


@pytest.fixture
def wait_until(tk_root: object) -> Callable[..., None]:
    """wait_until(cond, timeout=10, what=...) pumps Tk until cond() is true."""
    root = tk_root

    def wait(condition: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout} s waiting for {what}")
            root.update()  # type: ignore[attr-defined]
            time.sleep(0.005)

    return wait
