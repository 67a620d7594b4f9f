"""The app's theme (dark or light), for every widget we own. Tk thread only.

    from smartspec_tk.ui import theme

    theme.install(root, settings.theme)      # once, by the composition root (app.py)
    p = theme.current()                      # a core.theme.Palette: p.surface, p.fg, p.muted, p.accent,
                                             # p.error, p.code_bg, …, p.terminal.ansi
    theme.on_change(self._recolour, owner=self)   # called with the new Palette after a live switch,
                                                  # for as long as `owner` exists
    theme.set_mode("light")                  # "dark" | "light" | "system" (View → Theme does this)
    theme.icon("send", "accent_fg")          # a tinted PhotoImage; role = a Palette field or '#rrggbb'
    Tooltip(button, "Send (Enter)")          # from smartspec_tk.ui.theme.tooltip

ttk widgets follow the style set up in `style.py` (named styles: Tool.TButton,
Accent.TButton, Muted.TLabel, Card.TFrame, Terminal.TNotebook…); classic Tk widgets
are recoloured by `recolour.py` and take new colours from the option database. A
widget that sets colours of its own (Text tags, a tk.Label's fg) reads them from
`current()` and registers `on_change` to set them again.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable

from smartspec_tk.core.theme import Palette, ThemeMode
from smartspec_tk.ui.theme.manager import DEFAULT_PALETTE, Listener, ThemeManager

_manager: ThemeManager | None = None


def install(root: tk.Tk, mode: str = "system", detect: Callable[[], str | None] | None = None) -> Palette:
    """Set up the theme for `root` (the ttk style, the option database, the icons)."""
    global _manager
    _manager = ThemeManager(root, mode, detect)
    return _manager.palette


def manager() -> ThemeManager | None:
    return _manager if _manager is not None and _alive(_manager.root) else None


def current() -> Palette:
    """The palette in use (the dark one before `install`)."""
    found = manager()
    return found.palette if found is not None else DEFAULT_PALETTE


def mode() -> ThemeMode:
    found = manager()
    return found.mode if found is not None else "system"


def set_mode(new_mode: str) -> Palette:
    return _ensure().set_mode(new_mode)


def on_change(callback: Listener, owner: tk.Misc) -> None:
    """`callback(palette)` after every live theme change, while `owner` exists (no-op before install)."""
    found = manager()
    if found is not None:
        found.on_change(callback, owner)


def icon(name: str, role: str = "fg") -> tk.PhotoImage:
    """A 16 px icon (32 px on high-DPI screens) tinted with a palette colour; follows theme changes."""
    return _ensure().icons.get(name, role)


def _ensure() -> ThemeManager:
    """The manager; a widget built without the app (a test, a demo) gets the dark theme on Tk's
    default root."""
    found = manager()
    if found is None:
        root = tk._get_default_root("use a theme")  # type: ignore[attr-defined]
        install(root, "dark")
        found = manager()
        assert found is not None
    return found


def _alive(root: tk.Misc) -> bool:
    try:
        return bool(root.winfo_exists())
    except tk.TclError:
        return False


__all__ = ["Palette", "current", "icon", "install", "manager", "mode", "on_change", "set_mode"]
