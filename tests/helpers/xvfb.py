"""A private Xvfb on a free display (Xvfb picks it with -displayfd), for the test suite and the benchmarks.

The benchmark scripts import it too (they put the repository root on `sys.path`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

SCREEN = "1600x1000x24"


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """Start Xvfb; returns the process and its display name (':N'). A missing Xvfb fails loudly."""
    if shutil.which("Xvfb") is None:
        raise RuntimeError("Xvfb is not installed: run ./scripts/test, or apt-get install xvfb")
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", SCREEN, "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        stop_xvfb(xvfb)
        raise RuntimeError("Xvfb did not start")
    return xvfb, f":{number}"


def stop_xvfb(xvfb: subprocess.Popen[bytes]) -> None:
    xvfb.terminate()
    xvfb.wait(timeout=10)


@contextmanager
def display() -> Iterator[str]:
    """The current DISPLAY, or a private Xvfb set as DISPLAY for the duration."""
    current = os.environ.get("DISPLAY")
    if current:
        yield current
        return
    xvfb, name = start_xvfb()
    os.environ["DISPLAY"] = name
    try:
        yield name
    finally:
        os.environ.pop("DISPLAY", None)
        stop_xvfb(xvfb)
