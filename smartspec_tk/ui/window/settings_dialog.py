"""SettingsDialog: edits the user settings file; changes apply at the next start.

The tokens (proxy token, MCP write token) are written only when the user ticks
"Save the tokens in the settings file", and then the file is made owner-only (0600).
"""

from __future__ import annotations

import tkinter as tk
from dataclasses import dataclass
from pathlib import Path
from tkinter import messagebox, ttk
from typing import Any, Literal

from pydantic import ValidationError as PydanticValidationError

from smartspec_tk.core.settings import SECRET_FIELDS, Settings, read_user_settings, save_user_settings
from smartspec_tk.core.storage import storage_error


@dataclass(frozen=True)
class FieldSpec:
    """One row of the dialog: a settings field, its label, and how it is edited."""

    name: str
    label: str
    kind: Literal["text", "secret", "choice", "bool"] = "text"
    choices: tuple[str, ...] = ()


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("backend_url", "Backend URL"),
    FieldSpec("proxy_token", "Proxy token", "secret"),
    FieldSpec("token_mode", "Send token as", "choice", ("both", "bearer", "header")),
    FieldSpec("workspace", "Workspace folder"),
    FieldSpec("default_model", "Default model"),
    FieldSpec("ca_file", "Extra CA file"),
    FieldSpec("artifact_mode", "Artifact storage", "choice", ("control-plane", "local")),
    FieldSpec("file_part_mode", "Send videos/files as", "choice", ("file_url", "text")),
    FieldSpec("max_upload_mb", "Upload size cap (MiB)"),
    FieldSpec("remote_mode", "Remote tab", "bool"),
    FieldSpec("mcp_write_token", "MCP write token", "secret"),
    FieldSpec("shell", "Shell command"),
    FieldSpec("kilo_runner", "Kilo runner command"),
    FieldSpec("font_family", "Terminal font"),
    FieldSpec("font_size", "Terminal font size"),
)

LABELS = {spec.name: spec.label for spec in FIELDS}
Var = tk.StringVar | tk.BooleanVar
_TRUE_WORDS = ("1", "true", "yes", "on")


class SettingsDialog(tk.Toplevel):
    def __init__(self, master: tk.Misc, settings: Settings, user_file: Path) -> None:
        super().__init__(master)
        self.title("Settings")
        self.transient(master.winfo_toplevel())
        self._user_file = user_file
        self._vars: dict[str, Var] = {}
        saved = read_user_settings(user_file)
        body = ttk.Frame(self, padding=12)
        body.pack(fill="both", expand=True)
        for row, spec in enumerate(FIELDS):
            if spec.kind != "bool":
                ttk.Label(body, text=spec.label).grid(row=row, column=0, sticky="w", pady=2)
            self._vars[spec.name] = var = _variable(self, spec, saved, settings)
            _editor(body, spec, var).grid(row=row, column=1, sticky="ew", pady=2)
        self._saved_names = set(saved)
        self._shown = self.values()
        self.save_token = tk.BooleanVar(self, value=any(name in saved for name in SECRET_FIELDS))
        ttk.Checkbutton(
            body, text="Save the tokens in the settings file (owner-only)", variable=self.save_token
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
        """Text fields stripped, check boxes as booleans."""
        return {name: _cleaned(var.get()) for name, var in self._vars.items()}

    def to_save(self) -> dict[str, Any]:
        """What the user changed, plus what the file already held.

        Values shown only because they are the running ones (the current folder as the
        workspace, the defaults) are not written, so they do not become pinned for ever.
        """
        return {
            name: value
            for name, value in self.values().items()
            if name in self._saved_names or value != self._shown[name]
        }

    def save(self) -> None:
        values = self.to_save()
        problems = _validate(values)
        if problems:
            messagebox.showerror("Settings", "\n".join(problems), parent=self)
            return
        try:
            save_user_settings(self._user_file, values, include_secrets=self.save_token.get())
        except OSError as exc:  # the dialog stays open with what was typed
            plain = storage_error(exc, f"The settings file {self._user_file}")
            messagebox.showerror("Settings", str(plain or f"The settings could not be saved ({exc.strerror})."),
                                 parent=self)  # fmt: skip
            return
        self.destroy()


def _variable(master: tk.Misc, spec: FieldSpec, saved: dict[str, Any], settings: Settings) -> Var:
    """The field's value from the settings file, else the running one (secrets: the file only)."""
    if spec.kind == "bool":
        value = saved.get(spec.name, getattr(settings, spec.name))
        return tk.BooleanVar(master, value=value if isinstance(value, bool) else str(value).lower() in _TRUE_WORDS)
    fallback = None if spec.kind == "secret" else getattr(settings, spec.name)
    value = saved.get(spec.name, fallback)
    return tk.StringVar(master, value="" if value is None else str(value))


def _editor(body: ttk.Frame, spec: FieldSpec, var: Var) -> ttk.Widget:
    if spec.kind == "bool":
        return ttk.Checkbutton(body, text=spec.label, variable=var)
    if spec.kind == "choice":
        return ttk.Combobox(body, textvariable=var, values=spec.choices, state="readonly", width=40)
    return ttk.Entry(body, textvariable=var, width=44, show="•" if spec.kind == "secret" else "")


def _cleaned(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _validate(values: dict[str, Any]) -> list[str]:
    """Validate each non-empty value alone, so the user sees every problem at once."""
    problems: list[str] = []
    for name, value in values.items():
        if value == "":
            continue
        try:
            Settings.model_validate({name: value}, strict=False)
        except PydanticValidationError as exc:  # the message only: never the input (it may be a token)
            errors = exc.errors()
            message = str(errors[0]["msg"]) if errors else "invalid value"
            problems.append(f"{LABELS[name]}: {message}")
    return problems
