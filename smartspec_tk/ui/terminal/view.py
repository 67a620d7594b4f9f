"""TerminalView: one terminal tab — a TerminalSession drawn into a tk.Text with a scrollbar,
an optional header (Kilo's command bar), a search bar and an "exited" banner.

One `after` loop per view: every frame it lets the session parse for a bounded time
(`session.process(budget)`) and, when the view is visible, redraws the dirty lines.
Hidden views keep parsing (with a smaller budget, less often) but do not draw.
Input (keys, mouse, clipboard) lives in `terminal_input.TerminalInput`.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
import tkinter as tk
from collections.abc import Callable
from tkinter import ttk
from typing import TYPE_CHECKING, Any

from smartspec_tk.core.terminal.fallback import FailedBackend
from smartspec_tk.core.terminal.session import TerminalSession
from smartspec_tk.core.theme import Palette
from smartspec_tk.ui import theme
from smartspec_tk.ui.terminal.bell import VisualBell
from smartspec_tk.ui.terminal.geometry import ViewGeometry
from smartspec_tk.ui.terminal.input import TerminalInput
from smartspec_tk.ui.terminal.palette import (
    TagCache,
    cell_tabs,
    make_fonts,
    pick_family,
    program_palette,
    tiny_font,
)
from smartspec_tk.ui.terminal.render import TextRenderer, selection_text
from smartspec_tk.ui.terminal.search import SearchBar

if TYPE_CHECKING:
    from smartspec_tk.ui.window.shortcuts import Shortcuts

log = logging.getLogger(__name__)

FRAME_MS = 16  # ~60 fps cap for redraws
HIDDEN_MS = 100  # hidden tabs drain their pty this often
FAST_POLL_S = 0.1  # after input, poll every 2 ms for this long (keystroke echo latency)
PARSE_BUDGET_S = 0.005
HIDDEN_BUDGET_S = 0.003
MAX_VIEW_HISTORY = 20_000  # lines of scrollback kept in the widget (the core keeps its own)
SessionFactory = Callable[[int, int], TerminalSession]  # (cols, rows) -> a started session
HeaderFactory = Callable[[tk.Misc, "TerminalView"], tk.Widget]  # (parent, view) -> e.g. Kilo's command bar


class TerminalView(ViewGeometry):
    """A terminal tab's widget. `session` is replaced on restart; read it fresh each time."""

    def __init__(
        self,
        master: tk.Misc,
        session_factory: SessionFactory,
        *,
        font_family: str = "",
        font_size: int = 11,
        scrollback: int = 10_000,
        header_factory: HeaderFactory | None = None,
    ) -> None:
        super().__init__(master)
        self._factory = session_factory
        self.on_title: Callable[[str], None] = lambda _title: None
        self.on_exit: Callable[[int | None], None] = lambda _code: None
        self.on_activity: Callable[[], None] = lambda: None  # new output while hidden
        self.shortcuts: Shortcuts | None = None  # the window's application shortcuts (set by the notebook)
        self.on_rename: Callable[[], None] = lambda: None  # F2 at a shell prompt
        # The banner's text when the program ends (None: "[process exited with code N] — press Enter…").
        self.exit_note: Callable[[int | None], str] | None = None
        # (label, action(view)) entries appended to the right-click menu (shared by all tabs).
        self.context_actions: list[tuple[str, Callable[[TerminalView], None]]] = []
        self.header = header_factory(self, self) if header_factory else None
        if self.header is not None:
            self.header.pack(side="top", fill="x")
        self._base_size = font_size
        self.fonts = make_fonts(self, pick_family(self, font_family), font_size)
        self.banner = tk.Label(self, anchor="w")
        self.search = SearchBar(self, self._search_target)
        self.text = self._build_text()
        self.visual_bell = VisualBell(self.text)  # its on_bell: set by the notebook (marks hidden tabs)
        self.renderer = TextRenderer(self.text, TagCache(self.text, self.fonts),
                                     min(scrollback, MAX_VIEW_HISTORY))  # fmt: skip
        self.input = TerminalInput(self)
        self._recolour(theme.current())
        theme.on_change(self._recolour, owner=self)
        self._init_state()
        self.text.bind("<Configure>", self._on_configure, add="+")
        self.text.bind("<FocusIn>", lambda _e: self._set_focused(True), add="+")
        self.text.bind("<FocusOut>", lambda _e: self._set_focused(False), add="+")
        self.bind("<Destroy>", self._on_destroy, add="+")

    def _init_state(self) -> None:
        """Per-session state (the session itself is made by `start`)."""
        self.cols, self.rows = 80, 24
        self.session: TerminalSession | None = None
        self.visible = True
        self.exit_code: int | None = None
        self.exited = False
        self._title = ""
        self._drawn_at = 0.0
        self._fast_until = 0.0
        self._active = False
        self._cursor: tuple[int, int, bool] | None = None
        self._after: str | None = None
        self._resize_after: str | None = None
        self._bells = 0
        self._colours_key: tuple[int, bool] = (0, False)

    def _build_text(self) -> tk.Text:
        """The Text (never edited by the user: TerminalInput intercepts every key) and its scrollbar."""
        body = self.body = tk.Frame(self, borderwidth=0, highlightthickness=0)
        body.pack(side="top", fill="both", expand=True)
        text = tk.Text(
            body, width=1, height=1, wrap="none", undo=False, borderwidth=0,
            padx=4, pady=2, insertwidth=0,
            font=tiny_font(self, str(self.fonts[(False, False)].actual("family"))), cursor="xterm",
            exportselection=True, tabs=cell_tabs(self.fonts), tabstyle="wordprocessor",
        )  # fmt: skip
        self.scrollbar = ttk.Scrollbar(body, orient="vertical", command=text.yview)
        text.configure(yscrollcommand=self.scrollbar.set)
        self.scrollbar.pack(side="right", fill="y")
        text.pack(side="left", fill="both", expand=True)
        self._slack = 0  # px below the Text (in the body) so it shows exactly rows x cell height
        return text

    def _recolour(self, palette: Palette) -> None:
        """The terminal's colours from the theme (at start and after a live switch), with what the
        program changed (OSC 4/10/11, DECSCNM) on top."""
        term = palette.terminal
        self.banner.configure(background=term.banner_bg, foreground=term.banner_fg)
        session = getattr(self, "session", None)
        if session is not None:
            session.set_theme_colors(term.foreground, term.background, term.cursor)
            self._colours_key = (session.colors_version, session.reverse_screen)
            ansi, fg, bg = session.drawn_colors()
            term = program_palette(term, ansi, fg, bg, session.reverse_screen)
        self.body.configure(background=term.background)
        self.text.configure(background=term.background, foreground=term.foreground, selectbackground=term.selection,
                            selectforeground=term.foreground, inactiveselectbackground=term.selection)  # fmt: skip
        self.visual_bell.rest()
        self.renderer.tags.retheme(term)
        self.renderer.recolour_cursor()

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> None:
        """Start (or restart) the program at the size the widget has now."""
        self.cols, self.rows, slack = self._fit()
        self._fit_height(slack)
        try:
            self.session = self._factory(self.cols, self.rows)
        except Exception as exc:  # noqa: BLE001 - a program that cannot start is shown in its tab
            log.exception("terminal: the tab's program could not start")
            self.session = TerminalSession(FailedBackend(f"smartspec-tk: could not start the program: {exc}"),
                                           self.cols, self.rows)  # fmt: skip
        self.session.on_clipboard = self._clipboard_write  # only called when the setting allows it
        self._bells = 0
        self.exited = False
        self.exit_code = None
        self._title = ""
        self.on_title("")
        self.banner.pack_forget()
        self._recolour(theme.current())  # a restarted program starts with the theme's colours
        self._full_redraw()
        self._schedule(0)

    def restart(self, session_factory: SessionFactory | None = None) -> None:
        """End the program and start it again (or start what `session_factory` makes)."""
        self.close()
        if session_factory is not None:
            self._factory = session_factory
        self.start()

    def close(self) -> threading.Thread | None:
        """Stop the loop and end the program's whole session in a worker thread (the
        terminate escalation can take a second); returns that thread to join if needed."""
        self._cancel()
        self.visual_bell.cancel()
        if self._resize_after is not None:
            self.after_cancel(self._resize_after)
            self._resize_after = None
        session, self.session = self.session, None
        if session is None:
            return None
        closer = threading.Thread(target=session.close, name="terminal-close", daemon=True)
        closer.start()
        return closer

    def _clipboard_write(self, text: str) -> None:
        self.clipboard_clear()
        self.clipboard_append(text)

    def set_visible(self, visible: bool) -> None:
        """Hidden tabs keep reading but skip drawing; showing one redraws it fully."""
        if visible and not self.visible and self.session is not None:
            self._full_redraw()
        self.visible = visible
        self._active = False

    def foreground_busy(self) -> bool:
        """True when a program other than the shell runs in the foreground."""
        if self.session is None or self.exited:
            return False
        return bool(self.session.foreground_busy())

    def focus_terminal(self) -> None:
        self.text.focus_set()

    def input_sent(self) -> None:
        """After a key or paste, poll quickly for a while so the echo shows without delay."""
        self._fast_until = time.perf_counter() + FAST_POLL_S
        if self._after is not None and self.session is not None:
            self._schedule(1)
        self.snap_to_bottom()

    def snap_to_bottom(self) -> None:
        """Typing or pasting brings a scrolled-back view back to the live screen."""
        if self.text.yview()[1] < 1.0:
            self.text.yview_moveto(1.0)

    # -- the frame loop -----------------------------------------------------------------

    def _schedule(self, delay_ms: int) -> None:
        """Come back after `delay_ms`; 0 (output pending) means "after Tk's idle work": a
        timer due at once would keep Tk from ever reaching its idle handlers (Text redisplay,
        geometry, the chat's echo), which froze the whole window during a flood."""
        self._cancel()
        if delay_ms <= 0:
            self._after = self.after_idle(self._after_idle)
        else:
            self._after = self.after(delay_ms, self._tick)

    def _after_idle(self) -> None:
        # Idle handlers queued during this idle pass run in the next one; a timer lets X events in first.
        self._after = self.after(0, self._tick)

    def _cancel(self) -> None:
        if self._after is not None:
            self.after_cancel(self._after)
            self._after = None

    def _tick(self) -> None:
        """Parse for a bounded time; draw at most once per frame; come back at once while
        output is pending (a flood), else poll at the frame rate (hidden tabs: slower)."""
        self._after = None
        session = self.session
        if session is None:
            return
        if not self.visible and not self._active and session.pending_bytes > 0:
            self._active = True  # output arrived while hidden: the notebook marks the tab
            self.on_activity()
        more = session.process(PARSE_BUDGET_S if self.visible else HIDDEN_BUDGET_S)
        now = time.perf_counter()
        if self.visible and (not more or now - self._drawn_at >= FRAME_MS / 1000):
            self._drawn_at = now
            self.redraw(flooding=more)
        if session.title != self._title:
            self._title = session.title
            self.on_title(self._title)
        if session.bell_count != self._bells:
            self._bells = session.bell_count
            self.visual_bell.ring(visible=self.visible)
        if session.exited:
            self._show_exit(session, session.exit_code)
            return
        if self.visible:
            fast = more or self.renderer.behind or now < self._fast_until
            self._schedule((0 if more else 2) if fast else FRAME_MS)
        else:
            self._schedule(FRAME_MS if more else HIDDEN_MS)

    def redraw(self, *, flooding: bool = False) -> None:
        """Draw what changed; keep the view pinned to the bottom only if it was there."""
        session = self.session
        if session is None:
            return
        if (session.colors_version, session.reverse_screen) != self._colours_key:
            self._recolour(theme.current())
        at_bottom = self.text.yview()[1] >= 1.0
        changed = self.renderer.draw(session, flooding=flooding)
        if changed or session.cursor != self._cursor:
            self._cursor = session.cursor
            self.renderer.place_cursor(session, visible=True)
        if at_bottom and changed and self.text.yview()[1] < 1.0:
            self.text.yview_moveto(1.0)

    def _full_redraw(self) -> None:
        """Redraw everything (new session, resize, tab shown again) and show the bottom."""
        session = self.session
        if session is None:
            return
        self.renderer.reset(session, self.rows)
        self._cursor = session.cursor
        self.renderer.place_cursor(session, visible=not self.exited)
        self.text.yview_moveto(1.0)
        if self.search.is_open:
            self.search.refresh()

    def _show_exit(self, session: TerminalSession, code: int | None) -> None:
        self.exited = True
        self.exit_code = code
        shown = "?" if code is None else str(code)
        note = self.exit_note(code) if self.exit_note is not None else ""
        self.banner.configure(text=note or f"  [process exited with code {shown}] — press Enter to restart",
                              wraplength=max(self.winfo_width() - 16, 200), justify="left")  # fmt: skip
        self.banner.pack(side="bottom", fill="x")
        self.renderer.place_cursor(session, visible=False)
        self.on_exit(code)

    def _set_focused(self, focused: bool) -> None:
        self.renderer.focused = focused
        if self.session is not None:
            self.renderer.place_cursor(self.session, visible=not self.exited)

    # -- helpers for the notebook and input -----------------------------------------------

    def selected_text(self) -> str:
        """The selection as the user means it (see `terminal_render.selection_text`)."""
        return selection_text(self.text)

    def find(self) -> None:
        """Open the search bar (Ctrl+Shift+F)."""
        self.search.open()

    def copy(self) -> None:
        self.input.copy()

    def paste(self, text: str) -> bool:
        """Paste into the program as the user would (bracketed, or asking before line breaks)."""
        return self.input.paste(text)

    def paste_clipboard(self) -> None:
        self.input.paste_clipboard()

    def screen_line(self) -> int:
        return self.renderer.screen_line(0)

    def context_entries(self) -> list[tuple[str, Callable[[], None]]]:
        return [(label, functools.partial(action, self)) for label, action in self.context_actions]

    def _search_target(self) -> tk.Text:
        return self.text

    def _on_destroy(self, event: tk.Event[Any]) -> None:
        if event.widget is self:
            self.close()
