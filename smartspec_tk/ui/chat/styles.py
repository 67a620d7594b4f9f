"""The transcript's tags: fonts from the chat font size, colours from the theme's `Palette` (Tk thread).

Both can change while the app runs (Settings, the theme): calling `configure_tags`
again restyles every message already drawn, as Tk tags are shared by their text.
"""

from __future__ import annotations

import tkinter as tk
from tkinter import font as tkfont
from tkinter import ttk
from typing import Any

from smartspec_tk.core.theme import Palette


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
    t.tag_configure("bold", font=(family, size, "bold"))
    t.tag_configure("italic", font=(family, size, "italic"))
    t.tag_configure("bold_italic", font=(family, size, "bold italic"))
    t.tag_configure("code_inline", font=(mono, size), background=c.code_inline_bg, foreground=c.code_inline_fg)
    t.tag_configure("link", foreground=c.link, underline=True)
    for level, scale in ((1, 1.45), (2, 1.25), (3, 1.1)):
        t.tag_configure(f"h{level}", font=(family, round(size * scale), "bold"), spacing1=8, spacing3=3)
    for level in range(4):
        t.tag_configure(f"list{level}", lmargin1=10 + 18 * level, lmargin2=24 + 18 * level)
    t.tag_configure("marker", foreground=c.muted)
    t.tag_configure("quote", foreground=c.muted, lmargin1=14, lmargin2=14, background=c.quote_bg)
    t.tag_configure("rule", foreground=c.border)
    t.tag_configure("blank", spacing1=0, spacing3=0)
    code: dict[str, Any] = {"lmargin1": 14, "lmargin2": 14, "rmargin": 14, "font": (mono, size)}
    t.tag_configure("code", background=c.code_bg, spacing1=0, spacing3=0, **code)
    t.tag_configure("code_header", background=c.code_header_bg, foreground=c.muted, spacing1=4, **code)
    t.tag_configure("table_head", background=c.table_head_bg, spacing1=3, spacing3=3)
    t.tag_configure("table_row", spacing1=2, spacing3=2)
    t.tag_configure("table_alt", background=c.table_alt_bg, spacing1=2, spacing3=2)


def _message_tags(t: tk.Text, size: int, c: Palette, family: str, mono: str) -> None:
    """What frames the messages: the role lines, the user's block, status lines, attachments, action rows."""
    small = max(size - 2, 7)
    t.tag_configure("role", font=(family, size, "bold"), spacing1=12, spacing3=4)
    t.tag_configure("role_user", foreground=c.role_user)
    t.tag_configure("role_assistant", foreground=c.role_assistant)
    t.tag_configure("user", lmargin1=4, lmargin2=4, rmargin=4, background=c.user_bg)
    t.tag_configure("user_code", font=(mono, size))  # the user's fenced code, kept verbatim
    t.tag_configure("status", foreground=c.muted, font=(family, small), spacing1=4)
    t.tag_configure("error", foreground=c.error, font=(family, max(size - 1, 7)), spacing1=4)
    t.tag_configure("badge", background=c.muted, foreground=c.surface, font=(family, small, "bold"))
    t.tag_configure("attachment", foreground=c.muted, font=(family, small), spacing1=2, spacing3=2)
    t.tag_configure("action", foreground=c.muted, font=(family, small))
    t.tag_configure("action_hover", foreground=c.link, underline=True)
    t.tag_configure("action_off", foreground=c.border, font=(family, small))
    t.tag_configure("action_count", foreground=c.muted, font=(family, small))
    t.tag_configure("actions", spacing1=2, spacing3=6)
