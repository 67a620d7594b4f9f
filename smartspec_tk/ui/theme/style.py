"""The ttk style of the app, built on `clam` (the same on every platform, and recolourable):
flat buttons, a tab bar whose selected tab stands out, thin arrowless scrollbars, a visible
sash. Classic Tk widgets get their colours from the option database (`apply_options`).

Named styles for our widgets: `Tool.TButton` (a flat icon button), `Accent.TButton`
(the primary action), `Terminal.TNotebook` (tabs with a close cross), `Muted.TLabel`,
`Status.TFrame`/`Status.TLabel` (the status bar), `Card.TFrame` (a surface-coloured panel),
`Chip.TFrame`/`ChipName.TLabel`/`ChipDetail.TLabel`/`ChipError.TLabel` (attachment chips).
"""

# mypy: disable-error-code="no-untyped-call"
from __future__ import annotations

import tkinter as tk
from tkinter import ttk
from typing import TYPE_CHECKING, Any

from smartspec_tk.core.theme import Palette

if TYPE_CHECKING:
    from smartspec_tk.ui.theme.icons import IconSet

BASE_THEME = "clam"


def scale_of(root: tk.Misc) -> float:
    """Pixels per 96-DPI pixel: 1.0 on a normal screen, 2.0 at 192 DPI (from `tk scaling`)."""
    return max(float(root.tk.call("tk", "scaling")) * 72 / 96, 0.5)


def apply_style(root: tk.Misc, palette: Palette, icons: IconSet) -> ttk.Style:
    """Configure every ttk style we use for `palette` (live: existing widgets follow)."""
    style = ttk.Style(root)
    if style.theme_use() != BASE_THEME:
        style.theme_use(BASE_THEME)
    px = _px(scale_of(root))
    _base(style, palette, px)
    _buttons(style, palette, px)
    _fields(style, palette, px)
    _notebook(style, palette, px, icons)
    _scrollbars(style, palette, px)
    _chips(style, palette, px)
    _lists(style, palette, px)
    return style


def _px(scale: float) -> Any:
    return lambda n: max(round(n * scale), 1 if n else 0)


def _base(style: ttk.Style, p: Palette, px: Any) -> None:
    style.configure(
        ".", background=p.chrome, foreground=p.fg, bordercolor=p.border, lightcolor=p.chrome,
        darkcolor=p.chrome, troughcolor=p.surface, focuscolor=p.accent, selectbackground=p.selection,
        selectforeground=p.selection_fg, insertcolor=p.fg, fieldbackground=p.surface, arrowcolor=p.muted,
        indicatorbackground=p.surface, indicatorforeground=p.fg, upperbordercolor=p.border,
        lowerbordercolor=p.border,
    )  # fmt: skip
    style.map(".", foreground=[("disabled", p.muted)], background=[("disabled", p.chrome)])
    style.configure("TFrame", background=p.chrome)
    style.configure("Card.TFrame", background=p.surface)
    style.configure("Status.TFrame", background=p.chrome)
    style.configure("TLabel", background=p.chrome, foreground=p.fg)
    style.configure("Muted.TLabel", foreground=p.muted)
    style.configure("Error.TLabel", foreground=p.error)
    style.configure("Ok.TLabel", foreground=p.ok)
    style.configure("Warn.TLabel", foreground=p.warn)
    style.configure("Card.TLabel", background=p.surface, foreground=p.fg)
    style.configure("CardMuted.TLabel", background=p.surface, foreground=p.muted)
    style.configure("Status.TLabel", background=p.chrome, foreground=p.muted)
    style.configure("Title.TLabel", font="TkHeadingFont")
    style.configure("TSeparator", background=p.border)
    style.configure("TLabelframe", background=p.chrome, bordercolor=p.border)
    style.configure("TLabelframe.Label", background=p.chrome, foreground=p.muted)
    style.configure("TPanedwindow", background=p.border)
    style.configure("Sash", sashthickness=px(5), gripcount=0, background=p.border, lightcolor=p.border,
                    darkcolor=p.border, bordercolor=p.border)  # fmt: skip
    style.map("Sash", background=[("active", p.accent)])
    style.configure("TProgressbar", background=p.accent, troughcolor=p.raised, bordercolor=p.border,
                    lightcolor=p.accent, darkcolor=p.accent)  # fmt: skip


