"""Web links in a terminal view: Ctrl+click on an http(s) URL opens it in the browser, and
with Ctrl held the link under the pointer is underlined. A URL that wrapped at the right
margin is found across its rows (they are joined like a copy joins them)."""

from __future__ import annotations

import logging
import threading
import tkinter as tk
from typing import Any

from smartspec_tk.core.terminal.links import url_at
from smartspec_tk.ui.terminal.render import SOFT_WRAP, string_column, text_column

log = logging.getLogger(__name__)

LINK_TAG = "link_hover"
CONTROL = 0x4
MAX_ROWS = 16  # rows of one wrapped line searched for a link
Span = tuple[int, int, int]  # (Text line, first character, end character) of a piece of a link


def open_url(url: str) -> None:
    """Open in the browser from a worker thread (a console browser could block the UI)."""
    import webbrowser  # here: the app does not load it (about 70 KB) until a link is opened

    log.info("opening a link from the terminal")
    threading.Thread(target=webbrowser.open, args=(url,), kwargs={"new": 2}, name="open-link", daemon=True).start()


class TerminalLinks:
    """Link lookup, hover underline and Ctrl+click for one Text; Tk thread only."""

    def __init__(self, text: tk.Text) -> None:
        self.text = text
        self._shown = False
        text.tag_configure(LINK_TAG, underline=True)

    def link_at(self, x: int, y: int) -> tuple[str, list[Span]] | None:
        """The URL under pixel (x, y) and the pieces of the Text it covers."""
        text = self.text
        index = text.index(f"@{x},{y}")
        bbox = text.bbox(index)
        if bbox is None or x > bbox[0] + bbox[2]:
            return None  # past the end of the row
        line = int(index.split(".")[0])
        first = line
        while first > 1 and line - first < MAX_ROWS and SOFT_WRAP in text.tag_names(f"{first - 1}.end"):
            first -= 1
        last = line
        while last - first < MAX_ROWS and SOFT_WRAP in text.tag_names(f"{last}.end"):
            last += 1
        rows = [(n, text.get(f"{n}.0", f"{n}.end")) for n in range(first, last + 1)]
        offset = sum(len(row) for n, row in rows if n < line)
        found = url_at("".join(row for _n, row in rows), offset + string_column(text, index))
        if found is None:
            return None
        start, end, url = found
        spans: list[Span] = []
        for n, row in rows:
            a, b = max(start, 0), min(end, len(row))
            if a < b:
                spans.append((n, a, b))
            start, end = start - len(row), end - len(row)
        return url, spans

    def click(self, event: tk.Event[Any]) -> bool:
        """Ctrl+click: open the link under the pointer; False when there is none."""
        if not int(event.state) & CONTROL:
            return False
        link = self.link_at(event.x, event.y)
        if link is None:
            return False
        open_url(link[0])
        return True

    def hover(self, event: tk.Event[Any]) -> None:
        """Underline the link under the pointer while Ctrl is held."""
        link = self.link_at(event.x, event.y) if int(event.state) & CONTROL else None
        if link is None:
            self.clear()
            return
        self.clear()
        for line, a, b in link[1]:
            self.text.tag_add(LINK_TAG, f"{line}.{text_column(self.text, line, a)}",
                              f"{line}.{text_column(self.text, line, b)}")  # fmt: skip
        self.text.configure(cursor="hand2")
        self._shown = True

    def clear(self, _event: object = None) -> None:
        if self._shown:
            self._shown = False
            self.text.tag_remove(LINK_TAG, "1.0", "end")
            self.text.configure(cursor="xterm")
