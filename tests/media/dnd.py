"""Deliver a real file drop through tkdnd's own Tcl state machine (what an XDND drop runs after decoding).

These are tkdnd-internal procedures (tkdnd 2.10.x), so they are wrapped here, once.
`SetDroppedData` must come before `HandlePosition`.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Sequence


def tkdnd_drop(widget: tk.Misc, paths: Sequence[str]) -> str:
    """Drop `paths` (as a text/uri-list) onto `widget`; returns the action tkdnd reports."""
    call = widget.tk.call
    window = str(widget)
    x, y = widget.winfo_rootx() + 5, widget.winfo_rooty() + 5
    types = ("text/uri-list",)
    call("tkdnd::generic::SetDroppedData", tuple(paths))
    call("tkdnd::generic::HandleEnter", window, 0, types, types, ("copy",), ())
    call("tkdnd::generic::HandlePosition", window, 0, (), x, y, "copy")
    return str(call("tkdnd::generic::HandleDrop", window, 0, (), x, y, 0))
