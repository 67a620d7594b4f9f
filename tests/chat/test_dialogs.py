"""The conversations dialog (search, open, rename, delete, export), back-pressure and the self-check."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from smartspec_tk.core.chat.store import ConversationStore
from smartspec_tk.core.chat.worker import Backlog
from smartspec_tk.core.paths import resolve_paths
from smartspec_tk.core.settings import load_settings
from smartspec_tk.services import Services


def test_conversations_dialog(tk_root: Any, tmp_path: Path) -> None:
    from smartspec_tk.ui.chat.conversations import ConversationsDialog

    store = ConversationStore.in_folder(tmp_path)
    first = store.create_conversation("About sockets")
    store.add_message(first, "user", "how does shutdown work")
    second = store.create_conversation("Tk layout")
    opened: list[int] = []
    deleted: list[int] = []
    dialog = ConversationsDialog(tk_root, store, on_open=opened.append, on_deleted=deleted.append)
    assert [dialog.tree.item(i, "text") for i in dialog.tree.get_children()] == ["Tk layout", "About sockets"]
    dialog.search_var.set("SHUTDOWN")
    assert dialog.tree.get_children() == (str(first),)
    dialog.rename_selected("Sockets, renamed")
    assert store.conversation(first).title == "Sockets, renamed"  # type: ignore[union-attr]
    dialog.export_selected(tmp_path / "out.md")
    assert (tmp_path / "out.md").read_text().startswith("# Sockets, renamed\n")
    dialog.search_var.set("")
    dialog.tree.selection_set(str(second))
    dialog.delete_selected(confirm=False)
    assert deleted == [second] and store.conversation(second) is None
    dialog.open_selected()
    assert opened == [first]


def test_backlog_blocks_the_worker_until_the_gui_catches_up() -> None:
    backlog = Backlog(limit=10)
    cancel = threading.Event()
    backlog.add(8, cancel)  # under the limit: returns at once
    passed = threading.Event()

    def worker() -> None:
        backlog.add(8, cancel)
        passed.set()

    thread = threading.Thread(target=worker)
    thread.start()
    assert not passed.wait(0.3), "16 characters waiting: the worker must wait"
    backlog.done(8)
    assert passed.wait(5)
    thread.join(5)
    cancel.set()
    started = time.monotonic()
    backlog.add(100, cancel)  # a cancelled request never waits
    assert time.monotonic() - started < 1


@pytest.mark.servers
def test_self_check_round_trip_against_the_reference_backend(
    reference_backend: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smartspec_tk.ui.chat.wiring import round_trip

    monkeypatch.setenv("SMARTSPEC_BACKEND_URL", reference_backend.url)
    services = Services.build(load_settings(None, None).settings, resolve_paths().ensure())

    def wait_until(condition: Callable[[], bool], timeout: float = 10, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, what
            time.sleep(0.02)

    try:
        round_trip(services, wait_until)  # raises when the answer is not complete
    finally:
        services.close()
