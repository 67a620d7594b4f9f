"""Layout on real Tk with every feature attached as the app does: a minimum window size; at
800×500 the model picker, the chat toolbar and the attachment buttons stay whole and usable (the
toolbar wraps instead of squeezing the model box to nothing); the empty state with its New tab
button when the last tab is closed."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from smartspec_tk.features import Features, attach_features
from smartspec_tk.ui.chat.pane import ChatPane
from smartspec_tk.ui.terminal.notebook import TerminalNotebook
from smartspec_tk.ui.window.main_window import MIN_SIZE, MainWindow
from smartspec_tk.ui.window.pump import Pump
from tests.terminal.ui_helpers import make_services

Wait = Callable[..., None]


@pytest.fixture
def app(tk_root: tk.Tk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[MainWindow, Features]]:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("SMARTSPEC_BACKEND_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("SMARTSPEC_SHELL", "bash")
    services = make_services()
    window = MainWindow(tk_root, services.backend_url)
    pump = Pump(tk_root, services.outbox)
    features = attach_features(window, pump, services)
    pump.start()
    try:
        yield window, features
    finally:
        window.quit()
        pump.stop()
        services.close()


def inside(widget: tk.Misc, container: tk.Misc) -> bool:
    """The widget is mapped and drawn whole inside the container (not cut at its right edge)."""
    right = widget.winfo_rootx() + widget.winfo_width()
    return bool(widget.winfo_ismapped()) and right <= container.winfo_rootx() + container.winfo_width()


def test_at_800x500_the_model_picker_and_the_chat_buttons_stay_usable(app: tuple[MainWindow, Features],
                                                                      wait_until: Wait) -> None:  # fmt: skip
    window, features = app
    root = window.root
    assert tuple(int(v) for v in root.minsize()) == MIN_SIZE
    pane = features.chat
    assert isinstance(pane, ChatPane)
    toolbar = pane.toolbar
    root.geometry("1400x800")
    wait_until(lambda: root.winfo_width() == 1400 and toolbar.wrapped is False, what="a wide window: one row")
    root.geometry("800x500")
    wait_until(lambda: root.winfo_width() == 800 and toolbar.wrapped is True, what="a narrow chat pane: two rows")
    root.update()
    assert toolbar.model_box.winfo_width() >= 150  # room for a model name
    for widget in (toolbar.model_box, toolbar.new_button, toolbar.prompt_button):
        assert inside(widget, toolbar), widget
    bar = features.media
    assert bar is not None
    for button in (bar.picture_button, bar.video_button):  # type: ignore[attr-defined]
        assert inside(button, pane), button
    header = pane.navigator.header
    long_title = "Show me what you can render, please"  # wider than the pane at 800, not at 1400
    header.set_title(long_title, renamable=True)
    root.update()
    shown = str(header.title_label.cget("text"))
    assert shown.endswith("…") and long_title.startswith(shown[:-1].rstrip()) and header.title == long_title
    assert header.title_label.winfo_reqwidth() <= header.title_label.winfo_width() + 2  # cut, not clipped
    root.geometry("1400x800")
    wait_until(lambda: toolbar.wrapped is False, what="one row again")
    wait_until(lambda: header.title_label.cget("text") == long_title, what="the whole title in a wide pane")


def test_closing_the_last_tab_shows_the_empty_state_and_its_button_opens_one(
        app: tuple[MainWindow, Features], wait_until: Wait) -> None:  # fmt: skip
    window, features = app
    notebook = features.terminals
    assert isinstance(notebook, TerminalNotebook)
    for tab in notebook.all_tabs():
        notebook.close_tab(tab, ask=False)
    window.root.update()
    empty = notebook.bar.empty
    assert empty.winfo_ismapped() and empty.button.winfo_ismapped()
    empty.button.invoke()
    wait_until(lambda: len(notebook.tabs()) == 1 and not empty.winfo_ismapped(), what="a new tab from the button")
