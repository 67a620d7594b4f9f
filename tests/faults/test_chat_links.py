"""Chat links (issue 13, finding 5): only http, https and mailto open, off the Tk thread; the target shows.

A real Transcript under Xvfb renders an answer with links; the pointer moves over them and clicks like a
user. `webbrowser.open` is replaced by a recorder (the test must not start a browser).
"""

from __future__ import annotations

import threading
import webbrowser
from typing import Any

import pytest

from smartspec_tk.core.chat.links import openable
from smartspec_tk.ui.chat.markdown import CodeActions
from smartspec_tk.ui.chat.transcript import Transcript

ANSWER = (
    "See [the docs](file:///etc/passwd), [run](javascript:alert(1)), [share](smb://evil/share), "
    "[web](https://example.org/page) and [mail](mailto:team@example.org).\n"
)


def _transcript(tk_root: Any) -> Transcript:
    transcript = Transcript(tk_root, CodeActions(copy=lambda _code: None))
    transcript.pack(fill="both", expand=True)
    renderer = transcript.begin_answer("Assistant")
    with transcript.writing():
        renderer.feed(ANSWER)
        renderer.finish()
    tk_root.update()
    return transcript


def _point_at(transcript: Transcript, label: str, event: str) -> None:
    text = transcript.text
    index = text.search(label, "1.0", "end")
    assert index, label
    x, y, _w, h = text.bbox(f"{index}+1c")
    text.event_generate("<Motion>", x=x + 2, y=y + h // 2)
    text.update()
    if event:
        text.event_generate(event, x=x + 2, y=y + h // 2)
        text.update()


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    calls: list[tuple[str, str]] = []
    done = threading.Event()

    def record(url: str, new: int = 0) -> bool:
        calls.append((url, threading.current_thread().name))
        done.set()
        return True

    monkeypatch.setattr(webbrowser, "open", record)
    return calls


@pytest.mark.parametrize("label", ["the docs", "run", "share"])
def test_a_dangerous_link_is_shown_and_not_opened(tk_root: Any, opened: list[tuple[str, str]], label: str) -> None:
    transcript = _transcript(tk_root)
    _point_at(transcript, label, "<Button-1>")
    for thread in threading.enumerate():
        if thread.name == "open-link":
            thread.join(5)
    assert opened == []
    shown = str(transcript.link_target.cget("text"))
    assert "not opened" in shown and transcript.link_target.winfo_ismapped()


@pytest.mark.parametrize(("label", "url"), [("web", "https://example.org/page"), ("mail", "mailto:team@example.org")])
def test_a_web_or_mail_link_shows_its_target_and_opens_off_the_tk_thread(
    tk_root: Any, opened: list[tuple[str, str]], label: str, url: str
) -> None:
    transcript = _transcript(tk_root)
    _point_at(transcript, label, "")
    assert transcript.link_target.cget("text") == url  # the real target, before the click
    _point_at(transcript, label, "<Button-1>")
    for thread in threading.enumerate():
        if thread.name == "open-link":
            thread.join(5)
    assert opened == [(url, "open-link")]


def test_the_rules() -> None:
    assert openable("https://example.org") and openable("HTTP://h:1/x") and openable("mailto:a@b")
    for url in ("file:///etc/passwd", "javascript:alert(1)", "smb://h/s", "https://", "https://a\n.b", "data:x"):
        assert not openable(url), url
