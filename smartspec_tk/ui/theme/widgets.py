"""Small themed building blocks: a flat icon button with its tooltip (Tk thread)."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

from smartspec_tk.ui import theme
from smartspec_tk.ui.theme.tooltip import Tooltip


def icon_button(
    parent: tk.Misc,
    icon: str,
    tip: str,
    command: Callable[[], object],
    *,
    text: str = "",
    role: str = "fg",
    style: str = "Tool.TButton",
) -> ttk.Button:
    """A flat button showing `icon` (and `text` beside it, if any), with `tip` as its tooltip."""
    button = ttk.Button(parent, image=theme.icon(icon, role), text=text, command=command, style=style,
                        compound="left" if text else "image", takefocus=False)  # fmt: skip
    Tooltip(button, tip)
    return button
