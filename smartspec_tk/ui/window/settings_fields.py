"""The Settings dialog's pages and fields: which setting, edited how, with what shown choices.
Labels and help lines come from `core/settings_labels.py` (shared with the messages about bad values).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from smartspec_tk.core.settings_labels import INFO

Kind = Literal["text", "secret", "choice", "bool", "folder", "file"]


@dataclass(frozen=True)
class FieldSpec:
    """One row: a settings field and how it is edited; `choices` are (value, what the user reads)."""

    name: str
    kind: Kind = "text"
    choices: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        return INFO[self.name].label

    @property
    def help(self) -> str:
        """The field's help line, saying when a change takes effect when it is not at once."""
        info = INFO[self.name]
        when = {"restart": " Takes effect at the next start.", "new tabs": ""}.get(info.applies, "")
        return info.help + when

    def shown(self, value: str) -> str:
        return next((label for raw, label in self.choices if raw == value), value)

    def raw(self, shown: str) -> str:
        return next((raw for raw, label in self.choices if label == shown), shown)


PAGES: tuple[tuple[str, tuple[FieldSpec, ...]], ...] = (
    ("Connection", (
        FieldSpec("backend_url"),
        FieldSpec("proxy_token", "secret"),
        FieldSpec("token_mode", "choice", (("both", "Both Authorization and x-proxy-token"),
                                           ("bearer", "Authorization: Bearer only"),
                                           ("header", "x-proxy-token header only"))),
        FieldSpec("ca_file", "file"),
        FieldSpec("connect_timeout_s"),
        FieldSpec("read_timeout_s"),
    )),
    ("Terminal", (
        FieldSpec("workspace", "folder"),
        FieldSpec("shell"),
        FieldSpec("font_family"),
        FieldSpec("font_size"),
        FieldSpec("scrollback_lines"),
        FieldSpec("ctrl_c_copies", "choice", (("auto", "On Windows only"), ("on", "Always"), ("off", "Never"))),
        FieldSpec("restore_session", "bool"),
    )),
    ("Chat and uploads", (
        FieldSpec("default_model"),
        FieldSpec("chat_font_size"),
        FieldSpec("max_upload_mb"),
        FieldSpec("artifact_mode", "choice", (("control-plane", "SmartSpec's control plane"),
                                              ("local", "The backend's own store"))),
        FieldSpec("file_part_mode", "choice", (("file_url", "File parts (file_url)"),
                                               ("text", "Links in the text"))),
    )),
    ("Other", (
        FieldSpec("theme", "choice", (("system", "As the system says"), ("dark", "Dark"), ("light", "Light"))),
        FieldSpec("remote_mode", "bool"),
        FieldSpec("mcp_write_token", "secret"),
        FieldSpec("kilo_runner"),
        FieldSpec("shortcuts"),
    )),
)  # fmt: skip
FIELDS: tuple[FieldSpec, ...] = tuple(spec for _page, specs in PAGES for spec in specs)
