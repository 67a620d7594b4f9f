"""Run the real app (`python -m smartspec_tk --self-test`) the way a user starts it, with a fault in place."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_app(args: list[str], env_extra: dict[str, str] | None = None, *, prefix: list[str] | None = None,
            timeout: float = 120, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """The app in a child process; nothing answers at the backend URL, so it starts its demo backend."""
    env = dict(os.environ)
    env.setdefault("SMARTSPEC_BACKEND_URL", f"http://127.0.0.1:{free_port()}")
    env.update(env_extra or {})
    command = [*(prefix or []), sys.executable, "-m", "smartspec_tk", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout, cwd=cwd)


def log_text(home: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted((home / "logs").glob("*.log")))


def unshare() -> list[str]:
    """A private mount namespace as an unprivileged user (`unshare -rm`), for read-only or full file systems."""
    tool = shutil.which("unshare")
    if tool is None:
        raise AssertionError("unshare (util-linux) is needed for this test: apt-get install util-linux")
    probe = subprocess.run([tool, "-rm", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        raise AssertionError(f"unshare -rm does not work here (user namespaces disabled?): {probe.stderr.strip()}")
    return [tool, "-rm"]
