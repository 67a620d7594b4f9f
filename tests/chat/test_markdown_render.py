"""The incremental renderer: completed lines are drawn once; a new token redraws only the partial line."""

from __future__ import annotations

from typing import Any

from smartspec_tk.ui.chat.markdown import CodeActions
from smartspec_tk.ui.chat.transcript import Transcript


def make(tk_root: Any) -> Transcript:
    transcript = Transcript(tk_root, CodeActions(copy=lambda _code: None))
    transcript.pack(fill="both", expand=True)
    return transcript


def test_a_new_token_only_redraws_the_partial_line(tk_root: Any) -> None:
    transcript = make(tk_root)
    renderer = transcript.begin_answer("Assistant")
    with transcript.writing():
        renderer.feed("".join(f"line **{i}** of a long answer\n" for i in range(200)) + "partial")
    text = transcript.text
    inserted: list[str] = []
    original = text.insert

    def spy(index: str, *args: Any) -> None:
        inserted.extend(a for a in args[::2] if isinstance(a, str))
        original(index, *args)

    text.insert = spy  # type: ignore[method-assign]
    with transcript.writing():
        renderer.feed(" tok")
    assert "".join(inserted) == "partial tok"
    assert text.get("end-2l", "end-1c") == "line 199 of a long answer\npartial tok"
    inserted.clear()
    with transcript.writing():
        renderer.feed("en\nnext")
    assert "".join(inserted) == "partial token\nnext"
    with transcript.writing():
        renderer.finish()
    assert text.get("1.0", "end-1c").endswith("line 199 of a long answer\npartial token\nnext\n")


def test_fenced_code_block_header_and_copy(tk_root: Any) -> None:
    copied: list[str] = []
    transcript = Transcript(tk_root, CodeActions(copy=copied.append))
    transcript.pack()
    renderer = transcript.begin_answer("Assistant")
    with transcript.writing():
        for piece in ("Run:\n```sh\nls -la\n", "echo hi\n``", "`\nafter *that*\n"):
            renderer.feed(piece)
        renderer.finish()
    text = transcript.text
    assert text.get("1.0", "end-1c") == "Assistant\nRun:\n\nls -la\necho hi\nafter that\n"
    assert "code" in text.tag_names(text.search("echo", "1.0"))
    assert "italic" in text.tag_names(text.search("that", "1.0"))
    header = text.nametowidget(text.window_names()[0])
    labels = [str(w.cget("text")) for w in header.winfo_children()]
    assert labels == ["sh", "Copy"]  # no terminal: no Insert button
    header.winfo_children()[1].invoke()
    assert copied == ["ls -la\necho hi"]
    assert renderer.blocks[0].language == "sh"


def test_the_wheel_over_a_code_block_bar_scrolls_the_transcript(tk_root: Any) -> None:
    transcript = make(tk_root)
    renderer = transcript.begin_answer("Assistant")
    with transcript.writing():
        renderer.feed("".join(f"line {i}\n" for i in range(80)) + "```sh\nls\n```\n" + "tail\n" * 80)
        renderer.finish()
    text = transcript.text
    tk_root.update()  # laid out first: the header must be on screen to get events
    header = text.nametowidget(text.window_names()[0])
    for widget, event, down in ((header, "<Button-5>", True), (header.winfo_children()[0], "<Button-5>", True),
                                (header.winfo_children()[1], "<Button-4>", False),
                                (header.winfo_children()[1], "<MouseWheel>", False)):  # fmt: skip
        text.yview(text.search("ls", "1.0") + "-10l")
        tk_root.update()
        assert header.winfo_viewable()
        before = text.yview()[0]
        widget.event_generate(event, **({"delta": 120} if event == "<MouseWheel>" else {}))
        tk_root.update()
        assert (text.yview()[0] > before) if down else (text.yview()[0] < before), (widget, event)


def _longest_line(text: Any) -> int:
    last = int(str(text.index("end-1c")).split(".")[0])
    return max(int(str(text.index(f"{n}.end")).split(".")[1]) for n in range(1, last + 1))


def test_a_long_streamed_line_is_drawn_as_bounded_lines_of_the_text(tk_root: Any) -> None:
    """Tk lays a logical line out whole on every change: an answer's one long line is broken at spaces."""
    from smartspec_tk.ui.chat.markdown import LONG_LINE

    transcript = make(tk_root)
    renderer = transcript.begin_answer("Assistant")
    words = " ".join(f"w{i}" for i in range(6000))  # ~35,000 characters, no line end
    with transcript.writing():
        renderer.feed("- **first** ")
        for start in range(0, len(words), 997):
            renderer.feed(words[start : start + 997])
        renderer.feed(" last\nnext line")
        renderer.finish()
    text = transcript.text
    assert _longest_line(text) <= LONG_LINE
    body = str(text.get("2.0", "end-1c"))
    lines = body.split("\n")
    assert lines[-2:] == ["next line", ""]
    assert "".join(lines[:-2]) == "• first " + words + " last"  # the breaks only fall after spaces
    assert "list0" in text.tag_names("2.0") and "list0" in text.tag_names("5.0")  # the later parts too
    assert "bold" in text.tag_names(text.search("first", "1.0"))


def test_a_long_code_line_keeps_its_text_for_copy(tk_root: Any) -> None:
    from smartspec_tk.ui.chat.markdown import LONG_LINE

    transcript = make(tk_root)
    renderer = transcript.begin_answer("Assistant")
    code = "x" * (LONG_LINE * 3 + 5)  # no space to break at
    with transcript.writing():
        renderer.feed("```\n" + code[:100])
        renderer.feed(code[100:] + "\nprint(1)\n```\n")
        renderer.finish()
    assert renderer.blocks[0].code == code + "\nprint(1)"
    assert _longest_line(transcript.text) <= LONG_LINE
    assert "code" in transcript.text.tag_names(f"{3 + 2}.0")


def test_a_stored_answer_of_one_huge_line_opens(tk_root: Any) -> None:
    """Re-opening a conversation feeds the whole message at once: its long line is broken too."""
    transcript = make(tk_root)
    renderer = transcript.begin_answer("Assistant")
    with transcript.writing():
        renderer.feed("word " * 200_000 + "\nend")  # 1 MB on one line
        renderer.finish()
    assert _longest_line(transcript.text) <= 4000
    assert str(transcript.text.get("end-2l", "end-1c")) == "end\n"
