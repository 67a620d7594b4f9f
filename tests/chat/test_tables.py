"""Markdown tables: parsing rows (Tk-free) and drawing them in a real transcript as they stream."""

from __future__ import annotations

from typing import Any

from smartspec_tk.core.chat.tables import TableLayout, delimiter_alignments, row_cells
from smartspec_tk.ui.chat.markdown import CodeActions
from smartspec_tk.ui.chat.transcript import Transcript

TABLE = "Intro\n| Name | Size | Kind |\n|:--|--:|:-:|\n| `a|b` | 10 | **x** |\n| long name here | 2 |\nafter\n"


def test_rows_cells_and_escaped_pipes() -> None:
    assert row_cells("| a | b |") == ["a", "b"]
    assert row_cells("a | b") == ["a", "b"]
    assert row_cells("| `x|y` | z \\| w |") == ["`x|y`", "z | w"]
    assert row_cells("no pipe here") is None
    assert row_cells("escaped \\| only") is None


def test_delimiter_row_gives_alignments_only_with_the_header_width() -> None:
    assert delimiter_alignments("|:--|--:|:-:|---|", 4) == ("left", "right", "center", "left")
    assert delimiter_alignments("|---|---|", 3) is None
    assert delimiter_alignments("| a | b |", 2) is None


def test_layout_widths_only_grow_and_give_a_stop_per_column() -> None:
    layout = TableLayout(("left", "right", "center"), indent=8, gap=10)
    assert layout.grow([30, 20, 40])
    assert not layout.grow([10, 5, 5])
    assert layout.tab_stops() == ("8", "left", "68", "right", "98", "center")
    assert layout.fit(["a"]) == ["a", "", ""] and layout.fit(["1", "2", "3", "4"]) == ["1", "2", "3"]


def make(tk_root: Any) -> Transcript:
    transcript = Transcript(tk_root, CodeActions(copy=lambda _code: None))
    transcript.pack(fill="both", expand=True)
    return transcript


def stream(transcript: Transcript, text: str, size: int) -> Any:
    renderer = transcript.begin_answer("Assistant")
    for start in range(0, len(text), size):
        with transcript.writing():
            renderer.feed(text[start : start + size])
    return renderer


def test_a_streamed_table_is_drawn_as_tab_separated_rows_with_tab_stops(tk_root: Any) -> None:
    transcript = make(tk_root)
    renderer = stream(transcript, TABLE, 3)
    with transcript.writing():
        renderer.finish()
    text = transcript.text
    shown = text.get("1.0", "end-1c")
    assert "|" not in shown.replace("a|b", "")
    assert "\tName\tSize\tKind\n\ta|b\t10\tx\n\tlong name here\t2\t\nafter\n" in shown
    table_tag = next(tag for tag in text.tag_names(text.search("Name", "1.0")) if tag.startswith("table-"))
    stops = text.tk.splitlist(text.tag_cget(table_tag, "tabs"))
    assert [str(s) for s in stops[1::2]] == ["left", "right", "center"]
    name_x, size_x = int(str(stops[0])), int(str(stops[2]))
    width = int(text.tk.call("font", "measure", text.cget("font"), "long name here"))
    assert size_x - name_x >= width, "the second column starts after the widest first cell"
    assert "table_head" in text.tag_names(text.search("Kind", "1.0"))
    assert "code_inline" in text.tag_names(text.search("a|b", "1.0"))
    assert "bold" in text.tag_names(text.search("10\tx", "1.0") + "+3c")
    assert "table_alt" in text.tag_names(text.search("long name", "1.0"))


def test_rows_drawn_earlier_are_not_drawn_again(tk_root: Any) -> None:
    transcript = make(tk_root)
    renderer = stream(transcript, "| a | b |\n|---|---|\n| 1 | 2 |\n", 4)
    inserted: list[str] = []
    original = transcript.text.insert

    def spy(index: str, *args: Any) -> None:
        inserted.extend(a for a in args[::2] if isinstance(a, str))
        original(index, *args)

    transcript.text.insert = spy  # type: ignore[method-assign]
    with transcript.writing():
        renderer.feed("| a much wider cell | 3 |\n")
        renderer.finish()
    assert "".join(inserted) == "\ta much wider cell\t3\n"


def test_a_pipe_line_without_a_delimiter_row_stays_text(tk_root: Any) -> None:
    transcript = make(tk_root)
    renderer = stream(transcript, "cat a | grep b\nnext line\n", 5)
    assert transcript.text.get("1.0", "end-1c").endswith("cat a | grep b\nnext line\n")
    with transcript.writing():
        renderer.finish()
    assert not [t for t in transcript.text.tag_names() if t.startswith("table-")]


def test_the_held_header_is_shown_while_the_next_line_is_awaited(tk_root: Any) -> None:
    transcript = make(tk_root)
    renderer = stream(transcript, "| a | b |\n", 20)
    assert transcript.text.get("1.0", "end-1c").endswith("| a | b |\n")
    with transcript.writing():
        renderer.finish()
    assert transcript.text.get("1.0", "end-1c").endswith("| a | b |\n")
