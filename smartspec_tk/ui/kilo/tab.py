"""KiloCommandBar: the command bar above a Kilo tab's terminal (`ui/kilo/opener.py` makes the tab).

The bar takes `/name.md args…` (Tab completes from the workspace's workflows, a
dropdown lists the candidates, Up/Down walk the per-workspace history, Ctrl+K
opens the workflow palette), shows the workflow's argument hint, adds
`--plan-only` when asked, and runs or cancels the command in the terminal below.
"""

from __future__ import annotations

import logging
import os
import threading
import tkinter as tk
from tkinter import ttk
from typing import TYPE_CHECKING

from smartspec_tk.core.errors import UserError
from smartspec_tk.core.kilo import workflows as wf
from smartspec_tk.core.kilo.cancel import KiloCancelFinished, cancel_run
from smartspec_tk.core.kilo.history import CommandHistory, HistoryCursor
from smartspec_tk.core.kilo.launch import KiloLauncher
from smartspec_tk.ui.kilo.palette import WorkflowPalette
from smartspec_tk.ui.theme.widgets import bind_keys

if TYPE_CHECKING:
    from smartspec_tk.core.outbox import Outbox
    from smartspec_tk.core.terminal import PtyBackend
    from smartspec_tk.ui.handles import SessionTab

log = logging.getLogger(__name__)

# themed ttk label styles (ui/theme/style.py), so the status line reads on dark and light alike
ERROR_COLOUR, OK_COLOUR, HINT_COLOUR = "Error.TLabel", "Ok.TLabel", "Muted.TLabel"


