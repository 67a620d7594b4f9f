"""Keyboard, mouse and clipboard for a TerminalView: every key goes to the pty (the Text
never edits itself), except the app's own shortcuts; mouse selection is the Text's own,
unless the program asked for mouse reports (Shift bypasses them).
"""

from __future__ import annotations

import logging
import sys
import tkinter as tk
from collections.abc import Callable
from typing import Protocol

from smartspec_tk.core.terminal import TerminalSession
from smartspec_tk.core.terminal.keys import KeyPress, encode_key, modifiers_from_state, mouse_sgr, mouse_x10
from smartspec_tk.ui.terminal.links import TerminalLinks
from smartspec_tk.ui.terminal.paste_dialog import PasteChoice, ask_multiline_paste, one_line
from smartspec_tk.ui.terminal.render import column_to_cell, string_column

log = logging.getLogger(__name__)

BINDTAG = "SmartSpecTerminal"
_ZOOM = {"plus": 1, "equal": 1, "KP_Add": 1, "minus": -1, "KP_Subtract": -1, "0": 0, "KP_0": 0}
# Ctrl+Shift+<key> → the notebook action it triggers (view.shortcuts holds the callables).
_TAB_KEYS = {"T": "new", "W": "close", "ISO_Left_Tab": "prev", "Tab": "prev",  # Windows: Shift+Tab is "Tab"
             "Prior": "move_left", "Next": "move_right"}  # fmt: skip
_BUTTONS = {1: 0, 2: 1, 3: 2}
_HELD = ((0x100, 0), (0x200, 1), (0x400, 2))  # Tk's Button1..3 masks → xterm button codes
Event = tk.Event  # type: ignore[type-arg,unused-ignore]


def confirm_multiline_paste(parent: tk.Misc, text: str) -> PasteChoice:
    """Ask before pasting line breaks into a program that did not enable bracketed paste
    (tests replace this function)."""
    return ask_multiline_paste(parent, text)


def _install_bindtag(text: tk.Text) -> None:
    """A class tag with only the Text's left-button selection bindings (no editing)."""
    if text.bind_class(BINDTAG):
        return
    for sequence in text.bind_class("Text"):
        if "Button-1" in sequence or "B1-" in sequence or "Release-1" in sequence:
            text.bind_class(BINDTAG, sequence, text.bind_class("Text", sequence))


class InputHost(Protocol):
    """What input needs of the terminal it serves (a TerminalView), read fresh each time."""

    text: tk.Text
    cols: int
    rows: int
    exited: bool
    shortcuts: dict[str, Callable[[], None]]  # notebook actions by name ("new", "close", "next", …)

    @property
    def session(self) -> TerminalSession | None: ...

    def restart(self) -> None: ...

    def input_sent(self) -> None: ...

    def zoom(self, step: int) -> None: ...

    def find(self) -> None: ...

    def foreground_busy(self) -> bool: ...

    def selected_text(self) -> str: ...

    def focus_terminal(self) -> None: ...

    def cell_size(self) -> tuple[int, int]: ...

    def screen_line(self) -> int:
        """The Text line of the screen's first row."""
        ...

    def context_entries(self) -> list[tuple[str, Callable[[], None]]]:
        """The right-click entries other features added."""
        ...


