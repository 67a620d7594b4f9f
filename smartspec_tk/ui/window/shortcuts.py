"""Shortcuts: the application's keyboard shortcuts bound window-wide (Tk thread).

Features `register(action, callback)` the actions of `core/shortcuts.ACTIONS` they implement; the
keys come from the KeyMap (defaults plus the `shortcuts` setting) and work from any widget of the
main window. A focused terminal sends every key to its program, so its key handler asks
`keymap.action_for(…)` first and calls `run(action)` (see ui/terminal/keys.py). Menus show
`accelerator(action)`. `install_select_all` makes Ctrl+A select all in every entry and text field.
"""

from __future__ import annotations

import contextlib
import logging
import tkinter as tk
from collections.abc import Callable
from typing import Any

from smartspec_tk.core.shortcuts import BY_NAME, SHIFT_FREE, Chord, KeyMap, build_keymap

log = logging.getLogger(__name__)

# Class bindings that would act before the window-wide ones (Text: Ctrl+Tab moves the focus).
_OVERRIDDEN_CLASSES = ("Text", "TNotebook")
_KEYSYM_VARIANTS = {"plus": ("plus", "KP_Add"), "minus": ("minus", "KP_Subtract"), "0": ("0", "KP_0")}


def sequences(chord: Chord) -> list[str]:
    """The Tk event sequences that press `chord` (both letter cases, keypad twins, X11's Shift+Tab)."""
    mods = "".join(name for name, on in (("Control-", chord.ctrl), ("Alt-", chord.alt),
                                         ("Shift-", chord.shift and chord.key not in SHIFT_FREE)) if on)  # fmt: skip
    if len(chord.key) == 1 and chord.key.isalpha():
        keysyms: tuple[str, ...] = (chord.key.upper(), chord.key.lower())
    elif chord.key == "Tab" and chord.shift:
        keysyms = ("Tab", "ISO_Left_Tab")
    else:
        keysyms = _KEYSYM_VARIANTS.get(chord.key, (chord.key,))
    return [f"<{mods}KeyPress-{keysym}>" for keysym in keysyms]


class Shortcuts:
    """The registered actions and their window-wide bindings."""

    def __init__(self, root: tk.Misc, keymap: KeyMap | None = None) -> None:
        self.root = root
        self.keymap = keymap or build_keymap()
        self._callbacks: dict[str, Callable[[], object]] = {}

    def register(self, name: str, callback: Callable[[], object]) -> None:
        """`callback` runs when the action's keys are pressed anywhere in the main window."""
        if name not in BY_NAME:
            raise KeyError(name)
        self._callbacks[name] = callback
        if BY_NAME[name].scope != "window":
            return  # terminal-only keys (copy, paste) are handled by the terminal itself
        for chord in self.keymap.chords.get(name, ()):
            for sequence in sequences(chord):
                self._bind(sequence, name)

    def _bind(self, sequence: str, name: str) -> None:
        def fire(event: tk.Event[Any]) -> str | None:
            return self._fire(event, name)

        for tag in ("all", *_OVERRIDDEN_CLASSES):
            try:
                if tag == "all":
                    self.root.bind_all(sequence, fire)
                else:
                    self.root.bind_class(tag, sequence, fire)
            except tk.TclError:  # a keysym this platform's Tk does not know (ISO_Left_Tab on Windows)
                return

    def _fire(self, event: tk.Event[Any], name: str) -> str | None:
        widget = event.widget
        with contextlib.suppress(Exception):
            if isinstance(widget, tk.Misc) and widget.winfo_toplevel() is not self.root.winfo_toplevel():
                return None  # keys in a dialog stay the dialog's
        return "break" if self.run(name) else None

    def run(self, name: str) -> bool:
        """Run the action; False when no feature registered it."""
        callback = self._callbacks.get(name)
        if callback is None:
            return False
        callback()
        return True

    def accelerator(self, name: str) -> str:
        return self.keymap.accelerator(name)


def install_select_all(root: tk.Misc) -> None:
    """Ctrl+A selects all in every Entry, Text, Combobox and Spinbox (Tk on X11 binds it to
    "line start", emacs-style; users expect select-all, and Home still goes to the line start)."""
    for virtual, sequence in (("<<LineStart>>", "<Control-Key-a>"), ("<<LineStart>>", "<Control-Lock-Key-A>"),
                              ("<<SelectLineStart>>", "<Control-Key-A>"),
                              ("<<SelectLineStart>>", "<Control-Lock-Key-a>")):  # fmt: skip
        with contextlib.suppress(tk.TclError):
            root.event_delete(virtual, sequence)
    root.event_add("<<SelectAll>>", "<Control-Key-a>", "<Control-Lock-Key-A>")
    root.bind_class("Text", "<<SelectAll>>", _select_all_text)


def _select_all_text(event: tk.Event[Any]) -> str:
    """Tk's own also selects the Text's last newline (which a copy would then carry)."""
    text = event.widget
    if isinstance(text, tk.Text):
        text.tag_add("sel", "1.0", "end-1c")
        text.mark_set("insert", "end-1c")
    return "break"
