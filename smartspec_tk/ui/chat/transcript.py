"""Transcript: the read-only tk.Text that shows a conversation, its styles and its links (Tk thread)."""

from __future__ import annotations

import logging
import threading
import tkinter as tk
from collections.abc import Callable, Sequence
from tkinter import ttk
from typing import TYPE_CHECKING, Any

from smartspec_tk.core.chat.attachments import Attachment
from smartspec_tk.core.chat.links import hover_text, openable
from smartspec_tk.core.theme import Palette
from smartspec_tk.ui import theme
from smartspec_tk.ui.chat.actions import ActionRows, RowActions
from smartspec_tk.ui.chat.code_actions import CodeActions
from smartspec_tk.ui.chat.styles import TagText, configure_tags
from smartspec_tk.ui.chat.wheel import forward_wheel

if TYPE_CHECKING:  # the renderer (with the tables) loads with the first answer drawn
    from smartspec_tk.ui.chat.markdown import MarkdownRenderer

log = logging.getLogger(__name__)


class Transcript(ttk.Frame):
    """Appends turns; keeps the view at the bottom unless the user scrolled up."""

    def __init__(
        self, master: tk.Misc, actions: CodeActions, font_size: int = 11, colours: Palette | None = None
    ) -> None:
        super().__init__(master)
        self.font_size, self.colours = font_size, colours or theme.current()
        self.actions = actions
        self.links: dict[str, str] = {}
        self.text = TagText(
            self, wrap="word", state="disabled", padx=12, pady=8, borderwidth=0, highlightthickness=0,
            cursor="xterm", undo=False, spacing1=1, spacing3=1,
        )  # fmt: skip
        scroll = ttk.Scrollbar(self, orient="vertical", command=self._user_scroll)
        self.text.configure(yscrollcommand=scroll.set)
        scroll.pack(side="right", fill="y")
        for sequence in ("<MouseWheel>", "<Button-4>", "<Button-5>", "<KeyRelease>"):
            self.text.bind(sequence, lambda _e: self.after_idle(self._check_follow), add="+")
        self.text.pack(side="left", fill="both", expand=True)
        self._follow = True
        self.text.bind("<Configure>", self._resized, add="+")
        self.set_style()
        theme.on_change(lambda palette: self.set_style(colours=palette), owner=self)
        t = self.text
        t.tag_bind("link", "<Button-1>", self._open_link)
        t.tag_bind("link", "<Enter>", self._link_hover)
        t.tag_bind("link", "<Motion>", self._link_hover)
        t.tag_bind("link", "<Leave>", self._link_left)
        # The target of the link under the pointer, at the bottom left (the text may hide it).
        self.link_target = ttk.Label(self, text="", style="Status.TLabel", padding=(6, 2))
        self._retry_buttons: list[ttk.Button] = []
        self.action_rows = ActionRows(self.text)
        self.thumbnails: Callable[[str], tk.PhotoImage | None] | None = None
        self._images: list[tk.PhotoImage] = []  # the thumbnails shown: Tk drops an image Python forgets

    def set_style(self, font_size: int | None = None, colours: Palette | None = None) -> None:
        """Restyle everything drawn (and what comes): the chat font size, the theme's colours."""
        self.font_size = font_size or self.font_size
        self.colours = colours or self.colours
        configure_tags(self.text, self.font_size, self.colours)
        for name in self.text.window_names():  # only a drawn answer's code blocks: the renderer is loaded
            from smartspec_tk.ui.chat.markdown import recolour

            recolour(self.text.nametowidget(name), self.colours)

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
            self._images.clear()
            self.action_rows.clear()
        self._follow = True

    def add_user(self, text: str, attachments: Sequence[Attachment] = ()) -> None:
        with self.writing():
            self.text.insert("end-1c", "You\n", ("role", "role_user"))
            self.text.insert("end-1c", *user_pieces(text))
            for attachment in attachments:
                self._add_attachment(attachment)

    def _add_attachment(self, attachment: Attachment) -> None:
        """A thumbnail when one was kept (PNG/GIF), else a type badge; then the file name."""
        image = self.thumbnails(attachment.sha256) if attachment.previewable and self.thumbnails else None
        if image is not None:
            self._images.append(image)
            self.text.image_create("end-1c", image=image, padx=2, pady=4)
        else:
            self.text.insert("end-1c", f" {attachment.badge} ", ("attachment", "badge"))
        self.text.insert("end-1c", f"  {attachment.label}\n", ("attachment",))

    def add_actions(self, row: RowActions) -> None:
        """The Copy / Edit / Regenerate / ‹ 1/2 › row under the message drawn last."""
        with self.writing():
            self.action_rows.add(row)

    def begin_answer(self, title: str) -> MarkdownRenderer:
        from smartspec_tk.ui.chat.markdown import MarkdownRenderer

        with self.writing():
            self.text.insert("end-1c", title + "\n", ("role", "role_assistant"))
            return MarkdownRenderer(self.text, self.actions, self.links)

    def add_status(self, message: str, *, error: bool = False, retry: Callable[[], None] | None = None,
                   other: tuple[str, Callable[[], None]] | None = None) -> None:  # fmt: skip
        """A status line, with a Retry button and `other` (label, command) as a second button."""
        with self.writing():
            self.text.insert("end-1c", message, ("error" if error else "status",))
            buttons = [("Retry", retry)] if retry is not None else []
            for label, command in [*buttons, *([other] if other is not None else [])]:
                self.text.insert("end-1c", "  ", ())
                button = ttk.Button(self.text, text=label, style="Code.TButton", command=command)
                self.text.window_create("end-1c", window=button)
                forward_wheel(button, self.text)
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

    def _link_under_pointer(self) -> str | None:
        for tag in self.text.tag_names("current"):
            url = self.links.get(tag)
            if url:
                return url
        return None

    def _link_hover(self, _event: tk.Event[tk.Misc] | None = None) -> None:
        url = self._link_under_pointer()
        if url is None:
            self._link_left()
            return
        self.text.configure(cursor="hand2" if openable(url) else "X_cursor")
        self.link_target.configure(text=hover_text(url))
        self.link_target.place(relx=0, rely=1, anchor="sw")
        self.link_target.lift()

    def _link_left(self, _event: tk.Event[tk.Misc] | None = None) -> None:
        self.text.configure(cursor="xterm")
        self.link_target.place_forget()

    def _open_link(self, _event: tk.Event[tk.Misc]) -> None:
        url = self._link_under_pointer()
        if url is None:
            return
        if not openable(url):
            log.warning("a chat link was not opened (scheme not allowed): %r", url[:200])
            self._link_hover()
            return
        log.info("opening a chat link")
        open_link(url)


def open_link(url: str) -> None:
    """Open in the browser on a worker thread: a slow or console browser must not block the UI."""
    import webbrowser  # here: not loaded (about 70 KB) until a link is opened

    threading.Thread(target=webbrowser.open, args=(url,), kwargs={"new": 2}, name="open-link", daemon=True).start()


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