class KiloCommandBar(ttk.Frame):
    """Tk thread only. `view` is the terminal tab below (its `session` changes on every run)."""

    def __init__(self, master: tk.Misc, view: SessionTab, launcher: KiloLauncher, history: CommandHistory,
                 outbox: Outbox) -> None:  # fmt: skip
        super().__init__(master, padding=(4, 4, 4, 2))
        self.view, self.launcher, self.history, self.outbox = view, launcher, history, outbox
        self.cursor = HistoryCursor(history)
        self.workflows = wf.discover(launcher.ctx.workspace)
        self.command = tk.StringVar(value="")
        self.plan_only = tk.BooleanVar(value=False)
        self.cancelling = False
        self._build()
        self.command.trace_add("write", lambda *_: self._on_text_changed())
        self._on_text_changed()
        self.set_status(launcher.describe(), OK_COLOUR if launcher.found else ERROR_COLOUR)

    def _build(self) -> None:
        row = ttk.Frame(self)
        row.pack(side="top", fill="x")
        ttk.Label(row, text="Kilo ›").pack(side="left")
        self.entry = ttk.Entry(row, textvariable=self.command, font="TkFixedFont")
        self.entry.pack(side="left", fill="x", expand=True, padx=4)
        ttk.Checkbutton(row, text="Plan only", variable=self.plan_only).pack(side="left", padx=2)
        self.run_button = ttk.Button(row, text="Run", command=self.run, width=6)
        self.run_button.pack(side="left", padx=2)
        self.cancel_button = ttk.Button(row, text="Cancel", command=self.cancel, width=7)
        self.cancel_button.pack(side="left", padx=2)
        ttk.Button(row, text="Workflows…", command=self.open_palette).pack(side="left", padx=2)
        self.hint = ttk.Label(self, style=HINT_COLOUR, anchor="w")
        self.hint.pack(side="top", fill="x")
        self.dropdown = tk.Listbox(self, height=5, activestyle="dotbox", exportselection=False, font="TkFixedFont")
        self.status = ttk.Label(self, anchor="w")
        self.status.pack(side="top", fill="x")
        bind_keys(self.entry, {
            "<Return>": self.run, "<Tab>": self.complete, "<Control-k>": self.open_palette,
            "<Up>": lambda: self._history(older=True), "<Down>": lambda: self._history(older=False),
            "<Escape>": self._hide_dropdown,
        })  # fmt: skip
        self.dropdown.bind("<Double-Button-1>", lambda _e: self._pick_dropdown())
        self.dropdown.bind("<Return>", lambda _e: self._pick_dropdown())

    # -- typing helpers -----------------------------------------------------------------

    def set_status(self, text: str, colour: str = HINT_COLOUR) -> None:
        self.status.configure(text=text, style=colour)

    def _on_text_changed(self) -> None:
        text = self.command.get()
        name = text.strip().split(" ", 1)[0].lstrip("/").removesuffix(".md")
        found = wf.find(self.workflows, name) if name else None
        if found is not None:
            extra = f"  — {found.description}" if found.description else ""
            self.hint.configure(text=f"{found.command} {found.hint or '(no arguments described)'}{extra}")
        elif not self.workflows:
            folders = " or ".join(f"{d}/" for d in wf.WORKFLOW_DIRS)
            self.hint.configure(text=f"No workflows in {folders} of {self.launcher.ctx.workspace}")
        else:
            self.hint.configure(text=f"{len(self.workflows)} workflows — Tab completes, Ctrl+K lists them")

    def complete(self) -> None:
        text = self.command.get()
        candidates = wf.complete(text.strip(), self.workflows)
        if not candidates:
            self._hide_dropdown()
            return
        prefix = wf.common_prefix(candidates)
        if len(candidates) == 1:
            self._set_text(candidates[0] + " ")
            self._hide_dropdown()
            return
        if len(prefix) > len(text.strip()):
            self._set_text(prefix)
        self._show_dropdown(candidates)

    def _show_dropdown(self, items: list[str]) -> None:
        self.dropdown.delete(0, "end")
        for item in items:
            self.dropdown.insert("end", item)
        self.dropdown.configure(height=min(8, len(items)))
        self.dropdown.pack(side="top", fill="x", before=self.status)
        self.dropdown.selection_set(0)

    def _hide_dropdown(self) -> None:
        self.dropdown.pack_forget()

    def _pick_dropdown(self) -> None:
        chosen = self.dropdown.curselection()  # type: ignore[no-untyped-call]
        if chosen:
            self._set_text(self.dropdown.get(chosen[0]) + " ")
        self._hide_dropdown()
        self.entry.focus_set()

    def _set_text(self, text: str) -> None:
        self.command.set(text)
        self.entry.icursor("end")

    def _history(self, older: bool) -> None:
        current = self.command.get()
        self._set_text(self.cursor.older(current) if older else self.cursor.newer(current))

    def open_palette(self) -> None:
        WorkflowPalette(self, self.workflows, self._palette_chose)

    def _palette_chose(self, workflow: wf.Workflow) -> None:
        self._set_text(workflow.command + " ")
        self.entry.focus_set()

    # -- run and cancel -----------------------------------------------------------------

    def run(self) -> None:
        self._hide_dropdown()
        try:
            command = wf.parse_command(self.command.get()).with_plan_only(self.plan_only.get())
            self._start(command)
        except UserError as exc:
            self.set_status(str(exc), ERROR_COLOUR)
            return
        self.history.add(self.command.get().strip())
        self.cursor.reset()
        self._set_text("")

    def _start(self, command: wf.KiloCommand) -> None:
        launcher, view = self.launcher, self.view
        if not launcher.found:
            raise UserError("No Kilo runner is available; the terminal below says what was looked for.")
        session = view.session
        if launcher.interactive:
            if session is None or view.exited:
                raise UserError("The Kilo CLI is not running; press Enter in the terminal to restart it.")
            typed = launcher.typed_text(command)
            session.paste(typed)
            session.write(b"\r")
            self.set_status(f"Sent to the runner: {typed}", OK_COLOUR)
        else:
            if session is not None and not view.exited and launcher.next_command is not None:
                raise UserError("A command is still running; Cancel it first.")
            launcher.next_command = command
            view.restart()
            self.set_status(f"Running: {command.text()}", OK_COLOUR)
        view.focus_terminal()

    def cancel(self) -> None:
        session = self.view.session
        if session is None or self.view.exited or self.cancelling:
            self.set_status("Nothing to cancel.")
            return
        backend = session.backend
        self.cancelling = True
        self.set_status("Cancelling: Ctrl-C sent…")
        groups = _foreground_group(backend)

        def work() -> None:
            outcome = "internal error — see log"
            try:
                outcome = cancel_run(backend.pid, lambda: backend.write(b"\x03"), backend.is_alive,
                                     extra_groups=groups, terminate=backend.terminate)  # fmt: skip
            except Exception:
                log.exception("cancel failed")
            finally:
                self.outbox.post(KiloCancelFinished(str(self), outcome))

        threading.Thread(target=work, name="kilo-cancel", daemon=True).start()

    def on_cancel_finished(self, message: KiloCancelFinished) -> None:
        """Pump handler: the outcome of a cancel this bar asked for (other bars' are ignored)."""
        if message.bar_id != str(self):
            return
        self.cancelling = False
        self.set_status(f"Cancelled: {message.outcome}.", OK_COLOUR)


def _foreground_group(backend: PtyBackend) -> tuple[int, ...]:
    try:
        return (os.tcgetpgrp(backend.fileno()),)
    except (OSError, AttributeError, ValueError):
        return ()
