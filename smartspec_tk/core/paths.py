"""Where SmartSpec Tk keeps its files: config, data and logs, in one module.

Order: `SMARTSPEC_HOME` (one folder for everything, used by tests), then portable
mode — a `smartspec-data` folder, or a `portable` marker (file or folder), next to the
executable: everything lives in `smartspec-data` there — then the platform's per-user
folders (platformdirs; on Windows under %LOCALAPPDATA%, never the roaming profile).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "smartspec-tk"
PORTABLE_DIR_NAME = "smartspec-data"
PORTABLE_MARKER = "portable"


@dataclass(frozen=True, slots=True)
class AppPaths:
    config_dir: Path
    data_dir: Path
    log_dir: Path
    portable: bool = False

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    def ensure(self) -> AppPaths:
        for folder in (self.config_dir, self.data_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def executable_dir() -> Path | None:
    """The folder of the frozen executable, or None when running from source."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return None


def resolve_paths(environ: os._Environ[str] | dict[str, str] | None = None) -> AppPaths:
    env = os.environ if environ is None else environ
    home = env.get("SMARTSPEC_HOME")
    if home:
        root = Path(home).expanduser()
        return AppPaths(root / "config", root / "data", root / "logs")
    exe_dir = executable_dir()
    if exe_dir is not None and ((exe_dir / PORTABLE_DIR_NAME).is_dir() or (exe_dir / PORTABLE_MARKER).exists()):
        root = exe_dir / PORTABLE_DIR_NAME
        return AppPaths(root / "config", root / "data", root / "logs", portable=True)
    import platformdirs

    return AppPaths(
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )
