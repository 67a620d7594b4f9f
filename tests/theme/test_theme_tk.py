"""The theme on a real Tk root: install, live switch, listeners, icons, tooltips."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from pathlib import Path
from tkinter import ttk

import pytest

from smartspec_tk.core.media.validation import CheckedFile
from smartspec_tk.core.theme import DARK, LIGHT, Palette
from smartspec_tk.ui import theme
from smartspec_tk.ui.media.attachment_chip import AttachmentChip
from smartspec_tk.ui.theme.tooltip import Tooltip
from tests.media.samples import write_video

pytestmark = pytest.mark.tk


def opaque_colour(image: tk.PhotoImage) -> tuple[int, int, int]:
    """The colour of the most opaque-looking pixel the icon draws (its tint)."""
    for y in range(image.height()):
        for x in range(image.width()):
            if not image.transparency_get(x, y):
                return tuple(image.get(x, y))  # type: ignore[return-value]
    raise AssertionError("the icon is empty")


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def test_install_and_live_switch(tk_root: tk.Tk) -> None:
    assert theme.install(tk_root, "dark") == DARK
    text = tk.Text(tk_root)
    menu = tk.Menu(tk_root)
    frame = ttk.Frame(tk_root)
    heard: list[Palette] = []
    theme.on_change(heard.append, owner=frame)
    style = ttk.Style(tk_root)
    assert style.lookup("TFrame", "background") == DARK.chrome
    assert str(text.cget("background")) == DARK.surface  # from the option database
    send = theme.icon("send", "accent")
    assert opaque_colour(send) == rgb(DARK.accent)

    assert theme.set_mode("light") == LIGHT
    assert style.lookup("TFrame", "background") == LIGHT.chrome
    assert str(text.cget("background")) == LIGHT.surface  # recoloured in place
    assert str(menu.cget("background")) == LIGHT.raised
    assert heard == [LIGHT]
    assert opaque_colour(send) == rgb(LIGHT.accent)  # the same image object, retinted
    assert str(tk.Text(tk_root).cget("background")) == LIGHT.surface  # new widgets too

    frame.destroy()
    theme.set_mode("dark")
    assert heard == [LIGHT]  # a destroyed owner is no longer called
    assert theme.mode() == "dark"


def test_system_mode_follows_the_detector(tk_root: tk.Tk) -> None:
    answer = {"value": "light"}
    palette = theme.install(tk_root, "system", detect=lambda: answer["value"])
    assert palette == LIGHT and theme.mode() == "system"
    answer["value"] = None  # the OS no longer says: dark
    assert theme.set_mode("system") == DARK


def test_unknown_mode_falls_back_to_system(tk_root: tk.Tk, caplog: pytest.LogCaptureFixture) -> None:
    theme.install(tk_root, "sepia", detect=lambda: "light")
    assert theme.mode() == "system" and theme.current() == LIGHT
    assert "unknown theme" in caplog.text


def test_a_failing_listener_is_reported_not_fatal(tk_root: tk.Tk) -> None:
    theme.install(tk_root, "dark")
    reported: list[BaseException] = []
    tk_root.report_callback_exception = lambda _t, value, _tb: reported.append(value)  # type: ignore[method-assign]
    later: list[str] = []

    def broken(_p: Palette) -> None:
        raise ValueError("broken listener")

    theme.on_change(broken, owner=tk_root)
    theme.on_change(lambda p: later.append(p.name), owner=tk_root)
    theme.set_mode("light")
    assert [str(e) for e in reported] == ["broken listener"] and later == ["light"]


def test_tooltip_shows_on_hover(tk_root: tk.Tk, wait_until: Callable[..., None]) -> None:
    theme.install(tk_root, "light")
    button = ttk.Button(tk_root, text="x")
    button.pack()
    tip = Tooltip(button, "New tab (Ctrl+Shift+T)")
    wait_until(button.winfo_ismapped, what="the button")
    button.event_generate("<Enter>", x=2, y=2)
    wait_until(lambda: tip.window is not None, what="the tooltip")
    label = tip.window.winfo_children()[0]  # type: ignore[union-attr]
    assert label.cget("text") == "New tab (Ctrl+Shift+T)"
    assert str(label.cget("background")) == LIGHT.tooltip_bg
    button.event_generate("<Leave>")
    assert tip.window is None


def test_attachment_chips_follow_the_theme(tk_root: tk.Tk, tmp_path: Path) -> None:
    """The chips were once a fixed light grey with white-on-grey names in the dark theme."""
    theme.install(tk_root, "dark")
    clip = write_video(tmp_path / "login-recording.mp4", 1000)
    checked = CheckedFile(clip, clip.name, 1000, "video/mp4", 0, 0)
    chip = AttachmentChip(tk_root, checked, on_cancel=print, on_retry=print, on_remove=print)
    style = ttk.Style(tk_root)

    def colours() -> tuple[str, str, str, str]:
        return (style.lookup("Chip.TFrame", "background"), style.lookup("ChipName.TLabel", "foreground"),
                style.lookup("ChipName.TLabel", "background"), str(chip.close_button.cget("background")))

    assert colours() == (DARK.chrome, DARK.fg, DARK.chrome, DARK.chrome)
    theme.set_mode("light")
    assert colours() == (LIGHT.chrome, LIGHT.fg, LIGHT.chrome, LIGHT.chrome)
    assert style.lookup("ChipDetail.TLabel", "foreground") == LIGHT.muted
    chip.destroy()
    theme.set_mode("dark")


def test_field_arrows_grow_with_the_scaling(tk_root: tk.Tk) -> None:
    """At 2x (192 DPI) the combobox arrow was a sliver of the same 14 px as at 1x."""
    before = float(tk_root.tk.call("tk", "scaling"))
    style = ttk.Style(tk_root)
    try:
        tk_root.tk.call("tk", "scaling", 96 / 72)
        theme.install(tk_root, "dark")
        assert int(style.lookup("TCombobox", "arrowsize")) == 14
        tk_root.tk.call("tk", "scaling", 192 / 72)
        theme.install(tk_root, "dark")
        assert int(style.lookup("TCombobox", "arrowsize")) == 28
        assert int(style.lookup("TSpinbox", "arrowsize")) == 28
    finally:
        tk_root.tk.call("tk", "scaling", before)
        theme.install(tk_root, "dark")
