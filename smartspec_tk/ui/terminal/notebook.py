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

from smartspec_tk.ui.terminal.sessions import session_factory
from smartspec_tk.ui.terminal.tab_bar import ACTIVITY_ROLE, BELL_ROLE, TabBar
from smartspec_tk.ui.terminal.view import HeaderFactory, SessionFactory, TerminalView

if TYPE_CHECKING:
    from smartspec_tk.services import Services

log = logging.getLogger(__name__)

TITLE_CHARS = 28
W = TypeVar("W", bound=tk.Widget)


def ask_tab_name(parent: tk.Misc, current: str) -> str | None:
    return simpledialog.askstring("Rename tab", "Tab name:", initialvalue=current, parent=parent)


def confirm_close(parent: tk.Misc, what: str) -> bool:
    return bool(messagebox.askyesno(
        "Close tab?", f"A program is still running in {what}.\n\nClose the tab and end it?",
        parent=parent,
    ))  # fmt: skip


class TerminalNotebook(ttk.Notebook):
    """The tabs; each tab is a TerminalView whose session runs a shell or a given command."""

    def __init__(self, master: tk.Misc, services: Services) -> None:
        super().__init__(master)
        self.services = services
        self._names: dict[str, str] = {}  # view path → name the user gave (wins over OSC titles)
        self._labels: dict[str, str] = {}  # view path → the label it opened with
        self._count = 0
        self.context_actions: list[tuple[str, Callable[[TerminalView], None]]] = []
        self._rung: set[str] = set()  # hidden tabs marked by a bell
        # ×, +, drag, double-click, dots, empty state
        self.bar = TabBar(self, self.new_tab, "New tab", on_close=self.close_tab, on_rename=self.rename_tab)
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
        factory = factory or session_factory(settings, argv=argv, env=env, cwd=cwd)
        view = TerminalView(self, factory, font_family=settings.font_family, font_size=settings.font_size,
                            scrollback=settings.scrollback_lines,
                            header_factory=header_widget_factory)  # fmt: skip
        self._count += 1
        label = title or (Path(argv[0]).name if argv else f"Terminal {self._count}")
        if title:
            self._names[str(view)] = title
        self._labels[str(view)] = label
        self.add(view, text=_short(label))
        view.on_title = functools.partial(self._set_title, view)
        view.on_exit = functools.partial(self._on_exit, view)
        view.on_activity = functools.partial(self._mark_activity, view)
        view.visual_bell.on_bell = functools.partial(self._mark_bell, view)
        view.shortcuts = self._shortcuts()
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

    def add_tab(self, make: Callable[[tk.Misc], W], title: str) -> W:
        """Add a tab of another kind (e.g. Remote), made by `make(parent)`. It must offer what
        the notebook asks of its tabs: `session` (or None), `exited`, `set_visible(bool)`,
        `foreground_busy()`, `focus_terminal()`, `close()`, `selected_text()`,
        `input.copy/paste/paste_clipboard`, `search.open()`. Its title is fixed (program
        titles never replace it)."""
        tab = make(self)
        self._names[str(tab)] = title
        self._labels[str(tab)] = title
        self.add(tab, text=_short(title))
        self.select(tab)
        self._sync_visible()
        self.bar.sync()
        return tab

    def rerun(self, view: TerminalView, argv: list[str] | None = None, env: Mapping[str, str] | None = None,
              cwd: str | Path | None = None) -> None:
        """End the tab's program and run `argv` in the same tab (same header, same title)."""
        view.restart(session_factory(self.services.settings, argv=argv, env=env, cwd=cwd))

    def close_tab(self, view: TerminalView | None = None, *, ask: bool = True) -> bool:
        """Close a tab (the current one by default); returns False if the user said no."""
        view = view or self.current_view()
        if view is None:
            return False
        if ask and view.foreground_busy() and not confirm_close(self, f"“{self.tab(view, 'text')}”"):
            return False
        self._names.pop(str(view), None)
        self._labels.pop(str(view), None)
        self.forget(view)
        view.close()
        view.destroy()
        self.bar.sync()
        current = self.current_view()
        if current is not None:
            current.focus_terminal()
        return True

    def close_all(self, timeout: float = 5.0) -> None:
        """End every tab's program (in parallel) and wait for them; used when quitting."""
        closers = [closer for view in self.views() if (closer := view.close()) is not None]
        for closer in closers:
            closer.join(timeout)

    def any_busy(self) -> bool:
        return any(view.foreground_busy() for view in self.views())

    # -- queries used by other features ---------------------------------------------------

    def views(self) -> list[TerminalView]:
        return [self.nametowidget(name) for name in self.tabs()]

    def current_view(self) -> TerminalView | None:
        selected = self.select()
        return self.nametowidget(selected) if selected else None

    def current_session(self) -> Any:
        view = self.current_view()
        return view.session if view is not None else None

    def selected_text(self) -> str:
        view = self.current_view()
        return view.selected_text() if view is not None else ""

    def paste_into_current(self, text: str, bracketed: bool = True) -> bool:
        """bracketed=True: paste like the user would (bracketed when the program enabled
        it, else multi-line text asks first). bracketed=False: type `text` as is, with
        newlines as Enter, no confirmation (the caller decided). True if sent."""
        view = self.current_view()
        if view is None or view.session is None or view.exited:
            return False
        if bracketed:
            sent = view.input.paste(text)
        else:
            view.session.write(text.replace("\r\n", "\r").replace("\n", "\r").encode("utf-8"))
            sent = True
        view.focus_terminal()
        return sent

    def select_view(self, view: TerminalView) -> None:
        self.select(view)
        self._sync_visible()
        view.focus_terminal()

    # -- tab actions -------------------------------------------------------------------

    def step(self, delta: int) -> None:
        tabs = self.tabs()
        if len(tabs) > 1:
            index = (self.index("current") + delta) % len(tabs)
            self.select_view(self.nametowidget(tabs[index]))

    def move_tab(self, delta: int) -> None:
        view = self.current_view()
        if view is not None:
            index = max(0, min(self.index("current") + delta, len(self.tabs()) - 1))
            self.insert(index, view)
            view.focus_terminal()

    def rename_tab(self, view: TerminalView | None = None) -> None:
        view = view or self.current_view()
        if view is None:
            return
        name = ask_tab_name(self, self.tab(view, "text"))
        if name is None:
            return
        if name.strip():
            self._names[str(view)] = name.strip()
            self.tab(view, text=_short(name.strip()))
        else:  # an empty name gives the tab back to the program's title
            self._names.pop(str(view), None)
            self._set_title(view, view.session.title if view.session else "")
        view.focus_terminal()

    def _on_exit(self, view: TerminalView, code: int | None) -> None:
        self._set_title(view, f"[exited {code}]")

    def _set_title(self, view: TerminalView, title: str) -> None:
        """A program's title (or, when it is empty, the tab's first label) unless renamed."""
        if str(view) in self._names or str(view) not in self.tabs():
            return
        self.tab(view, text=_short(title or self._labels.get(str(view), "")))

    def _shortcuts(self) -> dict[str, Callable[[], None]]:
        return {
            "new": lambda: None if self.new_tab() else None,
            "close": lambda: None if self.close_tab() else None,
            "next": lambda: self.step(1),
            "prev": lambda: self.step(-1),
            "move_left": lambda: self.move_tab(-1),
            "move_right": lambda: self.move_tab(1),
            "rename": self.rename_tab,
        }

    # -- events ------------------------------------------------------------------------

    def _on_tab_changed(self, _event: tk.Event[Any]) -> None:
        self._sync_visible()

    def _sync_visible(self) -> None:
        current = self.select()
        for view in self.views():
            view.set_visible(str(view) == current)
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


def _short(title: str) -> str:
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"
