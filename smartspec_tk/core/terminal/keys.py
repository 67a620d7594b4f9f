"""The key table: a Tk keysym plus modifiers (and the application-cursor mode) → the bytes
an xterm sends to the program. Pure data and functions; the view feeds it Tk events.

`encode_key` returns None for keys the terminal does not send (bare modifiers,
unknown keysyms without a character) so the caller can let them through.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

ESC = b"\x1b"
CSI = b"\x1b["
SS3 = b"\x1bO"

# Keys whose xterm form is CSI <number> ~ (with ";<modifier>" inserted when modified).
_TILDE = {
    "Insert": 2, "Delete": 3, "Prior": 5, "Next": 6,
    "F5": 15, "F6": 17, "F7": 18, "F8": 19, "F9": 20, "F10": 21, "F11": 23, "F12": 24,
}  # fmt: skip
# Keys whose xterm form is <SS3 or CSI> <letter>: cursor keys follow app-cursor mode.
_CURSOR = {"Up": b"A", "Down": b"B", "Right": b"C", "Left": b"D", "Home": b"H", "End": b"F"}
_FUNCTION = {"F1": b"P", "F2": b"Q", "F3": b"R", "F4": b"S"}
_KEYPAD = {
    "KP_Up": "Up", "KP_Down": "Down", "KP_Left": "Left", "KP_Right": "Right",
    "KP_Home": "Home", "KP_End": "End", "KP_Prior": "Prior", "KP_Next": "Next",
    "KP_Insert": "Insert", "KP_Delete": "Delete", "KP_Enter": "Return",
}  # fmt: skip
_SIMPLE = {"Return": b"\r", "Escape": ESC, "Tab": b"\t", "BackSpace": b"\x7f", "Linefeed": b"\n"}
# Ctrl with a non-letter: the classic VT100 control codes.
_CTRL_SYMBOLS = {
    "space": b"\x00", "at": b"\x00", "2": b"\x00", "bracketleft": ESC, "3": ESC,
    "backslash": b"\x1c", "4": b"\x1c", "bracketright": b"\x1d", "5": b"\x1d",
    "asciicircum": b"\x1e", "6": b"\x1e", "underscore": b"\x1f", "minus": b"\x1f",
    "slash": b"\x1f", "7": b"\x1f", "8": b"\x7f", "question": b"\x7f",
}  # fmt: skip
_MODIFIER_KEYSYMS = frozenset(
    f"{name}_{side}" for name in ("Shift", "Control", "Alt", "Meta", "Super", "Hyper") for side in "LR"
) | {"Caps_Lock", "Num_Lock", "ISO_Level3_Shift", "Mode_switch", "Multi_key"}


@dataclass(frozen=True, slots=True)
class KeyPress:
    """One key press as the terminal sees it."""

    keysym: str
    char: str = ""
    ctrl: bool = False
    shift: bool = False
    alt: bool = False


def modifiers_from_state(state: int, platform: str = sys.platform) -> tuple[bool, bool, bool]:
    """(ctrl, shift, alt) from a Tk event's `state` bit mask on this platform."""
    shift = bool(state & 0x1)
    ctrl = bool(state & 0x4)
    if platform == "win32":
        alt = bool(state & 0x20000)
    elif platform == "darwin":
        alt = bool(state & 0x10)  # Option
    else:
        alt = bool(state & 0x8)  # Mod1
    return ctrl, shift, alt


def _modifier_param(key: KeyPress) -> int:
    """xterm's modifier parameter: 1 + shift + 2·alt + 4·ctrl (1 means none)."""
    return 1 + int(key.shift) + 2 * int(key.alt) + 4 * int(key.ctrl)


def encode_key(key: KeyPress, *, app_cursor: bool = False) -> bytes | None:
    """The bytes to write to the pty for this key press, or None when nothing is sent."""
    keysym = _KEYPAD.get(key.keysym, key.keysym)
    if keysym in _MODIFIER_KEYSYMS:
        return None
    mod = _modifier_param(key)
    if keysym in _CURSOR:
        final = _CURSOR[keysym]
        if mod > 1:
            return CSI + b"1;%d" % mod + final
        return (SS3 if app_cursor else CSI) + final
    if keysym in _FUNCTION:
        final = _FUNCTION[keysym]
        return CSI + b"1;%d" % mod + final if mod > 1 else SS3 + final
    if keysym in _TILDE:
        number = _TILDE[keysym]
        return CSI + (b"%d;%d~" % (number, mod) if mod > 1 else b"%d~" % number)
    if keysym == "ISO_Left_Tab" or (keysym == "Tab" and key.shift):
        return CSI + b"Z"
    return _encode_plain(key, keysym)


def _encode_plain(key: KeyPress, keysym: str) -> bytes | None:
    """Characters, Ctrl codes and the simple keys; Alt adds the ESC (Meta) prefix."""
    if key.ctrl and key.alt and key.char.isprintable() and key.char:
        return key.char.encode("utf-8", "surrogatepass")  # AltGr on Windows is Ctrl+Alt: '@', '€'…
    prefix = ESC if key.alt else b""
    if keysym in _SIMPLE:
        body = _SIMPLE[keysym]
        if keysym == "BackSpace" and key.ctrl:
            body = b"\x08"
        return prefix + body
    if key.ctrl:
        code = _ctrl_code(keysym, key.char)
        if code is not None:
            return prefix + code
    if key.char and key.char != "\x7f":
        return prefix + key.char.encode("utf-8", "surrogatepass")
    return None


def _ctrl_code(keysym: str, char: str) -> bytes | None:
    """Ctrl+letter → 0x01..0x1a; Ctrl+symbol → the VT100 control codes."""
    if len(keysym) == 1 and keysym.isascii() and keysym.isalpha():
        return bytes([ord(keysym.lower()) & 0x1F])
    if keysym in _CTRL_SYMBOLS:
        return _CTRL_SYMBOLS[keysym]
    if len(char) == 1 and ord(char) < 0x20:
        return char.encode("ascii")
    return None


def mouse_sgr(button: int, col: int, row: int, *, press: bool, motion: bool = False) -> bytes:
    """An SGR (1006) mouse report; `col`/`row` are 0-based cells, `button` is xterm's code
    (0 left, 1 middle, 2 right, 64/65 wheel up/down; +32 for motion)."""
    code = button + (32 if motion else 0)
    return CSI + b"<%d;%d;%d%s" % (code, col + 1, row + 1, b"M" if press else b"m")


def mouse_x10(button: int, col: int, row: int, *, press: bool, motion: bool = False) -> bytes:
    """The legacy (1000 without 1006) mouse report: CSI M plus three offset bytes."""
    code = (button if press else 3) + (32 if motion else 0)
    return CSI + b"M" + bytes([32 + code, 32 + min(col + 1, 223), 32 + min(row + 1, 223)])
