"""SettingsDialog: edits the user settings file, page by page, with one line of help per setting;
what can change in a running app applies at once when saved (tokens, timeouts, theme, fonts,
models, limits), the rest at the next start (each help line says which).

The tokens (proxy token, Remote write token) are written only when the user ticks "Save the
tokens in the settings file", and then the file is made owner-only (0600); a token typed here
is used for this session either way.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from pathlib import Path
from tkinter import filedialog, messagebox, ttk
from typing import Any

from pydantic import SecretStr
from pydantic import ValidationError as PydanticValidationError

from smartspec_tk.core.settings import Settings, load_settings, save_user_settings
from smartspec_tk.core.settings_labels import known_as, plain_error
from smartspec_tk.core.settings_sources import SECRET_FIELDS, read_user_settings
from smartspec_tk.core.storage import storage_error
from smartspec_tk.ui.window.settings_fields import FIELDS, PAGES, FieldSpec

Var = tk.StringVar | tk.BooleanVar
_TRUE_WORDS = ("1", "true", "yes", "on")


def ask_folder(parent: tk.Misc, current: str) -> str:
    """The folder dialog (tests replace this function)."""
    return filedialog.askdirectory(parent=parent, initialdir=current or None, mustexist=True) or ""


def ask_file(parent: tk.Misc, current: str) -> str:
    """The CA file dialog (tests replace this function)."""
    folder = str(Path(current).parent) if current else None
    types = [("Certificates", "*.pem *.crt *.cer"), ("All files", "*")]
    return filedialog.askopenfilename(parent=parent, initialdir=folder, filetypes=types) or ""


class SettingsDialog(tk.Toplevel):
    def __init__(self, master: tk.Misc, settings: Settings, user_file: Path,
                 apply: Callable[[Settings], None] | None = None) -> None:  # fmt: skip
        super().__init__(master)
        self.title("Settings")
        self.transient(master.winfo_toplevel())
        self._user_file, self._apply = user_file, apply
        self._vars: dict[str, Var] = {}
        self.editors: dict[str, ttk.Widget] = {}
        self.browse_buttons: dict[str, ttk.Button] = {}
        saved = read_user_settings(user_file)
        body = ttk.Frame(self, padding=12)
        body.pack(fill="both", expand=True)
        self.pages = ttk.Notebook(body)
        self.pages.pack(fill="both", expand=True)
        for title, specs in PAGES:
            page = ttk.Frame(self.pages, padding=10)
            self.pages.add(page, text=title)
            for index, spec in enumerate(specs):
                self._vars[spec.name] = var = _variable(self, spec, saved, settings)
                self._row(page, 2 * index, spec, var)
            page.columnconfigure(1, weight=1)
        self._saved_names = set(saved)
        self._shown = self.values()
        self._footer(body, saved)
        self.bind("<Escape>", lambda _e: self.destroy())

    def _row(self, page: ttk.Frame, row: int, spec: FieldSpec, var: Var) -> None:
        """Label, editor (and Browse…), and the help line below the editor."""
        if spec.kind != "bool":
            ttk.Label(page, text=spec.label).grid(row=row, column=0, sticky="w", padx=(0, 10), pady=(6, 0))
        self.editors[spec.name] = editor = _editor(page, spec, var)
        editor.grid(row=row, column=1, sticky="ew", pady=(6, 0), columnspan=1 if spec.kind in ("folder", "file") else 2)
        if spec.kind in ("folder", "file"):
            ask = ask_folder if spec.kind == "folder" else ask_file

            def browse(var: Var = var, ask: Callable[[tk.Misc, str], str] = ask) -> None:
                chosen = ask(self, str(var.get()))
                if chosen and isinstance(var, tk.StringVar):
                    var.set(chosen)

            button = self.browse_buttons[spec.name] = ttk.Button(page, text="Browse…", command=browse)
            button.grid(row=row, column=2, padx=(6, 0), pady=(6, 0))
        ttk.Label(page, text=spec.help, style="Muted.TLabel", wraplength=460, justify="left").grid(
            row=row + 1, column=1, columnspan=2, sticky="w")  # fmt: skip

    def _footer(self, body: ttk.Frame, saved: dict[str, Any]) -> None:
        self.save_token = tk.BooleanVar(self, value=any(name in saved for name in SECRET_FIELDS))
        ttk.Checkbutton(body, text="Save the tokens in the settings file (owner-only)",
                        variable=self.save_token).pack(anchor="w", pady=(8, 0))  # fmt: skip
        note = (f"A token typed here is used at once; unsaved, it is forgotten at exit.\nFile: {self._user_file}")
        ttk.Label(body, text=note, style="Muted.TLabel", justify="left").pack(anchor="w", pady=(4, 0))
        buttons = ttk.Frame(body)
        buttons.pack(anchor="e", pady=(10, 0))
        ttk.Button(buttons, text="Save", style="Accent.TButton", command=self.save).pack(side="left", padx=6)
        ttk.Button(buttons, text="Cancel", command=self.destroy).pack(side="left")

    def values(self) -> dict[str, Any]:
        """Text fields stripped, check boxes as booleans, choices as the values the settings take."""
        values: dict[str, Any] = {}
        for spec in FIELDS:
            value = self._vars[spec.name].get()
            values[spec.name] = _cleaned(spec.raw(str(value)) if spec.kind == "choice" else value)
        return values

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
        problems = validate(values)
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
        if self._apply is not None:
            self._apply(live_settings(self._user_file, values))
        self.destroy()


def live_settings(user_file: Path, values: dict[str, Any]) -> Settings:
    """The settings as the app would load them now, plus the tokens typed in the dialog (also
    the unsaved ones: they are used for this session)."""
    settings = load_settings(user_file).settings
    typed = {name: SecretStr(value) for name, value in values.items() if name in SECRET_FIELDS and value}
    return settings.model_copy(update=typed) if typed else settings


def _variable(master: tk.Misc, spec: FieldSpec, saved: dict[str, Any], settings: Settings) -> Var:
    """The field's value from the settings file, else the running one (secrets: the file only)."""
    if spec.kind == "bool":
        value = saved.get(spec.name, getattr(settings, spec.name))
        return tk.BooleanVar(master, value=value if isinstance(value, bool) else str(value).lower() in _TRUE_WORDS)
    fallback = None if spec.kind == "secret" else getattr(settings, spec.name)
    value = saved.get(spec.name, fallback)
    text = "" if value is None else str(value)
    return tk.StringVar(master, value=spec.shown(text) if spec.kind == "choice" else text)


def _editor(page: ttk.Frame, spec: FieldSpec, var: Var) -> ttk.Widget:
    if spec.kind == "bool":
        return ttk.Checkbutton(page, text=spec.label, variable=var)
    if spec.kind == "choice":
        return ttk.Combobox(page, textvariable=var, values=[label for _raw, label in spec.choices],
                            state="readonly", width=40)  # fmt: skip
    return ttk.Entry(page, textvariable=var, width=44, show="•" if spec.kind == "secret" else "")


def _cleaned(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def validate(values: dict[str, Any]) -> list[str]:
    """Validate each non-empty value alone, so the user sees every problem at once, each named
    as the user knows the setting ('Terminal font size (SMARTSPEC_FONT_SIZE): must be at most 48')."""
    problems: list[str] = []
    for name, value in values.items():
        if value == "":
            continue
        try:
            Settings.model_validate({name: value}, strict=False)
        except PydanticValidationError as exc:  # the message only: never the input (it may be a token)
            errors = exc.errors()
            problems.append(f"{known_as(name)}: {plain_error(errors[0]) if errors else 'invalid value'}")
    return problems
