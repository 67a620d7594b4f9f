"""The visual bell of a terminal view: the Text's (normally invisible) border lights up for a
moment, no sound, at most once per BELL_GAP_S; hidden tabs are marked by the notebook."""

from __future__ import annotations

import logging
import time
import tkinter as tk
from collections.abc import Callable

from smartspec_tk.ui.terminal.palette import colours

log = logging.getLogger(__name__)

BELL_FLASH_MS = 150  # the border lights up this long on a bell...
BELL_GAP_S = 0.5  # ...at most once per this (a `yes $'\a'` flood must not strobe)
BORDER = 2  # px of border around the Text: the colour of the background until a bell


class VisualBell:
    """Flashes `text`'s highlight border; `on_bell` runs for every bell that is not dropped."""

    def __init__(self, text: tk.Text) -> None:
        self.text = text
        self.on_bell: Callable[[], None] = lambda: None
        self._rang_at = -BELL_GAP_S
        self._after: str | None = None
        self.flashes = 0
        self.rest()

    def ring(self, *, visible: bool) -> bool:
        """A bell: flash (when the view is visible) and tell on_bell; False if rate-limited."""
        now = time.monotonic()
        if now - self._rang_at < BELL_GAP_S:
            return False
        self._rang_at = now
        if visible:
            self.flashes += 1
            colour = colours().cursor
            self.text.configure(highlightbackground=colour, highlightcolor=colour)
            self.cancel()
            self._after = self.text.after(BELL_FLASH_MS, self._end_flash)
        self.on_bell()
        return True

    @property
    def lit(self) -> bool:
        return str(self.text.cget("highlightbackground")) == colours().cursor

    def _end_flash(self) -> None:
        self._after = None
        self.rest()

    def rest(self) -> None:
        """The border in the background colour (also after a theme switch)."""
        background = colours().background
        self.text.configure(highlightthickness=BORDER, highlightbackground=background, highlightcolor=background)

    def cancel(self) -> None:
        if self._after is not None:
            self.text.after_cancel(self._after)
            self._after = None
