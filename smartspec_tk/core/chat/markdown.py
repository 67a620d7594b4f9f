"""Markdown for LLM answers, one line at a time (Tk-free): block kinds and inline spans.

Enough for chat answers: headings, emphasis, lists, quotes, rules, inline code,
links and fenced code blocks (also inside quotes). The renderer in
`ui/chat/markdown.py` feeds it completed lines only, so no text is parsed twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^ {0,3}(```+|~~~+)\s*([\w+#.-]*)")
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)$")
_NUMBER = re.compile(r"^(\s*)(\d{1,9}[.)])\s+(.*)$")
_RULE = re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$")
_QUOTE = re.compile(r"^ {0,3}> ?")
_INLINE = re.compile(
    r"(?P<code>`+)(?P<code_text>.+?)(?P=code)"
    r"|\*\*(?P<bold>\S(?:.*?\S)?)\*\*"
    r"|__(?P<bold2>\S(?:.*?\S)?)__"
    r"|\*(?P<italic>[^\s*](?:[^*]*?[^\s*])?)\*"
    r"|(?<![\w])_(?P<italic2>[^\s_](?:[^_]*?[^\s_])?)_(?![\w])"
    r"|\[(?P<link_text>[^\]]+)\]\((?P<link_url>[^)\s]+)(?:\s+\"[^\"]*\")?\)"
    r"|(?P<url>https?://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"])"
)


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with its inline styles ("bold", "italic", "code", "link"; none for plain)."""

    text: str
    styles: tuple[str, ...] = ()
    url: str = ""


@dataclass(frozen=True, slots=True)
class Line:
    """One classified line. `kind` is text, heading, bullet, number, rule, blank,
    fence_open, fence_close or code; `level` is the heading level or list indent."""

    kind: str
    text: str = ""
    level: int = 0
    marker: str = ""
    quoted: bool = False


def classify(line: str, in_code: bool) -> Line:
    """What `line` is, given whether a fenced code block is open."""
    quoted = bool(_QUOTE.match(line))
    body = _QUOTE.sub("", line, count=1) if quoted else line
    fence = _FENCE.match(body)
    if in_code:
        if fence and not fence.group(2) and not body.strip().strip("`~"):
            return Line("fence_close", quoted=quoted)
        return Line("code", body, quoted=quoted)
    if fence:
        return Line("fence_open", fence.group(2), quoted=quoted)
    return _block(body, quoted)


def _block(body: str, quoted: bool) -> Line:
    if not body.strip():
        return Line("blank", quoted=quoted)
    if heading := _HEADING.match(body):
        return Line("heading", heading.group(2), len(heading.group(1)), quoted=quoted)
    if _RULE.match(body):
        return Line("rule", quoted=quoted)
    if bullet := _BULLET.match(body):
        return Line("bullet", bullet.group(2), len(bullet.group(1).expandtabs(4)) // 2, "•", quoted)
    if number := _NUMBER.match(body):
        return Line("number", number.group(3), len(number.group(1).expandtabs(4)) // 2, number.group(2), quoted)
    return Line("text", body, quoted=quoted)


def spans(text: str, outer: tuple[str, ...] = (), url: str = "") -> list[Span]:
    """Inline markdown of one line as styled spans; emphasis and link text may nest."""
    result: list[Span] = []
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            result.append(Span(text[position : match.start()], outer, url))
        result.extend(_spans_of(match, outer, url))
        position = match.end()
    if position < len(text):
        result.append(Span(text[position:], outer, url))
    return result


def _spans_of(match: re.Match[str], outer: tuple[str, ...], url: str) -> list[Span]:
    groups = match.groupdict()
    if groups["code"]:
        return [Span(groups["code_text"], (*outer, "code"), url)]
    if groups["bold"] or groups["bold2"]:
        return spans(groups["bold"] or groups["bold2"], (*outer, "bold"), url)
    if groups["italic"] or groups["italic2"]:
        return spans(groups["italic"] or groups["italic2"], (*outer, "italic"), url)
    if groups["link_text"] and not url:
        return spans(groups["link_text"], (*outer, "link"), groups["link_url"])
    if groups["url"] and not url:
        return [Span(groups["url"], (*outer, "link"), groups["url"])]
    return [Span(match.group(0), outer, url)]
