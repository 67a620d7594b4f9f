"""Windows behaviour simulated on Linux, for unit tests of the Windows branches.

`text_mode_open(monkeypatch)`: from then on `os.open` behaves as on Windows — without
`os.O_BINARY` in the flags a file is read in text mode (CRLF becomes LF, as the C runtime
does), with it the bytes come back exactly. `os.O_BINARY` is given a bit Linux ignores.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import pytest

O_BINARY = 0x8000  # its value on Windows


def text_mode_open(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make os.open Windows-like; returns the list of flags each call used."""
    real_open = os.open
    calls: list[int] = []
    monkeypatch.setattr(os, "O_BINARY", O_BINARY, raising=False)

    def fake_open(path: Any, flags: int, mode: int = 0o777, **kwargs: Any) -> int:
        calls.append(flags)
        if flags & O_BINARY or flags & (os.O_WRONLY | os.O_RDWR):
            return real_open(path, flags & ~O_BINARY, mode, **kwargs)
        with open(path, "rb") as handle:  # text mode: what the C runtime hands out
            data = handle.read().replace(b"\r\n", b"\n")
        fd, name = tempfile.mkstemp()
        os.write(fd, data)
        os.lseek(fd, 0, os.SEEK_SET)
        os.unlink(name)
        return fd

    monkeypatch.setattr(os, "open", fake_open)
    return calls
