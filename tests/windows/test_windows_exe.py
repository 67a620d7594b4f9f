"""The Windows exe under Wine, against the reference backend on the Linux side with a proxy token.

dist/windows/smartspec-tk.exe is built by scripts/build-windows (the `windows_build` fixture,
with a canary token in the build environment) and run by Wine in the project's prefix. Every
process a test starts carries its own marker, so the test sees from Linux which Windows
programs are alive (see tests/windows/wine.py), and the fixture ends any that are left.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from smartspec_tk import __version__
from smartspec_tk.core.media.samples import MP4, PNG, sha256
from tests.build.archive import archive_members, find_needles
from tests.servers.process import free_ports
from tests.servers.reference import RunningServer
from tests.windows.conftest import TOKEN, WindowsBuild, Wine
from tests.windows.wine import WINDOWS_PYTHON, processes_of_run, wait_for, winpath

# The first test also waits for the session fixture, which may build the exe (minutes, cold).
pytestmark = [pytest.mark.windows, pytest.mark.timeout(1800)]

TREE = Path(__file__).with_name("process_tree.py")
# What the app's processes are called under Wine; WinPTY's agent hosts each tab's console.
APP, AGENT = "smartspec-tk.exe", "winpty-agent.exe"


def backend_env(backend: RunningServer, token: str = TOKEN) -> dict[str, str]:
    return {"SMARTSPEC_BACKEND_URL": backend.url, "SMARTSPEC_PROXY_TOKEN": token, "SMARTSPEC_EMBEDDED_BACKEND": "never"}


def test_version(windows_build: WindowsBuild, wine: Wine) -> None:
    ran = wine.run(windows_build.exe, ["--version"], {})
    assert (ran.returncode, ran.stdout) == (0, f"smartspec-tk {__version__}\n"), ran.stderr


def test_self_test_with_a_cmd_tab_chat_and_uploads_the_backend_confirms(
    windows_build: WindowsBuild, wine: Wine, token_backend: RunningServer
) -> None:
    ran = wine.run(windows_build.exe, ["--self-test"], backend_env(token_backend), timeout=300)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    for line in ("main window mapped", "terminal echo: ok", "chat round-trip: ok",
                 "attachment upload (PNG, MP4): ok", "passed"):  # fmt: skip
        assert f"self-test: {line}\n" in ran.stdout, ran.stdout
    # The terminal check ran cmd.exe: its output `…-42` only appears when cmd ate the caret of `4^2`.
    stored = {sha256(p.read_bytes()) for p in (token_backend.root / "objects").rglob("*") if p.is_file()}
    assert {sha256(PNG), sha256(MP4)} <= stored, "the backend's store does not hold the exact bytes"


def test_doctor_is_all_green_with_the_token(
    windows_build: WindowsBuild, wine: Wine, token_backend: RunningServer
) -> None:
    ran = wine.run(windows_build.exe, ["--doctor"], backend_env(token_backend))
    checks = [line for line in ran.stdout.splitlines() if line.startswith("[")]
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert len(checks) == 8 and all(line.startswith("[  ok]") for line in checks), ran.stdout
    assert "[  ok] Terminal: " in ran.stdout and "All checks passed." in ran.stdout


def test_doctor_explains_a_wrong_token(windows_build: WindowsBuild, wine: Wine, token_backend: RunningServer) -> None:
    ran = wine.run(windows_build.exe, ["--doctor"], backend_env(token_backend, token="not-the-token"))
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "[FAIL] Token accepted: HTTP 401 Unauthorized" in ran.stdout, ran.stdout
    assert "The backend refused the proxy token: set SMARTSPEC_PROXY_TOKEN" in ran.stdout


def app_with_tree(wine: Wine, build: WindowsBuild, tmp_path: Path, extra: dict[str, str]) -> tuple[
        subprocess.Popen[bytes], Path, str]:  # fmt: skip
    """The app with a tab running cmd.exe → python → python → python (all tagged); returns
    (app, control file, tag) once the whole tree runs."""
    tag = f"tree-{wine.run_id}"
    control = tmp_path / "control"
    control.write_text("")
    script = tmp_path / TREE.name  # pytest's folders have no spaces: cmd.exe needs no quotes
    script.write_bytes(TREE.read_bytes())
    command = f"{WINDOWS_PYTHON} {winpath(script)} 2 {tag}"
    app = wine.start(build.exe, [], {**extra, "SMARTSPEC_TEST_TAB": json.dumps(["cmd.exe", "/c", command]),
                                     "SMARTSPEC_TEST_CONTROL": winpath(control)})  # fmt: skip
    wait_for(lambda: len(tree(wine, tag)) == 4 or app.poll() is not None, 120, "cmd.exe and 3 pythons in the tab")
    assert app.poll() is None, f"the app ended with exit code {app.returncode}"
    return app, control, tag


def tree(wine: Wine, tag: str) -> list[str]:
    return sorted(p.name for p in processes_of_run(wine.run_id) if tag in p.cmdline)


def test_closing_a_tab_ends_its_whole_process_tree(
    windows_build: WindowsBuild, wine: Wine, token_backend: RunningServer, tmp_path: Path
) -> None:
    app, control, tag = app_with_tree(wine, windows_build, tmp_path, backend_env(token_backend))
    assert tree(wine, tag) == ["cmd.exe", "python.exe", "python.exe", "python.exe"]
    with control.open("a") as commands:
        commands.write("close-tab\n")
    wait_for(lambda: tree(wine, tag) == [], 30, "the tab's process tree to end")
    assert app.poll() is None, "closing a tab ended the app"
    with control.open("a") as commands:
        commands.write("quit\n")
    assert app.wait(timeout=60) == 0


def test_quitting_leaves_no_app_backend_or_agent_process(
    windows_build: WindowsBuild, wine: Wine, tmp_path: Path
) -> None:
    # No backend at this URL: the app starts its demo backend, `smartspec-tk.exe backend`, from itself.
    url = f"http://127.0.0.1:{free_ports(1)[0]}"
    app, control, tag = app_with_tree(wine, windows_build, tmp_path, {"SMARTSPEC_BACKEND_URL": url})
    running = wine.names()
    backends = [p for p in processes_of_run(wine.run_id) if p.name == APP and " backend " in f"{p.cmdline} "]
    assert backends, f"no demo backend among {running}"
    assert running.count(AGENT) >= 2, f"expected WinPTY agents for the two tabs: {running}"
    with control.open("a") as commands:
        commands.write("quit\n")  # quit with a program still running in a tab, as after "Quit anyway?"
    assert app.wait(timeout=60) == 0
    wait_for(lambda: not {APP, AGENT} & set(wine.names()) and tree(wine, tag) == [], 20,
             "no app, backend, agent or tab program left")  # fmt: skip
    assert wine.names() == [], "processes left after quitting"


def test_no_canary_token_in_the_exe_or_the_folder_zip(windows_build: WindowsBuild) -> None:
    random_part = windows_build.canary.removeprefix("canary-")
    needles = [windows_build.canary.encode(), random_part.encode(), random_part.encode("utf-16-le")]
    assert find_needles(windows_build.exe, needles) == []
    assert zip_hits(windows_build.folder_zip, needles, windows_build.exe.parent) == []


def test_the_scanner_reaches_the_modules_of_both_builds(windows_build: WindowsBuild) -> None:
    # Positive control: a string of one of our zlib-compressed modules is found in each build.
    needle = [b"SMARTSPEC_PRINT_MAPPED"]
    assert "PYZ.pyz:smartspec_tk.testhooks" in find_needles(windows_build.exe, needle)
    assert any(hit.endswith(":smartspec_tk.testhooks") for hit in
               zip_hits(windows_build.folder_zip, needle, windows_build.exe.parent))  # fmt: skip


def zip_hits(folder_zip: Path, needles: list[bytes], scratch: Path) -> list[str]:
    """Where a needle occurs in the zip: any member's bytes, a zip inside it, or the exe's archive."""
    hits: list[str] = []
    with zipfile.ZipFile(folder_zip) as archive:
        for info in archive.infolist():
            data = archive.read(info)
            hits += [info.filename for needle in needles if needle in data]
            inner: list[tuple[str, bytes]] = []
            if data[:4] == b"PK\x03\x04":
                with zipfile.ZipFile(io.BytesIO(data)) as nested:
                    inner = [(name, nested.read(name)) for name in nested.namelist()]
            elif re.search(r"smartspec-tk\.exe$", info.filename):
                exe = scratch / "folder-exe.bin"
                exe.write_bytes(data)
                inner = list(archive_members(exe))
            hits += [f"{info.filename}:{name}" for name, blob in inner for needle in needles if needle in blob]
    return hits
