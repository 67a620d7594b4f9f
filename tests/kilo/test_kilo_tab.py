"""The Kilo tab on real Tk with the fake autopilot: completion, hint, argv/cwd/env of the child
(and no provider key from the parent), cancel of the whole process group, history across restarts."""

from __future__ import annotations

import shutil
import sys
import tkinter as tk
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from smartspec_tk.core.kilo.cancel import live_members
from smartspec_tk.core.kilo.history import CommandHistory
from smartspec_tk.core.paths import resolve_paths
from smartspec_tk.core.settings import Settings
from smartspec_tk.services import Services
from smartspec_tk.ui.kilo.opener import open_kilo_tab
from smartspec_tk.ui.kilo.tab import KiloCommandBar
from smartspec_tk.ui.terminal.notebook import TerminalNotebook
from smartspec_tk.ui.terminal.view import TerminalView
from smartspec_tk.ui.window.pump import Pump
from tests.kilo.conftest import checked_report_env, read_report

Wait = Callable[..., None]
BACKEND = "http://127.0.0.1:9"


@pytest.fixture
def services(autopilot_workspace: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    path = f"{Path(sys.executable).parent}{':'}/usr/bin:/bin"
    monkeypatch.setenv("PATH", path)
    assert shutil.which("kilo", path=path) is None and shutil.which("kilocode", path=path) is None, (
        "a Kilo CLI on PATH would be chosen before the autopilot"
    )
    monkeypatch.setenv("OPENAI_API_KEY", "sk-leak-test")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-leak-test")
    settings = Settings(
        workspace=autopilot_workspace,
        backend_url=BACKEND,
        proxy_token="tok-kilo",
        default_model="model-x",
        _env_file=None,
    )  # type: ignore[call-arg]
    built = Services.build(settings, resolve_paths().ensure())
    yield built
    built.close()


@pytest.fixture
def pump(tk_root: tk.Tk, services: Services) -> Iterator[Pump]:
    pump = Pump(tk_root, services.outbox)
    pump.start()
    yield pump
    pump.stop()


@pytest.fixture
def notebook(tk_root: tk.Tk, services: Services, pump: Pump) -> Iterator[TerminalNotebook]:
    notebook = TerminalNotebook(tk_root, services)
    notebook.pack(fill="both", expand=True)
    tk_root.update()
    yield notebook
    notebook.close_all()


def bar_of(view: TerminalView) -> KiloCommandBar:
    assert isinstance(view.header, KiloCommandBar)
    return view.header


def screen_text(view: TerminalView) -> str:
    return view.text.get("1.0", "end")


def key(widget: tk.Widget, keysym: str) -> None:
    widget.focus_force()
    widget.update()
    widget.event_generate("<Key>", keysym=keysym)
    widget.update()


def test_run_passes_argv_cwd_and_env_without_provider_keys(
    notebook: TerminalNotebook, pump: Pump, services: Services, autopilot_workspace: Path, wait_until: Wait
) -> None:
    view = open_kilo_tab(notebook, pump, services)
    bar = bar_of(view)
    wait_until(lambda: "Kilo tab in" in screen_text(view), what="the introduction in the terminal")
    assert "SmartSpec autopilot" in bar.status.cget("text")
    # themed styles, not a fixed dark green that vanished on the dark theme's background
    assert str(bar.status.cget("style")) == "Ok.TLabel" and str(bar.hint.cget("style")) == "Muted.TLabel"
    bar.entry.insert(0, "/sy")
    key(bar.entry, "Tab")
    assert bar.command.get() == "/sync-tasks.md "
    assert "<spec-id>" in bar.hint.cget("text")
    bar.entry.insert("end", "SPEC-7 'two words'")
    bar.plan_only.set(True)
    bar.run_button.invoke()
    wait_until(lambda: read_report(autopilot_workspace) is not None, timeout=15, what="the fake autopilot")
    env = checked_report_env(autopilot_workspace, ["/sync-tasks.md", "SPEC-7", "two words", "--plan-only"])
    assert env["SMARTSPEC_BACKEND_URL"] == BACKEND and env["SMARTSPEC_PROXY_TOKEN"] == "tok-kilo"
    assert env["SMARTSPEC_DEFAULT_MODEL"] == "model-x"
    assert env["OPENAI_BASE_URL"] == BACKEND + "/v1" and env["OPENAI_API_KEY"] == "tok-kilo"
    assert env["PYTHONPATH"].split(":")[0] == str(autopilot_workspace / ".smartspec")
    assert "ANTHROPIC_API_KEY" not in env and "sk-leak-test" not in str(env) and "sk-ant-leak-test" not in str(env)
    wait_until(
        lambda: "fake autopilot ran: /sync-tasks.md SPEC-7 two words --plan-only" in screen_text(view),
        what="the runner's output in the terminal",
    )
    assert bar.command.get() == ""


def test_cancel_ends_the_runner_and_its_grandchild(
    notebook: TerminalNotebook, pump: Pump, services: Services, autopilot_workspace: Path, wait_until: Wait
) -> None:
    view = open_kilo_tab(notebook, pump, services)
    bar = bar_of(view)
    bar.command.set("/sync-tasks.md --spawn-and-wait")
    bar.run_button.invoke()
    wait_until(
        lambda: (read_report(autopilot_workspace) or {}).get("grandchild_pid"),
        timeout=15,
        what="the runner and its grandchild",
    )
    report = read_report(autopilot_workspace)
    assert report is not None
    pids = {int(str(report["pid"])), int(str(report["grandchild_pid"]))}
    assert pids <= set(live_members(int(str(report["pgid"]))))
    bar.command.set("/sync-tasks.md again")
    bar.run_button.invoke()
    assert "still running" in bar.status.cget("text")
    bar.cancel_button.invoke()
    wait_until(lambda: bar.status.cget("text").startswith("Cancelled:"), timeout=20, what="the cancel to finish")
    assert "terminated after Ctrl-C was ignored" in bar.status.cget("text")
    assert not pids & set(live_members(int(str(report["pgid"]))))


def test_history_survives_a_restart_and_up_down_walk_it(
    notebook: TerminalNotebook, pump: Pump, services: Services, autopilot_workspace: Path, wait_until: Wait
) -> None:
    view = open_kilo_tab(notebook, pump, services)
    bar = bar_of(view)
    for text in ("/sync-tasks.md one", "/sync-tasks.md two"):
        bar.command.set(text)
        bar.run_button.invoke()
        wait_until(lambda: view.exited, timeout=15, what="the run to end")
    fresh = CommandHistory.for_workspace(resolve_paths().data_dir, autopilot_workspace)
    assert fresh.entries == ["/sync-tasks.md one", "/sync-tasks.md two"]
    again = bar_of(open_kilo_tab(notebook, pump, services))  # a new tab reads the file afresh
    again.command.set("draft")
    key(again.entry, "Up")
    assert again.command.get() == "/sync-tasks.md two"
    key(again.entry, "Up")
    assert again.command.get() == "/sync-tasks.md one"
    key(again.entry, "Down")
    key(again.entry, "Down")
    assert again.command.get() == "draft"


def test_bad_command_is_explained_and_nothing_runs(notebook: TerminalNotebook, pump: Pump, services: Services) -> None:
    bar = bar_of(open_kilo_tab(notebook, pump, services))
    bar.command.set("sync-tasks")
    bar.run_button.invoke()
    assert "starts with /" in bar.status.cget("text")
    assert bar.command.get() == "sync-tasks"


def test_without_a_runner_the_tab_says_what_it_looked_for(
    notebook: TerminalNotebook, pump: Pump, services: Services, autopilot_workspace: Path, wait_until: Wait
) -> None:
    shutil.rmtree(autopilot_workspace / ".smartspec" / "ss_autopilot")
    view = open_kilo_tab(notebook, pump, services)
    bar = bar_of(view)
    wait_until(lambda: "No Kilo runner found" in screen_text(view), what="the explanation in the terminal")
    shown = screen_text(view)
    assert "`kilo` or `kilocode` on PATH" in shown and "ss_autopilot" in shown
    assert "SMARTSPEC_KILO_RUNNER" in shown.replace("\n", "")
    assert bar.status.cget("text").startswith("No Kilo runner found")
    wait_until(lambda: view.exited, what="the explanation's program to end")
    view.update()
    banner = str(view.banner.cget("text"))  # not "[process exited with code 0] — press Enter to restart"
    assert "No Kilo runner" in banner and "SMARTSPEC_KILO_RUNNER" in banner and "Settings" in banner
    assert "exited with code" not in banner and "press Enter" not in banner and view.banner.winfo_ismapped()
    bar.command.set("/sync-tasks.md")
    bar.run_button.invoke()
    assert "No Kilo runner is available" in bar.status.cget("text")


def test_palette_filters_and_fills_the_command(notebook: TerminalNotebook, pump: Pump, services: Services) -> None:
    from smartspec_tk.ui.kilo.palette import WorkflowPalette

    flows = services.settings.workspace / ".smartspec" / "workflows"
    (flows / "generate-plan.md").write_text("# Make a plan\n", encoding="utf-8")
    bar = bar_of(open_kilo_tab(notebook, pump, services))
    bar.entry.focus_force()
    bar.entry.event_generate("<Control-k>")
    bar.update()
    palettes = [w for w in bar.winfo_children() if isinstance(w, WorkflowPalette)]
    assert len(palettes) == 1
    palette = palettes[0]
    assert [w.name for w in palette.shown] == ["generate-plan", "sync-tasks"]
    palette.query.set("plan")
    assert [w.name for w in palette.shown] == ["generate-plan"]
    palette.choose()
    assert bar.command.get() == "/generate-plan.md "
    assert "Make a plan" in bar.hint.cget("text")


def test_tabs_menu_opens_a_kilo_tab_with_the_backends_models(
    tk_root: tk.Tk, wait_until: Wait, autopilot_workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smartspec_tk.ui.kilo import opener as kilo_opener
    from smartspec_tk.ui.terminal import wiring as terminal_wiring
    from smartspec_tk.ui.window.main_window import MainWindow
    from tests.servers.reference import start_reference_backend

    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}:/usr/bin:/bin")
    with start_reference_backend(tmp_path) as backend:
        settings = Settings(workspace=autopilot_workspace, backend_url=backend.url, _env_file=None)  # type: ignore[call-arg]
        services = Services.build(settings, resolve_paths().ensure())
        window = MainWindow(tk_root, backend.url)
        pump = Pump(tk_root, services.outbox)
        notebook = terminal_wiring.attach(window, pump, services)
        kilo_opener.attach(window, pump, services, terminals=notebook)
        pump.start()
        try:
            menu = window.menu("Tabs")
            labels = {menu.entrycget(i, "label"): i for i in range(int(menu.index("end") or 0) + 1)
                      if menu.type(i) == "command"}  # fmt: skip
            menu.invoke(labels["New Kilo tab"])
            wait_until(lambda: isinstance(notebook.current_view().header, KiloCommandBar), what="the Kilo tab")
            bar = bar_of(notebook.current_view())
            assert "offline-echo" in bar.launcher.ctx.models and bar.launcher.ctx.backend_url == backend.url
        finally:
            pump.stop()
            notebook.close_all()
            services.close()
