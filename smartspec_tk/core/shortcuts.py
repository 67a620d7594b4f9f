"""The application's keyboard shortcuts: the table of actions with their default keys (Windows
Terminal's Ctrl+Shift+… set, so they never take a key a shell or editor needs), the user's
overrides (`SMARTSPEC_SHORTCUTS="toggle_chat=Ctrl+Shift+L; quit=none"`) and matching a key press.

Tk-free: a key is named by its Tk keysym ("T", "Tab", "equal", "Prior"), which is only a string.
"""

from __future__ import annotations

from dataclasses import dataclass

# Key names as users write them → the key's canonical name (the Tk keysym without case for letters).
_KEY_ALIASES = {
    "=": "equal", "+": "plus", "-": "minus", ",": "comma", ".": "period", "/": "slash", ";": "semicolon",
    "pageup": "Prior", "pgup": "Prior", "pagedown": "Next", "pgdn": "Next", "prior": "Prior", "next": "Next",
    "tab": "Tab", "space": "space", "enter": "Return", "return": "Return", "esc": "Escape", "escape": "Escape",
    "home": "Home", "end": "End", "insert": "Insert", "delete": "Delete", "del": "Delete",
    "up": "Up", "down": "Down", "left": "Left", "right": "Right",
    "equal": "equal", "plus": "plus", "minus": "minus", "comma": "comma", "period": "period",
}  # fmt: skip
# Keysyms an event may carry → the canonical key (keypad keys and X11's Shift+Tab).
_EVENT_KEYS = {"KP_Add": "plus", "KP_Subtract": "minus", "KP_0": "0", "ISO_Left_Tab": "Tab", "KP_Enter": "Return",
               "KP_Insert": "Insert"}
_SHOWN = {"equal": "=", "plus": "+", "minus": "-", "comma": ",", "period": ".", "slash": "/", "semicolon": ";",
          "Prior": "PgUp", "Next": "PgDn", "Return": "Enter", "Escape": "Esc"}  # fmt: skip
# Symbols whose Shift state depends on the keyboard layout: Shift is not compared for them.
SHIFT_FREE = frozenset({"equal", "plus", "minus", "comma", "period", "slash", "semicolon"})
NONE_WORDS = ("none", "off", "")


@dataclass(frozen=True)
class Chord:
    """One key with its modifiers, e.g. Ctrl+Shift+T (key "T") or Ctrl+= (key "equal")."""

    key: str
    ctrl: bool = False
    shift: bool = False
    alt: bool = False

    def __str__(self) -> str:
        mods = [name for name, on in (("Ctrl", self.ctrl), ("Alt", self.alt), ("Shift", self.shift)) if on]
        return "+".join([*mods, _SHOWN.get(self.key, self.key)])


@dataclass(frozen=True)
class Action:
    """An application action: its id (used in the setting), what the menus call it, its default keys."""

    name: str
    label: str
    defaults: tuple[str, ...]
    scope: str = "window"  # "window": from anywhere in the main window; "terminal": only in a terminal


ACTIONS: tuple[Action, ...] = (
    Action("quit", "Quit", ("Ctrl+Shift+Q",)),
    Action("new_tab", "New tab", ("Ctrl+Shift+T",)),
    Action("new_tab_here", "New tab here (same folder)", ("Ctrl+Shift+D",)),
    Action("close_tab", "Close tab", ("Ctrl+Shift+W",)),
    Action("next_tab", "Next tab", ("Ctrl+Tab", "Ctrl+PgDn")),
    Action("previous_tab", "Previous tab", ("Ctrl+Shift+Tab", "Ctrl+PgUp")),
    Action("move_tab_left", "Move tab left", ("Ctrl+Shift+PgUp",)),
    Action("move_tab_right", "Move tab right", ("Ctrl+Shift+PgDn",)),
    Action("toggle_chat", "Toggle chat pane", ("Ctrl+Shift+B",)),
    Action("find", "Find in terminal", ("Ctrl+Shift+F",)),
    Action("zoom_in", "Zoom in (terminal font)", ("Ctrl+=", "Ctrl++")),
    Action("zoom_out", "Zoom out (terminal font)", ("Ctrl+-",)),
    Action("zoom_reset", "Reset zoom", ("Ctrl+0",)),
    Action("new_chat", "New chat", ("Ctrl+Shift+N",)),
    Action("new_kilo_tab", "New Kilo tab", ("Ctrl+Shift+K",)),
    Action("settings", "Settings", ("Ctrl+,",)),
    Action("copy", "Copy (terminal)", ("Ctrl+Shift+C",), scope="terminal"),
    Action("paste", "Paste (terminal)", ("Ctrl+Shift+V", "Shift+Insert"), scope="terminal"),
)
ACTION_NAMES = tuple(action.name for action in ACTIONS)
BY_NAME = {action.name: action for action in ACTIONS}
# Keys that are not configurable, listed in the shortcut table for completeness.
FIXED_KEYS: tuple[tuple[str, str], ...] = (
    ("Rename tab", "F2 at a shell prompt, or double-click the tab"),
    ("Scroll the terminal back / forward", "Shift+PgUp / Shift+PgDn"),
    ("Select all in a text field", "Ctrl+A"),
    ("Send the chat prompt / new line", "Enter / Shift+Enter"),
    ("Stop the answer", "Esc"),
)


