"""Running from the one-file binary: the environment other programs must get instead of ours.

The PyInstaller bootloader points LD_LIBRARY_PATH (LIBPATH on AIX, DYLD_* on macOS)
at its unpack folder and sets `_PYI_*` bookkeeping variables; its runtime hook sets
TCL_LIBRARY/TK_LIBRARY there too. A shell in a terminal tab (and everything the user
runs in it) must not load our bundled libssl/libz/… nor believe it is part of our
process tree, so every external program is started with `external_env(env)`.
Outside the binary it returns a plain copy.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

LIBRARY_PATH_VARS = ("LD_LIBRARY_PATH", "LIBPATH", "DYLD_LIBRARY_PATH", "DYLD_FRAMEWORK_PATH")
BUNDLE_PATH_VARS = ("TCL_LIBRARY", "TK_LIBRARY", "SSL_CERT_FILE", "SSL_CERT_DIR")


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


def _inside(path: str, folder: str) -> bool:
    path, folder = os.path.normpath(path), os.path.normpath(folder)
    return path == folder or path.startswith(folder + os.sep)
