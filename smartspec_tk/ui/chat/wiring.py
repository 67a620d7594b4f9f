"""Wires the chat into the app: store, pane, Chat menu, model list, self-check (Tk thread).

`attach` returns the pane: the `ui/handles.Chat` handle the attachments plug into.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from smartspec_tk.core.chat import messages as m
from smartspec_tk.core.chat.client import ChatClient
from smartspec_tk.core.chat.models import ModelsClient
from smartspec_tk.core.chat.request import ChatOptions
from smartspec_tk.core.chat.store import ConversationStore
from smartspec_tk.core.chat.store_open import open_store
from smartspec_tk.core.chat.worker import ChatJob
from smartspec_tk.core.errors import UserError
from smartspec_tk.core.messages import NoticePosted
from smartspec_tk.core.outbox import Outbox
from smartspec_tk.ui.chat.pane import ChatPane
from smartspec_tk.ui.chat.turns import NEW_CHAT_HINT

if TYPE_CHECKING:
    from smartspec_tk.core.settings import Settings
    from smartspec_tk.services import Services
    from smartspec_tk.ui.handles import Terminals
    from smartspec_tk.ui.window.main_window import MainWindow, WaitUntil
    from smartspec_tk.ui.window.pump import Pump

log = logging.getLogger(__name__)


def attach(window: MainWindow, pump: Pump, services: Services, *, terminals: Terminals | None = None) -> ChatPane:
    """The chat pane in the window; `terminals` is where code and selections go (None: nowhere)."""
    opened = open_store(services.paths.data_dir)  # never raises: a bad file is moved aside or read into memory
    store = opened.store
    if opened.notice:
        services.outbox.post(NoticePosted(opened.notice, level="error"))
    if store.recovered:
        services.outbox.post(
            NoticePosted(f"{store.recovered} answer(s) cut off at the last exit were kept as incomplete.")
        )
    client = ChatClient(services.http, services.backend_url, demo=services.demo_backend)
    models = services.models
    pane = ChatPane(window.chat_area, pump, services, store, client, terminals=terminals)
    pane.pack(fill="both", expand=True)
    latest = store.latest_conversation_id()  # not the whole list: only the newest is shown
    if latest is not None:
        pane.open_conversation(latest)
    else:
        pane.transcript.add_status(NEW_CHAT_HINT)
    if opened.notice:  # also in the transcript: the status bar's notice goes away
        pane.transcript.add_status(opened.notice, error=True)
    _menu(window, pane)
    window.quit_handlers.append(lambda: _shutdown(pane, store))
    model = services.settings.default_model
    window.add_self_check("chat round-trip", lambda wait_until: round_trip(client, models, model, wait_until))
    load_models(models, services.outbox)
    services.settings_listeners.append(lambda settings: _apply_settings(pane, models, services, settings))
    return pane


def _apply_settings(pane: ChatPane, models: ModelsClient, services: Services, settings: Settings) -> None:
    """Settings saved: the chat's font size at once, and the model list asked again (a new token
    or timeout may be what it needed)."""
    pane.transcript.set_style(font_size=settings.chat_font_size)
    load_models(models, services.outbox)


def _menu(window: MainWindow, pane: ChatPane) -> None:
    menu = window.menu("Chat")
    window.add_action("Chat", "new_chat", "New chat", pane.new_chat)
    menu.add_command(label="Conversations", command=pane.show_conversations)
    menu.add_command(label="Rename conversation", command=pane.navigator.header.begin_rename)
    menu.add_separator()
    menu.add_command(label="Send terminal selection to chat", command=pane.send_terminal_selection)
    menu.add_command(label="Retry last answer", command=pane.retry)
    menu.add_command(label="Stop", command=pane.stop)


def _shutdown(pane: ChatPane, store: ConversationStore) -> None:
    job = pane.job
    if job is not None:
        job.cancel()
        job.join(2)
    store.close()


def load_models(models: ModelsClient, outbox: Outbox) -> None:
    """Fetch the model list on a worker thread; posts ChatModelsLoaded."""

    def run() -> None:
        try:
            outbox.post(m.ChatModelsLoaded(tuple(models.ids())))
        except UserError as exc:
            outbox.post(m.ChatModelsLoaded((), str(exc)))
        except Exception:
            log.exception("loading the model list failed")
            outbox.post(m.ChatModelsLoaded((), "internal error — see log"))

    threading.Thread(target=run, name="chat-models", daemon=True).start()


def round_trip(client: ChatClient, models: ModelsClient, model: str, wait_until: WaitUntil) -> None:
    """Self-check: a short prompt to the configured backend (with `model`, or its first) must get a complete answer."""
    if not model:
        ids = models.ids()
        model = ids[0] if ids else "gpt-4o-mini"
    outbox = Outbox()
    history = [{"role": "user", "content": "Reply with one word: pong"}]
    job = ChatJob(client, outbox, 1, ChatOptions(model, max_tokens=20), history)
    job.start()
    seen: list[object] = []

    def finished() -> bool:
        seen.extend(outbox.drain(10_000))
        return any(isinstance(msg, m.ChatFinished) for msg in seen)

    wait_until(finished, 60, "the chat answer")
    final = next(msg for msg in seen if isinstance(msg, m.ChatFinished))
    if final.status != m.COMPLETE:
        raise AssertionError(f"chat round-trip ended {final.status}: {final.error}")
    if not job.text.strip():
        raise AssertionError("chat round-trip: the answer was empty")
