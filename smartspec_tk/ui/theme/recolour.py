"""Recolours the classic Tk widgets that already exist (ttk widgets follow their style on
their own; new classic widgets take their colours from the option database).

Walks the Tcl widget tree, so widgets Tk made for itself (a combobox's drop-down list,
a message box) are included. Widgets that own special colours (the terminal, the chat
transcript's tags) set them again in their `theme.on_change` callback, which runs after
this walk.
"""

from __future__ import annotations

import tkinter as tk

from smartspec_tk.core.theme import Palette


def _options(p: Palette) -> dict[str, dict[str, str]]:
    field = {
        "background": p.surface, "foreground": p.fg, "insertbackground": p.fg,
        "selectbackground": p.selection, "selectforeground": p.selection_fg,
        "highlightbackground": p.chrome, "highlightcolor": p.accent,
    }  # fmt: skip
    plain = {"background": p.chrome, "highlightbackground": p.chrome}
    label = {**plain, "foreground": p.fg}
    clickable = {**label, "activebackground": p.hover, "activeforeground": p.fg}
    return {
        "Text": {**field, "inactiveselectbackground": p.selection},
        "Listbox": field,
        "Entry": {**field, "disabledbackground": p.chrome, "readonlybackground": p.surface},
        "Spinbox": {**field, "buttonbackground": p.raised},
        "Canvas": {"background": p.surface, "highlightbackground": p.chrome},
        "Frame": plain,
        "Labelframe": label,
        "Toplevel": plain,
        "Label": label,
        "Message": label,
        "Button": clickable,
        "Menubutton": clickable,
        "Checkbutton": {**clickable, "selectcolor": p.surface},
        "Radiobutton": {**clickable, "selectcolor": p.surface},
        "Scale": {**clickable, "troughcolor": p.surface},
        "Scrollbar": {**clickable, "troughcolor": p.surface},
        "Menu": {"background": p.raised, "foreground": p.fg, "activebackground": p.selection,
                 "activeforeground": p.selection_fg, "selectcolor": p.fg, "disabledforeground": p.muted},
    }  # fmt: skip


def recolour_tree(root: tk.Misc, palette: Palette) -> int:
    """Recolour every classic widget under `root` (and `root`); returns how many were changed."""
    by_class = _options(palette)
    call = root.tk.call
    count = 0
    pending = [str(root)]
    while pending:
        path = pending.pop()
        try:
            kind = str(call("winfo", "class", path))
            children = root.tk.splitlist(call("winfo", "children", path))
        except tk.TclError:
            continue
        pending.extend(str(child) for child in children)
        options = by_class.get(kind) or (by_class["Toplevel"] if str(call("winfo", "toplevel", path)) == path else None)
        if options and _configure(root, path, options):
            count += 1
    return count


def _configure(root: tk.Misc, path: str, options: dict[str, str]) -> bool:
    args: list[str] = []
    for name, value in options.items():
        args += [f"-{name}", value]
    try:
        root.tk.call(path, "configure", *args)
    except tk.TclError:
        # A widget without one of the options (a Tk-made variant): set those it has.
        for name, value in options.items():
            try:
                root.tk.call(path, "configure", f"-{name}", value)
            except tk.TclError:
                continue
    return True
