"""Keys of a focused terminal: the application's shortcuts first (the keymap of
`core/shortcuts.py`, so Quit, New tab, Toggle chat… work while a terminal has the focus), then
the terminal's own keys (F2 rename at a prompt, Shift+PgUp/PgDn scroll, Windows Terminal's
Ctrl+C/Ctrl+V when that setting is on), then every other key goes to the program.
"""

from __future__ import annotations

import sys
import tkinter as tk
from collections.abc import Callable
from typing import Protocol

from smartspec_tk.core.shortcuts import KeyMap, build_keymap
from smartspec_tk.core.terminal.keys import KeyPress, encode_key, modifiers_from_state
from smartspec_tk.ui.terminal.host import InputHost


class Clipboard(Protocol):
    """The clipboard half of the terminal's input (`input.TerminalInput`)."""

    def copy(self) -> None: ...

    def paste_clipboard(self) -> None: ...


Event = tk.Event  # type: ignore[type-arg,unused-ignore]
DEFAULT_KEYMAP = build_keymap()


class TerminalKeys:
    """The `<Key>` handler of a terminal's Text (Tk thread)."""

    def __init__(self, view: InputHost, clipboard: Clipboard) -> None:
        self.view = view
        self.clipboard = clipboard
        self.ctrl_c_copies = False  # Windows Terminal's keys: Ctrl+C copies a selection, Ctrl+V pastes

    def _local_actions(self) -> dict[str, Callable[[], None]]:
        """Actions that act on this terminal whoever registered them (a view also works alone)."""
        view = self.view
        return {"copy": self.clipboard.copy, "paste": self.clipboard.paste_clipboard, "find": view.find,
                "zoom_in": lambda: view.zoom(1), "zoom_out": lambda: view.zoom(-1),
                "zoom_reset": lambda: view.zoom(0)}  # fmt: skip

    def on_key(self, event: Event) -> str:
        ctrl, shift, alt = modifiers_from_state(int(event.state))
        keysym = event.keysym
        if sys.platform == "darwin" and int(event.state) & 0x8 and keysym.lower() in ("c", "v"):
            self.clipboard.copy() if keysym.lower() == "c" else self.clipboard.paste_clipboard()  # Command+C/V
            return "break"
        if self._shortcut(keysym, ctrl, shift, alt):
            return "break"
        view = self.view
        if view.session is None:
            return "break"
        if view.exited:
            if keysym in ("Return", "KP_Enter"):
                view.restart()
            return "break"
        data = encode_key(KeyPress(keysym, event.char, ctrl, shift, alt),
                          app_cursor=bool(view.session.app_cursor))  # fmt: skip
        if data:
            view.session.write(data)
            view.input_sent()
        return "break"

    def keymap(self) -> KeyMap:
        shortcuts = self.view.shortcuts
        return shortcuts.keymap if shortcuts is not None else DEFAULT_KEYMAP

    def _shortcut(self, keysym: str, ctrl: bool, shift: bool, alt: bool) -> bool:
        """True when the key was an application or terminal shortcut (it then never reaches the program)."""
        action = self.keymap().action_for(keysym, ctrl, shift, alt)
        local = self._local_actions()
        if action in local:
            local[action]()
            return True
        if action is not None and self.view.shortcuts is not None and self.view.shortcuts.run(action):
            return True
        if ctrl and shift and not alt and len(keysym) == 1 and keysym.isalpha():
            return True  # other Ctrl+Shift letters are kept for the app, never sent as control characters
        if ctrl and not shift and not alt and self.ctrl_c_copies and keysym.lower() in ("c", "v"):
            return self._windows_copy_paste(keysym.lower())
        if keysym == "F2" and not (ctrl or shift or alt) and self._at_shell_prompt():
            self.view.on_rename()  # programs (mc, htop…) still get their F2
            return True
        if shift and not ctrl and not alt and keysym in ("Prior", "Next"):
            self.view.text.yview_scroll(-1 if keysym == "Prior" else 1, "pages")
            return True
        return False

    def _windows_copy_paste(self, key: str) -> bool:
        if key == "v":
            self.clipboard.paste_clipboard()
            return True
        if self.view.selected_text():
            self.clipboard.copy()
            self.view.text.tag_remove("sel", "1.0", "end")  # the next Ctrl+C interrupts again
            return True
        return False  # no selection: ^C goes to the program

    def _at_shell_prompt(self) -> bool:
        session = self.view.session
        return session is not None and not self.view.exited and not session.alt_screen \
            and not self.view.foreground_busy()
