"""Settings: validated once at start-up, immutable afterwards, forgiving of bad input.

Sources, highest first: environment, `.env` in the working folder, the user
settings file (`settings.json` in the config folder), defaults. Every `VITE_*` name
of the original desktop app is accepted as an alias of its `SMARTSPEC_*` name.
A bad value (or a corrupt file) never stops the app: the value falls back to its
default and the problem is recorded in `LoadedSettings.problems` for the GUI to
show once.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic import ValidationError as PydanticValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from smartspec_tk.core.fileflags import write_flags
from smartspec_tk.core.settings_labels import known_as, plain_error
from smartspec_tk.core.settings_sources import (
    SECRET_FIELDS,
    AliasesOnly,
    UserFileSource,
    readable_env_file,
    replace_file,
)
from smartspec_tk.core.shortcuts import parse_overrides

log = logging.getLogger(__name__)

DEFAULT_ALLOWED_TYPES = (
    "image/png,image/jpeg,image/webp,image/gif,video/mp4,video/webm,video/quicktime"
)


def _names(field_name: str, *extra: str) -> AliasChoices:
    """The names a setting is read under: `SMARTSPEC_<NAME>`, its `VITE_*` aliases, its field name
    (the user file and keyword arguments; `settings_sources.AliasesOnly` keeps it out of the environment)."""
    env_name = "SMARTSPEC_" + field_name.upper()
    return AliasChoices(env_name, *extra, field_name)


class Settings(BaseSettings):
    """Every user-visible setting; the env names are documented in `.env.example`."""

    model_config = SettingsConfigDict(
        frozen=True,
        extra="ignore",
        case_sensitive=False,
        populate_by_name=True,
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,  # `SMARTSPEC_CA_FILE=` (as in .env.example) means "not set"
    )

    backend_url: str = Field("http://localhost:8000", validation_alias=_names("backend_url", "VITE_PY_BACKEND_URL"))
    proxy_token: SecretStr | None = Field(None, validation_alias=_names("proxy_token", "VITE_PY_PROXY_TOKEN"))
    token_mode: Literal["both", "bearer", "header"] = Field("both", validation_alias=_names("token_mode"))
    workspace: Path = Field(default_factory=Path.cwd, validation_alias=_names("workspace", "VITE_WORKSPACE_PATH"))
    orchestrator_key: SecretStr | None = Field(
        None, validation_alias=_names("orchestrator_key", "VITE_ORCHESTRATOR_KEY")
    )
    ca_file: Path | None = Field(None, validation_alias=_names("ca_file"))
    connect_timeout_s: float = Field(5.0, gt=0, validation_alias=_names("connect_timeout_s"))
    read_timeout_s: float = Field(120.0, gt=0, validation_alias=_names("read_timeout_s"))
    embedded_backend: Literal["auto", "always", "never"] = Field(
        "auto", validation_alias=_names("embedded_backend")
    )
    default_model: str = Field("", validation_alias=_names("default_model"))
    max_upload_mb: float = Field(10.0, gt=0, validation_alias=_names("max_upload_mb"))
    allowed_types: str = Field(DEFAULT_ALLOWED_TYPES, validation_alias=_names("allowed_types"))
    artifact_mode: Literal["control-plane", "local"] = Field(
        "control-plane", validation_alias=_names("artifact_mode")
    )
    control_plane_prefix: str = Field(
        "/api/v1/control-plane/api/v1", validation_alias=_names("control_plane_prefix")
    )
    file_part_mode: Literal["file_url", "text"] = Field("file_url", validation_alias=_names("file_part_mode"))
    remote_mode: bool = Field(False, validation_alias=_names("remote_mode"))
    mcp_prefix: str = Field("/api/mcp", validation_alias=_names("mcp_prefix"))
    mcp_write_token: SecretStr | None = Field(None, validation_alias=_names("mcp_write_token"))
    kilo_runner: str = Field("", validation_alias=_names("kilo_runner"))
    shell: str = Field("", validation_alias=_names("shell"))
    scrollback_lines: int = Field(10_000, ge=100, le=1_000_000, validation_alias=_names("scrollback_lines"))
    font_family: str = Field("", validation_alias=_names("font_family"))
    font_size: int = Field(11, ge=6, le=48, validation_alias=_names("font_size"))
    chat_font_size: int = Field(11, ge=6, le=48, validation_alias=_names("chat_font_size"))
    allow_clipboard_write: bool = Field(False, validation_alias=_names("allow_clipboard_write"))
    # Ctrl+C copies when there is a selection (else sends ^C) and Ctrl+V pastes, as Windows
    # Terminal does; "auto": on Windows only. Ctrl+Shift+C/V work everywhere regardless.
    ctrl_c_copies: Literal["auto", "on", "off"] = Field("auto", validation_alias=_names("ctrl_c_copies"))
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", validation_alias=_names("log_level"))
    theme: Literal["system", "dark", "light"] = Field("system", validation_alias=_names("theme"))
    # Keyboard shortcuts changed from their defaults: "toggle_chat=Ctrl+Shift+L; quit=none" (core/shortcuts.py).
    shortcuts: str = Field("", validation_alias=_names("shortcuts"))
    # Window size and place, divider, terminal tabs (names, folders) come back after a restart.
    restore_session: bool = Field(True, validation_alias=_names("restore_session"))

    @field_validator("backend_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        bad = _first_bad_char(value, allow_space=False)
        if bad is not None:
            raise ValueError(f"holds {_char_name(bad)} at position {value.index(bad) + 1}")
        try:
            httpx.URL(value)
        except (httpx.InvalidURL, ValueError) as exc:
            raise ValueError(f"is not a valid URL ({exc})") from None
        return value

    @field_validator("shortcuts")
    @classmethod
    def _check_shortcuts(cls, value: str) -> str:
        parse_overrides(value)  # its ValueError names the action and the key
        return value.strip()

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("theme", "ctrl_c_copies", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("proxy_token", "orchestrator_key", "mcp_write_token", mode="before")
    @classmethod
    def _clean_secret(cls, value: Any) -> Any:
        """Stripped (a pasted or saved line break is not part of it); an inner control character, space or
        non-ASCII letter cannot go in an HTTP header: the secret is refused, never shown."""
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if not isinstance(value, str):
            return value
        value = value.strip()
        if not value:
            return None
        bad = _first_bad_char(value, allow_space=False)
        if bad is not None:
            raise ValueError(f"holds {_char_name(bad)} (character {value.index(bad) + 1}); paste it again")
        return value

    @property
    def allowed_type_list(self) -> tuple[str, ...]:
        return tuple(t.strip().lower() for t in self.allowed_types.split(",") if t.strip())

    def ctrl_c_copies_on(self, platform: str = sys.platform) -> bool:
        """Whether Ctrl+C/Ctrl+V copy and paste in terminal tabs (setting `ctrl_c_copies`)."""
        return self.ctrl_c_copies == "on" or (self.ctrl_c_copies == "auto" and platform == "win32")

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def token(self) -> str | None:
        """The proxy token in clear, for the network layer only."""
        return self.proxy_token.get_secret_value() if self.proxy_token else None

    @property
    def write_token(self) -> str | None:
        """The MCP write token in clear, for the network layer only."""
        return self.mcp_write_token.get_secret_value() if self.mcp_write_token else None

    @property
    def secret_values(self) -> tuple[str, ...]:
        """Every secret in clear, for the log redaction only."""
        secrets = (self.proxy_token, self.orchestrator_key, self.mcp_write_token)
        return tuple(s.get_secret_value() for s in secrets if s is not None)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        user_file = UserFileSource(settings_cls, _CURRENT_USER_FILE.path, _CURRENT_USER_FILE.problems)
        return (init_settings, AliasesOnly(env_settings), AliasesOnly(dotenv_settings), user_file)


def _first_bad_char(value: str, *, allow_space: bool) -> str | None:
    """The first control character (or space, or non-ASCII character) in `value`, or None."""
    for char in value:
        if ord(char) < 0x20 or ord(char) == 0x7F or ord(char) > 0x7E or (char == " " and not allow_space):
            return char
    return None


def _char_name(char: str) -> str:
    names = {"\n": "a line break", "\r": "a carriage return", "\t": "a tab", " ": "a space"}
    return names.get(char, f"the character U+{ord(char):04X}")


@dataclass
class _UserFileContext:
    path: Path | None = None
    problems: list[str] = field(default_factory=list)


_CURRENT_USER_FILE = _UserFileContext()


@dataclass(frozen=True)
class LoadedSettings:
    settings: Settings
    problems: tuple[str, ...]


def load_settings(user_file: Path | None, env_file: Path | None = Path(".env")) -> LoadedSettings:
    """Load settings from every source; never raises for bad values.

    Each invalid field is replaced by its default and described in `problems`.
    """
    problems: list[str] = []
    env_file = readable_env_file(env_file, problems)
    _CURRENT_USER_FILE.path = user_file
    _CURRENT_USER_FILE.problems = problems
    overrides: dict[str, Any] = {}
    try:
        for _ in range(len(Settings.model_fields) + 1):
            try:
                settings = Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg]
                break
            except PydanticValidationError as exc:
                for error in exc.errors():
                    name = str(error["loc"][0]) if error["loc"] else ""
                    field_name = _field_for(name)
                    if field_name is None or field_name in overrides:
                        raise
                    info = Settings.model_fields[field_name]
                    overrides[field_name] = info.get_default(call_default_factory=True)
                    shown = "<hidden>" if "token" in field_name or "key" in field_name else repr(error.get("input"))
                    problems.append(f"{known_as(field_name)} = {shown} is invalid: {plain_error(error)}; "
                                    "the default is used.")  # fmt: skip
        else:  # pragma: no cover - the loop always breaks or raises
            raise RuntimeError("settings did not converge")
    finally:
        _CURRENT_USER_FILE.path = None
    for problem in problems:
        log.warning("%s", problem)
    return LoadedSettings(settings, tuple(dict.fromkeys(problems)))


def _field_for(name: str) -> str | None:
    """Map an error location (field name or any alias) back to the field name."""
    lowered = name.lower()
    for field_name, info in Settings.model_fields.items():
        if lowered == field_name:
            return field_name
        alias = info.validation_alias
        if isinstance(alias, AliasChoices) and any(
            isinstance(choice, str) and choice.lower() == lowered for choice in alias.choices
        ):
            return field_name
    return None


def save_user_settings(path: Path, values: Mapping[str, Any], *, include_secrets: bool = False) -> None:
    """Write the user settings file; secrets only when asked, and then owner-only (0600)."""
    data: dict[str, Any] = {}
    for name, value in values.items():
        if name not in Settings.model_fields:
            continue
        if name in SECRET_FIELDS and not include_secrets:
            continue
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if isinstance(value, Path):
            value = str(value)
        if value is None or value == "":
            continue
        data[name] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, write_flags(), 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        json.dump(data, handle, indent=2, sort_keys=True)
    if any(name in data for name in SECRET_FIELDS):
        os.chmod(tmp, 0o600)
    else:
        os.chmod(tmp, 0o644)
    replace_file(tmp, path)
