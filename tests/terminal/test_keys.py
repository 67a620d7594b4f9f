"""The key table: what an xterm would send for each key, in normal and app-cursor mode."""

from __future__ import annotations

import pytest

from smartspec_tk.core.terminal.keys import (
    KeyPress,
    encode_key,
    modifiers_from_state,
    mouse_sgr,
    mouse_x10,
)


@pytest.mark.parametrize(
    ("keysym", "normal", "app"),
    [
        ("Up", b"\x1b[A", b"\x1bOA"),
        ("Down", b"\x1b[B", b"\x1bOB"),
        ("Right", b"\x1b[C", b"\x1bOC"),
        ("Left", b"\x1b[D", b"\x1bOD"),
        ("Home", b"\x1b[H", b"\x1bOH"),
        ("End", b"\x1b[F", b"\x1bOF"),
        ("KP_Up", b"\x1b[A", b"\x1bOA"),
    ],
)
def test_cursor_keys_follow_app_cursor_mode(keysym: str, normal: bytes, app: bytes) -> None:
    assert encode_key(KeyPress(keysym)) == normal
    assert encode_key(KeyPress(keysym), app_cursor=True) == app


@pytest.mark.parametrize(
    ("keysym", "expected"),
    [
        ("Insert", b"\x1b[2~"), ("Delete", b"\x1b[3~"), ("Prior", b"\x1b[5~"), ("Next", b"\x1b[6~"),
        ("F1", b"\x1bOP"), ("F2", b"\x1bOQ"), ("F3", b"\x1bOR"), ("F4", b"\x1bOS"),
        ("F5", b"\x1b[15~"), ("F6", b"\x1b[17~"), ("F7", b"\x1b[18~"), ("F8", b"\x1b[19~"),
        ("F9", b"\x1b[20~"), ("F10", b"\x1b[21~"), ("F11", b"\x1b[23~"), ("F12", b"\x1b[24~"),
        ("Return", b"\r"), ("KP_Enter", b"\r"), ("Escape", b"\x1b"), ("Tab", b"\t"),
        ("BackSpace", b"\x7f"),
    ],
)  # fmt: skip
def test_special_keys(keysym: str, expected: bytes) -> None:
    assert encode_key(KeyPress(keysym)) == expected


def test_modified_special_keys_carry_xterm_modifier_parameter() -> None:
    assert encode_key(KeyPress("Right", ctrl=True)) == b"\x1b[1;5C"
    assert encode_key(KeyPress("Up", shift=True), app_cursor=True) == b"\x1b[1;2A"
    assert encode_key(KeyPress("Delete", ctrl=True)) == b"\x1b[3;5~"
    assert encode_key(KeyPress("F1", alt=True)) == b"\x1b[1;3P"
    assert encode_key(KeyPress("F5", ctrl=True, shift=True)) == b"\x1b[15;6~"


def test_shift_tab_is_back_tab() -> None:
    assert encode_key(KeyPress("ISO_Left_Tab", shift=True)) == b"\x1b[Z"
    assert encode_key(KeyPress("Tab", shift=True)) == b"\x1b[Z"


@pytest.mark.parametrize(("letter", "code"), [("a", 1), ("c", 3), ("d", 4), ("z", 26), ("C", 3)])
def test_ctrl_letters(letter: str, code: int) -> None:
    assert encode_key(KeyPress(letter, char=chr(code), ctrl=True)) == bytes([code])


@pytest.mark.parametrize(
    ("keysym", "expected"),
    [("space", b"\x00"), ("bracketleft", b"\x1b"), ("backslash", b"\x1c"),
     ("bracketright", b"\x1d"), ("underscore", b"\x1f"), ("slash", b"\x1f")],
)  # fmt: skip
def test_ctrl_symbols(keysym: str, expected: bytes) -> None:
    assert encode_key(KeyPress(keysym, ctrl=True)) == expected


def test_alt_is_meta_prefix() -> None:
    assert encode_key(KeyPress("b", char="b", alt=True)) == b"\x1bb"
    assert encode_key(KeyPress("x", char="\x18", ctrl=True, alt=True)) == b"\x1b\x18"
    assert encode_key(KeyPress("BackSpace", alt=True)) == b"\x1b\x7f"
    assert encode_key(KeyPress("Return", alt=True)) == b"\x1b\r"


def test_altgr_characters_on_windows_are_typed_not_controls() -> None:
    assert encode_key(KeyPress("at", char="@", ctrl=True, alt=True)) == b"@"
    assert encode_key(KeyPress("EuroSign", char="€", ctrl=True, alt=True)) == "€".encode()


def test_ctrl_backspace_sends_bs() -> None:
    assert encode_key(KeyPress("BackSpace", ctrl=True)) == b"\x08"


def test_printable_characters_are_utf8() -> None:
    assert encode_key(KeyPress("a", char="a")) == b"a"
    assert encode_key(KeyPress("A", char="A", shift=True)) == b"A"
    assert encode_key(KeyPress("eacute", char="é")) == "é".encode()
    assert encode_key(KeyPress("space", char=" ")) == b" "


def test_bare_modifiers_and_unknown_keys_send_nothing() -> None:
    for keysym in ("Shift_L", "Control_R", "Alt_L", "Caps_Lock", "Super_L"):
        assert encode_key(KeyPress(keysym)) is None
    assert encode_key(KeyPress("XF86AudioMute")) is None


def test_modifiers_from_state_per_platform() -> None:
    assert modifiers_from_state(0x1 | 0x4, "linux") == (True, True, False)
    assert modifiers_from_state(0x8, "linux") == (False, False, True)
    assert modifiers_from_state(0x10, "linux") == (False, False, False)  # NumLock is not Alt
    assert modifiers_from_state(0x20000, "win32") == (False, False, True)


def test_mouse_reports() -> None:
    assert mouse_sgr(0, 0, 0, press=True) == b"\x1b[<0;1;1M"
    assert mouse_sgr(0, 9, 4, press=False) == b"\x1b[<0;10;5m"
    assert mouse_sgr(64, 2, 3, press=True) == b"\x1b[<64;3;4M"
    assert mouse_sgr(0, 1, 1, press=True, motion=True) == b"\x1b[<32;2;2M"
    assert mouse_x10(0, 0, 0, press=True) == b"\x1b[M !!"
    assert mouse_x10(0, 0, 0, press=False) == b"\x1b[M#!!"
