"""core/ never imports tkinter: import every core module with tkinter blocked."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import smartspec_tk.core


def core_modules() -> list[str]:
    prefix = smartspec_tk.core.__name__ + "."
    return sorted(m.name for m in pkgutil.walk_packages(smartspec_tk.core.__path__, prefix))


def test_core_has_modules() -> None:
    assert "smartspec_tk.core.settings" in core_modules()


def test_core_imports_without_tkinter() -> None:
    code = (
        "import sys, importlib\n"
        "sys.modules['tkinter'] = None\n"
        "sys.modules['_tkinter'] = None\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
