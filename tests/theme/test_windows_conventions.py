"""Windows conventions on real Tk (the font list is what a Windows machine would report):
Segoe UI for the UI fonts, Cascadia Mono/Consolas for monospace and the terminal, Tk scaling
from the monitor's DPI; and portable mode from a marker next to the executable."""

from __future__ import annotations

import sys
import tkinter as tk
from pathlib import Path
from tkinter import font as tkfont

import pytest

from smartspec_tk.core import paths
from smartspec_tk.ui.terminal import palette
from smartspec_tk.ui.theme.platform import apply_dpi_scaling, apply_platform_fonts, mono_preferences

WINDOWS_FAMILIES = ["Arial", "Consolas", "Courier New", "Segoe UI", "Segoe UI Emoji", "Tahoma"]


def test_windows_fonts_are_used_when_present(tk_root: tk.Tk) -> None:
    before = tkfont.nametofont("TkDefaultFont").actual("family")
    assert apply_platform_fonts(tk_root, "linux") == {}
    assert tkfont.nametofont("TkDefaultFont").actual("family") == before  # not Windows: untouched
    chosen = apply_platform_fonts(tk_root, "win32", WINDOWS_FAMILIES)
    assert chosen == {"ui": "Segoe UI", "mono": "Consolas"}
    assert tkfont.nametofont("TkDefaultFont").cget("family") == "Segoe UI"
    assert tkfont.nametofont("TkMenuFont").cget("family") == "Segoe UI"
    assert tkfont.nametofont("TkFixedFont").cget("family") == "Consolas"
    assert apply_platform_fonts(tk_root, "win32", [*WINDOWS_FAMILIES, "Cascadia Mono"])["mono"] == "Cascadia Mono"
    assert apply_platform_fonts(tk_root, "win32", ["Arial"]) == {}  # nothing to use: Tk's defaults stay


def test_the_terminal_prefers_cascadia_then_consolas_on_windows(tk_root: tk.Tk,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    assert mono_preferences("win32") == ("Cascadia Mono", "Cascadia Code", "Consolas")
    assert mono_preferences("linux") == ()
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(palette, "_PICKED", {})
    monkeypatch.setattr(palette.tkfont, "families", lambda root=None: ("DejaVu Sans Mono", "Consolas", "Courier New"))
    assert palette.pick_family(tk_root, "") == "Consolas"
    assert palette.pick_family(tk_root, "Courier New") == "Courier New"  # the user's choice wins


def test_tk_scaling_follows_the_monitor_dpi(tk_root: tk.Tk) -> None:
    before = float(tk_root.tk.call("tk", "scaling"))
    assert apply_dpi_scaling(tk_root, None) is None and float(tk_root.tk.call("tk", "scaling")) == before
    assert apply_dpi_scaling(tk_root, 144) == 2.0  # a 150 % display
    assert float(tk_root.tk.call("tk", "scaling")) == pytest.approx(2.0, abs=0.01)  # Tk rounds to whole pixels per mm
    tk_root.tk.call("tk", "scaling", before)


def test_portable_mode_from_a_marker_next_to_the_exe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths, "executable_dir", lambda: tmp_path)
    assert not paths.resolve_paths({}).portable
    (tmp_path / "portable").write_text("")
    found = paths.resolve_paths({})
    assert found.portable and found.config_dir == tmp_path / "smartspec-data" / "config"
    assert found.log_dir == tmp_path / "smartspec-data" / "logs"
