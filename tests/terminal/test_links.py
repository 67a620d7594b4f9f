"""Finding web links in terminal text (pure functions behind Ctrl+click)."""

from __future__ import annotations

import pytest

from smartspec_tk.core.terminal.links import trim_url, url_at, url_spans


@pytest.mark.parametrize(("raw", "url"), [
    ("https://example.org/path.", "https://example.org/path"),
    ("https://en.wikipedia.org/wiki/Tk_(software))", "https://en.wikipedia.org/wiki/Tk_(software)"),
    ("http://x.io/a?b=1&c=2,", "http://x.io/a?b=1&c=2"),
    ("https://x.io/list]", "https://x.io/list"),
    ("https://x.io/'", "https://x.io/"),
])  # fmt: skip
def test_trailing_punctuation_and_unbalanced_brackets_are_not_part_of_a_link(raw: str, url: str) -> None:
    assert trim_url(raw) == url


def test_every_link_of_a_line_with_its_span() -> None:
    line = 'see https://a.org/x, (http://b.io/y?q=1) "HTTPS://C.COM" ftp://d.org http:// end'
    assert url_spans(line) == [(4, 19, "https://a.org/x"), (22, 39, "http://b.io/y?q=1"),
                               (42, 55, "HTTPS://C.COM")]  # fmt: skip


def test_the_link_under_a_column() -> None:
    line = "go https://a.b/c now"
    assert url_at(line, 3) == (3, 16, "https://a.b/c")
    assert url_at(line, 15) == (3, 16, "https://a.b/c")
    assert url_at(line, 2) is None and url_at(line, 16) is None
    assert url_at("no link here", 4) is None
