"""TerminalNotebook: the terminal tabs (new, close, next/previous, rename, reorder) and
`attach(window, pump, services)`, which puts it in the main window with its menus.

API for other features (Tk thread only):
- `notebook.current_view()` → the selected TerminalView or None;
  `notebook.current_session()` → its TerminalSession or None.
- `notebook.selected_text()` → the selected terminal text ('' when none).
- `notebook.paste_into_current(text, bracketed=True)` → paste into the current program
  as a user paste: no newline is added; bracketed when the program enabled it, else
  text containing a newline asks the user first. `bracketed=False` types the text
  as is (newlines become Enter) without asking. Returns True if sent.
- `notebook.open_session(argv=None, env=None, cwd=None, title=None,
  header_widget_factory=None)` → a new tab's TerminalView running `argv` (the login
  shell when None; `env` adds variables to the terminal environment).
  `header_widget_factory(parent, view)` builds a widget shown above the terminal
  (e.g. Kilo's command bar) before the program starts; later, `view.session.write(bytes)`
  types into the program, `view.exited`/`view.exit_code` tell whether it ended, and
  `notebook.rerun(view, argv, env, cwd)` runs another command in the same tab.
  `factory=` (a `(cols, rows) -> TerminalSession` callable, see terminal_sessions.py)
  replaces argv/env/cwd when the caller builds the session itself.
- `notebook.add_tab(make, title)` → a tab of another kind, `make(parent)` (see its docstring).
- `notebook.context_actions.append((label, action))`: adds `action(view)` to every
  terminal's right-click menu (e.g. "Ask chat about selection").
- `notebook.close_tab(view, ask=True)`, `new_tab()`, `select_view(view)`, `views()`.
Other features get it as their `terminals` handle (`ui/handles.Terminals`), from
`ui/terminal/wiring.attach`.
"""

# mypy: disable-error-code="no-untyped-call"
# (typeshed leaves ttk.Notebook's select/tab/tabs/index untyped)
from __future__ import annotations

import functools
import logging
import tkinter as tk
from collections.abc import Callable, Mapping
from pathlib import Path
from tkinter import messagebox, simpledialog, ttk
from typing import TYPE_CHECKING, Any, TypeVar

from smartspec_tk.core.session_state import tab_folder
from smartspec_tk.core.shortcuts import build_keymap
from smartspec_tk.ui.terminal.sessions import session_factory
from smartspec_tk.ui.terminal.tab_bar import ACTIVITY_ROLE, BELL_ROLE, TabBar
from smartspec_tk.ui.terminal.tab_names import TabNames, short
from smartspec_tk.ui.terminal.view import HeaderFactory, SessionFactory, TerminalView
from smartspec_tk.ui.window.shortcuts import Shortcuts

if TYPE_CHECKING:
    from smartspec_tk.core.terminal import TerminalSession
    from smartspec_tk.services import Services
    from smartspec_tk.ui.handles import TerminalTab

log = logging.getLogger(__name__)

T = TypeVar("T", bound="TerminalTab")  # a tab of another kind


def ask_tab_name(parent: tk.Misc, current: str) -> str | None:
    return simpledialog.askstring("Rename tab", "Tab name:", initialvalue=current, parent=parent)


def confirm_close(parent: tk.Misc, what: str) -> bool:
    return bool(messagebox.askyesno(
        "Close tab?", f"A program is still running in {what}.\n\nClose the tab and end it?",
        parent=parent,
    ))  # fmt: skip