class TerminalInput:
    """Binds the host's Text; all handlers run on the Tk thread."""

    def __init__(self, view: InputHost) -> None:
        self.view = view
        self.ctrl_c_copies = False  # Windows Terminal's keys: Ctrl+C copies a selection, Ctrl+V pastes
        self._last_cell: tuple[int, int] | None = None
        text = view.text
        self.links = TerminalLinks(text)
        _install_bindtag(text)
        text.bindtags((str(text), BINDTAG, str(text.winfo_toplevel()), "all"))
        text.bind("<Key>", self.on_key)
        for number in (1, 2, 3):
            text.bind(f"<ButtonPress-{number}>", self.on_press)
            text.bind(f"<ButtonRelease-{number}>", self.on_release)
        text.bind("<Motion>", self.on_motion)
        for sequence in ("<KeyRelease-Control_L>", "<KeyRelease-Control_R>", "<Leave>"):
            text.bind(sequence, self.links.clear)
        text.bind("<MouseWheel>", self.on_wheel)
        text.bind("<Button-4>", self.on_wheel)
        text.bind("<Button-5>", self.on_wheel)

    # -- keys ----------------------------------------------------------------------------

    def on_key(self, event: Event) -> str | None:
        ctrl, shift, alt = modifiers_from_state(int(event.state))
        keysym = event.keysym
        if sys.platform == "darwin" and int(event.state) & 0x8 and keysym.lower() in ("c", "v"):
            self.copy() if keysym.lower() == "c" else self.paste_clipboard()  # Command+C / Command+V
            return "break"
        handled = self._shortcut(keysym, ctrl, shift, alt)
        if handled is not None:
            return "break" if handled else None
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

    def _shortcut(self, keysym: str, ctrl: bool, shift: bool, alt: bool) -> bool | None:
        """True: an app shortcut ran; False: let the key reach window bindings; None: not ours."""
        view = self.view
        if ctrl and not alt and keysym in _ZOOM:  # "+" often needs Shift
            view.zoom(_ZOOM[keysym])
            return True
        if ctrl and shift and not alt:
            upper = keysym.upper() if len(keysym) == 1 else keysym
            simple = {"C": self.copy, "V": self.paste_clipboard, "F": view.find}
            if upper in simple:
                simple[upper]()
                return True
            if upper in _TAB_KEYS:
                return self._tab_action(_TAB_KEYS[upper])
            if len(upper) == 1 and upper.isalpha():
                return False  # other Ctrl+Shift letters belong to the window (e.g. chat)
        if ctrl and not shift and not alt and self.ctrl_c_copies and keysym.lower() in ("c", "v"):
            if keysym.lower() == "v":
                self.paste_clipboard()
                return True
            if self.view.selected_text():
                self.copy()
                self.view.text.tag_remove("sel", "1.0", "end")  # the next Ctrl+C interrupts again
                return True
            return None  # no selection: ^C goes to the program
        if ctrl and not shift and not alt:
            tab = {"Tab": "next", "Next": "next", "Prior": "prev"}.get(keysym)
            if tab:
                return self._tab_action(tab)
        if keysym == "F2" and not (ctrl or shift or alt) and self._at_shell_prompt():
            return self._tab_action("rename")  # programs (mc, htop…) still get their F2
        if shift and not ctrl and not alt:
            if keysym in ("Prior", "Next"):
                view.text.yview_scroll(-1 if keysym == "Prior" else 1, "pages")
                return True
            if keysym in ("Insert", "KP_Insert"):
                self.paste_clipboard()
                return True
        return None

    def _at_shell_prompt(self) -> bool:
        session = self.view.session
        return session is not None and not self.view.exited and not session.alt_screen \
            and not self.view.foreground_busy()

    def _tab_action(self, name: str) -> bool:
        action = self.view.shortcuts.get(name)
        if action is not None:
            action()
        return True

    # -- clipboard -----------------------------------------------------------------------

    def copy(self) -> None:
        text = self.view.selected_text()
        if text:
            self.view.text.clipboard_clear()
            self.view.text.clipboard_append(text)

    def paste_clipboard(self) -> None:
        try:
            text = self.view.text.clipboard_get()
        except tk.TclError:
            return
        self.paste(text)

    def paste_primary(self) -> None:
        try:
            text = str(self.view.text.selection_get(selection="PRIMARY"))  # type: ignore[no-untyped-call]
        except tk.TclError:
            return
        self.paste(text)

    def paste(self, text: str, *, confirm: bool = True) -> bool:
        """Paste into the program; multi-line text without bracketed paste asks first."""
        view = self.view
        if not text or view.exited or view.session is None:
            return False
        normalized = text.replace("\r\n", "\n")
        multiline = "\n" in normalized  # even one trailing newline would run the line
        if confirm and multiline and not view.session.bracketed_paste:
            choice = confirm_multiline_paste(view.text, normalized)
            if choice is None:
                return False
            normalized = one_line(normalized) if choice == "one-line" else normalized
        view.session.paste(normalized)
        view.input_sent()
        return True

    # -- mouse ---------------------------------------------------------------------------

    def _reporting(self, event: Event) -> TerminalSession | None:
        """The session when the program wants this mouse event reported (Shift bypasses)."""
        session = self.view.session
        shift = bool(int(event.state) & 0x1)
        live = session is not None and not self.view.exited and session.mouse_mode and not shift
        return session if live else None

    def _cell(self, event: Event) -> tuple[int, int]:
        view = self.view
        index = view.text.index(f"@{event.x},{event.y}")
        line, column = int(index.split(".")[0]), string_column(view.text, index)
        row = line - view.screen_line()
        drawn = view.text.get(f"{line}.0", f"{line}.end")
        cell = column_to_cell(drawn, column)
        end = view.text.bbox(f"{line}.end")
        if column >= len(drawn) and end is not None:  # past the drawn text: count blank cells
            cell += max(event.x - end[0], 0) // view.cell_size()[0]
        return min(max(cell, 0), view.cols - 1), min(max(row, 0), view.rows - 1)

    def _report(self, session: TerminalSession, button: int, event: Event, *, press: bool,
                motion: bool = False) -> None:  # fmt: skip
        col, row = self._cell(event)
        encode = mouse_sgr if session.mouse_sgr else mouse_x10
        session.write(encode(button, col, row, press=press, motion=motion))

    def on_press(self, event: Event) -> str | None:
        number = int(event.num)
        if number == 1 and self.links.click(event):  # Ctrl+click on a web link
            return "break"
        session = self._reporting(event)
        if session is not None and number in _BUTTONS:
            self.view.focus_terminal()
            self._last_cell = self._cell(event)
            self._report(session, _BUTTONS[number], event, press=True)
            return "break"
        if number == 2:
            self.paste_primary()
            return "break"
        if number == 3:
            self.context_menu(event)
            return "break"
        return None

    def context_menu(self, event: Event) -> None:
        """Right-click menu: Copy, Paste, Find, then the entries other features added."""
        view = self.view
        menu = tk.Menu(view.text, tearoff=False)
        has_selection = bool(view.selected_text())
        menu.add_command(label="Copy", accelerator="Ctrl+Shift+C", command=self.copy,
                         state="normal" if has_selection else "disabled")  # fmt: skip
        menu.add_command(label="Paste", accelerator="Ctrl+Shift+V", command=self.paste_clipboard)
        menu.add_command(label="Find…", accelerator="Ctrl+Shift+F", command=view.find)
        entries = view.context_entries()
        if entries:
            menu.add_separator()
        for label, action in entries:
            menu.add_command(label=label, command=action)
        try:
            menu.tk_popup(event.x_root, event.y_root)
        finally:
            menu.grab_release()

    def on_release(self, event: Event) -> str | None:
        number = int(event.num)
        session = self._reporting(event)
        if session is not None and number in _BUTTONS:
            self._report(session, _BUTTONS[number], event, press=False)
            return "break"
        return None

    def on_motion(self, event: Event) -> str | None:
        """Drags (1002) and any motion (1003) are reported once per cell; else local selection."""
        self.links.hover(event)
        session = self._reporting(event)
        if session is None:
            return None
        state, mode = int(event.state), session.mouse_mode
        held = [button for mask, button in _HELD if state & mask]
        cell = self._cell(event)
        if cell != self._last_cell and ((held and mode >= 1002) or mode == 1003):
            self._last_cell = cell
            self._report(session, held[0] if held else 3, event, press=True, motion=True)
        return "break"

    def on_wheel(self, event: Event) -> str:
        up = event.num == 4 or getattr(event, "delta", 0) > 0
        view = self.view
        if int(event.state) & 0x4:  # Ctrl+wheel zooms
            view.zoom(1 if up else -1)
        elif (session := self._reporting(event)) is not None:
            self._report(session, 64 if up else 65, event, press=True)
        elif view.session is not None and view.session.alt_screen and not view.exited:
            # Like xterm's alternateScroll: full-screen programs (less, vim) get arrow keys.
            key = encode_key(KeyPress("Up" if up else "Down"), app_cursor=bool(view.session.app_cursor))
            view.session.write((key or b"") * 3)
        else:
            view.text.yview_scroll(-3 if up else 3, "units")
        return "break"
