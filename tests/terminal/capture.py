"""Golden capture tool (run by hand, not by pytest): records the raw bytes real programs
write to an 80x24 pty into tests/terminal/captured/<name>.bin, plus the expected screen
as JSON (<name>.json), produced by feeding the whole capture at once.

    .venv/bin/python -m tests.terminal.capture [name ...]

Review the JSON by eye after re-capturing: it becomes the reference for the chunked tests.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from smartspec_tk.core.terminal import TerminalSession
from smartspec_tk.core.terminal.backend_posix import PosixPtyBackend
from smartspec_tk.core.terminal.history import History
from smartspec_tk.core.terminal.screen import TermScreen
from smartspec_tk.core.terminal.stream import FastStream

HERE = Path(__file__).parent / "captured"
COLS, ROWS = 80, 24


class Recorder(PosixPtyBackend):
    """A pty backend that keeps a copy of every byte read."""

    def __init__(self) -> None:
        super().__init__()
        self.log = bytearray()

    def read(self, max_bytes: int) -> bytes:
        data = super().read(max_bytes)
        self.log += data
        return data


def _workdir() -> Path:
    root = Path(tempfile.mkdtemp(prefix="cap-"))
    (root / "src").mkdir()
    (root / "docs").mkdir()
    (root / "run.sh").write_text("#!/bin/sh\necho run\n")
    (root / "run.sh").chmod(0o755)
    (root / "link").symlink_to("run.sh")
    (root / "notes.txt").write_text("".join(f"line {i}: the quick brown fox\n" for i in range(1, 200)))
    (root / "demo.py").write_text('"""Demo."""\n\nimport os\n\n\ndef main() -> int:\n'
                                  '    # say hello\n    print("hello", os.getpid())\n    return 0\n')
    return root


# name -> (argv, [(delay_s, keys)])
SCRIPTS: dict[str, tuple[list[str], list[tuple[float, bytes]]]] = {
    "ls_color": (["sh", "-c", "ls --color=always -F; ls --color=always -l --time-style=+T | tail -n +2"], []),
    "vim_quit": (["sh", "-c", "echo before-vim; vim --clean -n demo.py; echo after-vim"],
                 [(1.5, b"jjwi// edited \x1b"), (0.5, b":q!\r")]),
    "vim_open": (["vim", "--clean", "-n", "demo.py"], [(1.5, b"G")]),
    "less_open": (["less", "notes.txt"], [(1.0, b" ")]),
    "less_quit": (["sh", "-c", "echo before-less; less notes.txt; echo after-less"],
                  [(1.0, b" "), (0.5, b"q")]),
    "top_batch": (["top", "-b", "-n", "1", "-w", "80"], []),
    "top_live": (["top", "-d", "0.5"], [(1.6, b"")]),
    "progress": (["sh", "-c", "for i in 0 25 50 75 100; do printf '\\r[%-20s] %3d%%' "
                  "$(printf '#%.0s' $(seq 1 $((i/5+1)))) $i; sleep 0.05; done; echo; echo done"], []),
    "wide_chars": (["sh", "-c", "printf '漢字テスト|\\n😀 emoji|\\ncafé naïve|\\n'; "
                    "printf '%s' 'ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ'; "
                    "printf '%s' 'ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒ'; echo"], []),
    "alt_screen": (["sh", "-c", "echo main-1; printf '\\033[?1049h\\033[H\\033[2Jinside alt\\n'; "
                    "sleep 0.2; printf '\\033[?1049l'; echo main-2"], []),
    "colors": (["sh", "-c", "printf '\\033]0;my\\001 title\\007'; "
                "printf '\\033[1;31mbold red\\033[0m \\033[4;32munder green\\033[0m "
                "\\033[7mrev\\033[27m \\033[38;5;208m256\\033[0m \\033[38;2;10;20;30;48;2;200;100;50mtrue\\033[m\\n'"],
               []),
}


def record(name: str, cwd: Path) -> bytes:
    argv, keys = SCRIPTS[name]
    env = {"PATH": os.environ["PATH"], "HOME": str(cwd), "TERM": "xterm-256color", "LANG": "C.UTF-8",
           "LC_ALL": "C.UTF-8", "COLUMNS": str(COLS), "LINES": str(ROWS)}
    backend = Recorder()
    backend.spawn(argv, str(cwd), env, COLS, ROWS)
    session = TerminalSession(backend, COLS, ROWS)
    for delay, data in keys:
        _pump(session, delay)
        session.write(data)
    deadline = time.monotonic() + 10
    while not session.exited and time.monotonic() < deadline:
        _pump(session, 0.1)
        if name == "top_live" and time.monotonic() > deadline - 8:
            session.write(b"q")
    session.close()
    return bytes(backend.log)


def _pump(session: TerminalSession, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        session.process(0.01)
        time.sleep(0.01)


def snapshot(data: bytes, cols: int = COLS, rows: int = ROWS) -> dict[str, Any]:
    """The expected-result JSON of a capture, fed in one piece."""
    screen = TermScreen(cols, rows, History(1000))
    stream = FastStream(screen)
    stream.feed(data.decode("utf-8", "replace"))
    stream.flush()
    return state_of(screen)


def state_of(screen: TermScreen) -> dict[str, Any]:
    return {
        "lines": ["".join(t for t, _ in screen.row_runs(y)) for y in range(screen.lines)],
        "runs": [[[t, list(s)] for t, s in screen.row_runs(y)] for y in range(screen.lines)],
        "cursor": [screen.cursor.x, screen.cursor.y, not screen.cursor.hidden],
        "alt_screen": screen.alt_screen,
        "title": screen.title,
        "history": [screen.history.text(i) for i in range(len(screen.history))],
    }


def main(names: list[str]) -> None:
    cwd = _workdir()
    try:
        for name in names or list(SCRIPTS):
            data = record(name, cwd)
            (HERE / f"{name}.bin").write_bytes(data)
            (HERE / f"{name}.json").write_text(json.dumps(snapshot(data), indent=1, ensure_ascii=False) + "\n")
            print(f"{name}: {len(data)} bytes")
    finally:
        shutil.rmtree(cwd, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