def _buttons(style: ttk.Style, p: Palette, px: Any) -> None:
    common: dict[str, Any] = {"borderwidth": 1, "focusthickness": 1, "relief": "flat"}
    style.configure("TButton", background=p.raised, foreground=p.fg, bordercolor=p.border, lightcolor=p.raised,
                    darkcolor=p.raised, padding=(px(10), px(4)), anchor="center", width=-4, **common)  # fmt: skip
    style.map("TButton",
              background=[("disabled", p.chrome), ("pressed", p.border), ("active", p.hover)],
              lightcolor=[("pressed", p.border), ("active", p.hover)],
              darkcolor=[("pressed", p.border), ("active", p.hover)],
              bordercolor=[("focus", p.accent)])  # fmt: skip
    style.configure("Tool.TButton", background=p.chrome, bordercolor=p.chrome, lightcolor=p.chrome,
                    darkcolor=p.chrome, padding=(px(5), px(3)), **common)  # fmt: skip
    style.map("Tool.TButton",
              background=[("pressed", p.border), ("active", p.hover)],
              lightcolor=[("pressed", p.border), ("active", p.hover)],
              darkcolor=[("pressed", p.border), ("active", p.hover)],
              bordercolor=[("focus", p.accent), ("active", p.hover)])  # fmt: skip
    style.configure("Accent.TButton", background=p.accent, foreground=p.accent_fg, bordercolor=p.accent,
                    lightcolor=p.accent, darkcolor=p.accent)  # fmt: skip
    style.map("Accent.TButton", foreground=[("disabled", p.muted)],
              background=[("disabled", p.raised), ("pressed", p.border), ("active", _mix(p.accent, p.fg, 0.15))],
              lightcolor=[("active", _mix(p.accent, p.fg, 0.15))], darkcolor=[("active", _mix(p.accent, p.fg, 0.15))],
              bordercolor=[("focus", p.fg)])  # fmt: skip
    for kind in ("TCheckbutton", "TRadiobutton"):
        style.configure(kind, background=p.chrome, foreground=p.fg, indicatorbackground=p.surface,
                        indicatorforeground=p.accent, indicatormargin=(0, 0, px(6), 0))  # fmt: skip
        style.map(kind, background=[("active", p.chrome)], indicatorbackground=[("pressed", p.hover)])


def _fields(style: ttk.Style, p: Palette, px: Any) -> None:
    for kind in ("TEntry", "TCombobox", "TSpinbox"):
        style.configure(kind, fieldbackground=p.surface, foreground=p.fg, background=p.raised,
                        bordercolor=p.border, lightcolor=p.surface, darkcolor=p.surface, insertcolor=p.fg,
                        arrowcolor=p.muted, padding=(px(4), px(2)), selectbackground=p.selection,
                        selectforeground=p.selection_fg)  # fmt: skip
        if kind != "TEntry":  # clam draws the drop-down and spin arrows 14 px wide at any scaling
            style.configure(kind, arrowsize=px(14))
        style.map(kind,
                  bordercolor=[("focus", p.accent)], lightcolor=[("focus", p.accent)],
                  fieldbackground=[("readonly", p.surface), ("disabled", p.chrome)],
                  foreground=[("disabled", p.muted)], background=[("active", p.hover)],
                  selectbackground=[("!focus", p.surface)], selectforeground=[("!focus", p.fg)])  # fmt: skip


