"""Start-up hooks for tests, benchmarks and demos: every one the app reads, in one place.

- `SMARTSPEC_PRINT_MAPPED=1`: print `MAPPED` when the main window first maps (the
  start-up benchmark and the binary's test wait for that line).
- `SMARTSPEC_TEST_AUTOSEND=text`: type `text` into the chat and send it at start-up.
- `SMARTSPEC_TEST_ATTACH=a.png<pathsep>b.mp4`: attach those files at start-up.
- `SMARTSPEC_TEST_TAB='["cmd.exe", "/k", "…"]'` (a JSON list): open one more terminal tab
  running that program at start-up.
- `SMARTSPEC_TEST_CONTROL=file`: read that file every 100 ms and run each new line once:
  `close-tab` closes the `SMARTSPEC_TEST_TAB` tab without asking (as Close Tab does once
  the user confirmed), `quit` quits as File → Quit does once the user confirmed, `new-tab`
  opens a terminal tab as Tabs → New tab does, `rename-tab NAME` names the current tab as
  Rename does once the user typed NAME, `type TEXT` types TEXT into the current tab (`\\n` is
  Enter), `geometry WxH+X+Y` and `divider X` move and size the window and its divider as a
  user's mouse would. Tests drive the app so from outside, also under Wine (the Windows tier).

The product's modules know nothing of them: the composition root calls `install`.
"""

from __future__ import annotations

import json
import logging
import os
import tkinter as tk
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smartspec_tk.features import Features
    from smartspec_tk.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

PRINT_MAPPED_ENV = "SMARTSPEC_PRINT_MAPPED"
AUTOSEND_ENV = "SMARTSPEC_TEST_AUTOSEND"
ATTACH_ENV = "SMARTSPEC_TEST_ATTACH"
TAB_ENV = "SMARTSPEC_TEST_TAB"
CONTROL_ENV = "SMARTSPEC_TEST_CONTROL"
DELAY_MS = 300  # after the window is up
CONTROL_POLL_MS = 100


def mapped() -> None:
    """The main window mapped for the first time."""
    if os.environ.get(PRINT_MAPPED_ENV):
        print("MAPPED", flush=True)


def install(root: tk.Misc, features: Features, quit_app: Callable[[], None],
            window: MainWindow | None = None) -> None:  # fmt: skip
    """Schedule the start-up actions the environment asks for."""
    preset = os.environ.get(ATTACH_ENV)
    media = features.media
    if preset and media is not None:
        root.after(DELAY_MS, lambda: media.add_paths([p for p in preset.split(os.pathsep) if p]))
    text = os.environ.get(AUTOSEND_ENV)
    chat = features.chat
    if text and chat is not None:

        def autosend() -> None:
            chat.set_prompt(text)
            chat.send_prompt()

        root.after(DELAY_MS, autosend)
    terminals = features.terminals
    commands: dict[str, Callable[[str], object]] = {
        "quit": lambda _arg: quit_app(),
        "new-tab": lambda _arg: terminals.new_tab(),
        "rename-tab": lambda name: terminals.name_tab(None, name),
        "geometry": lambda spec: root.winfo_toplevel().geometry(spec),
        "divider": lambda x: window.place_sash(int(x)) if window is not None else None,
        "type": lambda text: terminals.paste_into_current(text.replace("\\n", "\n"), bracketed=False),
    }
    argv = os.environ.get(TAB_ENV)
    if argv:
        tab = features.terminals.open_session(argv=[str(arg) for arg in json.loads(argv)])
        commands["close-tab"] = lambda _arg: log.info("test hook: tab closed: %s",
                                                 features.terminals.close_tab(tab, ask=False))  # fmt: skip
    control = os.environ.get(CONTROL_ENV)
    if control:
        _poll_control(root, Path(control), commands, 0)


def _poll_control(root: tk.Misc, path: Path, commands: dict[str, Callable[[str], object]], done: int) -> None:
    """Run the lines of `path` after the first `done` ones, then look again in CONTROL_POLL_MS."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    for line in lines[done:]:
        log.info("test hook: control command %r", line)
        name, _, argument = line.strip().partition(" ")
        action = commands.get(name)
        if action is not None:
            action(argument)
    root.after(CONTROL_POLL_MS, lambda: _poll_control(root, path, commands, max(done, len(lines))))
