"""Where settings come from besides the defaults: the environment and `.env` under our own names
only, the user settings file (read as a source, read raw, and checked for a token others can
read), and the safe replacement of a file. `core/settings.py` builds the `Settings` from these."""

from __future__ import annotations

import json
import os
import stat
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

SECRET_FIELDS = frozenset({"proxy_token", "orchestrator_key", "mcp_write_token"})


class AliasesOnly(PydanticBaseSettingsSource):
    """Wraps the environment or `.env` source: a value found under a bare field name is not ours.

    With `populate_by_name`, pydantic-settings also matches the field names, and the
    environment is read case-insensitively: `SHELL` or `LOG_LEVEL` belong to other programs.
    Values found under a `SMARTSPEC_*`/`VITE_*` name come keyed by that name and are kept.
    """

    def __init__(self, inner: PydanticBaseSettingsSource) -> None:
        super().__init__(inner.settings_cls)
        self._inner = inner

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        return {k: v for k, v in self._inner().items() if k not in self.settings_cls.model_fields}


class UserFileSource(PydanticBaseSettingsSource):
    """Reads the JSON user settings file; a corrupt file counts as empty (and is reported)."""

    def __init__(self, settings_cls: type[BaseSettings], path: Path | None, problems: list[str]) -> None:
        super().__init__(settings_cls)
        self._data: dict[str, Any] = {}
        if path is None or not path.exists():
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("the file does not hold a JSON object")
            self._data = data
        except (OSError, ValueError) as exc:
            problems.append(f"Settings file {path.name} could not be read ({exc}); defaults are used.")
        problems.extend(exposed_secrets(path, self._data))

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self._data.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return {k: v for k, v in self._data.items() if k in self.settings_cls.model_fields}


def exposed_secrets(path: Path, data: Mapping[str, Any]) -> list[str]:
    """A warning when the user file holds a token that other users can read (POSIX modes only)."""
    if os.name != "posix" or not any(data.get(name) for name in SECRET_FIELDS):
        return []
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return []
    if not mode & 0o077:
        return []
    return [
        f"The settings file {path} holds a token and other users can read it (mode {mode:04o}); "
        f"make it private: chmod 600 '{path}'."
    ]


def readable_env_file(env_file: Path | None, problems: list[str]) -> Path | None:
    """`env_file`, or None (with a problem) when it cannot be read as UTF-8 text."""
    if env_file is None or not env_file.is_file():
        return env_file
    try:
        data = env_file.read_bytes()
        data.decode("utf-8")
    except OSError as exc:
        problems.append(f"The file {env_file} could not be read ({exc.strerror or exc}); it was ignored.")
        return None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            f"The file {env_file} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}); it was ignored. "
            "Save it as UTF-8."
        )
        return None
    return env_file


def replace_file(source: Path, target: Path, attempts: int = 5) -> None:
    """os.replace; on Windows retried a few times while another program (an antivirus scan, an
    editor) holds the target open, which makes the rename fail with PermissionError there."""
    for attempt in range(attempts):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if sys.platform != "win32" or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def read_user_settings(path: Path) -> dict[str, Any]:
    """The raw content of the user settings file ({} when missing or corrupt)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
