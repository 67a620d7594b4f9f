"""StatusBar: the backend URL and whether it answers, plus transient notices."""

from __future__ import annotations

import tkinter as tk
from tkinter import ttk

from smartspec_tk.core.messages import BackendStatusChanged


class StatusBar(ttk.Frame):
    def __init__(self, master: tk.Misc, backend_url: str) -> None:
        super().__init__(master, padding=(6, 2), style="Status.TFrame")
        self._dot = ttk.Label(self, text="●", style="Status.TLabel")
        self._dot.pack(side="left")
        self.backend_label = ttk.Label(self, text=f"Backend {backend_url}: checking…", style="Status.TLabel")
        self.backend_label.pack(side="left", padx=(2, 0))
        self.notice_label = ttk.Label(self, text="", style="Warn.TLabel")
        self.notice_label.pack(side="right")
        self._notice_after: str | None = None

    def show_backend(self, status: BackendStatusChanged) -> None:
        kind = "demo backend" if status.demo else "backend"
        self.backend_label.configure(text=f"{kind.capitalize()} {status.url}: {status.detail}")
        self._dot.configure(style="Ok.TLabel" if status.reachable else "Error.TLabel")

    def show_notice(self, text: str, seconds: float = 8.0) -> None:
        self.notice_label.configure(text=text)
        if self._notice_after is not None:
            self.after_cancel(self._notice_after)
        self._notice_after = self.after(int(seconds * 1000), self._clear_notice)

    def _clear_notice(self) -> None:
        self._notice_after = None
        self.notice_label.configure(text="")
