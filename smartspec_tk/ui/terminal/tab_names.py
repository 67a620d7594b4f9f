"""TabNames: what each terminal tab is called — the name the user gave (it wins), else the title
its program set (OSC 0/2), else the label it opened with; long names are cut with an ellipsis."""

# mypy: disable-error-code="no-untyped-call"
from __future__ import annotations

from tkinter import ttk

TITLE_CHARS = 28


def short(title: str) -> str:
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"


class TabNames:
    """The names of a notebook's tabs, by widget path (Tk thread)."""

    def __init__(self, notebook: ttk.Notebook) -> None:
        self.notebook = notebook
        self._names: dict[str, str] = {}  # path → the name the user gave (wins over programs' titles)
        self._labels: dict[str, str] = {}  # path → the label it opened with

    def opened(self, tab: object, label: str, *, fixed: bool) -> None:
        """A new tab shows `label`; a `fixed` one keeps it whatever its program says."""
        if fixed:
            self._names[str(tab)] = label
        self._labels[str(tab)] = label

    def forget(self, tab: object) -> None:
        self._names.pop(str(tab), None)
        self._labels.pop(str(tab), None)

    def user_name(self, tab: object) -> str:
        return self._names.get(str(tab), "")

    def rename(self, tab: object, name: str, program_title: str) -> None:
        """The user's name; '' gives the tab back to its program's title (or its first label)."""
        if name.strip():
            self._names[str(tab)] = name.strip()
            self.notebook.tab(str(tab), text=short(name.strip()))
        else:
            self._names.pop(str(tab), None)
            self.program_title(tab, program_title)

    def program_title(self, tab: object, title: str) -> None:
        """A program's title (or, when it is empty, the tab's first label) unless the user named it."""
        if str(tab) in self._names or str(tab) not in self.notebook.tabs():
            return
        self.notebook.tab(str(tab), text=short(title or self._labels.get(str(tab), "")))
