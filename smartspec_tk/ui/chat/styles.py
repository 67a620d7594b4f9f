"""The transcript's tags: fonts from the chat font size, colours from the theme's `Palette` (Tk thread).

Both can change while the app runs (Settings, the theme): calling `configure_tags`
again restyles every message already drawn, as Tk tags are shared by their text.

Tk opens a font (Xft: about 100 KB each) as soon as a tag is configured with it, so the
transcript is a `TagText`: a tag's font is set when text first gets that tag. An empty chat
opens two fonts instead of eleven (about 1 MB less resident memory at start).
"""

from __future__ import annotations

import tkinter as tk
from tkinter import font as tkfont
from tkinter import ttk
from typing import Any

from smartspec_tk.core.theme import Palette

Font = tuple[Any, ...]


class TagText(tk.Text):
    """A Text whose tags get their font (see `tag_font`) when an insert or `tag_add` first uses them."""

    def __init__(self, master: tk.Misc, **options: Any) -> None:
        super().__init__(master, **options)
        self.pending_fonts: dict[str, Font] = {}
        self.font_tags: set[str] = set()  # tags whose font Tk has

    def tag_font(self, tag: str, font: Font) -> None:
        """`tag` is drawn with `font`: at once when it was used before (a restyle), else at its first use."""
        if tag in self.font_tags:
            self.tag_configure(tag, font=font)
        else:
            self.pending_fonts[tag] = font

    def insert(self, index: Any, chars: str, *args: Any) -> None:
        if self.pending_fonts:
            for tags in args[0::2]:  # args: tags, chars, tags, chars, …
                self._open_fonts(tags)
        super().insert(index, chars, *args)

    def tag_add(self, tagName: str, index1: Any, *args: Any) -> None:  # noqa: N803 - tkinter's name
        if self.pending_fonts:
            self._open_fonts(tagName)
        super().tag_add(tagName, index1, *args)

    def _open_fonts(self, tags: str | tuple[str, ...] | list[str]) -> None:
        for tag in (tags.split() if isinstance(tags, str) else tags):
            font = self.pending_fonts.pop(tag, None)
            if font is not None:
                self.font_tags.add(tag)
                self.tag_configure(tag, font=font)


def _tag(t: tk.Text, name: str, font: Font | None = None, **options: Any) -> None:
    """Configure tag `name` now (which also fixes its priority); its font now or, on a `TagText`, at first use."""
    t.tag_configure(name, **options)
    if font is None:
        return
    if isinstance(t, TagText):
        t.tag_font(name, font)
    else:
        t.tag_configure(name, font=font)


def families() -> tuple[str, str]:
    """(proportional, monospace) font families of this platform's Tk."""
    return tkfont.nametofont("TkTextFont").actual()["family"], tkfont.nametofont("TkFixedFont").actual()["family"]


def configure_tags(t: tk.Text, size: int, c: Palette) -> None:
    family, mono = families()
    t.configure(
        font=(family, size), background=c.surface, foreground=c.fg, insertbackground=c.fg,
        selectbackground=c.selection, selectforeground=c.selection_fg, inactiveselectbackground=c.selection,
    )  # fmt: skip
    _markdown_tags(t, size, c, family, mono)
    _message_tags(t, size, c, family, mono)
    t.tag_raise("sel")
    style = ttk.Style(t)
    style.configure("Code.TButton", padding=(6, 0), font=(family, max(size - 2, 7)))


def _markdown_tags(t: tk.Text, size: int, c: Palette, family: str, mono: str) -> None:
    """What an answer's markdown looks like: emphasis, headings, lists, quotes, code, tables."""
    _tag(t, "bold", (family, size, "bold"))
    _tag(t, "italic", (family, size, "italic"))
    _tag(t, "bold_italic", (family, size, "bold italic"))
    _tag(t, "code_inline", (mono, size), background=c.code_inline_bg, foreground=c.code_inline_fg)
    t.tag_configure("link", foreground=c.link, underline=True)
    for level, scale in ((1, 1.45), (2, 1.25), (3, 1.1)):
        _tag(t, f"h{level}", (family, round(size * scale), "bold"), spacing1=8, spacing3=3)
    for level in range(4):
        t.tag_configure(f"list{level}", lmargin1=10 + 18 * level, lmargin2=24 + 18 * level)
    t.tag_configure("marker", foreground=c.muted)
    t.tag_configure("quote", foreground=c.muted, lmargin1=14, lmargin2=14, background=c.quote_bg)
    t.tag_configure("rule", foreground=c.border)
    t.tag_configure("blank", spacing1=0, spacing3=0)
    code: dict[str, Any] = {"lmargin1": 14, "lmargin2": 14, "rmargin": 14}
    _tag(t, "code", (mono, size), background=c.code_bg, spacing1=0, spacing3=0, **code)
    _tag(t, "code_header", (mono, size), background=c.code_header_bg, foreground=c.muted, spacing1=4, **code)
    t.tag_configure("table_head", background=c.table_head_bg, spacing1=3, spacing3=3)
    t.tag_configure("table_row", spacing1=2, spacing3=2)
    t.tag_configure("table_alt", background=c.table_alt_bg, spacing1=2, spacing3=2)


def _message_tags(t: tk.Text, size: int, c: Palette, family: str, mono: str) -> None:
    """What frames the messages: the role lines, the user's block, status lines, attachments, action rows."""
    small = max(size - 2, 7)
    _tag(t, "role", (family, size, "bold"), spacing1=12, spacing3=4)
    t.tag_configure("role_user", foreground=c.role_user)
    t.tag_configure("role_assistant", foreground=c.role_assistant)
    t.tag_configure("user", lmargin1=4, lmargin2=4, rmargin=4, background=c.user_bg)
    _tag(t, "user_code", (mono, size))  # the user's fenced code, kept verbatim
    _tag(t, "status", (family, small), foreground=c.muted, spacing1=4)
    _tag(t, "error", (family, max(size - 1, 7)), foreground=c.error, spacing1=4)
    _tag(t, "badge", (family, small, "bold"), background=c.muted, foreground=c.surface)
    _tag(t, "attachment", (family, small), foreground=c.muted, spacing1=2, spacing3=2)
    _tag(t, "action", (family, small), foreground=c.muted)
    t.tag_configure("action_hover", foreground=c.link, underline=True)
    _tag(t, "action_off", (family, small), foreground=c.border)
    _tag(t, "action_count", (family, small), foreground=c.muted)
    t.tag_configure("actions", spacing1=2, spacing3=6)
