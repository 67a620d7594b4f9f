"""Fixtures of the Windows tier: the exe built under Wine (once per session, with a canary token),
a reference backend on the Linux side that requires a token, and a runner of Windows programs
whose every process is found and ended after the test.

The tier runs unless `SMARTSPEC_SKIP_WINDOWS=1` (quick local runs; ignored under CI): then its
tests are skipped with that reason, and the session's summary says so in capitals. If Wine or
the build cannot be set up, the tests fail: they are never skipped for a missing tool.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.servers.reference import RunningServer, start_reference_backend
from tests.windows.wine import (
    EXE,
    FOLDER_ZIP,
    RUN_VAR,
    SESSION_VAR,
    BuildFailed,
    ensure_built,
    kill_run,
    processes_of_run,
    start_wineserver,
    stop_wineserver,
    wine_env,
    winpath,
)

SKIP_VAR = "SMARTSPEC_SKIP_WINDOWS"
TOKEN = f"wintier-{secrets.token_hex(8)}"


def windows_opted_out() -> bool:
    return os.environ.get(SKIP_VAR) == "1" and not os.environ.get("CI")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not windows_opted_out():
        return
    skip = pytest.mark.skip(reason=f"{SKIP_VAR}=1: the Windows tier was NOT run")
    for item in items:
        if item.get_closest_marker("windows") is not None:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if windows_opted_out():
        terminalreporter.section("WINDOWS TIER NOT RUN", sep="!", red=True, bold=True)
        terminalreporter.line(f"{SKIP_VAR}=1: the Windows exe was neither built nor tested in this run.", red=True)


@dataclass(frozen=True)
class WindowsBuild:
    exe: Path  # a private copy of dist/windows/smartspec-tk.exe (a rebuild cannot change it under a test)
    folder_zip: Path
    canary: str


@pytest.fixture(scope="session")
def windows_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WindowsBuild]:
    """scripts/build-windows with a canary token (a no-op when scripts/test built it already)."""
    try:
        canary = ensure_built()
    except BuildFailed as exc:
        pytest.fail(str(exc), pytrace=False)
    folder = tmp_path_factory.mktemp("windows")
    shutil.copy2(EXE, folder / EXE.name)
    shutil.copy2(FOLDER_ZIP, folder / FOLDER_ZIP.name)
    yield WindowsBuild(folder / EXE.name, folder / FOLDER_ZIP.name, canary)


@pytest.fixture(scope="session")
def wine_session(windows_build: WindowsBuild) -> Iterator[str]:
    """Our own wineserver for the session (see wine.start_wineserver); everything of the prefix
    is ended afterwards."""
    session = secrets.token_hex(8)
    try:
        start_wineserver(session)
        yield session
    finally:
        stop_wineserver(session)


@pytest.fixture(scope="session")
def token_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """The reference backend on a private loopback port, requiring TOKEN on every route."""
    with start_reference_backend(tmp_path_factory.mktemp("backend"), "--token", TOKEN, "--protect-all") as backend:
        yield backend


@dataclass
class Wine:
    """Runs Windows programs for one test; all their processes carry `SMARTSPEC_WINE_RUN=run_id`."""

    home: Path
    session: str
    run_id: str = field(default_factory=lambda: secrets.token_hex(8))
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def env(self, extra: dict[str, str]) -> dict[str, str]:
        marks = {RUN_VAR: self.run_id, SESSION_VAR: self.session}
        return wine_env({**marks, "SMARTSPEC_HOME": winpath(self.home), **extra})

    def run(self, program: Path | str, args: list[str], extra: dict[str, str], timeout: float = 180) -> Ran:
        """Run to the end; stdout and stderr are pipes (Wine cannot give a Windows program a file)."""
        try:
            done = subprocess.run(["wine", str(program), *args], env=self.env(extra), capture_output=True,
                                  timeout=timeout, stdin=subprocess.DEVNULL)  # fmt: skip
        except subprocess.TimeoutExpired as exc:
            left = kill_run(self.run_id)
            pytest.fail(f"{args} timed out after {timeout} s; killed {left}:\n{exc.stdout!r}\n{exc.stderr!r}")
        return Ran(done.returncode, _text(done.stdout), _text(done.stderr))

    def start(self, program: Path | str, args: list[str], extra: dict[str, str]) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(["wine", str(program), *args], env=self.env(extra), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)  # fmt: skip
        self.started.append(process)
        return process

    def names(self) -> list[str]:
        return sorted(p.name for p in processes_of_run(self.run_id))


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def _text(data: bytes | None) -> str:
    return (data or b"").decode("utf-8", errors="replace").replace("\r\n", "\n")


@pytest.fixture
def wine(wine_session: str, tmp_path: Path) -> Iterator[Wine]:
    runner = Wine(tmp_path / "home", wine_session)
    try:
        yield runner
    finally:
        kill_run(runner.run_id)
        for process in runner.started:  # never read them to the end: a Windows program may pass them on
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()
