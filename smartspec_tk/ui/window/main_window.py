"""MainWindow: the terminal notebook beside the chat pane, the menu bar and the status bar.

Features attach themselves to `terminal_area` and `chat_area`, add menu entries
with `menu(name)`, register keyboard shortcuts with `shortcuts.register(action, callback)`
(keys and menu accelerators from `core/shortcuts.py`) and self-checks with `add_self_check`.
"""

from __future__ import annotations

import functools
import logging
import tkinter as tk
from collections.abc import Callable
from tkinter import messagebox, ttk
from typing import Protocol

from smartspec_tk import __version__
from smartspec_tk.core.shortcuts import KeyMap
from smartspec_tk.ui import theme
from smartspec_tk.ui.window.shortcuts import Shortcuts, install_select_all
from smartspec_tk.ui.window.status_bar import StatusBar

log = logging.getLogger(__name__)

MENU_NAMES = ("File", "Edit", "View", "Tabs", "Chat", "Help")
MIN_SIZE = (720, 460)  # below this the chat pane's toolbar and input no longer fit beside a terminal


class WaitUntil(Protocol):
    """What a self-check is given: pump Tk until `condition()` holds (AssertionError after `timeout`)."""

    def __call__(self, condition: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None: ...


SelfCheck = Callable[[WaitUntil], None]


class MainWindow:
    """Owns the root window's layout; knows nothing of terminals or chat internals."""

    def __init__(self, root: tk.Tk, backend_url: str, keymap: KeyMap | None = None) -> None:
        self.root = root
        root.title("SmartSpec Tk")
        root.geometry("1280x780")
        root.minsize(*MIN_SIZE)
        install_select_all(root)
        self.shortcuts = Shortcuts(root, keymap)
        self._menus: dict[str, tk.Menu] = {}
        self._build_menu()
        self.status_bar = StatusBar(root, backend_url)
        self.status_bar.pack(side="bottom", fill="x")
        ttk.Separator(root, orient="horizontal").pack(side="bottom", fill="x")
        self.paned = ttk.PanedWindow(root, orient="horizontal")
        self.paned.pack(fill="both", expand=True)
        self.terminal_area = ttk.Frame(self.paned)
        self.chat_area = ttk.Frame(self.paned)
        self.paned.add(self.terminal_area, weight=3)
        self.paned.add(self.chat_area, weight=2)
        self.self_checks: list[tuple[str, SelfCheck]] = []
        self.close_handlers: list[Callable[[], bool]] = []
        self.quit_handlers: list[Callable[[], None]] = []
        self._quit_done = False
        self.last_sash: int | None = None  # the divider's place while the chat pane is hidden
        self._pending_sash: int | None = None
        self.paned.bind("<Configure>", lambda _e: self._apply_sash(), add="+")
        root.protocol("WM_DELETE_WINDOW", self.request_quit)

    def menu(self, name: str) -> tk.Menu:
        return self._menus[name]

    def add_self_check(self, name: str, check: SelfCheck) -> None:
        """Register a check for `--self-test`; it gets `wait_until(cond, timeout=…)`."""
        self.self_checks.append((name, check))

    def request_quit(self) -> None:
        """Ask every close handler (they may ask the user); quit when all agree."""
        if all(handler() for handler in self.close_handlers):
            self.quit()

    @property
    def quitting(self) -> bool:
        """True once the quit handlers ran."""
        return self._quit_done

    def quit(self) -> None:
        """Run the quit handlers once (the composition root calls this again after the main loop)."""
        if self._quit_done:
            self.root.quit()
            return
        self._quit_done = True
        for handler in self.quit_handlers:
            try:
                handler()
            except Exception:
                log.exception("quit handler failed")
        self.root.quit()

    def _build_menu(self) -> None:
        bar = tk.Menu(self.root, tearoff=False)
        for name in MENU_NAMES:
            menu = tk.Menu(bar, tearoff=False)
            bar.add_cascade(label=name, menu=menu)
            self._menus[name] = menu
        self.add_action("File", "quit", "Quit", self.request_quit)
        self.add_action("View", "toggle_chat", "Toggle chat pane", self.toggle_chat)
        self._theme_menu(self._menus["View"])
        self._menus["View"].add_separator()
        self._menus["Help"].add_command(label="Keyboard shortcuts", command=self._show_shortcuts)
        self._menus["Help"].add_command(label="About SmartSpec Tk", command=self._about)
        self.root.configure(menu=bar)

    def add_action(self, menu: str, action: str, label: str, command: Callable[[], object]) -> None:
        """A menu entry showing the action's keys, and the keys bound window-wide to the same command."""
        self._menus[menu].add_command(label=label, accelerator=self.shortcuts.accelerator(action), command=command)
        self.shortcuts.register(action, command)

    def _theme_menu(self, view: tk.Menu) -> None:
        themes = tk.Menu(view, tearoff=False)
        self._theme_var = tk.StringVar(self.root, value=theme.mode())
        for mode, label in (("system", "Follow the system"), ("dark", "Dark"), ("light", "Light")):
            themes.add_radiobutton(label=label, value=mode, variable=self._theme_var,
                                   command=functools.partial(self.set_theme, mode))  # fmt: skip
        view.add_cascade(label="Theme", menu=themes)

    def set_theme(self, mode: str) -> None:
        """Switch the theme live (View → Theme, Settings) and tick it in the menu."""
        theme.set_mode(mode)
        self._theme_var.set(mode)

    def _show_shortcuts(self) -> None:
        from smartspec_tk.ui.window.shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog(self.root, self.shortcuts.keymap)

    def toggle_chat(self) -> None:
        if str(self.chat_area) in self.paned.panes():  # type: ignore[no-untyped-call]
            self.last_sash = int(self.paned.sashpos(0))  # type: ignore[no-untyped-call]
            self.paned.forget(self.chat_area)
        else:
            self.paned.add(self.chat_area, weight=2)
            if self.last_sash is not None:
                self.place_sash(self.last_sash)

    def place_sash(self, x: int) -> None:
        """Put the divider `x` pixels from the left once the panes are laid out (kept inside the window)."""
        self.last_sash = self._pending_sash = x
        self.root.after_idle(self._apply_sash)

    def _apply_sash(self) -> None:
        x, width = self._pending_sash, self.paned.winfo_width()
        if x is None or width <= 1 or len(self.paned.panes()) < 2:  # type: ignore[no-untyped-call]
            return
        self.paned.sashpos(0, max(120, min(x, width - 120)))  # type: ignore[no-untyped-call]
        if abs(width - self.root.winfo_width()) < 8 and self.root.winfo_ismapped():
            self._pending_sash = None  # laid out at the window's real width: done
    def _about(self) -> None:
        messagebox.showinfo(
            "About SmartSpec Tk",
            f"SmartSpec Tk {__version__}\nTerminals, chat and media prompts in one small executable.",
            parent=self.root,
        )
