"""Settings that apply at once, on real Tk with every feature attached as the app does and a real
loopback server: a token typed but not saved is sent from the next request on (and is not in the
file); the terminal and chat font sizes (separate settings), the theme and the upload cap change
at once; Browse… fills a folder; every field has its help line."""

from __future__ import annotations

import json
import tkinter as tk
from collections.abc import Callable, Iterator
from pathlib import Path
from tkinter import ttk

import pytest

from smartspec_tk.features import Features, attach_features
from smartspec_tk.ui import theme
from smartspec_tk.ui.chat.pane import ChatPane
from smartspec_tk.ui.terminal.notebook import TerminalNotebook
from smartspec_tk.ui.window import settings_dialog
from smartspec_tk.ui.window.app_shell import apply_settings
from smartspec_tk.ui.window.main_window import MainWindow
from smartspec_tk.ui.window.pump import Pump
from smartspec_tk.ui.window.settings_dialog import SettingsDialog
from smartspec_tk.ui.window.settings_fields import FIELDS
from tests.helpers.capture_server import CaptureServer, capture_server
from tests.terminal.ui_helpers import make_services

Wait = Callable[..., None]
App = tuple[MainWindow, Features, object, CaptureServer]


@pytest.fixture
def app(tk_root: tk.Tk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("SMARTSPEC_SHELL", "bash")
    with capture_server() as server:
        monkeypatch.setenv("SMARTSPEC_BACKEND_URL", server.url)
        services = make_services()
        window = MainWindow(tk_root, services.backend_url)
        theme.install(tk_root, "dark")
        pump = Pump(tk_root, services.outbox)
        features = attach_features(window, pump, services)
        pump.start()
        try:
            yield window, features, services, server
        finally:
            window.quit()
            pump.stop()
            services.close()  # type: ignore[attr-defined]


def open_dialog(window: MainWindow, services: object) -> SettingsDialog:
    return SettingsDialog(window.root, services.settings, services.paths.settings_file,  # type: ignore[attr-defined]
                          apply=lambda new: apply_settings(window, services, new))  # type: ignore[arg-type]  # fmt: skip


def test_a_typed_token_is_used_at_once_even_unsaved(app: App) -> None:
    window, _features, services, server = app
    dialog = open_dialog(window, services)
    dialog._vars["proxy_token"].set(" typed-secret ")
    assert not dialog.save_token.get()
    dialog.save()
    server.requests.clear()
    services.http.get(f"{server.url}/v1/models")  # type: ignore[attr-defined]
    sent = server.requests[-1].headers
    assert sent["authorization"] == "Bearer typed-secret" and sent["x-proxy-token"] == "typed-secret"
    saved = services.paths.settings_file  # type: ignore[attr-defined]
    assert "typed-secret" not in (saved.read_text() if saved.exists() else "")
    assert "Settings saved and applied." in str(window.status_bar.notice_label.cget("text"))


def test_fonts_theme_and_upload_cap_apply_at_once(app: App, wait_until: Wait) -> None:
    window, features, services, _server = app
    notebook, pane = features.terminals, features.chat
    assert isinstance(notebook, TerminalNotebook) and isinstance(pane, ChatPane)
    view = notebook.current_view()
    assert view is not None
    dialog = open_dialog(window, services)
    dialog._vars["font_size"].set("15")
    dialog._vars["chat_font_size"].set("13")
    dialog._vars["theme"].set("Light")
    dialog._vars["max_upload_mb"].set("1")
    dialog.save()
    assert view.fonts[(False, False)].cget("size") == 15  # the open terminal, at once
    assert pane.transcript.font_size == 13  # the chat has its own size
    assert theme.current().name == "light"
    media = features.media
    assert media is not None and media.jobs.client.settings.max_upload_mb == 1  # type: ignore[attr-defined]
    assert json.loads(services.paths.settings_file.read_text()) == {  # type: ignore[attr-defined]
        "font_size": "15", "chat_font_size": "13", "theme": "light", "max_upload_mb": "1"}


def test_browse_fills_the_folder_and_every_field_has_help(app: App, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    window, _features, services, _server = app
    monkeypatch.setattr(settings_dialog, "ask_folder", lambda _parent, current: str(tmp_path))
    monkeypatch.setattr(settings_dialog, "ask_file", lambda _parent, current: str(tmp_path / "corp-ca.pem"))
    dialog = open_dialog(window, services)
    browse = [w for page in dialog.pages.winfo_children() for w in page.winfo_children()
              if isinstance(w, ttk.Button) and w.cget("text") == "Browse…"]  # fmt: skip
    assert set(browse) == set(dialog.browse_buttons.values()) and set(dialog.browse_buttons) == {"workspace", "ca_file"}
    dialog.browse_buttons["workspace"].invoke()
    dialog.browse_buttons["ca_file"].invoke()
    assert dialog._vars["workspace"].get() == str(tmp_path)
    assert dialog._vars["ca_file"].get() == str(tmp_path / "corp-ca.pem")
    helps = [w for page in dialog.pages.winfo_children() for w in page.winfo_children()
             if isinstance(w, ttk.Label) and str(w.cget("style")) == "Muted.TLabel"]  # fmt: skip
    assert len(helps) == len(FIELDS) and all(str(h.cget("text")).strip() for h in helps)
    assert dialog._vars["token_mode"].get() == "Both Authorization and x-proxy-token"  # not "both"
    dialog.destroy()


def test_every_setting_has_a_label_and_a_help_line() -> None:
    from smartspec_tk.core.settings import Settings
    from smartspec_tk.core.settings_labels import INFO

    assert set(INFO) == set(Settings.model_fields)
    assert all(info.label and info.help for info in INFO.values())
