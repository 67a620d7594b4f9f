"""File drops (tkdnd via tkinterdnd2, loaded into the existing Tk root) and pasted file paths.

Both end in the same callback with a list of paths. When tkdnd cannot load (no
binary for this platform, a broken bundle), drops are simply unavailable: the app
runs on and `enable_file_drops` returns False.
"""

from __future__ import annotations

import logging
import tkinter as tk
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)

PathsCallback = Callable[[list[str]], object]
DND_FILES = "DND_Files"


def load_tkdnd(root: tk.Misc) -> bool:
    """Load the tkdnd Tcl package into `root`'s interpreter; False (logged) when it cannot."""
    try:
        if root.tk.call("info", "commands", "tkdnd::drop_target"):
            return True
        from tkinterdnd2 import TkinterDnD

        TkinterDnD._require(root)
        return True
    except Exception as exc:  # noqa: BLE001 - any failure means: no drag-and-drop, app runs on
        log.info("drag-and-drop unavailable: %s", exc)
        return False


def enable_file_drops(root: tk.Misc, widgets: Iterable[tk.Misc], on_paths: PathsCallback,
                      on_hover: Callable[[bool], None] | None = None) -> bool:
    """Tk thread: make `widgets` accept dropped files; returns whether drops are available."""
    if not load_tkdnd(root):
        return False
    for widget in widgets:
        widget.drop_target_register(DND_FILES)  # type: ignore[attr-defined]
        widget.dnd_bind("<<Drop>>", lambda event: _dropped(root, event, on_paths, on_hover))  # type: ignore[attr-defined]
        if on_hover is not None:
            widget.dnd_bind("<<DropEnter>>", lambda event: _hover(on_hover, True, event))  # type: ignore[attr-defined]
            widget.dnd_bind("<<DropLeave>>", lambda event: _hover(on_hover, False, event))  # type: ignore[attr-defined]
    return True


def _hover(on_hover: Callable[[bool], None], inside: bool, event: object) -> str:
    on_hover(inside)
    return str(getattr(event, "action", "copy"))


def _dropped(root: tk.Misc, event: object, on_paths: PathsCallback,
             on_hover: Callable[[bool], None] | None) -> str:
    if on_hover is not None:
        on_hover(False)
    paths = paths_from_drop(root, str(getattr(event, "data", "")))
    if paths:
        on_paths(paths)
    return "copy"


def paths_from_drop(root: tk.Misc, data: str) -> list[str]:
    """The file paths in tkdnd's drop data (a Tcl list; `file://` URIs are decoded)."""
    try:
        items = root.tk.splitlist(data)
    except tk.TclError:
        items = (data,)
    return [_as_path(str(item)) for item in items if str(item).strip()]


def paths_from_text(text: str) -> list[str] | None:
    """The paths in pasted text when EVERY non-empty line is an existing file, else None."""
    lines = [line.strip().strip('"').strip("'") for line in text.splitlines() if line.strip()]
    if not lines or len(lines) > 50:
        return None
    paths = [_as_path(line) for line in lines]
    if all(Path(p).expanduser().is_file() for p in paths):
        return [str(Path(p).expanduser()) for p in paths]
    return None


def bind_path_paste(text_widget: tk.Text, on_paths: PathsCallback) -> None:
    """Tk thread: Ctrl+V of text that names existing files attaches them instead of inserting it."""

    def pasted(_event: tk.Event[tk.Misc]) -> str | None:
        try:
            clip = text_widget.clipboard_get()
        except tk.TclError:
            return None
        paths = paths_from_text(clip)
        if paths is None:
            return None  # ordinary text: Tk's own paste runs
        on_paths(paths)
        return "break"

    text_widget.bind("<<Paste>>", pasted, add=True)


def _as_path(item: str) -> str:
    if item.startswith("file://"):
        return unquote(urlsplit(item).path)
    return item
