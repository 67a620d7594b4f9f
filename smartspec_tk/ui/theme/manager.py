"""The app's current theme and who wants to hear when it changes (Tk thread only).

One `ThemeManager` per Tk root, made by `install(root, mode)`; the module functions in
`ui/theme/__init__.py` talk to the last one installed (tests install one per root).
"""

from __future__ import annotations

import logging
import tkinter as tk
from collections.abc import Callable

from smartspec_tk.core.theme import DARK, MODES, Palette, ThemeMode, palette, resolve
from smartspec_tk.ui.theme.icons import IconSet
from smartspec_tk.ui.theme.recolour import recolour_tree
from smartspec_tk.ui.theme.style import apply_options, apply_style, scale_of

log = logging.getLogger(__name__)

Listener = Callable[[Palette], None]


class ThemeManager:
    def __init__(self, root: tk.Tk, mode: str = "system", detect: Callable[[], str | None] | None = None) -> None:
        self.root = root
        self._detect = detect
        self.mode: ThemeMode = _mode(mode)
        self.palette: Palette = palette(resolve(self.mode, detect))
        self.scale = scale_of(root)
        self.icons = IconSet(root, self.palette, self.scale)
        self._listeners: list[tuple[tk.Misc, Listener]] = []
        self._apply()

    def set_mode(self, mode: str) -> Palette:
        """Switch live: ttk styles, classic widgets, icons, then every listener."""
        self.mode = _mode(mode)
        chosen = palette(resolve(self.mode, self._detect))
        if chosen == self.palette:
            return chosen
        self.palette = chosen
        log.info("theme: %s (%s)", chosen.name, self.mode)
        self.icons.retint(chosen)
        self._apply()
        recolour_tree(self.root, chosen)
        self._notify()
        return chosen

    def on_change(self, callback: Listener, owner: tk.Misc) -> None:
        """Call `callback(palette)` after each theme change while `owner` exists."""
        self._listeners.append((owner, callback))

    def _apply(self) -> None:
        apply_style(self.root, self.palette, self.icons)
        apply_options(self.root, self.palette)

    def _notify(self) -> None:
        alive: list[tuple[tk.Misc, Listener]] = []
        for owner, callback in self._listeners:
            if not _exists(owner):
                continue
            alive.append((owner, callback))
            try:
                callback(self.palette)
            except Exception as exc:
                self.root.report_callback_exception(type(exc), exc, exc.__traceback__)
        self._listeners = alive


def _mode(mode: str) -> ThemeMode:
    if mode not in MODES:
        log.warning("unknown theme %r; following the system", mode)
        return "system"
    return mode


def _exists(widget: tk.Misc) -> bool:
    try:
        return bool(widget.winfo_exists())
    except tk.TclError:
        return False


DEFAULT_PALETTE = DARK
