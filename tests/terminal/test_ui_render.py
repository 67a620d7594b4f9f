"""The renderer's pieces: colour resolution, one tag per style, cell ↔ column mapping for wide
characters, and the Text content after a draw (history window + screen, trimmed blanks)."""

from __future__ import annotations

import tkinter as tk

from smartspec_tk.core.terminal.render import DEFAULT_STYLE, Style
from smartspec_tk.ui.terminal.palette import (
    ANSI,
    BACKGROUND,
    FOREGROUND,
    TagCache,
    cell_tabs,
    make_fonts,
    pick_family,
    resolve,
    tiny_font,
)
from smartspec_tk.ui.terminal.render import (
    PAD,
    TextRenderer,
    cell_to_column,
    column_to_cell,
    string_column,
    text_column,
)


def test_resolve_maps_xterm_colours_to_our_palette() -> None:
    assert resolve(None, FOREGROUND) == FOREGROUND
    assert resolve("#cd0000", FOREGROUND) == ANSI[1]  # xterm red → our red
    assert resolve("#ff8700", FOREGROUND) == "#ff8700"  # 256-colour / truecolor kept
    assert resolve("brightgreen", FOREGROUND) == ANSI[10]
    assert resolve("nonsense", BACKGROUND) == BACKGROUND


def test_wide_characters_take_two_cells() -> None:
    line = "ab日本cd"
    assert [cell_to_column(line, cell) for cell in (0, 2, 4, 6, 7)] == [0, 2, 3, 4, 5]
    assert [column_to_cell(line, col) for col in (0, 2, 3, 4, 6)] == [0, 2, 4, 6, 8]
    assert cell_to_column(line, 10) == 8  # past the end: blank cells


class FakeSession:
    """Just the reading side of TerminalSession the renderer uses."""

    def __init__(self, history: list[str], screen: list[list[tuple[str, Style]]]) -> None:
        self.history = history
        self.rows_ = screen
        self.cursor = (0, 0, True)
        self.dirty = set(range(len(screen)))

    def take_dirty(self) -> set[int]:
        dirty, self.dirty = self.dirty, set()
        return dirty

    def line_runs(self, y: int) -> list[tuple[str, Style]]:
        return self.rows_[y]

    def history_len(self) -> int:
        return len(self.history)

    def history_runs(self, i: int) -> list[tuple[str, Style]]:
        return [(self.history[i], DEFAULT_STYLE)]

    def line_wrapped(self, y: int) -> bool:
        return False

    def history_wrapped(self, i: int) -> bool:
        return False


def test_draw_shows_history_then_screen_with_one_tag_per_style(tk_root: tk.Tk) -> None:
    text = tk.Text(tk_root)
    tags = TagCache(text, make_fonts(tk_root, "TkFixedFont", 10))
    red = Style(fg="#cd0000", bold=True)
    session = FakeSession(["old 1", "old 2"], [[("hi ", DEFAULT_STYLE), ("red", red), ("   ", DEFAULT_STYLE)],
                                                [("x", red)]])
    renderer = TextRenderer(text, tags, max_history=1)
    renderer.reset(session, rows=2)  # type: ignore[arg-type]
    renderer.catch_up(session)  # type: ignore[arg-type]
    assert text.get("1.0", "end-1c") == "old 2\nhi red\nx"  # only max_history rows kept; blanks trimmed
    assert renderer.screen_line(0) == 2
    assert text.tag_names("2.3") == text.tag_names("3.0")  # same style → same tag
    assert text.tag_cget(text.tag_names("3.0")[0], "foreground") == ANSI[1]
    session.history.append("old 3")
    session.rows_[1] = [("y", DEFAULT_STYLE)]
    session.dirty = {1}
    assert renderer.draw(session)  # type: ignore[arg-type]
    assert text.get("1.0", "end-1c") == "old 3\nhi red\ny"


def test_wide_and_astral_glyphs_keep_the_row_on_the_cell_grid(tk_root: tk.Tk) -> None:
    fonts = make_fonts(tk_root, pick_family(tk_root, ""), 11)
    text = tk.Text(tk_root, padx=4, wrap="none", width=400, height=200, font=tiny_font(tk_root, "TkFixedFont"),
                   tabs=cell_tabs(fonts), tabstyle="wordprocessor")  # fmt: skip
    text.pack()
    rows = ["日本語テキスト|abc", "0123456789abcd|abc", "😀😀|x", "ab日本cd", ""]
    session = FakeSession(["履歴|"], [[(row, DEFAULT_STYLE)] for row in rows])
    session.cursor = (15, 0, True)
    renderer = TextRenderer(text, TagCache(text, fonts), max_history=10)
    renderer.reset(session, rows=len(rows))  # type: ignore[arg-type]
    renderer.catch_up(session)  # type: ignore[arg-type]
    renderer.place_cursor(session, visible=True)  # type: ignore[arg-type]
    tk_root.update()
    cell, height = fonts[(False, False)].measure("0"), fonts[(False, False)].metrics("linespace")

    def x_of(line: int, cells: int) -> int:
        drawn = text.get(f"{line}.0", f"{line}.end")
        return text.bbox(f"{line}.{text_column(text, line, cell_to_column(drawn, cells))}")[0]  # type: ignore[index]

    first = renderer.screen_line(0)
    left = x_of(first + 1, 0)
    assert x_of(first, 14) == x_of(first + 1, 14) == left + 14 * cell  # '|' in cell 14 on both rows
    assert x_of(first + 2, 4) == left + 4 * cell  # two emoji = four cells
    assert x_of(first + 3, 6) == left + 6 * cell
    assert x_of(1, 4) == left + 4 * cell  # scrollback rows too
    assert all(text.bbox(f"{line}.0") is None or text.bbox(f"{line}.0")[3] >= height  # type: ignore[index]
               for line in range(1, first + len(rows)))  # no row shrinks to the Text's 1 px font
    assert text.dlineinfo(f"{first + 4}.0")[3] >= height  # type: ignore[index]  # the empty last row too
    drawn = text.get("1.0", "end-1c")
    assert drawn.replace(PAD, "") == "\n".join(["履歴|", *rows])  # pads are only tabs after wide glyphs
    cursor = text.tag_ranges("cursor")
    line_text = text.get(f"{first}.0", f"{first}.end")
    assert text.get(cursor[0]) == "a" and column_to_cell(line_text, string_column(text, str(cursor[0]))) == 15
