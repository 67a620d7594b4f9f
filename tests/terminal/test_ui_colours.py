"""What the real TerminalView draws (real Tk under Xvfb, real pty): exact RGB colours stay exact while
indexes 0–15 take the theme's palette (defect 4), SGR 2 dim and SGR 8 conceal (defect 10), DECSCNM
reverse screen, colours a program sets with OSC 4/10/11, and no stale part-row above the screen
(defect 13: the Text shows exactly rows x cell height and the pty's size is the visible rows)."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Iterator

import pytest

from smartspec_tk.ui import theme
from smartspec_tk.ui.terminal.bell import BORDER
from smartspec_tk.ui.terminal.notebook import TerminalNotebook
from smartspec_tk.ui.terminal.palette import mix
from smartspec_tk.ui.terminal.view import TerminalView

from .ui_helpers import make_notebook, screen_lines, shown

Wait = Callable[..., None]


@pytest.fixture
def notebook(tk_root: tk.Tk) -> Iterator[TerminalNotebook]:
    notebook = make_notebook(tk_root)
    yield notebook
    notebook.close_all()


def run(notebook: TerminalNotebook, wait_until: Wait, script: str, marker: str) -> TerminalView:
    """A tab running `sh -c script` (then `cat`, so it stays open) once `marker` is drawn."""
    view = notebook.open_session(argv=["sh", "-c", script + "; exec cat"], env={})
    wait_until(lambda: marker in shown(view), what=f"{marker!r} drawn")
    view.update()
    return view


def colours_of(view: TerminalView, char: str) -> tuple[str, str]:
    """(foreground, background) the widget paints the first `char` on screen with."""
    index = view.text.search(char, f"{view.renderer.screen_line(0)}.0", "end")
    assert index, f"{char!r} not drawn"
    styles = [t for t in view.text.tag_names(index) if t.startswith("s") and t[1:].isdigit()]
    assert len(styles) == 1, view.text.tag_names(index)
    fg = str(view.text.tag_cget(styles[0], "foreground"))
    bg = str(view.text.tag_cget(styles[0], "background")) or str(view.text.cget("background"))
    return fg.lower(), bg.lower()


def test_exact_rgb_is_not_remapped_indexes_0_to_15_are(notebook: TerminalNotebook, wait_until: Wait) -> None:
    script = (r"printf '\033[31mA\033[38;2;205;0;0mB\033[38;5;196mC\033[91mD\033[38;5;1mE"
              r"\033[48;2;0;0;0mF\033[40mG\033[38;2;255;0;0mH\033[0m|end\n'")
    view = run(notebook, wait_until, script, "ABCDEFGH|end")
    ansi = theme.current().terminal.ansi
    assert colours_of(view, "A")[0] == ansi[1].lower()  # SGR 31: the theme's red
    assert colours_of(view, "E")[0] == ansi[1].lower()  # 38;5;1: the same index
    assert colours_of(view, "D")[0] == ansi[9].lower()  # SGR 91: the theme's bright red
    assert colours_of(view, "B")[0] == "#cd0000"  # 38;2 exact, though xterm's red has this value
    assert colours_of(view, "C")[0] == "#ff0000"  # 38;5;196 is not a palette index
    assert colours_of(view, "H")[0] == "#ff0000"
    assert colours_of(view, "F")[1] == "#000000"  # pure black background stays black
    assert colours_of(view, "G")[1] == ansi[0].lower()


def test_dim_and_conceal_are_drawn(notebook: TerminalNotebook, wait_until: Wait) -> None:
    script = r"printf 'pw: \033[8msecret\033[0m \033[2mfaint\033[0m plain \033[1;2mboth\033[22mX|end\n'"
    view = run(notebook, wait_until, script, "|end")
    palette = view.renderer.tags.palette
    fg, bg = colours_of(view, "s")  # 's' of "secret"
    assert fg == bg == palette.background.lower()
    assert "secret" in view.text.get("1.0", "end")  # still there for copy and search
    faint = colours_of(view, "f")
    assert faint[0] == mix(palette.foreground, palette.background, 0.5).lower() != palette.foreground.lower()
    assert colours_of(view, "p")[0] == palette.foreground.lower()
    assert colours_of(view, "X")[0] == palette.foreground.lower()  # SGR 22 ends dim and bold


def test_reverse_screen_and_program_colours_are_drawn(notebook: TerminalNotebook, wait_until: Wait) -> None:
    term = theme.current().terminal
    script = (r"printf 'N\033[31mR\033[0m|one\n'; read _; printf '\033[?5h|two\n'; read _; "
              r"printf '\033[?5l\033]4;1;#123456\033\\\033]10;rgb:aa/bb/cc\007\033]11;#102030\007|three\n'; read _; "
              r"printf '\033]104\007\033]110\007\033]111\007|four\n'")
    view = run(notebook, wait_until, script, "|one")
    assert str(view.text.cget("background")).lower() == term.background.lower()
    assert colours_of(view, "N")[0] == term.foreground.lower()

    view.session.write(b"\r")
    wait_until(lambda: "|two" in shown(view), what="DECSCNM set")
    view.update()
    assert str(view.text.cget("background")).lower() == term.foreground.lower()
    assert colours_of(view, "N")[0] == term.background.lower()
    assert colours_of(view, "R")[0] == term.ansi[1].lower()  # explicit colours stay

    view.session.write(b"\r")
    wait_until(lambda: "|three" in shown(view), what="OSC 4/10/11 set")
    view.update()
    assert str(view.text.cget("background")).lower() == "#102030"
    assert colours_of(view, "N")[0] == "#aabbcc"
    assert colours_of(view, "R")[0] == "#123456"

    view.session.write(b"\r")
    wait_until(lambda: "|four" in shown(view), what="OSC 104/110/111 reset")
    view.update()
    assert str(view.text.cget("background")).lower() == term.background.lower()
    assert colours_of(view, "N")[0] == term.foreground.lower()
    assert colours_of(view, "R")[0] == term.ansi[1].lower()


@pytest.mark.parametrize("height", [403, 411, 397])
def test_no_stale_part_row_above_the_screen(tk_root: tk.Tk, notebook: TerminalNotebook, wait_until: Wait,
                                            height: int) -> None:
    tk_root.geometry(f"700x{height}")
    tk_root.update()
    view = run(notebook, wait_until, "seq 1 500; stty size; printf '|end'", "|end")
    wait_until(lambda: view.grid_size() == (view.cols, view.rows), what="the size settled")
    view.update()
    cell_h = view.cell_size()[1]
    pad_y = 2 * int(view.text.cget("pady")) + 2 * BORDER
    assert view.text.winfo_height() == pad_y + view.rows * cell_h  # exactly whole rows
    assert f"{view.rows} {view.cols}" in screen_lines(view)  # the pty's size is what is shown
    top = view.text.index("@0,0")  # the first line the widget shows...
    assert int(top.split(".")[0]) == view.renderer.screen_line(0)  # ...is the screen's first row
    info = view.text.dlineinfo(top)
    assert info is not None and info[1] >= 0 and info[3] == cell_h  # whole, not a part of one
    bottom = view.text.index(f"@0,{view.text.winfo_height() - 1}")
    assert int(bottom.split(".")[0]) == view.renderer.screen_line(view.rows - 1)
