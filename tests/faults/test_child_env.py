"""No secret in any child's environment (issue 13, finding 8).

The real app (from source, its demo backend, a real pty and bash) is started with every kind of
secret in its environment; `env` typed into its terminal tab must show none, and no process the app
started (shell, demo backend, watchdog, …) may hold one in its environment — except the demo backend,
which is given the proxy token it must require.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from smartspec_tk.core.child_env import child_env, is_secret
from tests.faults.app_run import free_port
from tests.terminal.ui_helpers import BASH, BASH_ENV

pytestmark = pytest.mark.tk

SECRETS = {
    "SMARTSPEC_PROXY_TOKEN": "canary-proxy-1f3a",
    "SMARTSPEC_MCP_WRITE_TOKEN": "canary-mcp-2b4c",
    "SMARTSPEC_ORCHESTRATOR_KEY": "canary-orch-3c5d",
    "VITE_PY_PROXY_TOKEN": "canary-vite-4d6e",
    "OPENAI_API_KEY": "canary-openai-5e7f",
    "ANTHROPIC_API_KEY": "canary-anthropic-6f80",
    "SMARTSPEC_UPSTREAM_KEY": "canary-upstream-7a91",
}


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def environments_with(marker: str, but: int) -> dict[int, str]:
    """The environment (as text) of every process holding `marker`, except process `but`."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == but:
            continue
        try:
            raw = (entry / "environ").read_bytes()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker.encode() in raw:
            found[int(entry.name)] = command + "\n" + raw.replace(b"\0", b"\n").decode(errors="replace")
    return found


def test_a_terminal_tab_and_every_child_of_the_app_see_no_secret(tmp_path: Path, app_home: Path) -> None:
    marker = f"child-env-{uuid.uuid4().hex}"
    control, shown = tmp_path / "control", tmp_path / "env-in-tab.txt"
    control.write_text("")
    env = dict(os.environ, **SECRETS, **BASH_ENV, SMARTSPEC_TEST_MARKER=marker, HOME=str(tmp_path),
               SMARTSPEC_BACKEND_URL=f"http://127.0.0.1:{free_port()}", SMARTSPEC_EMBEDDED_BACKEND="always",
               SMARTSPEC_SHELL=" ".join(BASH), SMARTSPEC_TEST_CONTROL=str(control),
               SMARTSPEC_PRINT_MAPPED="1")  # fmt: skip
    app = subprocess.Popen([sys.executable, "-m", "smartspec_tk"], env=env, text=True, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
    try:
        assert app.stdout is not None and app.stdout.readline().strip() == "MAPPED"
        control.write_text(f"type env > '{shown}.part' && mv '{shown}.part' '{shown}'\\n\n")
        wait_for(shown.exists, 60, "`env` typed into the terminal tab")
        children = environments_with(marker, but=app.pid)
        control.write_text(control.read_text() + "quit\n")
        assert app.wait(timeout=60) == 0
    finally:
        if app.poll() is None:
            os.killpg(app.pid, 9)
            app.wait(timeout=10)
    in_tab = shown.read_text()
    assert marker in in_tab  # it is the tab's environment
    assert [name for name, value in SECRETS.items() if value in in_tab or f"{name}=" in in_tab] == []
    assert len(children) >= 2, children  # at least the tab's shell and the demo backend
    for pid, environment in children.items():
        allowed = {"SMARTSPEC_PROXY_TOKEN"} if "smartspec_tk.backend" in environment.split("\n")[0] else set()
        leaked = [name for name, value in SECRETS.items() if value in environment and name not in allowed]
        assert leaked == [], f"process {pid} ({environment.splitlines()[0]}) has {leaked}"
    assert any("smartspec_tk.backend" in e.split("\n")[0] and SECRETS["SMARTSPEC_PROXY_TOKEN"] in e
               for e in children.values()), "the demo backend is given the token it must require"  # fmt: skip


def test_child_env_drops_secrets_and_keeps_the_rest() -> None:
    base = {**SECRETS, "PATH": "/usr/bin", "OPENAI_BASE_URL": "http://x", "GITHUB_TOKEN": "kept", "LANG": "C.UTF-8"}
    assert child_env(base) == {"PATH": "/usr/bin", "OPENAI_BASE_URL": "http://x", "GITHUB_TOKEN": "kept",
                               "LANG": "C.UTF-8"}  # fmt: skip
    assert child_env(base, extra={"SMARTSPEC_PROXY_TOKEN": "given"})["SMARTSPEC_PROXY_TOKEN"] == "given"
    assert all(is_secret(name) for name in ("smartspec_proxy_token", "SMARTSPEC_BACKEND_S3_SECRET_KEY", "HF_TOKEN"))


def test_every_secret_setting_is_covered() -> None:
    """Each name a secret setting is read under (SMARTSPEC_* and its VITE_* aliases) is a secret."""
    from smartspec_tk.core.settings import Settings
    from smartspec_tk.core.settings_sources import SECRET_FIELDS

    for field_name in SECRET_FIELDS:
        alias = Settings.model_fields[field_name].validation_alias
        names = [str(choice) for choice in getattr(alias, "choices", ()) if str(choice) != field_name]
        assert names and all(is_secret(name) for name in names), (field_name, names)
