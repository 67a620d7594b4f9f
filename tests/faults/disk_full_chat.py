"""Run by test_disk_faults.py in a private mount namespace whose data folder is a tiny tmpfs: the real chat
pane (wired as the app wires it) sends a prompt after the disk filled up; prints what the user sees as JSON.

Not a test module: `python -m tests.faults.disk_full_chat` (SMARTSPEC_HOME and SMARTSPEC_BACKEND_URL set).
"""

from __future__ import annotations

import json
import time
import tkinter as tk
from pathlib import Path
from typing import Any


def fill(folder: Path) -> None:
    """Write zeros until the file system says it is full."""
    with (folder / "filler").open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
        except OSError:
            pass


def main() -> None:
    from smartspec_tk.core.paths import resolve_paths
    from smartspec_tk.core.settings import load_settings
    from smartspec_tk.services import Services
    from smartspec_tk.ui.chat import wiring
    from smartspec_tk.ui.window.main_window import MainWindow
    from smartspec_tk.ui.window.pump import Pump

    root = tk.Tk()
    errors: list[str] = []
    root.report_callback_exception = lambda kind, value, tb: errors.append(f"{kind.__name__}: {value}")
    services = Services.build(load_settings(None, None).settings, resolve_paths().ensure())
    window = MainWindow(root, services.backend_url)
    pump = Pump(root, services.outbox)
    pane: Any = wiring.attach(window, pump, services)
    pump.start()
    root.update()
    fill(services.paths.data_dir)
    pane.input.text.focus_force()
    pane.input.set_value("keep this prompt")
    root.update()
    pane.input.text.event_generate("<Return>")
    deadline = time.monotonic() + 30
    while not pane.input.note.cget("text") and time.monotonic() < deadline:
        root.update()
        time.sleep(0.01)
    shown = {"input": pane.input.value(), "note": str(pane.input.note.cget("text")), "errors": errors,
             "transcript": str(pane.transcript.text.get("1.0", "end-1c"))}  # fmt: skip
    print(json.dumps(shown), flush=True)
    window.quit()
    pump.stop()
    services.close()
    root.destroy()


if __name__ == "__main__":
    main()
