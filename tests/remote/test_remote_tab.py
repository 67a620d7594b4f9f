"""The Remote tab on real Tk: invisible with the flag off; with it on, a session against the
reference backend typed into the input line (browse, download, read, declined and confirmed write)."""

from __future__ import annotations

import os
import tkinter as tk
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from smartspec_tk.core.paths import resolve_paths
from smartspec_tk.core.settings import Settings
from smartspec_tk.core.theme import DARK, LIGHT
from smartspec_tk.services import Services
from smartspec_tk.ui import theme
from smartspec_tk.ui.remote import tab as remote_tab
from smartspec_tk.ui.remote.tab import RemoteTab
from smartspec_tk.ui.terminal import wiring as terminal_wiring
from smartspec_tk.ui.terminal.notebook import TerminalNotebook
from smartspec_tk.ui.window.main_window import MainWindow
from smartspec_tk.ui.window.pump import Pump
from tests.remote.conftest import ARTIFACT_TEXT, TOKEN, upload_artifact
from tests.servers.reference import RunningServer, start_reference_backend

Wait = Callable[..., None]
TRANSCRIPT_ENV = "SMARTSPEC_SAVE_REMOTE_TRANSCRIPT"  # set to a file path to keep the transcript (docs/remote.md)


def build(tk_root: tk.Tk, settings: Settings) -> tuple[MainWindow, Services, Pump]:
    services = Services.build(settings, resolve_paths().ensure())
    window = MainWindow(tk_root, settings.backend_url)
    pump = Pump(tk_root, services.outbox)
    return window, services, pump


def menu_labels(window: MainWindow) -> list[str]:
    menu = window.menu("Tabs")
    end = menu.index("end")
    return [] if end is None else [str(menu.entrycget(i, "label")) for i in range(end + 1) if menu.type(i) == "command"]


def test_with_the_flag_off_nothing_of_remote_mode_exists(tk_root: tk.Tk) -> None:
    from smartspec_tk.features import attach_features

    window, services, pump = build(tk_root, Settings(remote_mode=False, _env_file=None))  # type: ignore[call-arg]
    try:
        features = attach_features(window, pump, services)
        labels = menu_labels(window)
        assert "New Kilo tab" in labels and not any("Remote" in label for label in labels)
        notebook = features.terminals
        assert isinstance(notebook, TerminalNotebook)
        assert not any(isinstance(notebook.nametowidget(t), RemoteTab) for t in notebook.tabs())
    finally:
        notebook.close_all()
        for handler in window.quit_handlers:
            handler()
        services.close()


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[RunningServer]:
    with start_reference_backend(tmp_path, "--seed-demo", "--token", TOKEN, "--protect-all") as running:
        yield running


def test_a_remote_session_typed_into_the_tab(
    tk_root: tk.Tk, wait_until: Wait, backend: RunningServer, tmp_path: Path
) -> None:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    settings = Settings(
        remote_mode=True, backend_url=backend.url, proxy_token=TOKEN, workspace=workspace, _env_file=None
    )  # type: ignore[call-arg]
    window, services, pump = build(tk_root, settings)
    key = upload_artifact(services.http, backend.url, "demo-session")
    remote_files = backend.root / "workspace"
    remote_files.mkdir(parents=True, exist_ok=True)
    (remote_files / "plan.md").write_text("# Plan\n- step one\n- step two\n", encoding="utf-8")
    (workspace / "plan.md").write_text("# Plan\n- step one\n- step 2, reworded\n- step three\n", encoding="utf-8")
    theme.install(tk_root, "dark")  # as the app does before it builds any tab
    notebook = terminal_wiring.attach(window, pump, services)
    remote_tab.attach(window, pump, services, terminals=notebook)
    pump.start()
    try:
        assert "New Remote tab" in menu_labels(window)
        menu = window.menu("Tabs")
        menu.invoke(menu_labels(window).index("New Remote tab") + _separators_before(window, "New Remote tab"))
        tab = notebook.nametowidget(notebook.select())
        assert isinstance(tab, RemoteTab)
        # the transcript's tags follow the theme (they were black headers and pale diff rows on dark)
        assert str(tab.text.tag_cget("header", "foreground")) == DARK.fg
        theme.set_mode("light")
        assert str(tab.text.tag_cget("add", "background")) == LIGHT.diff_add_bg
        theme.set_mode("dark")
        assert str(tab.text.tag_cget("remove", "background")) == DARK.diff_remove_bg

        def send(line: str, expect: str) -> None:
            tab.line.set(line)
            tab.entry.focus_force()
            tab.entry.update()
            tab.entry.event_generate("<Return>")
            wait_until(lambda: not tab.busy and expect in tab.transcript(), timeout=15, what=f"{expect!r}")

        send("help", "write <path> <local file>")
        send("session demo-session", "This is now the current session")
        send("reports", "2. Spec review (review)")
        send("report 1", "12 passed")
        send(f"get {key}", "Saved notes.txt")
        assert (workspace / "notes.txt").read_bytes() == ARTIFACT_TEXT
        send("tools", "workspace_write_file(path, content, overwrite)")
        send("cat plan.md", "- step two")
        send("write plan.md plan.md", "Type yes to go ahead")
        assert tab.prompt.cget("text") == "confirm (yes/no)> "
        send("no", "Cancelled; nothing was changed.")
        assert "step two" in (remote_files / "plan.md").read_text(encoding="utf-8")
        send("write plan.md plan.md", "Type yes to go ahead")
        send("yes", "wrote ")
        assert (remote_files / "plan.md").read_text(encoding="utf-8") == (workspace / "plan.md").read_text()
        tab.line.set("ses")
        tab.entry.update()
        tab.entry.event_generate("<Tab>")
        assert "sessions  session" in tab.transcript()
        tab.line.set("")
        tab.entry.event_generate("<Up>")
        assert tab.line.get() == "write plan.md plan.md"
        if os.environ.get(TRANSCRIPT_ENV):
            Path(os.environ[TRANSCRIPT_ENV]).write_text(tab.transcript() + "\n", encoding="utf-8")
    finally:
        pump.stop()
        notebook.close_all()
        services.close()


def _separators_before(window: MainWindow, label: str) -> int:
    menu = window.menu("Tabs")
    count = 0
    for index in range(int(menu.index("end") or 0) + 1):
        if menu.type(index) == "command" and menu.entrycget(index, "label") == label:
            return count
        if menu.type(index) != "command":
            count += 1
    return count
