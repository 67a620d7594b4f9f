"""Helpers for the terminal UI tests: a notebook running a plain bash, typing real Tk key
events, and a probe program that reports the exact bytes it reads from the pty."""

from __future__ import annotations

import sys
import tkinter as tk
from pathlib import Path

from smartspec_tk.core.paths import resolve_paths
from smartspec_tk.core.settings import load_settings
from smartspec_tk.services import Services
from smartspec_tk.ui.terminal.notebook import TerminalNotebook
from smartspec_tk.ui.terminal.view import TerminalView

BASH = ["bash", "--norc", "--noprofile", "-i"]
BASH_ENV = {"PS1": "$ ", "HISTFILE": "/dev/null"}
SHIFT, CONTROL = 0x1, 0x4
_KEYSYMS = {" ": "space", "-": "minus", "$": "dollar", "'": "apostrophe", ".": "period", "/": "slash"}

# Raw mode; turn on the modes given in argv[1]; print READY; read until argv[2] is seen
# (or 60 s pass: only a safety net, a loaded host may take seconds between READY and the
# test's first event); print the bytes as repr.
PROBE = r"""
import os, sys, termios, time, tty
mode, end = sys.argv[1].encode().decode("unicode_escape"), sys.argv[2].encode()
old = termios.tcgetattr(0)
tty.setraw(0)
os.write(1, mode.encode() + b"READY\r\n")
data, deadline = b"", time.monotonic() + 60
while end not in data and time.monotonic() < deadline:
    data += os.read(0, 1024)
termios.tcsetattr(0, termios.TCSADRAIN, old)
print("GOT " + repr(data))
"""


def make_services() -> Services:
    paths = resolve_paths().ensure()
    return Services.build(load_settings(paths.settings_file).settings, paths)


def make_notebook(root: tk.Tk) -> TerminalNotebook:
    notebook = TerminalNotebook(root, make_services())
    notebook.pack(fill="both", expand=True)
    root.update()
    return notebook


def open_bash(notebook: TerminalNotebook) -> TerminalView:
    return notebook.open_session(argv=BASH, env=BASH_ENV)


def shown(view: TerminalView) -> str:
    """Everything the Text displays (scrollback window + screen)."""
    return view.text.get("1.0", "end")


def screen_lines(view: TerminalView) -> list[str]:
    """The screen rows as drawn (without the blank the cursor may stand on)."""
    first = view.renderer.screen_line(0)
    return [line.rstrip() for line in view.text.get(f"{first}.0", "end-1c").split("\n")]


def press(view: TerminalView, keysym: str, state: int = 0) -> None:
    view.text.focus_force()
    view.text.update()
    view.text.event_generate("<Key>", keysym=keysym, state=state)


def type_text(view: TerminalView, text: str) -> None:
    for char in text:
        press(view, _KEYSYMS.get(char, char))


def probe_command(tmp: Path, mode: str, end: str) -> str:
    script = tmp / "probe.py"
    script.write_text(PROBE)
    return f"{sys.executable} {script} '{mode}' '{end}'\r"
