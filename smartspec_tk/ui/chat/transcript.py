"""Transcript: the read-only tk.Text that shows a conversation, its styles and its links (Tk thread)."""

from __future__ import annotations

import logging
import tkinter as tk
import webbrowser
from collections.abc import Callable
from tkinter import font as tkfont
from tkinter import ttk
from typing import Any

from smartspec_tk.ui.chat.markdown import CodeActions, MarkdownRenderer

log = logging.getLogger(__name__)

CODE_BG = "#f4f5f7"
HEADER_BG = "#e6e8ec"
ERROR_FG = "#b3261e"
MUTED_FG = "#6b6f76"


class Transcript(ttk.Frame):
    """Appends turns; keeps the view at the bottom unless the user scrolled up."""

    def __init__(self, master: tk.Misc, actions: CodeActions, font_size: int = 11) -> None:
        super().__init__(master)
        self.actions = actions
        self.links: dict[str, str] = {}
        self.text = tk.Text(
            self, wrap="word", state="disabled", padx=12, pady=8, borderwidth=0, highlightthickness=0,
            cursor="xterm", background="#ffffff", undo=False, spacing1=1, spacing3=1,
        )  # fmt: skip
        scroll = ttk.Scrollbar(self, orient="vertical", command=self._user_scroll)
        self.text.configure(yscrollcommand=scroll.set)
        scroll.pack(side="right", fill="y")
        for sequence in ("<MouseWheel>", "<Button-4>", "<Button-5>", "<KeyRelease>"):
            self.text.bind(sequence, lambda _e: self.after_idle(self._check_follow), add="+")
        self.text.pack(side="left", fill="both", expand=True)
        self._follow = True
        self.text.bind("<Configure>", self._resized, add="+")
        self._configure_tags(font_size)
        self._retry_buttons: list[ttk.Button] = []

    def _configure_tags(self, size: int) -> None:
        base = tkfont.nametofont("TkTextFont").actual()
        family = base["family"]
        mono = tkfont.nametofont("TkFixedFont").actual()["family"]
        t = self.text
        t.configure(font=(family, size))
        t.tag_configure("body")
        t.tag_configure("bold", font=(family, size, "bold"))
        t.tag_configure("italic", font=(family, size, "italic"))
        t.tag_configure("bold_italic", font=(family, size, "bold italic"))
        t.tag_configure("code_inline", font=(mono, size), background="#eef0f3", foreground="#9a3412")
        t.tag_configure("link", foreground="#1a5fb4", underline=True)
        for level, scale in ((1, 1.45), (2, 1.25), (3, 1.1)):
            t.tag_configure(f"h{level}", font=(family, round(size * scale), "bold"), spacing1=8, spacing3=3)
        for level in range(4):
            t.tag_configure(f"list{level}", lmargin1=10 + 18 * level, lmargin2=24 + 18 * level)
        t.tag_configure("marker", foreground="#4b5563")
        t.tag_configure("quote", foreground="#4b5563", lmargin1=14, lmargin2=14, background="#fafafa")
        t.tag_configure("rule", foreground="#c7cad1")
        t.tag_configure("blank", spacing1=0, spacing3=0)
        code: dict[str, Any] = {"lmargin1": 14, "lmargin2": 14, "rmargin": 14, "font": (mono, size)}
        t.tag_configure("code", background=CODE_BG, spacing1=0, spacing3=0, **code)
        t.tag_configure("code_header", background=HEADER_BG, foreground=MUTED_FG, spacing1=4, **code)
        t.tag_configure("role", font=(family, size, "bold"), spacing1=12, spacing3=4)
        t.tag_configure("role_user", foreground="#1a5fb4")
        t.tag_configure("role_assistant", foreground="#26a269")
        t.tag_configure("user", lmargin1=4, lmargin2=4, rmargin=4, background="#eef3fb")
        t.tag_configure("user_code", font=(mono, size))  # the user's fenced code, kept verbatim
        t.tag_configure("status", foreground=MUTED_FG, font=(family, max(size - 2, 7)), spacing1=4)
        t.tag_configure("error", foreground=ERROR_FG, font=(family, max(size - 1, 7)), spacing1=4)
        t.tag_raise("sel")
        t.tag_bind("link", "<Button-1>", self._open_link)
        t.tag_bind("link", "<Enter>", lambda _e: t.configure(cursor="hand2"))
        t.tag_bind("link", "<Leave>", lambda _e: t.configure(cursor="xterm"))
        style = ttk.Style(self)
        style.configure("Code.TButton", padding=(6, 0), font=(family, max(size - 2, 7)))

    def writing(self) -> _Writing:
        """`with transcript.writing():` around every change (enables the widget, then scrolls)."""
        return _Writing(self)

    def clear(self) -> None:
        with self.writing():
            for child in self.text.winfo_children():
                child.destroy()
            self.text.delete("1.0", "end")
            self.links.clear()
            self._retry_buttons.clear()
        self._follow = True

    def add_user(self, text: str, attachments: list[str]) -> None:
        with self.writing():
            self.text.insert("end-1c", "You\n", ("role", "role_user"))
            self.text.insert("end-1c", *user_pieces(text))
            for label in attachments:
                self.text.insert("end-1c", f"📎 {label}\n", ("status",))

    def begin_answer(self, title: str) -> MarkdownRenderer:
        with self.writing():
            self.text.insert("end-1c", title + "\n", ("role", "role_assistant"))
            return MarkdownRenderer(self.text, self.actions, self.links)

    def add_status(self, message: str, *, error: bool = False, retry: Callable[[], None] | None = None) -> None:
        with self.writing():
            self.text.insert("end-1c", message, ("error" if error else "status",))
            if retry is not None:
                self.text.insert("end-1c", "  ", ())
                button = ttk.Button(self.text, text="Retry", style="Code.TButton", command=retry)
                self.text.window_create("end-1c", window=button)
                self._retry_buttons.append(button)
            self.text.insert("end-1c", "\n", ("status",))

    def forget_retry(self) -> None:
        """A new turn starts: earlier Retry buttons would ask again for the last prompt, not theirs."""
        for button in self._retry_buttons:
            if button.winfo_exists():
                button.destroy()
        self._retry_buttons.clear()

    def at_bottom(self) -> bool:
        """Whether new text should scroll into view: true unless the user scrolled up."""
        return self._follow

    def _resized(self, _event: tk.Event[tk.Text]) -> None:
        """Shrunk (the options panel opened, the window resized): keep the end in view if it was."""
        if self._follow:
            self.text.see("end")

    def _user_scroll(self, *args: str) -> None:
        self.text.yview(*args)
        self.after_idle(self._check_follow)

    def _check_follow(self) -> None:
        # Only the user's own scrolling decides; Tk's fractions while text is being
        # added are estimates and would stop the following by mistake.
        self._follow = self.text.yview()[1] >= 0.999

    def _open_link(self, _event: tk.Event[tk.Misc]) -> None:
        for tag in self.text.tag_names("current"):
            url = self.links.get(tag)
            if url:
                log.info("opening link %s", url)
                webbrowser.open(url)
                return


def user_pieces(text: str) -> list[Any]:
    """`insert` arguments for the user's text: verbatim, with fenced code blocks in the mono font."""
    pieces: list[Any] = []
    fenced = False
    for line in text.split("\n"):
        fence = line.lstrip().startswith(("```", "~~~"))
        pieces += [line + "\n", ("user", "user_code") if fenced or fence else ("user",)]
        fenced = fenced != fence
    return pieces


class _Writing:
    """Context manager: normal state while writing; follow the end if the view was there."""

    def __init__(self, transcript: Transcript) -> None:
        self._transcript = transcript
        self._follow = False

    def __enter__(self) -> None:
        self._follow = self._transcript.at_bottom()
        self._transcript.text.configure(state="normal")

    def __exit__(self, *exc: object) -> None:
        text = self._transcript.text
        text.configure(state="disabled")
        if self._follow:
            text.see("end")