def _notebook(style: ttk.Style, p: Palette, px: Any, icons: IconSet) -> None:
    style.configure("TNotebook", background=p.chrome, bordercolor=p.border, lightcolor=p.chrome,
                    darkcolor=p.chrome, tabmargins=(0, 0, 0, 0), borderwidth=0)  # fmt: skip
    style.configure("TNotebook.Tab", background=p.raised, foreground=p.muted, bordercolor=p.border,
                    lightcolor=p.raised, darkcolor=p.raised, padding=(px(12), px(5)))  # fmt: skip
    style.map("TNotebook.Tab",
              background=[("selected", p.surface), ("active", p.hover)],
              lightcolor=[("selected", p.surface), ("active", p.hover)],
              darkcolor=[("selected", p.surface), ("active", p.hover)],
              foreground=[("selected", p.fg), ("active", p.fg)],
              padding=[("selected", (px(12), px(5)))], expand=[("selected", (0, 0, 0, 0))])  # fmt: skip
    _terminal_notebook(style, p, px, icons)


def _terminal_notebook(style: ttk.Style, p: Palette, px: Any, icons: IconSet) -> None:
    """The terminal tabs: an accent bar on top of the selected tab, a close cross on every tab."""
    elements = style.element_names()
    if "Tab.accentbar" not in elements:
        off, on = icons.solid("tab_bar", 8, px(3), None), icons.solid("tab_bar", 8, px(3), "accent")
        style.element_create("Tab.accentbar", "image", off, ("selected", on), sticky="ew", border=(1, 0))
    if "Tab.close" not in elements:
        normal = icons.get("close", "muted")
        hot = icons.get("close", "fg")
        style.element_create("Tab.close", "image", normal, ("active", "pressed", hot), ("selected", hot),
                             ("active", hot), sticky="", padding=(px(6), 0, 0, 0))  # fmt: skip
    style.layout("Terminal.TNotebook.Tab", [
        ("Notebook.tab", {"sticky": "nswe", "children": [
            ("Tab.accentbar", {"side": "top", "sticky": "ew"}),
            ("Notebook.padding", {"side": "top", "sticky": "nswe", "children": [
                ("Notebook.label", {"side": "left", "sticky": ""}),
                ("Tab.close", {"side": "left", "sticky": ""}),
            ]}),
        ]}),
    ])  # fmt: skip
    style.configure("Terminal.TNotebook", background=p.chrome, tabmargins=(0, px(4), px(40), 0), borderwidth=0,
                    bordercolor=p.terminal.background, lightcolor=p.terminal.background,
                    darkcolor=p.terminal.background)  # fmt: skip
    style.configure("Terminal.TNotebook.Tab", background=p.chrome, foreground=p.muted, bordercolor=p.chrome,
                    lightcolor=p.chrome, darkcolor=p.chrome, padding=(px(10), px(4), px(6), px(5)))  # fmt: skip
    style.map("Terminal.TNotebook.Tab",
              background=[("selected", p.terminal.background), ("active", p.hover)],
              lightcolor=[("selected", p.terminal.background), ("active", p.hover)],
              darkcolor=[("selected", p.terminal.background), ("active", p.hover)],
              bordercolor=[("selected", p.terminal.background), ("active", p.hover)],
              foreground=[("selected", p.fg), ("active", p.fg)],
              padding=[("selected", (px(10), px(4), px(6), px(5)))],
              expand=[("selected", (0, 0, 0, 0))])  # fmt: skip


