"""What the app's start does not load: ctypes on Linux (`core/winsys.py` is for Windows; about
0.4 MB resident), nor what only a click needs (the browser opener, the file dialogs, Export)."""

from __future__ import annotations

import subprocess
import sys

import pytest

STARTUP_MODULES = (
    "smartspec_tk.app", "smartspec_tk.services", "smartspec_tk.features", "smartspec_tk.core.settings",
    "smartspec_tk.core.embedded", "smartspec_tk.core.session_state", "smartspec_tk.core.orphans",
    "smartspec_tk.core.media.upload", "smartspec_tk.core.media.validation", "smartspec_tk.ui.chat.wiring",
    "smartspec_tk.ui.media.attachment_bar", "smartspec_tk.ui.terminal.wiring", "smartspec_tk.ui.window.app_shell",
)  # fmt: skip


LOADED_ON_USE = ("webbrowser", "tkinter.filedialog", "smartspec_tk.core.chat.export",
                 "smartspec_tk.ui.chat.markdown", "smartspec_tk.core.chat.tables")  # the renderer: first answer


def loaded_after_start(names: tuple[str, ...]) -> list[str]:
    """Which of `names` a fresh interpreter has loaded once it imported every start-up module."""
    code = (f"import sys\nfor name in {STARTUP_MODULES!r}:\n    __import__(name)\n"
            f"print(' '.join(n for n in {names!r} if n in sys.modules))")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.split()


@pytest.mark.skipif(sys.platform == "win32", reason="Windows needs ctypes (Job Objects, ConPTY)")
def test_the_modules_a_start_imports_leave_ctypes_unloaded() -> None:
    assert loaded_after_start(("ctypes",)) == []


def test_what_only_a_click_needs_is_not_loaded_at_start() -> None:
    assert loaded_after_start(LOADED_ON_USE) == []


def test_winsys_keeps_the_file_flags_for_its_callers() -> None:
    from smartspec_tk.core import fileflags, winsys

    assert winsys.read_flags is fileflags.read_flags and winsys.write_flags is fileflags.write_flags
