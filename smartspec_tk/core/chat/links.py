"""Which links in a chat answer may open (issue 13, finding 5): an answer can be prompt-injected, so
only web and mail links open; `file:`, `javascript:`, `smb:` and the rest are shown, never opened."""

from __future__ import annotations

from urllib.parse import urlsplit

OPENABLE_SCHEMES = ("http", "https", "mailto")


def openable(url: str) -> bool:
    """True for an http(s) link with a host, or a mailto link, without control characters or spaces."""
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return bool(parts.hostname)
    return scheme == "mailto" and bool(parts.path)


def hover_text(url: str) -> str:
    """What the pointer on a link shows: its real target, and why it will not open when it will not."""
    shown = url if len(url) <= 200 else url[:199] + "…"
    shown = "".join(c if c.isprintable() else "\ufffd" for c in shown)
    if openable(url):
        return shown
    return f"{shown}  —  not opened: only http, https and mailto links open from the chat"
