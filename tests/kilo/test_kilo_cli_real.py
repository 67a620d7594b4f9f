"""The real Kilo CLI (npm @kilocode/cli, installed by scripts/install-kilo-cli) in a Kilo tab, wired to
the reference backend: its TUI renders in our terminal, a workflow run from the command bar reaches the
backend's /v1/chat/completions with the proxy token, and the CLI's process carries no provider key."""

from __future__ import annotations

import os
import re
import subprocess
import tkinter as tk
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from smartspec_tk.core.paths import resolve_paths
from smartspec_tk.core.settings import Settings
from smartspec_tk.services import Services
from smartspec_tk.ui.kilo.opener import open_kilo_tab
from smartspec_tk.ui.kilo.tab import KiloCommandBar
from smartspec_tk.ui.terminal.notebook import TerminalNotebook
from smartspec_tk.ui.terminal.view import TerminalView
from smartspec_tk.ui.window.main_window import MainWindow
from smartspec_tk.ui.window.pump import Pump
from tests.servers.process import REPO_ROOT
from tests.servers.reference import RunningServer, start_reference_backend

Wait = Callable[..., None]
ANSWER_DONE = re.compile(r"Code · offline-fast · \d+(\.\d+)?m?s")  # "809ms" or "1.2s"
TOKEN = "kilo-cli-proxy-token"
SCREENSHOT_ENV = "SMARTSPEC_KILO_SCREENSHOT"  # set to a PNG path to keep a screenshot (docs/screenshots)
WORKFLOW = "---\ndescription: Sync the tasks\nargument-hint: <spec-id>\n---\nSay WORKFLOW-BODY-SEEN and $ARGUMENTS\n"


@pytest.fixture(scope="module")
def kilo_bin_dir() -> Path:
    """Install (or find) the Kilo CLI; a failure fails the test loudly, it never skips."""
    script = REPO_ROOT / "scripts" / "install-kilo-cli"
    done = subprocess.run([str(script)], capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        pytest.fail(f"scripts/install-kilo-cli failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return Path(done.stdout.strip().splitlines()[-1]).parent


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[RunningServer]:
    with start_reference_backend(tmp_path, "--token", TOKEN, "--require-token") as running:
        yield running


def screen(view: TerminalView) -> str:
    session = view.session
    return "" if session is None else "\n".join(session.line_text(y) for y in range(session.rows))


def answered(view: TerminalView, wait_until: Wait, quoted: str) -> None:
    """Wait until the answer quoting `quoted` is complete on screen; fail with the screen otherwise."""

    def done() -> bool:
        shown = screen(view)
        if "Cannot connect" in shown:
            pytest.fail(f"the Kilo CLI could not reach the backend:\n{shown}")
        return quoted in shown and bool(ANSWER_DONE.search(shown))

    try:
        wait_until(done, timeout=60, what=f"an answer quoting {quoted!r}")
    except AssertionError:
        pytest.fail(f"no complete answer quoting {quoted!r} in the Kilo TUI:\n{screen(view)}")


def test_kilo_cli_runs_in_a_kilo_tab_and_talks_to_the_backend(
    tk_root: tk.Tk, wait_until: Wait, backend: RunningServer, kilo_bin_dir: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    workspace = tmp_path / "ws"
    (workspace / ".kilocode" / "workflows").mkdir(parents=True)
    (workspace / ".kilocode" / "workflows" / "sync-tasks.md").write_text(WORKFLOW, encoding="utf-8")
    (workspace / ".smartspec" / "workflows").mkdir(parents=True)
    (workspace / ".smartspec" / "workflows" / "make-plan.md").write_text("# Plan\nPLAN-BODY-SEEN\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(tmp_path / "user-home"))  # the CLI's own state stays in the test
    monkeypatch.setenv("PATH", f"{kilo_bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-leak-test")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-leak-test")
    settings = Settings(
        workspace=workspace, backend_url=backend.url, proxy_token=TOKEN, default_model="offline-fast", _env_file=None
    )  # type: ignore[call-arg]
    services = Services.build(settings, resolve_paths().ensure())
    tk_root.geometry("1100x760+0+0")
    window = MainWindow(tk_root, backend.url)
    notebook = TerminalNotebook(window.terminal_area, services)
    notebook.pack(fill="both", expand=True)
    pump = Pump(tk_root, services.outbox)
    pump.start()
    try:
        view = open_kilo_tab(notebook, pump, services, ("offline-fast",))
        bar = view.header
        assert isinstance(bar, KiloCommandBar) and "Kilo CLI" in bar.status.cget("text")
        wait_until(lambda: "SmartSpec backend" in screen(view), timeout=90, what="the Kilo TUI to be ready")
        environ = Path(f"/proc/{view.session.backend.pid}/environ").read_bytes().decode(errors="replace")
        assert "sk-leak-test" not in environ and "sk-ant-leak-test" not in environ and "KILO_CONFIG_CONTENT=" in environ
        assert TOKEN not in environ.split("KILO_CONFIG_CONTENT=")[1].split("\0")[0]
        bar.command.set("/sync-tasks.md SPEC-42")
        bar.run_button.invoke()
        assert bar.status.cget("text") == "Sent to the runner: /sync-tasks SPEC-42"
        # The offline model quotes what it received: the workflow body, expanded by the CLI (offline-fast:
        # the plain answer, without the demo showcase, so the quote stays on the screen).
        answered(view, wait_until, "│ Say WORKFLOW-BODY-SEEN and SPEC-42")
        assert "Offline model offline-fast" in screen(view)
        # A .smartspec workflow (which the CLI does not know by itself) works too.
        bar.command.set("/make-plan.md SPEC-43")
        bar.run_button.invoke()
        answered(view, wait_until, "│ PLAN-BODY-SEEN")
        if os.environ.get(SCREENSHOT_ENV):
            tk_root.update()
            subprocess.run(["import", "-window", "root", os.environ[SCREENSHOT_ENV]], check=True, timeout=30)
    finally:
        pump.stop()
        notebook.close_all()
        services.close()
