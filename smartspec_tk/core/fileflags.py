"""`os.open` flags for exact bytes: with `O_BINARY` (without it Windows reads and writes in text
mode: `\\r\\n` becomes `\\n`, a PNG stops being a PNG). Apart from `core/winsys.py`, which needs
ctypes, so that Linux and macOS never load ctypes (about 0.4 MB resident) for these.
"""

from __future__ import annotations

import os


def read_flags() -> int:
    """`os.open` flags for reading a file's bytes exactly: binary, and no link followed where possible."""
    return os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)


def write_flags() -> int:
    """`os.open` flags for (re)writing a file in binary mode."""
    return os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
