"""DoctorDialog: runs the connection doctor on a worker thread and shows each result as it comes."""

from __future__ import annotations

import threading
import tkinter as tk
from dataclasses import dataclass
from tkinter import ttk
from typing import TYPE_CHECKING

from smartspec_tk.core.doctor import DoctorContext, format_result, run_checks
from smartspec_tk.core.messages import Message

if TYPE_CHECKING:
    from smartspec_tk.services import Services
    from smartspec_tk.ui.window.pump import Pump


@dataclass(frozen=True, slots=True)
class DoctorLine(Message):
    run_id: int
    text: str
    ok: bool | None  # None: the run is over


class DoctorDialog(tk.Toplevel):
    _runs = 0

    def __init__(self, master: tk.Misc, pump: Pump, services: Services) -> None:
        super().__init__(master)
        self.title("Connection doctor")
        self.geometry("720x420")
        self._services = services
        # The buttons are packed first so that a long report can never push them out of the window.
        buttons = ttk.Frame(self, padding=6)
        buttons.pack(side="bottom", fill="x")
        ttk.Button(buttons, text="Close", command=self.destroy).pack(side="right")
        ttk.Button(buttons, text="Run again", command=self.start).pack(side="right", padx=6)
        self.text = tk.Text(self, wrap="word", font="TkFixedFont", padx=8, pady=8, height=16)
        self.text.tag_configure("ok", foreground="#2e7d32")
        self.text.tag_configure("fail", foreground="#c62828")
        self.text.pack(fill="both", expand=True)
        pump.subscribe(DoctorLine, self._on_line, owner=self)  # dropped when the dialog closes
        self.start()

    def start(self) -> None:
        DoctorDialog._runs += 1
        self._run_id = DoctorDialog._runs
        self._write(f"Checking {self._services.backend_url} …\n\n", clear=True)
        threading.Thread(target=self._work, args=(self._run_id,), name="doctor", daemon=True).start()

    def _work(self, run_id: int) -> None:
        post = self._services.outbox.post
        try:
            ctx = DoctorContext(self._services.settings, self._services.http, self._services.problems)
            for name, result in run_checks(ctx):
                post(DoctorLine(run_id, format_result(name, result), bool(result and result.ok)))
        finally:
            post(DoctorLine(run_id, "Done.", None))

    def _on_line(self, line: DoctorLine) -> None:
        if line.run_id != self._run_id or not self.winfo_exists():
            return
        tag = "" if line.ok is None else ("ok" if line.ok else "fail")
        self._write(line.text + "\n", tag)

    def _write(self, text: str, tag: str = "", *, clear: bool = False) -> None:
        """Append to the read-only report (the user can select and copy it, not edit it)."""
        self.text.configure(state="normal")
        if clear:
            self.text.delete("1.0", "end")
        self.text.insert("end", text, tag)
        self.text.configure(state="disabled")
