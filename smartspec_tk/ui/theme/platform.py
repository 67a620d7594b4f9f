"""Platform conventions for fonts and scaling (Tk thread, right after the root exists).

Windows: Segoe UI for every named UI font, Cascadia Mono (else Cascadia Code, else Consolas)
for TkFixedFont and the terminal, each only when `tkinter.font.families()` has it; and Tk's
scaling from the DPI of the monitor the window is on (the process declares per-monitor DPI
awareness before Tk starts: core.windisplay.enable_dpi_awareness).
"""

from __future__ import annotations

import logging
import sys
import tkinter as tk
from collections.abc import Iterable
from tkinter import font as tkfont

log = logging.getLogger(__name__)

WINDOWS_UI_FAMILY = "Segoe UI"
WINDOWS_MONO_FAMILIES = ("Cascadia Mono", "Cascadia Code", "Consolas")
UI_FONT_NAMES = ("TkDefaultFont", "TkTextFont", "TkMenuFont", "TkHeadingFont", "TkCaptionFont",
                 "TkSmallCaptionFont", "TkIconFont", "TkTooltipFont")  # fmt: skip


def mono_preferences(platform: str | None = None) -> tuple[str, ...]:
    """Monospace families to look for first on this platform (the terminal's fallbacks follow)."""
    return WINDOWS_MONO_FAMILIES if (platform or sys.platform) == "win32" else ()


def apply_platform_fonts(root: tk.Misc, platform: str | None = None,
                         families: Iterable[str] | None = None) -> dict[str, str]:
    """Set the named fonts to the platform's conventions; returns what was set (for the log)."""
    if (platform or sys.platform) != "win32":
        return {}
    available = set(tkfont.families(root) if families is None else families)
    chosen: dict[str, str] = {}
    if WINDOWS_UI_FAMILY in available:
        for name in UI_FONT_NAMES:
            tkfont.nametofont(name, root).configure(family=WINDOWS_UI_FAMILY)
        chosen["ui"] = WINDOWS_UI_FAMILY
    mono = next((family for family in WINDOWS_MONO_FAMILIES if family in available), None)
    if mono is not None:
        tkfont.nametofont("TkFixedFont", root).configure(family=mono)
        chosen["mono"] = mono
    log.info("fonts: %s", chosen or "Tk's defaults (no Segoe UI / Cascadia / Consolas found)")
    return chosen


def apply_dpi_scaling(root: tk.Misc, dpi: int | None) -> float | None:
    """Tk's scaling (pixels per point) for a monitor of `dpi`; None leaves Tk's own value."""
    if not dpi:
        return None
    scaling = dpi / 72.0
    root.tk.call("tk", "scaling", scaling)
    log.info("tk scaling %.3f (%d dpi)", scaling, dpi)
    return scaling
