"""Start-up hooks for tests, benchmarks and demos: every one the app reads, in one place.

- `SMARTSPEC_PRINT_MAPPED=1`: print `MAPPED` when the main window first maps (the
  start-up benchmark and the binary's test wait for that line).
- `SMARTSPEC_TEST_AUTOSEND=text`: type `text` into the chat and send it at start-up.
- `SMARTSPEC_TEST_ATTACH=a.png<pathsep>b.mp4`: attach those files at start-up.

The product's modules know nothing of them: the composition root calls `install`.
"""

from __future__ import annotations

import os
import tkinter as tk
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smartspec_tk.features import Features

PRINT_MAPPED_ENV = "SMARTSPEC_PRINT_MAPPED"
AUTOSEND_ENV = "SMARTSPEC_TEST_AUTOSEND"
ATTACH_ENV = "SMARTSPEC_TEST_ATTACH"
DELAY_MS = 300  # after the window is up


def mapped() -> None:
    """The main window mapped for the first time."""
    if os.environ.get(PRINT_MAPPED_ENV):
        print("MAPPED", flush=True)


def install(root: tk.Misc, features: Features) -> None:
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
