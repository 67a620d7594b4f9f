"""The main window: layout, menus, the status bar fed by the health poller, the settings dialog."""

from __future__ import annotations

import json
import tkinter as tk
from collections.abc import Callable
from pathlib import Path
from tkinter import ttk

import pytest

from smartspec_tk.core.messages import BackendStatusChanged
from smartspec_tk.core.paths import resolve_paths
from smartspec_tk.core.settings import load_settings
from smartspec_tk.services import Services
from smartspec_tk.ui.window import app_shell
from smartspec_tk.ui.window.main_window import MENU_NAMES, MainWindow
from smartspec_tk.ui.window.pump import Pump
from smartspec_tk.ui.window.settings_dialog import SettingsDialog
from tests.helpers.capture_server import capture_server


def build(root: tk.Tk, backend_url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[MainWindow, Services, Pump]:
    monkeypatch.setenv("SMARTSPEC_BACKEND_URL", backend_url)
    paths = resolve_paths().ensure()
    services = Services.build(load_settings(paths.settings_file).settings, paths)
    window = MainWindow(root, services.backend_url)
    pump = Pump(root, services.outbox)
    app_shell.attach(window, pump, services)
    pump.start()
    return window, services, pump


def test_layout_and_menus(tk_root: tk.Tk, monkeypatch: pytest.MonkeyPatch) -> None:
    window, services, pump = build(tk_root, "http://127.0.0.1:9", monkeypatch)
    try:
        menubar = tk_root.nametowidget(tk_root.cget("menu"))
        labels = [menubar.entrycget(i, "label") for i in range(menubar.index("end") + 1)]
        assert labels == list(MENU_NAMES)
        help_entries = [window.menu("Help").entrycget(i, "label") for i in (0, 1)]
        assert help_entries == ["Connection doctor…", "Open log folder"]
        assert len(window.paned.panes()) == 2
        window.toggle_chat()
        assert len(window.paned.panes()) == 1
        window.toggle_chat()
        assert len(window.paned.panes()) == 2
    finally:
        window.quit()
        pump.stop()
        services.close()


def test_status_bar_follows_the_backend(
    tk_root: tk.Tk, wait_until: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    with capture_server() as backend:
        window, services, pump = build(tk_root, backend.url, monkeypatch)
        try:
            label = window.status_bar.backend_label
            wait_until(lambda: "online" in str(label.cget("text")), what="backend online")
            assert backend.url in str(label.cget("text"))
            assert backend.requests[0].path == "/health"
        finally:
            window.quit()
            pump.stop()
            services.close()


def test_status_bar_says_when_the_backend_is_down(
    tk_root: tk.Tk, wait_until: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    window, services, pump = build(tk_root, "http://127.0.0.1:9", monkeypatch)
    try:
        label = window.status_bar.backend_label
        wait_until(lambda: "not reachable" in str(label.cget("text")), what="backend down")
        window.status_bar.show_backend(BackendStatusChanged("http://127.0.0.1:9", True, "online", demo=True))
        assert str(label.cget("text")).startswith("Demo backend")
    finally:
        window.quit()
        pump.stop()
        services.close()


def test_settings_dialog_saves_without_token_unless_asked(tk_root: tk.Tk, tmp_path: Path) -> None:
    settings = load_settings(None, env_file=None).settings
    user_file = tmp_path / "settings.json"
    dialog = SettingsDialog(tk_root, settings, user_file)
    dialog._vars["backend_url"].set("http://127.0.0.1:8123")
    dialog._vars["proxy_token"].set("dialog-secret")
    dialog.save()
    saved = json.loads(user_file.read_text())
    assert saved["backend_url"] == "http://127.0.0.1:8123"
    assert "proxy_token" not in saved

    dialog = SettingsDialog(tk_root, settings, user_file)
    dialog._vars["proxy_token"].set("dialog-secret")
    dialog.save_token.set(True)
    dialog.save()
    assert json.loads(user_file.read_text())["proxy_token"] == "dialog-secret"
    assert user_file.stat().st_mode & 0o077 == 0


def test_settings_dialog_remote_mode_box_and_write_token(tk_root: tk.Tk, tmp_path: Path) -> None:
    user_file = tmp_path / "settings.json"
    user_file.write_text(json.dumps({"remote_mode": "true"}))
    dialog = SettingsDialog(tk_root, load_settings(None, env_file=None).settings, user_file)
    box = dialog.editors["remote_mode"]
    assert isinstance(box, ttk.Checkbutton) and box.cget("text") == "Remote tab"
    assert dialog._vars["remote_mode"].get() is True  # "true" in the file reads as ticked
    box.invoke()
    dialog._vars["mcp_write_token"].set(" write-secret ")
    dialog.save()
    saved = json.loads(user_file.read_text())
    assert saved["remote_mode"] is False and "mcp_write_token" not in saved

    dialog = SettingsDialog(tk_root, load_settings(user_file, env_file=None).settings, user_file)
    assert dialog._vars["remote_mode"].get() is False
    dialog._vars["remote_mode"].set(True)
    dialog._vars["mcp_write_token"].set("write-secret")
    dialog.save_token.set(True)
    dialog.save()
    reloaded = load_settings(user_file, env_file=None).settings
    assert reloaded.remote_mode is True and reloaded.write_token == "write-secret"
    assert user_file.stat().st_mode & 0o077 == 0


def test_settings_dialog_refuses_bad_values(tk_root: tk.Tk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr("tkinter.messagebox.showerror", lambda title, text, **kw: shown.append(text))
    dialog = SettingsDialog(tk_root, load_settings(None, env_file=None).settings, tmp_path / "s.json")
    dialog._vars["backend_url"].set("not a url")
    dialog._vars["font_size"].set("huge")
    dialog.save()
    assert not (tmp_path / "s.json").exists()
    assert "Backend address (SMARTSPEC_BACKEND_URL): must start with http:// or https://" in shown[0]
    assert "Terminal font size (SMARTSPEC_FONT_SIZE): must be a whole number" in shown[0]
    assert "font_size" not in shown[0] and "Input should" not in shown[0]
    dialog.destroy()


def test_settings_dialog_writes_only_what_the_user_changed(tk_root: tk.Tk, tmp_path: Path) -> None:
    """The running values (the current folder as workspace, defaults) are not pinned in the file."""
    settings = load_settings(None, env_file=None).settings
    user_file = tmp_path / "settings.json"
    dialog = SettingsDialog(tk_root, settings, user_file)
    assert dialog._vars["workspace"].get() == str(settings.workspace)
    dialog._vars["backend_url"].set("http://127.0.0.1:8123")
    dialog.save()
    assert json.loads(user_file.read_text()) == {"backend_url": "http://127.0.0.1:8123"}

    dialog = SettingsDialog(tk_root, settings, user_file)
    dialog._vars["font_size"].set("14")
    dialog.save()
    assert json.loads(user_file.read_text()) == {"backend_url": "http://127.0.0.1:8123", "font_size": "14"}
