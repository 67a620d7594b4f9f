"""Mouse and clipboard for a TerminalView, and the bindings of its Text: keys are handled by
`keys.TerminalKeys` (every key goes to the pty, the Text never edits itself, except the app's
shortcuts); mouse selection is the Text's own, unless the program asked for mouse reports
(Shift bypasses them).
"""

from __future__ import annotations

import logging
import tkinter as tk

from smartspec_tk.core.terminal import TerminalSession
from smartspec_tk.core.terminal.keys import KeyPress, encode_key, mouse_sgr, mouse_x10
from smartspec_tk.ui.terminal.host import InputHost
from smartspec_tk.ui.terminal.keys import TerminalKeys
from smartspec_tk.ui.terminal.links import TerminalLinks
from smartspec_tk.ui.terminal.paste_dialog import PasteChoice, ask_multiline_paste, one_line
from smartspec_tk.ui.terminal.render import column_to_cell, string_column

log = logging.getLogger(__name__)

BINDTAG = "SmartSpecTerminal"
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


class TerminalInput:
    """Binds the host's Text; all handlers run on the Tk thread."""

    def __init__(self, view: InputHost) -> None:
        self.view = view
        self.keys = TerminalKeys(view, self)
        self._last_cell: tuple[int, int] | None = None
        text = view.text
        self.links = TerminalLinks(text)
        _install_bindtag(text)
        text.bindtags((str(text), BINDTAG, str(text.winfo_toplevel()), "all"))
        text.bind("<Key>", self.keys.on_key)
        for number in (1, 2, 3):
            text.bind(f"<ButtonPress-{number}>", self.on_press)
            text.bind(f"<ButtonRelease-{number}>", self.on_release)
        text.bind("<Motion>", self.on_motion)
        for sequence in ("<KeyRelease-Control_L>", "<KeyRelease-Control_R>", "<Leave>"):
            text.bind(sequence, self.links.clear)
        text.bind("<MouseWheel>", self.on_wheel)
        text.bind("<Button-4>", self.on_wheel)
        text.bind("<Button-5>", self.on_wheel)

    @property
    def ctrl_c_copies(self) -> bool:
        """Windows Terminal's keys: Ctrl+C copies a selection (else interrupts), Ctrl+V pastes."""
        return self.keys.ctrl_c_copies

    @ctrl_c_copies.setter
    def ctrl_c_copies(self, value: bool) -> None:
        self.keys.ctrl_c_copies = value

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
        keys = self.keys.keymap()
        menu.add_command(label="Copy", accelerator=keys.accelerator("copy"), command=self.copy,
                         state="normal" if has_selection else "disabled")  # fmt: skip
        menu.add_command(label="Paste", accelerator=keys.accelerator("paste"), command=self.paste_clipboard)
        menu.add_command(label="Find…", accelerator=keys.accelerator("find"), command=view.find)
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
