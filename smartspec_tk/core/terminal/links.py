"""Web links in terminal text: find the http(s) URL under a column of a line (pure functions,
used by the view for Ctrl+click)."""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

URL = re.compile(r"https?://[^\s<>\"'`{}|\\^]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\""
_PAIRS = {")": "(", "]": "[", "}": "{"}


def trim_url(url: str) -> str:
    """Drop what prose puts after a link: final punctuation and unbalanced closing brackets
    ("(see https://x.org/a_(b))." → "https://x.org/a_(b)")."""
    while url:
        last = url[-1]
        if last in _TRAILING or (last in _PAIRS and url.count(last) > url.count(_PAIRS[last])):
            url = url[:-1]
        else:
            break
    return url


def url_spans(line: str) -> list[tuple[int, int, str]]:
    """(start, end, url) of every http(s) URL in a line of text."""
    spans: list[tuple[int, int, str]] = []
    for match in URL.finditer(line):
        url = trim_url(match.group())
        if len(url) > len(match.group().split("://", 1)[0]) + 3:  # more than the bare scheme
            spans.append((match.start(), match.start() + len(url), url))
    return spans


def url_at(line: str, column: int) -> tuple[int, int, str] | None:
    """The URL span covering character `column` of `line`, if any."""
    for start, end, url in url_spans(line):
        if start <= column < end:
            return start, end, url
    return None