class TerminalNotebook(ttk.Notebook):
    """The tabs; each tab is a TerminalView whose session runs a shell or a given command."""

    def __init__(self, master: tk.Misc, services: Services, shortcuts: Shortcuts | None = None) -> None:
        super().__init__(master)
        self.services = services
        # The window's shortcuts; a notebook on its own (tests) binds the default keys itself.
        self.shortcuts = shortcuts or Shortcuts(self.winfo_toplevel(), build_keymap(services.settings.shortcuts))
        self._register_shortcuts()
        self.tab_names = TabNames(self)
        self.started_in: dict[str, str] = {}  # shell tabs only: view path → the folder it started in
        self._count = 0
        self.context_actions: list[tuple[str, Callable[[TerminalView], None]]] = []
        self._rung: set[str] = set()  # hidden tabs marked by a bell
        # ×, +, drag, double-click, dots, empty state
        self.bar = TabBar(self, self.new_tab, "New tab", on_close=lambda name: self.close_tab(self._tab(name)),
                          on_rename=lambda name: self.rename_tab(self._tab(name)))  # fmt: skip
        self.bind("<<NotebookTabChanged>>", self._on_tab_changed, add="+")
        self.bind("<F2>", lambda _e: self.rename_tab(), add="+")

    # -- opening and closing ------------------------------------------------------------

    def open_session(
        self,
        argv: list[str] | None = None,
        env: Mapping[str, str] | None = None,
        cwd: str | Path | None = None,
        title: str | None = None,
        header_widget_factory: HeaderFactory | None = None,
        factory: SessionFactory | None = None,  # replaces argv/env/cwd (Kilo tabs: exact env, argv per run)
    ) -> TerminalView:
        """A new tab running `argv` (the login shell when None), selected and focused."""
        settings = self.services.settings
        shell_tab = argv is None and factory is None
        factory = factory or session_factory(settings, argv=argv, env=env, cwd=cwd)
        view = TerminalView(self, factory, font_family=settings.font_family, font_size=settings.font_size,
                            scrollback=settings.scrollback_lines,
                            header_factory=header_widget_factory)  # fmt: skip
        view.input.ctrl_c_copies = settings.ctrl_c_copies_on()
        self._count += 1
        label = title or (Path(argv[0]).name if argv else f"Terminal {self._count}")
        self.tab_names.opened(view, label, fixed=bool(title))
        if shell_tab:
            self.started_in[str(view)] = str(cwd or settings.workspace)
        self.add(view, text=short(label))
        view.on_title = functools.partial(self.tab_names.program_title, view)
        view.on_exit = functools.partial(self._on_exit, view)
        view.on_activity = functools.partial(self._mark_activity, view)
        view.visual_bell.on_bell = functools.partial(self._mark_bell, view)
        view.shortcuts = self.shortcuts
        view.on_rename = functools.partial(self.rename_tab, view)
        view.context_actions = self.context_actions
        self.select(view)
        self._sync_visible()
        self.bar.sync()
        self.update_idletasks()
        view.start()
        view.focus_terminal()
        return view

    def new_tab(self) -> TerminalView:
        return self.open_session()

    def new_tab_here(self) -> TerminalView:
        """A new shell tab in the current shell tab's folder (else where new tabs open)."""
        tab = self.current_tab()
        return self.open_session(cwd=self.folder_of(tab) if tab is not None else None)

    def folder_of(self, tab: TerminalTab) -> str | None:
        """Where a shell tab's shell is now (see `core/session_state.tab_folder`); None for other tabs."""
        started = self.started_in.get(str(tab))
        if started is None or not isinstance(tab, TerminalView):
            return None
        session = tab.session
        if session is None or tab.exited:
            return started
        return tab_folder(session.cwd_report, session.backend.pid or None, started)

    def add_tab(self, make: Callable[[tk.Misc], T], title: str) -> T:
        """Add a tab of another kind (e.g. Remote), made by `make(parent)`: a widget that is
        also a `ui/handles.TerminalTab`. Its title is fixed (program titles never replace it)."""
        tab = make(self)
        self.tab_names.opened(tab, title, fixed=True)
        self.add(self.nametowidget(str(tab)), text=short(title))
        self.select(tab)
        self._sync_visible()
        self.bar.sync()
        return tab

    def rerun(self, view: TerminalView, argv: list[str] | None = None, env: Mapping[str, str] | None = None,
              cwd: str | Path | None = None) -> None:
        """End the tab's program and run `argv` in the same tab (same header, same title)."""
        view.restart(session_factory(self.services.settings, argv=argv, env=env, cwd=cwd))

    def close_tab(self, tab: TerminalTab | None = None, *, ask: bool = True) -> bool:
        """Close a tab (the current one by default); returns False if the user said no."""
        tab = tab or self.current_tab()
        if tab is None:
            return False
        if ask and tab.foreground_busy() and not confirm_close(self, f"“{self.tab(str(tab), 'text')}”"):
            return False
        self.tab_names.forget(tab)
        self.started_in.pop(str(tab), None)
        self.forget(str(tab))
        tab.close()
        tab.destroy()
        self.bar.sync()
        current = self.current_tab()
        if current is not None:
            current.focus_terminal()
        return True

    def close_all(self, timeout: float = 5.0) -> None:
        """End every tab's program (in parallel) and wait for them; used when quitting."""
        closers = [closer for tab in self.all_tabs() if (closer := tab.close()) is not None]
        for closer in closers:
            closer.join(timeout)

    def any_busy(self) -> bool:
        return any(tab.foreground_busy() for tab in self.all_tabs())

    # -- queries used by other features ---------------------------------------------------

    def all_tabs(self) -> list[TerminalTab]:
        return [self._tab(name) for name in self.tabs()]

    def views(self) -> list[TerminalView]:
        """The terminal tabs (not the tabs of other kinds)."""
        return [tab for tab in self.all_tabs() if isinstance(tab, TerminalView)]

    def current_tab(self) -> TerminalTab | None:
        selected = self.select()
        return self._tab(selected) if selected else None

    def current_view(self) -> TerminalView | None:
        """The current tab when it is a terminal."""
        tab = self.current_tab()
        return tab if isinstance(tab, TerminalView) else None

    def current_session(self) -> TerminalSession | None:
        view = self.current_view()
        return view.session if view is not None else None

    def selected_text(self) -> str:
        tab = self.current_tab()
        return tab.selected_text() if tab is not None else ""

    def paste_into_current(self, text: str, bracketed: bool = True) -> bool:
        """bracketed=True: paste like the user would (bracketed when the program enabled
        it, else multi-line text asks first). bracketed=False: type `text` as is, with
        newlines as Enter, no confirmation (the caller decided). True if sent."""
        tab = self.current_tab()
        if tab is None or tab.exited:
            return False
        if bracketed:
            sent = tab.paste(text)
        elif isinstance(tab, TerminalView) and tab.session is not None:
            tab.session.write(text.replace("\r\n", "\r").replace("\n", "\r").encode("utf-8"))
            sent = True
        else:
            return False
        tab.focus_terminal()
        return sent

    def select_view(self, tab: TerminalTab) -> None:
        self.select(str(tab))
        self._sync_visible()
        tab.focus_terminal()

    def _tab(self, name: str) -> TerminalTab:
        tab: TerminalTab = self.nametowidget(name)
        return tab

    # -- tab actions -------------------------------------------------------------------

    def step(self, delta: int) -> None:
        tabs = self.tabs()
        if len(tabs) > 1:
            index = (self.index("current") + delta) % len(tabs)
            self.select_view(self.nametowidget(tabs[index]))

    def move_tab(self, delta: int) -> None:
        tab = self.current_tab()
        if tab is not None:
            index = max(0, min(self.index("current") + delta, len(self.tabs()) - 1))
            self.insert(index, str(tab))
            tab.focus_terminal()

    def rename_tab(self, tab: TerminalTab | None = None) -> None:
        tab = tab or self.current_tab()
        if tab is None:
            return
        name = ask_tab_name(self, self.tab(str(tab), "text"))
        if name is not None:
            self.name_tab(tab, name)
        tab.focus_terminal()

    def user_name(self, tab: TerminalTab) -> str:
        """The name the user gave the tab ('' when it shows its program's title)."""
        return self.tab_names.user_name(tab)

    def name_tab(self, tab: TerminalTab | None, name: str) -> None:
        """Name a tab (the current one when None) as Rename does; '' gives it back to its program's title."""
        tab = tab or self.current_tab()
        if tab is not None:
            session = tab.session if isinstance(tab, TerminalView) else None
            self.tab_names.rename(tab, name, session.title if session is not None else "")

    def _on_exit(self, view: TerminalView, code: int | None) -> None:
        self.tab_names.program_title(view, f"[exited {code}]")

    def _register_shortcuts(self) -> None:
        current: Callable[[Callable[[TerminalTab], object]], Callable[[], None]] = self._on_current
        for name, action in (
            ("new_tab", self.new_tab), ("new_tab_here", self.new_tab_here), ("close_tab", self.close_tab),
            ("next_tab", lambda: self.step(1)), ("previous_tab", lambda: self.step(-1)),
            ("move_tab_left", lambda: self.move_tab(-1)), ("move_tab_right", lambda: self.move_tab(1)),
            ("find", current(lambda t: t.find())), ("copy", current(lambda t: t.copy())),
            ("paste", current(lambda t: t.paste_clipboard())),
            ("zoom_in", lambda: self.zoom(1)), ("zoom_out", lambda: self.zoom(-1)),
            ("zoom_reset", lambda: self.zoom(0)),
        ):  # fmt: skip
            self.shortcuts.register(name, action)

    def zoom(self, step: int) -> None:
        """The current terminal's font one size larger (1), smaller (-1), or as configured (0)."""
        view = self.current_view()
        if view is not None:
            view.zoom(step)

    def _on_current(self, action: Callable[[TerminalTab], object]) -> Callable[[], None]:
        """`action(tab)` on the current tab, when there is one."""

        def run() -> None:
            tab = self.current_tab()
            if tab is not None:
                action(tab)

        return run

    # -- events ------------------------------------------------------------------------

    def _on_tab_changed(self, _event: tk.Event[Any]) -> None:
        self._sync_visible()

    def _sync_visible(self) -> None:
        current = self.select()
        for tab in self.all_tabs():
            tab.set_visible(str(tab) == current)
        if current:
            self.tab(current, image="")
            self._rung.discard(current)

    def _mark_activity(self, view: TerminalView) -> None:
        """A dot on a hidden tab that printed something (cleared when it is shown)."""
        if str(view) in self.tabs() and str(view) not in self._rung:
            self.tab(view, image=self.bar.dot(ACTIVITY_ROLE), compound="left")

    def _mark_bell(self, view: TerminalView) -> None:
        """A red dot on a hidden tab that rang the bell (wins over the activity dot)."""
        if str(view) in self.tabs() and str(view) != self.select():
            self._rung.add(str(view))
            self.tab(view, image=self.bar.dot(BELL_ROLE), compound="left")

