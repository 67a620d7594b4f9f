"""The one-file binary, built once per test session with a canary token in the build environment.

`dist/smartspec-tk` is reused when it was built by this fixture (so its canary is
known, in `dist/smartspec-tk.canary`) and is newer than every source file; otherwise
`scripts/build` runs with SMARTSPEC_PROXY_TOKEN (and the other secret names) set to a
fresh `canary-<random>`. Tests get a private copy, so a concurrent rebuild of dist/
cannot change the file under them. Every run of the binary unpacks into its own
TMPDIR, so the `_MEI*` folders it leaves (if any) are ours to find and remove.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINARY = ROOT / "dist" / "smartspec-tk"
CANARY_FILE = ROOT / "dist" / "smartspec-tk.canary"
SECRET_NAMES = (
    "SMARTSPEC_PROXY_TOKEN", "VITE_PY_PROXY_TOKEN", "SMARTSPEC_ORCHESTRATOR_KEY", "VITE_ORCHESTRATOR_KEY",
    "SMARTSPEC_MCP_WRITE_TOKEN",
)
SOURCES = ("smartspec_tk", "build/smartspec-tk.spec", "build/entry.py", "pyproject.toml", "scripts/build")


@dataclass(frozen=True)
class Built:
    binary: Path
    canary: str


def _newest_source_mtime() -> float:
    newest = 0.0
    for name in SOURCES:
        path = ROOT / name
        files = [p for p in path.rglob("*") if "__pycache__" not in p.parts] if path.is_dir() else [path]
        newest = max([newest, *(p.stat().st_mtime for p in files if p.is_file())])
    return newest


def _reusable_canary() -> str | None:
    if not (BINARY.exists() and CANARY_FILE.exists()):
        return None
    if BINARY.stat().st_mtime <= _newest_source_mtime():
        return None
    return CANARY_FILE.read_text().strip() or None


def _build(canary: str) -> None:
    env = dict(os.environ, SMARTSPEC_BUILD_LOCK_HELD="1", **dict.fromkeys(SECRET_NAMES, canary))
    result = subprocess.run(
        [str(ROOT / "scripts" / "build"), "--no-setup"], env=env, capture_output=True, text=True, timeout=900
    )
    if result.returncode != 0:
        pytest.fail(f"scripts/build failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    CANARY_FILE.write_text(canary + "\n")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    (ROOT / "build" / "work").mkdir(parents=True, exist_ok=True)
    with open(ROOT / "build" / "work" / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the same lock scripts/build takes
        canary = _reusable_canary()
        if canary is None:
            canary = f"canary-{secrets.token_hex(16)}"
            _build(canary)
        copy = tmp_path_factory.mktemp("binary") / "smartspec-tk"
        shutil.copy2(BINARY, copy)
    return Built(copy, canary)


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str
    leftovers: list[str]  # _MEI* folders the run left in its TMPDIR


@pytest.fixture
def run_binary(built: Built, tmp_path: Path) -> Iterator[object]:
    """run_binary(args, env=…, unset=…, timeout=…) -> Ran; the process group is killed on timeout."""
    tmpdirs: list[Path] = []

    def run(
        args: list[str], env: dict[str, str] | None = None, unset: tuple[str, ...] = (), timeout: float = 120
    ) -> Ran:
        tmpdir = tmp_path / f"tmp{len(tmpdirs)}"
        tmpdir.mkdir()
        tmpdirs.append(tmpdir)
        full_env = {k: v for k, v in os.environ.items() if k not in unset}
        full_env.update(env or {}, TMPDIR=str(tmpdir))
        proc = subprocess.Popen(
            [str(built.binary), *args],
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            pytest.fail(f"{args} timed out after {timeout} s:\n{out}\n{err}")
        return Ran(proc.returncode, out, err, sorted(p.name for p in tmpdir.glob("_MEI*")))

    yield run
    for tmpdir in tmpdirs:
        shutil.rmtree(tmpdir, ignore_errors=True)