def _scrollbars(style: ttk.Style, p: Palette, px: Any) -> None:
    thumb, hot = _mix(p.surface, p.fg, 0.25), _mix(p.surface, p.fg, 0.42)
    for orient, sticky, side in (("Vertical", "ns", "nswe"), ("Horizontal", "ew", "nswe")):
        style.layout(f"{orient}.TScrollbar", [
            (f"{orient}.Scrollbar.trough", {"sticky": sticky, "children": [  # type: ignore[list-item]
                (f"{orient}.Scrollbar.thumb", {"expand": "1", "sticky": side}),
            ]}),
        ])  # fmt: skip
        style.configure(f"{orient}.TScrollbar", background=thumb, troughcolor=p.surface, bordercolor=p.surface,
                        lightcolor=thumb, darkcolor=thumb, arrowsize=px(10), gripcount=0)  # fmt: skip
        style.map(f"{orient}.TScrollbar", background=[("pressed", hot), ("active", hot)],
                  lightcolor=[("pressed", hot), ("active", hot)], darkcolor=[("pressed", hot), ("active", hot)])


def _lists(style: ttk.Style, p: Palette, px: Any) -> None:
    style.configure("Treeview", background=p.surface, fieldbackground=p.surface, foreground=p.fg,
                    bordercolor=p.border, lightcolor=p.surface, darkcolor=p.surface, rowheight=px(24))  # fmt: skip
    style.map("Treeview", background=[("selected", p.selection)], foreground=[("selected", p.selection_fg)])
    style.configure("Treeview.Heading", background=p.raised, foreground=p.muted, bordercolor=p.border,
                    lightcolor=p.raised, darkcolor=p.raised, padding=(px(6), px(3)))  # fmt: skip
    style.map("Treeview.Heading", background=[("active", p.hover)])


def _chips(style: ttk.Style, p: Palette, px: Any) -> None:
    """The attachment chips under the chat input (`ui/media/attachment_chip.py`)."""
    style.configure("Chip.TFrame", background=p.chrome, relief="solid", borderwidth=1, bordercolor=p.border)
    style.configure("Chip.TLabel", background=p.chrome, foreground=p.fg)
    style.configure("ChipName.TLabel", background=p.chrome, foreground=p.fg, font=("TkDefaultFont", 9, "bold"))
    style.configure("ChipDetail.TLabel", background=p.chrome, foreground=p.muted, font=("TkDefaultFont", 8))
    style.configure("ChipError.TLabel", background=p.chrome, foreground=p.error, font=("TkDefaultFont", 8))
    style.configure("Chip.Horizontal.TProgressbar", thickness=px(5))


def apply_options(root: tk.Misc, p: Palette) -> None:
    """Colours for classic Tk widgets created from now on (menus, Text, Listbox, dialogs)."""
    add = root.option_add
    for pattern, value in (
        ("*background", p.chrome), ("*foreground", p.fg), ("*activeBackground", p.hover),
        ("*activeForeground", p.fg), ("*selectBackground", p.selection), ("*selectForeground", p.selection_fg),
        ("*insertBackground", p.fg), ("*highlightBackground", p.chrome), ("*highlightColor", p.accent),
        ("*troughColor", p.surface), ("*disabledForeground", p.muted), ("*selectColor", p.surface),
        ("*Text.background", p.surface), ("*Listbox.background", p.surface), ("*Entry.background", p.surface),
        ("*Spinbox.background", p.surface), ("*Canvas.background", p.surface),
        ("*Menu.background", p.raised), ("*Menu.activeBackground", p.selection),
        ("*Menu.activeForeground", p.selection_fg), ("*Menu.relief", "flat"), ("*Menu.borderWidth", 1),
        ("*Menu.activeBorderWidth", 0), ("*Listbox.relief", "flat"), ("*Listbox.highlightThickness", 0),
        ("*TCombobox*Listbox.background", p.surface), ("*TCombobox*Listbox.foreground", p.fg),
        ("*TCombobox*Listbox.selectBackground", p.selection),
        ("*TCombobox*Listbox.selectForeground", p.selection_fg),
    ):  # fmt: skip
        add(pattern, value)


def _mix(a: str, b: str, amount: float) -> str:
    """`a` moved `amount` of the way towards `b` (both '#rrggbb')."""
    pa = [int(a[i : i + 2], 16) for i in (1, 3, 5)]
    pb = [int(b[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(pa, pb, strict=True))


mix = _mix
