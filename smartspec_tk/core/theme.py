"""The app's two colour themes (dark and light) and which one the operating system prefers.

Tk-free: `ui/theme/` turns a `Palette` into ttk styles and widget colours.
`SMARTSPEC_THEME=system` follows the OS where it can be read — the Windows
registry (AppsUseLightTheme), macOS (`defaults read -g AppleInterfaceStyle`),
GNOME/GTK (`gsettings … color-scheme`, then the GTK theme's name) — and is dark
when nothing answers.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

log = logging.getLogger(__name__)

ThemeName = Literal["dark", "light"]
ThemeMode = Literal["dark", "light", "system"]
MODES: tuple[ThemeMode, ...] = ("system", "dark", "light")
Runner = Callable[[list[str]], str | None]  # argv → its stdout, or None when it could not run


@dataclass(frozen=True, slots=True)
class TerminalPalette:
    """The terminal's colours: default fore/background, cursor, selection and the 16 ANSI colours
    (xterm order: black red green yellow blue magenta cyan white, then the bright ones)."""

    background: str
    foreground: str
    cursor: str
    selection: str
    search_hit: str
    search_current: str  # the hit the search is on (drawn with black text)
    banner_bg: str
    banner_fg: str
    ansi: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Palette:
    """Every colour a widget of ours uses, by role rather than by widget."""

    name: ThemeName
    chrome: str  # window background: tab bar, toolbars, status bar, dialogs
    surface: str  # text areas and fields: chat transcript, input, entries, the active tab
    raised: str  # buttons, inactive tabs, headers
    hover: str  # what the mouse is over
    border: str
    fg: str
    muted: str  # hints, secondary text, inactive tab labels
    accent: str  # selected tab's bar, focus ring, the primary button
    accent_fg: str  # text on the accent colour
    selection: str
    selection_fg: str
    error: str
    ok: str
    warn: str
    link: str
    code_bg: str
    code_header_bg: str
    code_inline_bg: str
    code_inline_fg: str
    user_bg: str  # the user's turns in the transcript
    role_user: str
    role_assistant: str
    quote_bg: str
    table_head_bg: str  # markdown tables in the chat: the header row…
    table_alt_bg: str  # …and every other body row
    diff_add_bg: str
    diff_remove_bg: str
    tooltip_bg: str
    tooltip_fg: str
    terminal: TerminalPalette


DARK_TERMINAL = TerminalPalette(
    background="#1e1f22", foreground="#d4d4d4", cursor="#f0c674", selection="#3d5a80",
    search_hit="#6b5b00", search_current="#d7a74f", banner_bg="#5a2d2d", banner_fg="#ffffff",
    ansi=(
        "#2e3436", "#e05555", "#5fb35f", "#d7a74f", "#5c8fd6", "#b77ee0", "#3fb8c2", "#d4d4d4",
        "#767676", "#ff6e6e", "#8ae28a", "#ffd26a", "#82aaff", "#d6a2ff", "#6fe3ea", "#ffffff",
    ),
)  # fmt: skip

LIGHT_TERMINAL = TerminalPalette(
    background="#fbfbfc", foreground="#1f2328", cursor="#0b63c5", selection="#b8d4f5",
    search_hit="#f7e3a1", search_current="#f0a020", banner_bg="#f6dcdc", banner_fg="#5c1010",
    ansi=(
        "#24292f", "#c4262e", "#207a35", "#8a5a00", "#0b63c5", "#8a3fc7", "#16808a", "#8b9198",
        "#57606a", "#e03b3b", "#2c9e49", "#a86e00", "#2f80e0", "#a35de0", "#1f9aa6", "#6e7781",
    ),
)  # fmt: skip

DARK = Palette(
    name="dark", chrome="#2b2d31", surface="#1e1f22", raised="#383a40", hover="#43464d", border="#45484f",
    fg="#e4e6ea", muted="#9ba1a9", accent="#4c8dff", accent_fg="#ffffff", selection="#2f4f78",
    selection_fg="#ffffff", error="#f28b82", ok="#7fcf8f", warn="#f2c94c", link="#8ab4f8",
    code_bg="#26282c", code_header_bg="#303338", code_inline_bg="#2e3035", code_inline_fg="#f0a47a",
    user_bg="#252b36", role_user="#8ab4f8", role_assistant="#7fcf8f", quote_bg="#24262a",
    table_head_bg="#30333a", table_alt_bg="#232529",
    diff_add_bg="#1f3a26", diff_remove_bg="#42201f", tooltip_bg="#44474e", tooltip_fg="#f2f3f5",
    terminal=DARK_TERMINAL,
)  # fmt: skip

LIGHT = Palette(
    name="light", chrome="#eef0f3", surface="#ffffff", raised="#f6f7f9", hover="#e2e5ea", border="#c9ced6",
    fg="#1f2328", muted="#5f6670", accent="#0b63c5", accent_fg="#ffffff", selection="#b8d4f5",
    selection_fg="#1f2328", error="#b3261e", ok="#1a7f37", warn="#8a5a00", link="#0b63c5",
    code_bg="#f4f5f7", code_header_bg="#e6e8ec", code_inline_bg="#eef0f3", code_inline_fg="#9a3412",
    user_bg="#eef3fb", role_user="#0b63c5", role_assistant="#1a7f37", quote_bg="#f7f7f8",
    table_head_bg="#e9ecf0", table_alt_bg="#f6f7f9",
    diff_add_bg="#e6f4ea", diff_remove_bg="#fbe9e7", tooltip_bg="#2b2d31", tooltip_fg="#f2f3f5",
    terminal=LIGHT_TERMINAL,
)  # fmt: skip

PALETTES: dict[ThemeName, Palette] = {"dark": DARK, "light": LIGHT}


def palette(name: ThemeName) -> Palette:
    return PALETTES[name]


def resolve(mode: str, detect: Callable[[], str | None] | None = None) -> ThemeName:
    """The theme a mode means: `dark` and `light` as they are, `system` what the OS prefers
    (dark when it cannot be read)."""
    if mode == "light":
        return "light"
    if mode == "dark":
        return "dark"
    found = (detect or detect_os_theme)()
    return "light" if found == "light" else "dark"


def detect_os_theme(
    platform: str = sys.platform,
    run: Runner | None = None,
    environ: Mapping[str, str] | None = None,
    read_registry: Callable[[], int | None] | None = None,
) -> ThemeName | None:
    """The OS's preferred theme, or None when it does not say (or cannot be asked)."""
    run = run or _run
    env = os.environ if environ is None else environ
    if platform == "win32":
        value = (read_registry or _apps_use_light_theme)()
        return None if value is None else ("light" if value else "dark")
    if platform == "darwin":
        out = run(["defaults", "read", "-g", "AppleInterfaceStyle"])
        # The key exists only in dark mode: in light mode `defaults` fails (None here).
        return "dark" if out is not None and out.strip().lower() == "dark" else "light"
    return _linux_theme(run, env)


