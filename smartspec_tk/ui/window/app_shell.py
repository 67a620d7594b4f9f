"""The app's own entries: backend status polling, Settings, Connection doctor, log folder."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

from smartspec_tk.core.child_env import child_env
from smartspec_tk.core.embedded_watch import GAVE_UP, DemoBackendChanged
from smartspec_tk.core.health import HealthPoller
from smartspec_tk.core.messages import BackendStatusChanged, NoticePosted
from smartspec_tk.core.settings_labels import INFO
from smartspec_tk.ui import theme

if TYPE_CHECKING:
    from smartspec_tk.core.settings import Settings
    from smartspec_tk.services import Services
    from smartspec_tk.ui.window.main_window import MainWindow, WaitUntil
    from smartspec_tk.ui.window.pump import Pump


def attach(window: MainWindow, pump: Pump, services: Services) -> None:
    """The backend status in the status bar, File → Settings, Help → Connection doctor and log folder."""
    _backend_status(window, pump, services)
    _menus(window, pump, services)


def _backend_status(window: MainWindow, pump: Pump, services: Services) -> None:
    """Poll the backend's health; its state, notices and the demo backend's restarts go to the status bar."""
    poller = HealthPoller(services.http, services.backend_url, services.outbox, demo=services.demo_backend)
    pump.subscribe(BackendStatusChanged, window.status_bar.show_backend)
    pump.subscribe(NoticePosted, lambda m: window.status_bar.show_notice(m.text))

    def demo_changed(message: DemoBackendChanged) -> None:
        window.status_bar.show_notice(message.text, seconds=60 if message.state == GAVE_UP else 10)
        poller.poll_now()  # the backend's dot follows at once

    pump.subscribe(DemoBackendChanged, demo_changed)
    poller.start()
    window.quit_handlers.append(poller.stop)

    def check_status_bar(wait_until: WaitUntil) -> None:
        label = window.status_bar.backend_label
        wait_until(lambda: "checking" not in str(label.cget("text")), 10, "the backend status")

    window.add_self_check("backend status shown", check_status_bar)


def _menus(window: MainWindow, pump: Pump, services: Services) -> None:
    def open_settings() -> None:
        from smartspec_tk.ui.window.settings_dialog import SettingsDialog

        SettingsDialog(window.root, services.settings, services.paths.settings_file,
                       apply=lambda new: apply_settings(window, services, new))  # fmt: skip

    def open_doctor() -> None:
        from smartspec_tk.ui.window.doctor_dialog import DoctorDialog

        DoctorDialog(window.root, pump, services)

    file_menu = window.menu("File")
    file_menu.insert_command(0, label="Settings…", accelerator=window.shortcuts.accelerator("settings"),
                             command=open_settings)  # fmt: skip
    window.shortcuts.register("settings", open_settings)
    file_menu.insert_separator(1)
    help_menu = window.menu("Help")
    help_menu.insert_command(0, label="Connection doctor…", command=open_doctor)
    help_menu.insert_command(1, label="Open log folder", command=lambda: _open_folder(services))
    help_menu.insert_separator(2)


def _open_folder(services: Services) -> None:
    folder = str(services.paths.log_dir)
    if sys.platform == "win32":  # the shell's own "open": no console program, no window flashing up
        try:
            os.startfile(folder)  # type: ignore[attr-defined,unused-ignore]  # noqa: S606
        except OSError:
            services.outbox.post(NoticePosted(f"Log folder: {folder}"))
        return
    opener = ["open"] if sys.platform == "darwin" else ["xdg-open"]
    try:
        # child_env: no secrets, and not the one-file binary's bundled libraries.
        subprocess.Popen([*opener, folder], env=child_env())  # noqa: S603 - fixed program, our own folder
    except OSError:
        services.outbox.post(NoticePosted(f"Log folder: {folder}"))


def apply_settings(window: MainWindow, services: Services, new: Settings) -> None:
    """Saved settings: in use at once where the running app can change (every feature listens to
    `services.update_settings`); the status bar names what waits for the next start."""
    old = services.settings
    later = [info.label for name, info in INFO.items()
             if info.applies == "restart" and name != "backend_url" and getattr(old, name) != getattr(new, name)]
    if new.backend_url != old.backend_url and not services.demo_backend:
        later.insert(0, INFO["backend_url"].label)
    services.update_settings(new)
    if new.theme != theme.mode():
        window.set_theme(new.theme)
    note = f" {', '.join(later)}: at the next start." if later else ""
    window.status_bar.show_notice(f"Settings saved and applied.{note}", seconds=10)
