"""Settings: validated once at start-up, immutable afterwards, forgiving of bad input.

Sources, highest first: environment, `.env` in the working folder, the user
settings file (`settings.json` in the config folder), defaults. Every `VITE_*` name
of the original desktop app is accepted as an alias of its `SMARTSPEC_*` name.
A bad value (or a corrupt file) never stops the app: the value falls back to its
default and the problem is recorded in `LoadedSettings.problems` for the GUI to
show once.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smartspec_tk.core import settings_values as check
from smartspec_tk.core.settings_values import Check, Secret

log = logging.getLogger(__name__)

DEFAULT_ALLOWED_TYPES = (
    "image/png,image/jpeg,image/webp,image/gif,video/mp4,video/webm,video/quicktime"
)


def _setting(default: Any, checker: Check, *aliases: str, factory: Any = None) -> Any:
    """A settings field: its default, its check, and extra (VITE_*) names it is read under."""
    metadata = {"check": checker, "aliases": aliases}
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Every user-visible setting; the env names are documented in `.env.example`.

    Raw values (text from the environment, numbers from JSON) are checked and
    converted on construction; a bad one raises `SettingsError`.
    """

    backend_url: str = _setting("http://localhost:8000", check.url, "VITE_PY_BACKEND_URL")
    proxy_token: Secret | None = _setting(None, check.secret, "VITE_PY_PROXY_TOKEN")
    token_mode: str = _setting("both", check.choice("both", "bearer", "header"))
    workspace: Path = _setting(None, check.path, "VITE_WORKSPACE_PATH", factory=Path.cwd)
    orchestrator_key: Secret | None = _setting(None, check.secret, "VITE_ORCHESTRATOR_KEY")
    ca_file: Path | None = _setting(None, check.optional_path)
    connect_timeout_s: float = _setting(5.0, check.number(above=0))
    read_timeout_s: float = _setting(120.0, check.number(above=0))
    embedded_backend: str = _setting("auto", check.choice("auto", "always", "never"))
    default_model: str = _setting("", check.text)
    max_upload_mb: float = _setting(10.0, check.number(above=0))
    allowed_types: str = _setting(DEFAULT_ALLOWED_TYPES, check.text)
    artifact_mode: str = _setting("control-plane", check.choice("control-plane", "local"))
    control_plane_prefix: str = _setting("/api/v1/control-plane/api/v1", check.text)
    file_part_mode: str = _setting("file_url", check.choice("file_url", "text"))
    remote_mode: bool = _setting(False, check.boolean)
    mcp_prefix: str = _setting("/api/mcp", check.text)
    mcp_write_token: Secret | None = _setting(None, check.secret)
    kilo_runner: str = _setting("", check.text)
    shell: str = _setting("", check.text)
    scrollback_lines: int = _setting(10_000, check.integer(low=100, high=1_000_000))
    font_family: str = _setting("", check.text)
    font_size: int = _setting(11, check.integer(low=6, high=48))
    allow_clipboard_write: bool = _setting(False, check.boolean)
    log_level: str = _setting("INFO", check.choice("DEBUG", "INFO", "WARNING", "ERROR", upper=True))

    def __post_init__(self) -> None:
        problems: list[SettingProblem] = []
        for spec in dataclasses.fields(self):
            raw = getattr(self, spec.name)
            try:
                object.__setattr__(self, spec.name, spec.metadata["check"](raw))
            except ValueError as exc:
                problems.append(SettingProblem(spec.name, raw, str(exc)))
        if problems:
            raise SettingsError(problems)

    @property
    def allowed_type_list(self) -> tuple[str, ...]:
        return tuple(t.strip().lower() for t in self.allowed_types.split(",") if t.strip())

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


@dataclass(frozen=True)
class SettingProblem:
    name: str
    value: Any
    reason: str

    def describe(self) -> str:
        shown = "<hidden>" if "token" in self.name or "key" in self.name else repr(self.value)
        return f"Setting {self.name} = {shown} is invalid ({self.reason}); the default is used."


