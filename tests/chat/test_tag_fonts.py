"""The transcript opens a tag's font when text first gets that tag (each Tk font costs memory)."""

from __future__ import annotations

from typing import Any

from smartspec_tk.ui.chat.markdown import CodeActions
from smartspec_tk.ui.chat.transcript import Transcript


def make(tk_root: Any) -> Transcript:
    transcript = Transcript(tk_root, CodeActions(copy=lambda _code: None), font_size=11)
    transcript.pack(fill="both", expand=True)
    return transcript


def font_of(transcript: Transcript, tag: str) -> str:
    return str(transcript.text.tag_cget(tag, "font"))


def test_an_empty_chat_opens_only_the_fonts_it_shows(tk_root: Any) -> None:
    transcript = make(tk_root)
    transcript.add_status("Start a new chat")
    assert font_of(transcript, "status") != ""
    for tag in ("h1", "h2", "h3", "bold", "italic", "bold_italic", "code", "code_inline", "badge", "error"):
        assert font_of(transcript, tag) == "", tag
    # The other options are there from the start, and so is the tags' order (their priority).
    assert str(transcript.text.tag_cget("code", "lmargin1")) == "14"
    names = list(transcript.text.tag_names())
    assert names.index("bold") < names.index("h1") < names.index("code") < names.index("role")


def test_markdown_gets_its_fonts_when_drawn_and_a_restyle_reaches_them(tk_root: Any) -> None:
    transcript = make(tk_root)
    renderer = transcript.begin_answer("Assistant")
    with transcript.writing():
        renderer.feed("# Title\n\nsome **bold** and `code`\n")
        renderer.finish()
    tk_root.update()
    h1, bold, inline = (font_of(transcript, t) for t in ("h1", "bold", "code_inline"))
    assert "bold" in h1 and "bold" in bold and inline != ""
    assert font_of(transcript, "italic") == ""
    transcript.set_style(font_size=15)
    assert font_of(transcript, "h1") != h1 and "22" in font_of(transcript, "h1")  # round(15 * 1.45)
    assert "15" in font_of(transcript, "bold")
    assert font_of(transcript, "italic") == ""  # still waiting for its first use, with the new size
    with transcript.writing():
        transcript.text.insert("end-1c", "slanted", ("italic",))
    assert "italic" in font_of(transcript, "italic") and "15" in font_of(transcript, "italic")


def test_tag_add_opens_the_font_too(tk_root: Any) -> None:
    transcript = make(tk_root)
    with transcript.writing():
        transcript.text.insert("end-1c", "plain words")
    assert font_of(transcript, "bold_italic") == ""
    transcript.text.tag_add("bold_italic", "1.0", "1.5")
    assert "bold" in font_of(transcript, "bold_italic") and "italic" in font_of(transcript, "bold_italic")
