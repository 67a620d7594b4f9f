"""ActionRows: the small row under each message — Copy, Edit or Regenerate, and ‹ 1/2 › (Tk thread).

The row is text and icons in the transcript itself (no embedded widgets: the wheel
keeps scrolling over it, and hundreds of rows cost nothing). A handful of tags mark
the clickable parts; a mark at each row's start says which message a click is for.
"""

from __future__ import annotations

import itertools
import tkinter as tk
from collections.abc import Callable
from dataclasses import dataclass

from smartspec_tk.core.chat.branches import Versions
from smartspec_tk.ui import theme

Action = Callable[[], None]
KINDS = ("copy", "edit", "regenerate", "previous", "next")
_ids = itertools.count(1)


@dataclass(frozen=True)
class RowActions:
    """What a message's row offers; None leaves an action out."""

    copy: Action
    edit: Action | None = None  # the user's prompts
    regenerate: Action | None = None  # the answers
    versions: Versions | None = None  # shown when the turn has more than one version
    switch: Callable[[int], None] | None = None  # -1: the version before, +1: the one after

    def action(self, kind: str) -> Action | None:
        if kind in ("previous", "next"):
            switch, versions = self.switch, self.versions
            target = None if versions is None else (versions.previous if kind == "previous" else versions.next)
            if switch is None or target is None:
                return None
            return lambda: switch(-1 if kind == "previous" else 1)
        found: Action | None = getattr(self, kind)
        return found


class ActionRows:
    def __init__(self, text: tk.Text) -> None:
        self._text = text
        self.rows: dict[str, RowActions] = {}
        for kind in KINDS:
            text.tag_bind(f"act_{kind}", "<Button-1>", self._click_handler(kind))
        text.tag_bind("action", "<Enter>", self._hover)
        text.tag_bind("action", "<Leave>", self._unhover)

    def clear(self) -> None:
        for name in self.rows:
            self._text.mark_unset(name)
        self.rows.clear()

    def add(self, row: RowActions, base: tuple[str, ...] = ()) -> None:
        """Append the row for one message at the end of the transcript (inside `transcript.writing()`)."""
        text = self._text
        name = f"row-{next(_ids)}"
        text.mark_set(name, "end-1c")
        text.mark_gravity(name, "left")
        self.rows[name] = row
        tags = (*base, "actions")
        self._item("copy", "Copy", "copy", tags)
        if row.edit is not None:
            self._item("edit", "Edit", "edit", tags)
        if row.regenerate is not None:
            self._item("refresh", "Regenerate", "regenerate", tags)
        versions = row.versions
        if versions is not None and versions.count > 1:
            self._item("chevron_left", "", "previous", tags, enabled=versions.previous is not None)
            text.insert("end-1c", f"{versions.index}/{versions.count}", (*tags, "action_count"))
            self._item("chevron_right", "", "next", tags, enabled=versions.next is not None)
        text.insert("end-1c", "\n", tags)

    def row_at(self, index: str) -> RowActions | None:
        """The row a text index is in (the nearest row mark before it)."""
        position = self._text.index(index)
        mark = self._text.mark_previous(position + "+1c")
        while mark:
            row = self.rows.get(mark)
            if row is not None:
                return row
            mark = self._text.mark_previous(mark)
        return None

    def invoke(self, index: str, kind: str) -> bool:
        """Run the `kind` action of the row at `index` (what a click does); False when it has none."""
        row = self.row_at(index)
        action = row.action(kind) if row is not None else None
        if action is None:
            return False
        action()
        return True

    def _item(self, icon: str, label: str, kind: str, tags: tuple[str, ...], *, enabled: bool = True) -> None:
        text = self._text
        clickable = ("action", f"act_{kind}") if enabled else ("action_off",)
        start = text.index("end-1c")
        text.image_create("end-1c", image=theme.icon(icon, "muted" if enabled else "border"), padx=1)
        for tag in (*tags, *clickable):
            text.tag_add(tag, start)
        if label:
            text.insert("end-1c", f" {label}", (*tags, *clickable))
        text.insert("end-1c", "   " if label else " ", tags)

    def _click_handler(self, kind: str) -> Callable[[tk.Event[tk.Misc]], str]:
        def clicked(_event: tk.Event[tk.Misc]) -> str:
            self.invoke("current", kind)
            return "break"

        return clicked

    def _hover(self, _event: tk.Event[tk.Misc]) -> None:
        text = self._text
        text.configure(cursor="hand2")
        found = text.tag_prevrange("action", "current+1c")
        if found:
            text.tag_add("action_hover", *found)

    def _unhover(self, _event: tk.Event[tk.Misc]) -> None:
        self._text.configure(cursor="xterm")
        self._text.tag_remove("action_hover", "1.0", "end")
