"""SettingsDialog: edits the user settings file; changes apply at the next start.

The proxy token is written only when the user ticks "Save the token in the
settings file", and then the file is made owner-only (0600).
"""

from __future__ import annotations

import tkinter as tk
from pathlib import Path
from tkinter import messagebox, ttk
from typing import Any

from smartspec_tk.core.settings import Settings, read_user_settings, save_user_settings

# (field, label, choices or None)
FIELDS: tuple[tuple[str, str, tuple[str, ...] | None], ...] = (
    ("backend_url", "Backend URL", None),
    ("proxy_token", "Proxy token", None),
    ("token_mode", "Send token as", ("both", "bearer", "header")),
    ("workspace", "Workspace folder", None),
    ("default_model", "Default model", None),
    ("ca_file", "Extra CA file", None),
    ("artifact_mode", "Artifact storage", ("control-plane", "local")),
    ("file_part_mode", "Send videos/files as", ("file_url", "text")),
    ("max_upload_mb", "Upload size cap (MiB)", None),
    ("shell", "Shell command", None),
    ("kilo_runner", "Kilo runner command", None),
    ("font_family", "Terminal font", None),
    ("font_size", "Terminal font size", None),
)

LABELS = {name: label for name, label, _ in FIELDS}


class SettingsDialog(tk.Toplevel):
    def __init__(self, master: tk.Misc, settings: Settings, user_file: Path) -> None:
        super().__init__(master)
        self.title("Settings")
        self.transient(master.winfo_toplevel())
        self._user_file = user_file
        self._vars: dict[str, tk.StringVar] = {}
        saved = read_user_settings(user_file)
        body = ttk.Frame(self, padding=12)
        body.pack(fill="both", expand=True)
        for row, (name, label, choices) in enumerate(FIELDS):
            ttk.Label(body, text=label).grid(row=row, column=0, sticky="w", pady=2)
            value = saved.get(name, "" if name == "proxy_token" else _shown(getattr(settings, name)))
            var = tk.StringVar(self, value=str(value))
            self._vars[name] = var
            widget: ttk.Widget
            if choices:
                widget = ttk.Combobox(body, textvariable=var, values=choices, state="readonly", width=40)
            else:
                widget = ttk.Entry(body, textvariable=var, width=44, show="•" if name == "proxy_token" else "")
            widget.grid(row=row, column=1, sticky="ew", pady=2)
        self.save_token = tk.BooleanVar(self, value="proxy_token" in saved)
        ttk.Checkbutton(
            body, text="Save the token in the settings file (owner-only)", variable=self.save_token
        ).grid(row=len(FIELDS), column=1, sticky="w", pady=(6, 2))
        ttk.Label(body, text=f"File: {user_file}\nChanges apply at the next start.", foreground="#666").grid(
            row=len(FIELDS) + 1, column=0, columnspan=2, sticky="w", pady=(6, 0)
        )
        buttons = ttk.Frame(body)
        buttons.grid(row=len(FIELDS) + 2, column=0, columnspan=2, sticky="e", pady=(10, 0))
        ttk.Button(buttons, text="Cancel", command=self.destroy).pack(side="right")
        ttk.Button(buttons, text="Save", command=self.save).pack(side="right", padx=6)
        body.columnconfigure(1, weight=1)
        self.bind("<Escape>", lambda _e: self.destroy())

    def values(self) -> dict[str, Any]:
        return {name: var.get().strip() for name, var in self._vars.items()}

    def save(self) -> None:
        values = self.values()
        problems = _validate(values)
        if problems:
            messagebox.showerror("Settings", "\n".join(problems), parent=self)
            return
        save_user_settings(self._user_file, values, include_secrets=self.save_token.get())
        self.destroy()


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


def _validate(values: dict[str, Any]) -> list[str]:
    """Validate each non-empty value alone, so the user sees every problem at once."""
    problems: list[str] = []
    for name, value in values.items():
        if value == "":
            continue
        try:
            Settings.model_validate({name: value}, strict=False)
        except Exception as exc:  # noqa: BLE001 - pydantic errors, shown as text
            first = str(exc).splitlines()[2:3] or [str(exc)]
            problems.append(f"{LABELS[name]}: {first[0].strip()}")
    return problems
