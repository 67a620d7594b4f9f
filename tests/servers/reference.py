"""The reference backend (`python -m smartspec_tk.backend`) as a real child process on a free port.

    with start_reference_backend(tmp_path, "--token", "t", "--fault-crlf") as backend:
        httpx.get(backend.url + "/health")

The backend prints `listening on http://127.0.0.1:PORT` once bound (it is started
with `--port 0`); the launcher waits for that line, then for `/healthz`.
The child is stopped (process group, SIGTERM then SIGKILL) on exit, also when the
test fails.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.servers.process import REPO_ROOT, ServerProcess

_LISTENING = re.compile(r"listening on (http://\S+)")
# Settings of the developer's shell that would change the backend's behaviour.
_SCRUBBED = ("SMARTSPEC_PROXY_TOKEN", "SMARTSPEC_UPSTREAM_URL", "SMARTSPEC_UPSTREAM_KEY")


@dataclass
class RunningServer:
    """A started reference backend: base URL, the child process, its data folder."""

    url: str
    process: subprocess.Popen[bytes]
    root: Path
    server: ServerProcess

    def log_tail(self, lines: int = 40) -> str:
        return self.server.log_tail(lines)

    def stop(self) -> None:
        self.server.stop()


def _backend_env(extra: dict[str, str] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED and not k.startswith("SMARTSPEC_BACKEND_")}
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra or {})
    return env


def _wait_for_url(server: ServerProcess, timeout: float = 15.0) -> str:
    found: list[str] = []

    def listening() -> bool:
        match = _LISTENING.search(server.log_path.read_text(errors="replace"))
        if match:
            found.append(match[1])
        return bool(match)

    server.wait_ready(listening, timeout, "the 'listening on' line")
    return found[0]


@contextmanager
def start_reference_backend(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[RunningServer]:
    """Start the backend with `args` (any flag of `smartspec-tk backend`); stop it on exit."""
    root = tmp_path / f"reference-backend-{time.monotonic_ns()}"
    argv = [
        sys.executable,
        "-m",
        "smartspec_tk.backend",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--root",
        str(root),
        *args,
    ]
    server = ServerProcess("reference backend", argv, root.with_suffix(".log"), env=_backend_env(env), cwd=REPO_ROOT)
    try:
        url = _wait_for_url(server)
        server.wait_ready(lambda: urllib.request.urlopen(url + "/healthz", timeout=2).status == 200, 10, "/healthz")
        yield RunningServer(url=url, process=server.popen, root=root, server=server)
    finally:
        server.stop()
