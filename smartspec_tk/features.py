"""The list of features and where they attach: read this to see what the app is made of.

`attach_features` is called once by the composition root after the main window
exists. Each feature's `attach(window, pump, services, …)` lives in its `ui/` package
and returns its handle; the handles (typed in `ui/handles.py`) are passed to the
features that use them, so the order below is the order of their needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smartspec_tk.services import Services
    from smartspec_tk.ui.handles import Chat, Media, Terminals
    from smartspec_tk.ui.window.main_window import MainWindow
    from smartspec_tk.ui.window.pump import Pump


@dataclass(frozen=True)
class Features:
    """The handles the features returned (None: that feature is not there)."""

    terminals: Terminals
    chat: Chat | None
    media: Media | None


def attach_features(window: MainWindow, pump: Pump, services: Services) -> Features:
    from smartspec_tk.ui.chat import wiring as chat
    from smartspec_tk.ui.kilo import opener as kilo
    from smartspec_tk.ui.media import attachment_bar as media
    from smartspec_tk.ui.terminal import wiring as terminal
    from smartspec_tk.ui.window import app_shell

    app_shell.attach(window, pump, services)  # status polling, Settings, Connection doctor
    terminals = terminal.attach(window, pump, services)
    kilo.attach(window, pump, services, terminals=terminals)  # Tabs → New Kilo tab
    if services.settings.remote_mode:  # Tabs → New Remote tab; its modules load only when it can be used
        from smartspec_tk.ui.remote import tab as remote

        remote.attach(window, pump, services, terminals=terminals)
    pane = chat.attach(window, pump, services, terminals=terminals)
    bar = media.attach(window, pump, services, chat=pane)  # Insert Picture/Video, drops, chips
    return Features(terminals, pane, bar)
