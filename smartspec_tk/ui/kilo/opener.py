"""Opening Kilo tabs: the Tabs menu entry, the backend's model list for the Kilo CLI, and the tab itself.

`attach(window, pump, services, terminals=…)` adds "New Kilo tab" to the Tabs menu.
The model list is fetched on a worker thread (it goes into the Kilo CLI's provider
entry); the tab opens in `terminals` when it arrives, or without it after a short timeout.
"""

from __future__ import annotations

import functools
import itertools
import logging
import threading
import tkinter as tk
from dataclasses import dataclass
from typing import TYPE_CHECKING

from smartspec_tk.core.kilo.cancel import KiloCancelFinished
from smartspec_tk.core.messages import Message

if TYPE_CHECKING:
    from smartspec_tk.core.chat.models import ModelsClient
    from smartspec_tk.core.kilo.launch import KiloLauncher
    from smartspec_tk.core.terminal import TerminalSession
    from smartspec_tk.services import Services
    from smartspec_tk.ui.handles import SessionTab, Terminals
    from smartspec_tk.ui.kilo.tab import KiloCommandBar
    from smartspec_tk.ui.window.main_window import MainWindow
    from smartspec_tk.ui.window.pump import Pump

log = logging.getLogger(__name__)

MODELS_TIMEOUT_S = 3.0


@dataclass(frozen=True, slots=True)
class KiloModelsFetched(Message):
    """The backend's model ids (empty when it did not answer); a Kilo tab waits for them."""

    request_id: int
    models: tuple[str, ...]


def make_launcher(services: Services, models: tuple[str, ...] = ()) -> KiloLauncher:
    from smartspec_tk.core.kilo.launch import KiloLauncher  # the Kilo modules load with the first tab
    from smartspec_tk.core.kilo.runner import RunnerContext

    settings = services.settings
    ctx = RunnerContext(
        workspace=settings.workspace, backend_url=settings.backend_url, token=settings.token,
        default_model=settings.default_model, template=settings.kilo_runner, models=models,
    )  # fmt: skip
    return KiloLauncher.detect(ctx)


def open_kilo_tab(terminals: Terminals, pump: Pump, services: Services, models: tuple[str, ...] = ()) -> SessionTab:
    """A new Kilo tab in `terminals` (Tk thread); its terminal runs what the launcher says, with its env."""
    from smartspec_tk.core.kilo.history import CommandHistory
    from smartspec_tk.core.terminal import start_session
    from smartspec_tk.ui.kilo.tab import KiloCommandBar

    settings = services.settings
    launcher = make_launcher(services, models)
    history = CommandHistory.for_workspace(services.paths.data_dir, settings.workspace)

    def factory(cols: int, rows: int) -> TerminalSession:
        return start_session(settings.workspace, cols, rows, argv=launcher.argv(), env=launcher.env(),
                             scrollback=settings.scrollback_lines,
                             allow_clipboard_write=settings.allow_clipboard_write)  # fmt: skip

    def header(parent: tk.Misc, view: SessionTab) -> KiloCommandBar:
        bar = KiloCommandBar(parent, view, launcher, history, services.outbox)
        pump.subscribe(KiloCancelFinished, bar.on_cancel_finished, owner=bar)
        return bar

    view = terminals.open_session(title="Kilo", header_widget_factory=header, factory=factory)
    view.exit_note = functools.partial(exit_note, launcher)
    if isinstance(view.header, KiloCommandBar):
        view.header.entry.focus_set()
    return view


def exit_note(launcher: KiloLauncher, code: int | None) -> str:
    """What the Kilo tab says when its terminal's program ends: never "exited with code 0 — press
    Enter" after the text that only explains there is no runner, or after the introduction."""
    if not launcher.found:
        return ("  No Kilo runner on this machine, so nothing can run here yet. Install the Kilo CLI "
                "(npm install -g @kilocode/cli), or set SMARTSPEC_KILO_RUNNER (File → Settings → Other → "
                "Kilo runner command) to a command line, then open a new Kilo tab.")  # fmt: skip
    if not launcher.interactive and launcher.next_command is None:
        return "  Ready: type a /workflow.md command in the bar above and press Run."
    shown = "?" if code is None else str(code)
    what = "The Kilo CLI" if launcher.interactive else "The command"
    return f"  {what} ended (code {shown}). Run a command from the bar above, or press Enter to start it again."


def fetch_models(models: ModelsClient) -> tuple[str, ...]:
    """Worker thread: the backend's model ids, or () when it does not answer in time."""
    try:
        return tuple(models.ids(MODELS_TIMEOUT_S))
    except Exception as exc:  # noqa: BLE001 - any failure: open the tab without the list
        log.info("model list unavailable for the Kilo tab (%s)", exc)
        return ()


def attach(window: MainWindow, pump: Pump, services: Services, *, terminals: Terminals) -> None:
    """Tabs → New Kilo tab (Ctrl+Shift+K)."""
    pending: set[int] = set()
    ids = itertools.count(1)

    def request() -> None:
        request_id = next(ids)
        pending.add(request_id)
        window.status_bar.show_notice("Opening a Kilo tab…")

        def work() -> None:
            services.outbox.post(KiloModelsFetched(request_id, fetch_models(services.models)))

        threading.Thread(target=work, name="kilo-models", daemon=True).start()

    def on_models(message: KiloModelsFetched) -> None:
        if message.request_id in pending:
            pending.discard(message.request_id)
            open_kilo_tab(terminals, pump, services, message.models)

    pump.subscribe(KiloModelsFetched, on_models)
    window.add_action("Tabs", "new_kilo_tab", "New Kilo tab", request)
