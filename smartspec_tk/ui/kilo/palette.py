"""WorkflowPalette: Ctrl+K in a Kilo tab — a filterable list of the workspace's workflows."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Sequence
from tkinter import ttk

from smartspec_tk.core.kilo import workflows as wf
from smartspec_tk.ui.theme.widgets import bind_keys


class WorkflowPalette(tk.Toplevel):
    """Type to filter (name and description), Up/Down to move, Enter or double-click to choose, Esc to close."""

    def __init__(self, master: tk.Misc, workflows: Sequence[wf.Workflow], on_choose: Callable[[wf.Workflow], None]):
        super().__init__(master)
        self.title("Workflows")
        self.transient(master.winfo_toplevel())
        self.workflows = list(workflows)
        self.shown: list[wf.Workflow] = []
        self.on_choose = on_choose
        self.query = tk.StringVar()
        self.entry = ttk.Entry(self, textvariable=self.query, width=60)
        self.entry.pack(side="top", fill="x", padx=6, pady=6)
        self.listbox = tk.Listbox(self, height=12, activestyle="dotbox", exportselection=False, font="TkFixedFont")
        self.listbox.pack(side="top", fill="both", expand=True, padx=6)
        self.detail = ttk.Label(self, anchor="w", style="Muted.TLabel")
        self.detail.pack(side="top", fill="x", padx=6, pady=(2, 6))
        self.query.trace_add("write", lambda *_: self.refresh())
        bind_keys(self, {"<Return>": self.choose, "<Escape>": self.destroy,
                         "<Down>": lambda: self.move(1), "<Up>": lambda: self.move(-1)})  # fmt: skip
        self.listbox.bind("<Double-Button-1>", lambda _e: self.choose())
        self.listbox.bind("<<ListboxSelect>>", lambda _e: self._show_detail())
        self.refresh()
        self.entry.focus_set()

    def refresh(self) -> None:
        self.shown = wf.filter_palette(self.workflows, self.query.get())
        self.listbox.delete(0, "end")
        for item in self.shown:
            self.listbox.insert("end", f"{item.command:<32} {item.description}")
        if self.shown:
            self.listbox.selection_set(0)
        elif not self.workflows:
            self.listbox.insert("end", "(no workflows in .smartspec/workflows/ or .kilocode/workflows/)")
        self._show_detail()

    def move(self, step: int) -> None:
        if not self.shown:
            return
        current = self.listbox.curselection()  # type: ignore[no-untyped-call]
        index = max(0, min(len(self.shown) - 1, (current[0] if current else -1) + step))
        self.listbox.selection_clear(0, "end")
        self.listbox.selection_set(index)
        self.listbox.see(index)
        self._show_detail()

    def selected(self) -> wf.Workflow | None:
        current = self.listbox.curselection()  # type: ignore[no-untyped-call]
        return self.shown[current[0]] if current and current[0] < len(self.shown) else None

    def choose(self) -> None:
        chosen = self.selected()
        self.destroy()
        if chosen is not None:
            self.on_choose(chosen)

    def _show_detail(self) -> None:
        chosen = self.selected()
        text = f"{chosen.command} {chosen.hint}   ({chosen.source})" if chosen else ""
        self.detail.configure(text=text)