def _linux_theme(run: Runner, env: Mapping[str, str]) -> ThemeName | None:
    gtk_env = env.get("GTK_THEME", "")
    if gtk_env:
        return "dark" if "dark" in gtk_env.lower() else "light"
    scheme = run(["gsettings", "get", "org.gnome.desktop.interface", "color-scheme"])
    if scheme is not None:
        value = scheme.strip().strip("'\"").lower()
        if value == "prefer-dark":
            return "dark"
        if value == "prefer-light":
            return "light"
    gtk_theme = run(["gsettings", "get", "org.gnome.desktop.interface", "gtk-theme"])
    if gtk_theme is not None and gtk_theme.strip().strip("'\""):
        return "dark" if "dark" in gtk_theme.lower() else "light"
    if scheme is not None:
        return "light"  # a GNOME that answers "default": light
    return None


def _run(argv: list[str]) -> str | None:
    """stdout of a short OS query; None when the program is missing, fails or hangs."""
    from smartspec_tk.core.child_env import child_env

    try:
        result = subprocess.run(  # noqa: S603 - fixed argv, no shell
            argv, capture_output=True, text=True, timeout=2, env=child_env(), check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.debug("theme query %s failed: %s", argv[0], exc)
        return None
    return result.stdout if result.returncode == 0 else None


def _apps_use_light_theme() -> int | None:
    """HKCU\\…\\Themes\\Personalize AppsUseLightTheme (1 light, 0 dark), None when unset."""
    try:
        import winreg  # type: ignore[import-not-found,unused-ignore]

        key_path = r"Software\Microsoft\Windows\CurrentVersion\Themes\Personalize"
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key_path) as key:  # type: ignore[attr-defined,unused-ignore]
            value, _kind = winreg.QueryValueEx(key, "AppsUseLightTheme")  # type: ignore[attr-defined,unused-ignore]
    except (ImportError, OSError):
        return None
    return int(value)