class SettingsError(ValueError):
    """One or more settings values failed their checks."""

    def __init__(self, problems: list[SettingProblem]) -> None:
        super().__init__("; ".join(f"{p.name}: {p.reason}" for p in problems))
        self.problems = tuple(problems)


SETTING_NAMES: tuple[str, ...] = tuple(spec.name for spec in dataclasses.fields(Settings))
SECRET_FIELDS = frozenset({"proxy_token", "orchestrator_key", "mcp_write_token"})
_SPECS = {spec.name: spec for spec in dataclasses.fields(Settings)}


def check_setting(name: str, value: Any) -> str | None:
    """Why `value` is not acceptable for setting `name`, or None when it is."""
    try:
        _SPECS[name].metadata["check"](value)
    except ValueError as exc:
        return str(exc)
    return None


def env_names(name: str) -> tuple[str, ...]:
    """The names a setting is read under from the environment and `.env`, first wins."""
    return (f"SMARTSPEC_{name.upper()}", *_SPECS[name].metadata["aliases"], name)


@dataclass(frozen=True)
class LoadedSettings:
    settings: Settings
    problems: tuple[str, ...]


def load_settings(user_file: Path | None, env_file: Path | None = Path(".env")) -> LoadedSettings:
    """Load settings from every source; never raises for bad values.

    Each invalid field is replaced by its default and described in `problems`.
    """
    problems: list[str] = []
    values = _read_user_file(user_file, problems)
    for source in (_read_dotenv(env_file), {k.lower(): v for k, v in os.environ.items()}):
        values.update(_by_name(source))
    try:
        settings = Settings(**values)
    except SettingsError as exc:
        for problem in exc.problems:
            values.pop(problem.name)
            problems.append(problem.describe())
        settings = Settings(**values)
    for problem in problems:
        log.warning("%s", problem)
    return LoadedSettings(settings, tuple(dict.fromkeys(problems)))


def _by_name(source: Mapping[str, str]) -> dict[str, str]:
    """Values of a case-insensitive source (lower-cased keys), keyed by setting name."""
    found: dict[str, str] = {}
    for name in SETTING_NAMES:
        for env_name in env_names(name):
            if env_name.lower() in source:
                found[name] = source[env_name.lower()]
                break
    return found


def _read_dotenv(env_file: Path | None) -> dict[str, str]:
    if env_file is None or not env_file.is_file():
        return {}
    from dotenv import dotenv_values  # only when there is a .env: most starts have none

    return {k.lower(): v for k, v in dotenv_values(env_file, encoding="utf-8").items() if v is not None}


def _read_user_file(path: Path | None, problems: list[str]) -> dict[str, Any]:
    """The JSON user settings file's known fields; a corrupt file counts as empty (and is reported)."""
    if path is None or not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("the file does not hold a JSON object")
    except (OSError, ValueError) as exc:
        problems.append(f"Settings file {path.name} could not be read ({exc}); defaults are used.")
        return {}
    return {k: v for k, v in data.items() if k in _SPECS}


def save_user_settings(path: Path, values: Mapping[str, Any], *, include_secrets: bool = False) -> None:
    """Write the user settings file; secrets only when asked, and then owner-only (0600)."""
    data: dict[str, Any] = {}
    for name, value in values.items():
        if name not in _SPECS:
            continue
        if name in SECRET_FIELDS and not include_secrets:
            continue
        if isinstance(value, Secret):
            value = value.get_secret_value()
        if isinstance(value, Path):
            value = str(value)
        if value is None or value == "":
            continue
        data[name] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, sort_keys=True)
    if any(name in data for name in SECRET_FIELDS):
        os.chmod(tmp, 0o600)
    else:
        os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def read_user_settings(path: Path) -> dict[str, Any]:
    """The raw content of the user settings file ({} when missing or corrupt)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
