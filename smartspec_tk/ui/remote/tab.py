"""RemoteTab: the Remote mode shell as a tab — a transcript, a prompt and an input line.

Only created when `settings.remote_mode` is true (`attach` adds nothing otherwise).
Each command runs on a worker thread (`RemoteShell.execute`); its lines come back
through the outbox as `RemoteOutput` and end with `RemoteCommandDone`. The tab sits
in the terminal notebook, so it answers the few calls the notebook makes on its tabs.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import tkinter as tk
from dataclasses import dataclass
from tkinter import ttk
from typing import TYPE_CHECKING, Literal

from smartspec_tk.core.kilo.history import CommandHistory, HistoryCursor
from smartspec_tk.core.media.sessions import CACHE_FILE_NAME
from smartspec_tk.core.messages import Message
from smartspec_tk.core.remote.api import RemoteApi
from smartspec_tk.core.remote.context import OutputKind
from smartspec_tk.core.remote.shell import RemoteShell
from smartspec_tk.core.theme import Palette
from smartspec_tk.ui import theme
from smartspec_tk.ui.theme.widgets import bind_keys

if TYPE_CHECKING:
    from smartspec_tk.services import Services
    from smartspec_tk.ui.handles import Terminals
    from smartspec_tk.ui.window.main_window import MainWindow
    from smartspec_tk.ui.window.pump import Pump

log = logging.getLogger(__name__)

def tag_styles(p: Palette) -> dict[str, dict[str, object]]:
    """The transcript's tags in the theme's colours (they once were light-only: black headers
    and pale diff rows on the dark theme's background)."""
    bold = ("TkFixedFont", 10, "bold")
    return {
        "prompt": {"foreground": p.link, "font": bold},
        "error": {"foreground": p.error},
        "note": {"foreground": p.warn},
        "header": {"foreground": p.fg, "font": bold},
        "add": {"foreground": p.ok, "background": p.diff_add_bg},
        "remove": {"foreground": p.error, "background": p.diff_remove_bg},
    }


@dataclass(frozen=True, slots=True)
class RemoteOutput(Message):
    tab_id: str
    text: str
    kind: OutputKind


@dataclass(frozen=True, slots=True)
class RemoteCommandDone(Message):
    tab_id: str
    prompt: str


class RemoteTab(ttk.Frame):
    """Tk thread only; the shell runs on one worker thread at a time."""

    def __init__(self, master: tk.Misc, shell: RemoteShell, history: CommandHistory, services: Services,
                 pump: Pump) -> None:  # fmt: skip
        super().__init__(master)
        self.shell, self.history, self.services = shell, history, services
        pump.subscribe(RemoteOutput, self._on_output, owner=self)
        pump.subscribe(RemoteCommandDone, self._on_done, owner=self)
        self.cursor = HistoryCursor(history)
        self.busy = False
        self.exited = False  # the notebook asks its tabs (ui/handles.TerminalTab); this one never exits
        body = ttk.Frame(self)
        body.pack(side="top", fill="both", expand=True)
        self.text = tk.Text(body, wrap="word", height=10, font="TkFixedFont", state="disabled", padx=6, pady=4)
        scroll = ttk.Scrollbar(body, orient="vertical", command=self.text.yview)
        self.text.configure(yscrollcommand=scroll.set)
        scroll.pack(side="right", fill="y")
        self.text.pack(side="left", fill="both", expand=True)
        self._recolour(theme.current())
        theme.on_change(self._recolour, owner=self)
        row = ttk.Frame(self, padding=(4, 2))
        row.pack(side="bottom", fill="x")
        self.prompt = ttk.Label(row, text=shell.prompt, font="TkFixedFont")
        self.prompt.pack(side="left")
        self.line = tk.StringVar()
        self.entry = ttk.Entry(row, textvariable=self.line, font="TkFixedFont")
        self.entry.pack(side="left", fill="x", expand=True)
        bind_keys(self.entry, {"<Return>": self.submit, "<Tab>": self.complete,
                               "<Up>": lambda: self._walk(True), "<Down>": lambda: self._walk(False)})  # fmt: skip
        self.append("Remote mode: SmartSpec services through the backend. Type help.", "note")

    def _recolour(self, palette: Palette) -> None:
        for name, options in tag_styles(palette).items():
            self.text.tag_configure(name, **options)  # type: ignore[call-overload]

    # -- transcript ------------------------------------------------------------------------

    def append(self, text: str, kind: OutputKind | Literal["prompt"] = "out") -> None:
        if kind == "clear":
            self.text.configure(state="normal")
            self.text.delete("1.0", "end")
            self.text.configure(state="disabled")
            return
        self.text.configure(state="normal")
        self.text.insert("end", text + "\n", (kind,))
        self.text.configure(state="disabled")
        self.text.see("end")

    def transcript(self) -> str:
        return self.text.get("1.0", "end-1c")

    def _on_output(self, message: RemoteOutput) -> None:
        if message.tab_id == str(self):
            self.append(message.text, message.kind)

    def _on_done(self, message: RemoteCommandDone) -> None:
        if message.tab_id == str(self):
            self.finished(message.prompt)

    # -- input -----------------------------------------------------------------------------

    def submit(self) -> None:
        line = self.line.get()
        if self.busy:
            return
        self.append(self.shell.prompt + line, "prompt")
        self.line.set("")
        self.cursor.reset()
        if not line.strip():
            return
        if self.shell.pending is None:  # answers to a question are not history
            self.history.add(line)
        self.busy = True
        self.entry.state(["disabled"])
        tab_id, outbox = str(self), self.services.outbox

        def work() -> None:
            try:
                self.shell.execute(line, lambda text, kind: outbox.post(RemoteOutput(tab_id, text, kind)))
            finally:
                outbox.post(RemoteCommandDone(tab_id, self.shell.prompt))

        threading.Thread(target=work, name="remote-command", daemon=True).start()

    def finished(self, prompt: str) -> None:
        self.busy = False
        self.prompt.configure(text=prompt)
        self.entry.state(["!disabled"])
        self.entry.focus_set()

    def complete(self) -> None:
        line = self.line.get()
        candidates = self.shell.complete(line)
        if len(candidates) == 1:
            head = line.rsplit(" ", 1)[0] + " " if " " in line else ""
            self.line.set(head + candidates[0] + " ")
            self.entry.icursor("end")
        elif candidates:
            self.append("  ".join(candidates), "note")

    def _walk(self, older: bool) -> None:
        current = self.line.get()
        self.line.set(self.cursor.older(current) if older else self.cursor.newer(current))
        self.entry.icursor("end")

    # -- what the terminal notebook calls on its tabs ---------------------------------------

    def set_visible(self, visible: bool) -> None:
        if visible:
            self.entry.focus_set()

    def foreground_busy(self) -> bool:
        return self.busy

    def focus_terminal(self) -> None:
        self.entry.focus_set()

    def close(self) -> None:
        return None

    def find(self) -> None:
        """Edit → Find in terminal: there is nothing to search but the transcript."""
        self.text.focus_set()

    def selected_text(self) -> str:
        try:
            return str(self.text.get("sel.first", "sel.last"))
        except tk.TclError:
            return ""

    def paste(self, text: str) -> bool:
        self.entry.insert("insert", text.replace("\n", " "))
        return True

    def copy(self) -> None:
        selected = self.selected_text()
        if selected:
            self.clipboard_clear()
            self.clipboard_append(selected)

    def paste_clipboard(self) -> None:
        with contextlib.suppress(tk.TclError):
            self.paste(self.clipboard_get())


def make_shell(services: Services) -> RemoteShell:
    settings = services.settings
    api = RemoteApi(services.http, settings.backend_url, settings.control_plane_prefix, settings.mcp_prefix)
    return RemoteShell(api, settings.workspace, services.paths.data_dir / CACHE_FILE_NAME)


def open_remote_tab(terminals: Terminals, pump: Pump, services: Services) -> RemoteTab:
    """A new Remote tab among the terminal tabs (Tk thread)."""
    history = CommandHistory.for_workspace(services.paths.data_dir, services.settings.workspace, kind="remote")
    shell = make_shell(services)
    tab = terminals.add_tab(lambda parent: RemoteTab(parent, shell, history, services, pump), "Remote")
    tab.entry.focus_set()
    return tab


def attach(window: MainWindow, pump: Pump, services: Services, *, terminals: Terminals) -> None:
    """Tabs → New Remote tab, only when remote mode is on; with it off, nothing at all."""
    if services.settings.remote_mode:
        window.menu("Tabs").add_command(label="New Remote tab",
                                        command=lambda: open_remote_tab(terminals, pump, services))  # fmt: skip
