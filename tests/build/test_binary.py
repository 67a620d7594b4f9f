"""The one-file binary: no secret inside it, everything the app imports lazily is in it, and it runs.

The binary is built once per session by the `built` fixture (see conftest.py), with
a canary proxy token in the build environment.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from smartspec_tk import __version__
from tests.build.archive import carchive_names, find_key_like, find_needles, pyz_module_names
from tests.build.conftest import ROOT, Built

pytestmark = [pytest.mark.build, pytest.mark.timeout(900)]

QUIET_APP = {"SMARTSPEC_EMBEDDED_BACKEND": "never", "SMARTSPEC_BACKEND_URL": "http://127.0.0.1:9"}


def test_canary_token_from_the_build_environment_is_not_in_the_binary(built: Built) -> None:
    random_part = built.canary.removeprefix("canary-")
    needles = [built.canary.encode(), random_part.encode(), random_part.encode("utf-16-le")]
    assert find_needles(built.binary, needles) == []


@pytest.mark.parametrize(
    ("needle", "where"),
    [
        # Positive controls for the canary test: one string from each kind of place.
        (b"SMARTSPEC_PRINT_MAPPED", "PYZ.pyz:smartspec_tk.testhooks"),  # a zlib-compressed module of ours
        (b"-----BEGIN CERTIFICATE-----", "certifi/cacert.pem"),  # a compressed data file
        (b"latin_1", "base_library.zip:encodings/aliases.pyc"),  # a member of a zip member
        (b"MEI\x0c\x0b\x0a\x0b\x0e", "raw binary"),  # the archive cookie, stored uncompressed
    ],
)
def test_the_scanner_finds_strings_in_every_kind_of_member(built: Built, needle: bytes, where: str) -> None:
    assert where in find_needles(built.binary, [needle])


def test_no_string_in_the_binary_looks_like_a_key(built: Built) -> None:
    assert find_key_like(built.binary) == []


def test_every_smartspec_module_is_in_the_binary(built: Built) -> None:
    package = ROOT / "smartspec_tk"
    expected = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in package.rglob("*.py")
    }
    assert expected - pyz_module_names(built.binary) == set()


def test_needed_libraries_are_in_and_unused_ones_are_out(built: Built) -> None:
    modules = pyz_module_names(built.binary)
    members = carchive_names(built.binary)
    assert {"sqlite3", "httpx", "pyte", "tkinterdnd2", "pydantic_settings", "truststore"} <= modules
    assert any(re.fullmatch(r"tkinterdnd2/tkdnd/[^/]+/(lib)?tkdnd[\d.]*\.(so|dll|dylib)", m) for m in members)
    assert any("_sqlite3" in m for m in members)
    unused = {"unittest", "pydoc", "setuptools", "pkg_resources", "pip", "pytest", "PyInstaller", "lib2to3"}
    assert unused & modules == set()


def test_version(run_binary: Any) -> None:
    ran = run_binary(["--version"])
    assert (ran.returncode, ran.stdout) == (0, f"smartspec-tk {__version__}\n")
    assert ran.leftovers == [], "the one-file bootloader left its unpack folder behind"


def test_self_test_passes_under_the_session_display(run_binary: Any) -> None:
    # No backend answers at the URL, so the app starts its embedded reference backend:
    # `smartspec-tk backend` from the same one-file binary (a second unpack).
    assert os.environ.get("DISPLAY"), "the test session's conftest sets DISPLAY"
    url = f"http://127.0.0.1:{_closed_port()}"
    ran = run_binary(
        ["--self-test"], env={"SMARTSPEC_BACKEND_URL": url, "SMARTSPEC_EMBEDDED_BACKEND": "auto"}, timeout=180
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "self-test: passed" in ran.stdout
    assert ran.leftovers == [], "an unpack folder was left behind (app or its embedded backend)"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_without_a_display_exits_2_with_one_line(run_binary: Any) -> None:
    ran = run_binary([], env=QUIET_APP, unset=("DISPLAY", "WAYLAND_DISPLAY"))
    assert ran.returncode == 2
    lines = ran.stderr.strip().splitlines()
    assert len(lines) == 1 and "display" in lines[0].lower(), ran.stderr


def test_doctor_explains_an_unreachable_backend(run_binary: Any) -> None:
    ran = run_binary(["--doctor"], env=QUIET_APP, timeout=60)
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert re.search(r"\[FAIL\] Backend reachable: .*not reachable", ran.stdout), ran.stdout


def test_reference_backend_runs_from_the_binary_and_the_doctor_reaches_it(
    built: Built, run_binary: Any, tmp_path: Path
) -> None:
    backend = subprocess.Popen(
        [str(built.binary), "backend", "--port", "0"],
        env=dict(os.environ, TMPDIR=str(tmp_path)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [output.put(line) for line in backend.stdout], daemon=True).start()  # type: ignore[union-attr]
    try:
        url = _listening_url(output)
        ran = run_binary(["--doctor"], env={**QUIET_APP, "SMARTSPEC_BACKEND_URL": url}, timeout=120)
        assert re.search(r"\[\s*ok\] Backend reachable", ran.stdout), ran.stdout + ran.stderr
    finally:
        backend.terminate()  # the bootloader forwards SIGTERM and removes its unpack folder
        try:
            backend.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(backend.pid, signal.SIGKILL)
            backend.wait(timeout=20)
    assert list(tmp_path.glob("_MEI*")) == []


def _listening_url(output: queue.Queue[str], timeout: float = 60) -> str:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = output.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        seen.append(line)
        match = re.search(r"listening on (http://\S+)", line)
        if match:
            return match.group(1)
    pytest.fail("the backend never said where it listens:\n" + "".join(seen))


@dataclass(frozen=True)
class RunningApp:
    pid: int  # the bootloader's
    tmpdir: Path


@pytest.fixture(scope="module")
def running_app(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """The binary's main window, shown; on teardown it must leave no unpack folder."""
    tmpdir = tmp_path_factory.mktemp("running")
    env = dict(os.environ, TMPDIR=str(tmpdir), SMARTSPEC_PRINT_MAPPED="1", LD_LIBRARY_PATH="/opt/user-lib")
    env.update(QUIET_APP, SMARTSPEC_HOME=str(tmpdir / "home"))
    app = subprocess.Popen(
        [str(built.binary)], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        assert app.stdout is not None and app.stdout.readline().strip() == b"MAPPED"
        yield RunningApp(app.pid, tmpdir)
    finally:
        app.terminate()  # the bootloader forwards SIGTERM and removes its unpack folder
        app.wait(timeout=20)
    assert list(tmpdir.glob("_MEI*")) == []


def test_the_terminal_shell_gets_the_users_environment_not_the_bootloaders(
    built: Built, running_app: RunningApp
) -> None:
    shell_env = _environ_of_first_foreign_descendant(running_app.pid, built.binary.name)
    assert shell_env.get("LD_LIBRARY_PATH") == "/opt/user-lib"
    assert not [name for name in shell_env if name.startswith("_PYI_")]
    assert "_MEI" not in shell_env.get("TCL_LIBRARY", "")


def test_the_app_loads_the_bundled_tkdnd(running_app: RunningApp) -> None:
    def loaded() -> list[str]:
        found: list[str] = []
        for pid in [running_app.pid, *_descendants(running_app.pid)]:
            with contextlib.suppress(OSError):  # short-lived children (the shell's profile) come and go
                found += re.findall(r"\S*/tkinterdnd2/tkdnd/\S+", Path(f"/proc/{pid}/maps").read_text())
        return found

    deadline = time.monotonic() + 20
    while not loaded() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert loaded(), "drag and drop: tkdnd was not loaded by the app"
    assert all(path.startswith(str(running_app.tmpdir)) for path in loaded())  # from our unpack folder


def _environ_of_first_foreign_descendant(pid: int, own_name: str, timeout: float = 20) -> dict[str, str]:
    """The environment of the first process below `pid` that is not the app (the tab's shell)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for child in _descendants(pid):
            try:
                if Path(f"/proc/{child}/comm").read_text().strip() != own_name[:15]:
                    raw = Path(f"/proc/{child}/environ").read_bytes()
                    return dict(item.split("=", 1) for item in raw.decode().split("\0") if "=" in item)
            except OSError:
                continue
        time.sleep(0.1)
    pytest.fail("no terminal shell started below the app")


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        children = Path(f"/proc/{todo.pop()}/task")
        for task in children.glob("*/children"):
            with contextlib.suppress(OSError):
                for child in task.read_text().split():
                    found.append(int(child))
                    todo.append(int(child))
    return found
