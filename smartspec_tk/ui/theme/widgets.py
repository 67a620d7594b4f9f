"""Small building blocks every feature uses: a flat icon button with its tooltip, key bindings (Tk thread)."""

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


def bind_keys(widget: tk.Misc, keys: dict[str, Callable[[], object]]) -> None:
    """Bind each key sequence to a no-argument action that consumes the event ("break")."""
    for sequence, action in keys.items():

        def handler(_event: object, action: Callable[[], object] = action) -> str:
            action()
            return "break"

        widget.bind(sequence, handler)
