"""The chat's colours in one place: a light and a dark set (Tk-free values, used by the chat widgets).

Every colour the transcript, the sidebar and the header draw with comes from a
`ChatColours`; switching the theme reconfigures the tags with another set.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChatColours:
    background: str
    foreground: str
    muted: str
    error: str
    link: str
    code_bg: str
    code_header_bg: str
    inline_code_bg: str
    inline_code_fg: str
    quote_bg: str
    quote_fg: str
    rule: str
    user_bg: str
    user_role: str
    assistant_role: str
    table_head_bg: str
    table_alt_bg: str
    badge_bg: str
    badge_fg: str
    selection_bg: str
    sidebar_bg: str
    sidebar_selected_bg: str


LIGHT = ChatColours(
    background="#ffffff", foreground="#1f2328", muted="#6b6f76", error="#b3261e", link="#1a5fb4",
    code_bg="#f4f5f7", code_header_bg="#e6e8ec", inline_code_bg="#eef0f3", inline_code_fg="#9a3412",
    quote_bg="#fafafa", quote_fg="#4b5563", rule="#c7cad1", user_bg="#eef3fb", user_role="#1a5fb4",
    assistant_role="#26a269", table_head_bg="#e6e8ec", table_alt_bg="#f6f7f9", badge_bg="#5b6470",
    badge_fg="#ffffff", selection_bg="#c5d8f7", sidebar_bg="#f6f7f9", sidebar_selected_bg="#dde6f5",
)  # fmt: skip

DARK = ChatColours(
    background="#1e1f22", foreground="#dcdfe4", muted="#9aa0a8", error="#ff8a80", link="#78aeff",
    code_bg="#2b2d31", code_header_bg="#35373c", inline_code_bg="#2f3136", inline_code_fg="#f0a070",
    quote_bg="#25272b", quote_fg="#aab0b8", rule="#4a4d55", user_bg="#263041", user_role="#78aeff",
    assistant_role="#6fcf8f", table_head_bg="#35373c", table_alt_bg="#26282c", badge_bg="#4a5260",
    badge_fg="#ffffff", selection_bg="#3d5a8a", sidebar_bg="#232428", sidebar_selected_bg="#34415a",
)  # fmt: skip

PALETTES = {"light": LIGHT, "dark": DARK}


def chat_colours(theme: str) -> ChatColours:
    """The set for a theme name ("light" or "dark"; anything else is light)."""
    return PALETTES.get(theme, LIGHT)
