"""Running from the one-file binary: the environment other programs must get instead of ours.

The PyInstaller bootloader points LD_LIBRARY_PATH (LIBPATH on AIX, DYLD_* on macOS)
at its unpack folder and sets `_PYI_*` bookkeeping variables; its runtime hook sets
TCL_LIBRARY/TK_LIBRARY there too. A shell in a terminal tab (and everything the user
runs in it) must not load our bundled libssl/libz/… nor believe it is part of our
process tree, so every external program is started with `external_env(env)`.
Outside the binary it returns a plain copy. The frozen entry point goes further and
calls `restore_user_environment()` once, so even `webbrowser` and `subprocess` calls
without an explicit env are safe; only a start of this same executable (the embedded
backend) puts the bootloader's variables back with `self_env()`, so that it reuses
our unpacked files instead of unpacking again.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

LIBRARY_PATH_VARS = ("LD_LIBRARY_PATH", "LIBPATH", "DYLD_LIBRARY_PATH", "DYLD_FRAMEWORK_PATH")
BUNDLE_PATH_VARS = ("TCL_LIBRARY", "TK_LIBRARY", "SSL_CERT_FILE", "SSL_CERT_DIR")
IN_PROCESS_VARS = ("TCL_LIBRARY", "TK_LIBRARY")  # Tk reads them when the window is created

_bootloader_env: dict[str, str] = {}  # what restore_user_environment() took out of os.environ


def bundle_dir() -> str | None:
    """The one-file unpack folder (sys._MEIPASS) when frozen, else None."""
    if not getattr(sys, "frozen", False):
        return None
    return getattr(sys, "_MEIPASS", None)


def external_env(env: Mapping[str, str] | None = None, bundle: str | None = None) -> dict[str, str]:
    """A copy of `env` (default os.environ) without what the bootloader added."""
    result = dict(os.environ if env is None else env)
    bundle = bundle_dir() if bundle is None else bundle
    if not bundle:
        return result
    for name in [n for n in result if n.startswith("_PYI_") or n == "_MEIPASS2"]:
        del result[name]
    for name in LIBRARY_PATH_VARS:
        original = result.pop(name + "_ORIG", None)
        if original is not None:
            result[name] = original
        elif name in result:
            kept = [p for p in result[name].split(os.pathsep) if p and not _inside(p, bundle)]
            if kept:
                result[name] = os.pathsep.join(kept)
            else:
                del result[name]
    for name in BUNDLE_PATH_VARS:
        if name in result and _inside(result[name], bundle):
            del result[name]
    return result


def restore_user_environment() -> None:
    """Frozen entry point only: take the bootloader's variables out of os.environ (kept for self_env).

    Safe for this process: the dynamic loader read LD_LIBRARY_PATH when it started.
    """
    clean = external_env()
    for name, value in list(os.environ.items()):
        if name not in IN_PROCESS_VARS and clean.get(name) != value:
            _bootloader_env[name] = value
            del os.environ[name]
    os.environ.update({k: v for k, v in clean.items() if k not in os.environ})


def self_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for starting this same executable: `env` plus the bootloader's variables."""
    result = dict(os.environ if env is None else env)
    result.update(_bootloader_env)
    return result


def _inside(path: str, folder: str) -> bool:
    path, folder = os.path.normpath(path), os.path.normpath(folder)
    return path == folder or path.startswith(folder + os.sep)
