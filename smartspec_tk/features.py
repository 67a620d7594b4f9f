"""The list of features and where they attach: read this to see what the app is made of.

`attach_features` is called once by the composition root after the main window
exists; each feature's `attach(window, pump, services)` lives in its own `ui/`
module. `load_doctor_checks` imports the modules that register doctor checks.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smartspec_tk.services import Services
    from smartspec_tk.ui.window.main_window import MainWindow
    from smartspec_tk.ui.window.pump import Pump

# Modules that add checks to core.doctor.CHECKS when imported, in any order
# (each check carries its own position).
DOCTOR_CHECK_MODULES = (
    "smartspec_tk.core.doctor",
    "smartspec_tk.core.doctor_checks",  # 40 models, 50 streamed answer
    "smartspec_tk.core.doctor_upload",  # 60 presign round-trip, 70 upload host
)


def load_doctor_checks() -> None:
    for name in DOCTOR_CHECK_MODULES:
        importlib.import_module(name)


def attach_features(window: MainWindow, pump: Pump, services: Services) -> None:
    from smartspec_tk.ui.chat import pane as chat_pane
    from smartspec_tk.ui.kilo.opener import attach as kilo_attach
    from smartspec_tk.ui.media import attachment_bar
    from smartspec_tk.ui.terminal import notebook as terminal_notebook
    from smartspec_tk.ui.window import app_shell

    window.root.smartspec_window = window  # type: ignore[attr-defined]
    app_shell.attach(window, pump, services)
    terminal_notebook.attach(window, pump, services)
    kilo_attach(window, pump, services)  # Tabs → New Kilo tab
    if services.settings.remote_mode:  # Tabs → New Remote tab; its modules load only when it can be used
        from smartspec_tk.ui.remote.tab import attach as remote_attach

        remote_attach(window, pump, services)
    chat_pane.attach(window, pump, services)
    attachment_bar.attach(window, pump, services)  # after the chat pane: it plugs into it
