"""Our icons as Tk images: alpha masks shipped in `ui/theme/icons/` (16 px and @2x 32 px,
drawn by `scripts/make_icons.py`), tinted with a palette colour.

`icon(name, role)` gives one PhotoImage per (name, role) for the current root; when the
theme changes, `retint_all` redraws every one of them in place, so the buttons and tab
elements that show them follow without being touched. The 2× masks are used when
`tk scaling` says the screen has 144 DPI or more.
"""

from __future__ import annotations

import base64
import logging
import tkinter as tk
from functools import cache
from importlib import resources

from smartspec_tk.core.icons import Mask, read_mask, tint
from smartspec_tk.core.theme import Palette

log = logging.getLogger(__name__)

NAMES = (
    "plus", "close", "chat", "new_chat", "history", "options", "settings", "send", "stop", "image", "video",
    "search", "copy", "folder", "sun", "moon", "more", "terminal", "kilo", "chat_panel", "chevron_down",
    "chevron_right", "refresh", "edit", "delete", "export", "chevron_left", "sidebar",
)  # fmt: skip
HIGH_DPI_SCALE = 1.5  # 144 DPI and more: the @2x masks


@cache
def mask(name: str, double: bool) -> Mask:
    """The mask of one icon (read from the package once)."""
    suffix = "@2x" if double else ""
    data = resources.files("smartspec_tk.ui.theme").joinpath("icons", f"{name}{suffix}.png").read_bytes()
    return read_mask(data)


class IconSet:
    """The icons of one Tk root, tinted for the current palette."""

    def __init__(self, root: tk.Misc, palette: Palette, scale: float) -> None:
        self._root = root
        self._palette = palette
        self.double = scale >= HIGH_DPI_SCALE
        self._images: dict[tuple[str, str], tk.PhotoImage] = {}
        self._solids: dict[tuple[str, str], tk.PhotoImage] = {}

    def get(self, name: str, role: str = "fg") -> tk.PhotoImage:
        """`role` names a Palette colour (fg, muted, accent, accent_fg, error…) or is a '#rrggbb'."""
        key = (name, role)
        image = self._images.get(key)
        if image is None:
            image = tk.PhotoImage(master=self._root, data=self._data(name, role), format="png")
            self._images[key] = image
        return image

    def solid(self, name: str, width: int, height: int, role: str | None) -> tk.PhotoImage:
        """A plain block of a palette colour (None: transparent), e.g. the selected tab's bar."""
        key = (name, role or "")
        image = self._solids.get(key)
        if image is None:
            image = tk.PhotoImage(master=self._root, width=width, height=height)
            self._solids[key] = image
            self._fill(image, role)
        return image

    def _fill(self, image: tk.PhotoImage, role: str | None) -> None:
        image.blank()
        if role:
            image.put(self._colour(role), to=(0, 0, image.width(), image.height()))

    def _colour(self, role: str) -> str:
        return role if role.startswith("#") else str(getattr(self._palette, role))

    def retint(self, palette: Palette) -> None:
        self._palette = palette
        for (_name, role), image in self._solids.items():
            self._fill(image, role or None)
        for (name, role), image in self._images.items():
            try:
                image.configure(data=self._data(name, role), format="png")
            except tk.TclError:
                log.debug("icon %s is gone", name)

    def _data(self, name: str, role: str) -> str:
        colour = self._colour(role)
        return base64.b64encode(tint(mask(name, self.double), colour)).decode("ascii")