def parse_chord(text: str) -> Chord:
    """'Ctrl+Shift+T' → Chord("T", ctrl=True, shift=True); raises ValueError with a plain reason."""
    parts = [part.strip() for part in text.strip().split("+")]
    if text.strip().endswith("++"):  # "Ctrl++": the key is "+"
        parts = [*parts[:-2], "+"]
    *mods, key = parts
    flags = {"ctrl": False, "shift": False, "alt": False}
    for mod in mods:
        word = {"control": "ctrl", "option": "alt"}.get(mod.lower(), mod.lower())
        if word not in flags:
            raise ValueError(f"'{mod}' is not a modifier (use Ctrl, Shift, Alt)")
        flags[word] = True
    return Chord(_canonical_key(key), **flags)


def _canonical_key(key: str) -> str:
    if not key:
        raise ValueError("a key is missing after the last '+'")
    if len(key) == 1 and key.isalnum():
        return key.upper()
    if key.lower() in _KEY_ALIASES:
        return _KEY_ALIASES[key.lower()]
    if key.upper().startswith("F") and key[1:].isdigit() and 1 <= int(key[1:]) <= 24:
        return key.upper()
    raise ValueError(f"'{key}' is not a key name this app knows")


@dataclass(frozen=True)
class KeyMap:
    """Which chords run which action (the defaults with the user's overrides applied)."""

    chords: dict[str, tuple[Chord, ...]]

    def action_for(self, keysym: str, ctrl: bool, shift: bool, alt: bool, *, scope: str | None = None) -> str | None:
        """The action a key press runs (None: not a shortcut); `scope` limits it to that scope's actions."""
        key = event_key(keysym)
        for name, chords in self.chords.items():
            if scope is not None and BY_NAME[name].scope != scope:
                continue
            for chord in chords:
                same_shift = chord.shift == shift or chord.key in SHIFT_FREE
                if chord.key == key and chord.ctrl == ctrl and chord.alt == alt and same_shift:
                    return name
        return None

    def accelerator(self, name: str) -> str:
        """The first chord as a menu shows it ('' when the action has none)."""
        chords = self.chords.get(name, ())
        return str(chords[0]) if chords else ""

    def shown(self, name: str) -> str:
        """Every chord of the action, for the shortcut table."""
        return " or ".join(str(chord) for chord in self.chords.get(name, ())) or "—"


def event_key(keysym: str) -> str:
    """A key press's keysym as a canonical key ('t' and 'T' → 'T', 'KP_Add' → 'plus')."""
    keysym = _EVENT_KEYS.get(keysym, keysym)
    return keysym.upper() if len(keysym) == 1 else keysym


def parse_overrides(text: str) -> dict[str, tuple[Chord, ...]]:
    """'toggle_chat=Ctrl+Shift+L; quit=none; zoom_in=Ctrl+=|Ctrl+Up' → {action: chords} ('|' between
    several keys, 'none' for no key). Raises ValueError naming the action and what is wrong."""
    result: dict[str, tuple[Chord, ...]] = {}
    for item in text.replace("\n", ";").split(";"):
        if not item.strip():
            continue
        name, sep, keys = item.partition("=")
        name = name.strip().lower().replace("-", "_").replace(" ", "_")
        if not sep:
            raise ValueError(f"'{item.strip()}' should read action=keys, e.g. toggle_chat=Ctrl+Shift+L")
        if name not in BY_NAME:
            raise ValueError(f"'{name}' is not an action; the actions are: {', '.join(ACTION_NAMES)}")
        chords: list[Chord] = []
        for key in keys.split("|"):
            if key.strip().lower() in NONE_WORDS:
                continue
            try:
                chords.append(parse_chord(key))
            except ValueError as exc:
                raise ValueError(f"{name}: {exc}") from None
        result[name] = tuple(chords)
    return result


def build_keymap(overrides: str = "") -> KeyMap:
    """The defaults with `overrides` applied (already validated by the settings; a bad one raises)."""
    chords = {action.name: tuple(parse_chord(key) for key in action.defaults) for action in ACTIONS}
    chords.update(parse_overrides(overrides))
    return KeyMap(chords)


def table(keymap: KeyMap) -> list[tuple[str, str]]:
    """(what it does, its keys) for every action and the fixed keys: the Help dialog and the README."""
    return [(action.label, keymap.shown(action.name)) for action in ACTIONS] + list(FIXED_KEYS)
