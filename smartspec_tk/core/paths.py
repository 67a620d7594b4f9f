"""Where SmartSpec Tk keeps its files: config, data and logs, in one module.

Order: `SMARTSPEC_HOME` (one folder for everything, used by tests), then portable
mode — a `smartspec-data` folder, or a `portable` marker (file or folder), next to the
executable: everything lives in `smartspec-data` there — then the platform's per-user
folders (platformdirs; on Windows under %LOCALAPPDATA%, never the roaming profile).
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass, replace
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

    def prepare(self) -> tuple[AppPaths, tuple[str, ...]]:
        """The app's start: create the folders as far as the disk allows, never failing (issue 13,
        finding 7). A log folder that cannot be written (read-only, full) is replaced by a temporary
        one; the conversations cope on their own (`core/chat/store_open.py`). Returns the notices."""
        notices: list[str] = []
        for folder in (self.config_dir, self.data_dir):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                notices.append(f"The folder {folder} cannot be created ({exc.strerror}); nothing is saved there.")
        reason = _unwritable(self.log_dir)
        if reason is None:
            return self, tuple(notices)
        try:
            temporary = Path(tempfile.mkdtemp(prefix="smartspec-tk-logs-"))
        except OSError:
            notices.append(f"The log folder {self.log_dir} cannot be written ({reason}); the log goes to stderr.")
            return self, tuple(notices)
        notices.append(f"The log folder {self.log_dir} cannot be written ({reason}); this run's log is in {temporary}.")
        return replace(self, log_dir=temporary), tuple(notices)


def _unwritable(folder: Path) -> str | None:
    """Why a byte cannot be written in `folder` (read-only, full, …), or None when it can."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder) as probe:
            probe.write(b"x")
            probe.flush()
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    return None


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
