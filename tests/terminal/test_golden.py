"""Golden tests: byte streams captured from real programs (tests/terminal/capture.py) must give
the stored screen whatever the chunking, through the stream and through a whole session."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

import pyte
import pytest

from smartspec_tk.core.terminal import TerminalSession
from smartspec_tk.core.terminal.history import History
from smartspec_tk.core.terminal.screen import TermScreen
from smartspec_tk.core.terminal.stream import FastStream

from .capture import COLS, ROWS, state_of
from .fakes import FakeBackend

CAPTURED = Path(__file__).parent / "captured"
NAMES = sorted(p.stem for p in CAPTURED.glob("*.bin"))


def load(name: str) -> tuple[bytes, dict[str, Any]]:
    return (CAPTURED / f"{name}.bin").read_bytes(), json.loads((CAPTURED / f"{name}.json").read_text())


def random_chunks(data: bytes, seed: int, biggest: int = 64) -> list[bytes]:
    rnd = random.Random(seed)
    chunks, pos = [], 0
    while pos < len(data):
        size = rnd.randint(1, biggest)
        chunks.append(data[pos:pos + size])
        pos += size
    return chunks


def test_all_captures_are_present() -> None:
    expected = {"ls_color", "vim_quit", "vim_open", "less_open", "less_quit", "top_batch", "top_live",
                "progress", "wide_chars", "alt_screen", "colors"}
    assert expected <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_capture_in_random_text_chunks(name: str, seed: int) -> None:
    data, expected = load(name)
    text = data.decode("utf-8", "replace")
    rnd = random.Random(seed)
    screen = TermScreen(COLS, ROWS, History(1000))
    stream = FastStream(screen)
    pos = 0
    while pos < len(text):
        size = rnd.randint(1, [7, 300, 5000][seed - 1])
        stream.feed(text[pos:pos + size])
        pos += size
    stream.flush()
    assert state_of(screen) == expected


@pytest.mark.parametrize("name", NAMES)
def test_capture_through_a_session_in_random_byte_chunks(name: str) -> None:
    data, expected = load(name)
    backend = FakeBackend(random_chunks(data, seed=len(name), biggest=50))
    session = TerminalSession(backend, COLS, ROWS, scrollback=1000)
    deadline = time.monotonic() + 10
    while not session.exited and time.monotonic() < deadline:
        session.process(0.005)
    session.close()
    assert session.exited
    assert state_of(session.screen) == expected


@pytest.mark.parametrize("name", [n for n in NAMES if n not in ("vim_quit", "less_quit", "alt_screen")])
def test_capture_matches_stock_pyte(name: str) -> None:
    """Where no alternate screen is left behind, stock pyte (the reference) shows the same text."""
    data, expected = load(name)
    screen = _TolerantScreen(COLS, ROWS)
    pyte.ByteStream(screen).feed(data)
    ours = [line.rstrip() for line in expected["lines"]]
    theirs = [line.rstrip() for line in screen.display]
    assert theirs == ours


class _TolerantScreen(pyte.Screen):
    def select_graphic_rendition(self, *attrs: int, **_: object) -> None:
        super().select_graphic_rendition(*attrs)  # stock pyte raises on CSI ? ... m


def test_alternate_screen_restores_the_shell_view() -> None:
    for name, before, after in (("vim_quit", "before-vim", "after-vim"), ("less_quit", "before-less", "after-less"),
                                ("alt_screen", "main-1", "main-2")):
        _, expected = load(name)
        assert expected["lines"][:2] == [before, after], name
        assert not expected["alt_screen"]
        assert expected["history"] == []  # nothing drawn on the alternate screen reached the scrollback


def test_styles_of_the_colour_capture() -> None:
    _, expected = load("colors")
    runs = {text: style for text, style in expected["runs"][0]}
    assert runs["bold red"][:3] == ["#cd0000", None, True]
    assert runs["under green"][4] is True
    assert runs["rev"][5] is True
    assert runs["256"][0] == "#ff8700"
    assert runs["true"][:2] == ["#0a141e", "#c86432"]
    assert expected["title"] == "my title"  # the \x01 in the OSC title was stripped
