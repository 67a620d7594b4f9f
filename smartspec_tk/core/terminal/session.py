"""TerminalSession: one pty child + one emulated screen, Tk-free.

Threads: a reader thread only moves bytes from the pty into a byte-bounded queue (when
it is full the reader blocks, so a `yes` flood is back-pressured and memory stays flat);
a writer thread sends input so the UI never blocks on a full pty. Everything else
(`process`, the screen, `line_runs`, `search`…) belongs to ONE thread, the Tk thread:
call `process(budget_s)` from an `after()` loop, then redraw `take_dirty()` lines.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable

from pyte import modes as mo

from .backend import PtyBackend
from .history import History
from .render import Run
from .rows import undefer_row
from .screen import TermScreen
from .stream import FastStream

log = logging.getLogger(__name__)

READ_SIZE = 65536
MIN_FEED, MAX_FEED = 1024, 256 * 1024


class TerminalSession:
    """A running terminal; see docs/terminal.md for the full contract."""

    def __init__(self, backend: PtyBackend, cols: int = 80, rows: int = 24, scrollback: int = 10_000,
                 *, queue_limit: int = 1 << 20, allow_clipboard_write: bool = False) -> None:
        self.backend = backend
        self.screen = TermScreen(cols, rows, History(scrollback, undefer=undefer_row))
        self.stream = FastStream(self.screen)
        self.screen.reply = self._reply
        self.screen.on_resize = backend.resize  # a program's resize (only when window operations are allowed)
        self.stream.on_osc52 = self._osc52
        self.cwd_report = ""  # the last OSC 7 (file://host/path) the shell sent: where it is now
        self.stream.on_osc7 = self._osc7
        self.allow_clipboard_write = allow_clipboard_write
        self.on_clipboard: Callable[[str], None] | None = None
        self.queue_limit = queue_limit
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._chunks: deque[bytes] = deque()
        self._queued = 0
        self._cond = threading.Condition()
        self._eof = False
        self._reader_waiting = False
        self._closing = False
        self._flushed = False
        self._rate = 1e6  # bytes parsed per second (adapted as we go)
        self._out: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._reader = threading.Thread(target=self._read_loop, name=f"pty-read-{backend.pid}", daemon=True)
        self._writer = threading.Thread(target=self._write_loop, name=f"pty-write-{backend.pid}", daemon=True)
        self._reader.start()
        self._writer.start()

    # -- worker threads --------------------------------------------------------------------
    def _read_loop(self) -> None:
        try:
            while not self._closing:
                data = self.backend.read(READ_SIZE)
                if not data:
                    break
                with self._cond:
                    while self._queued >= self.queue_limit and not self._closing:
                        self._reader_waiting = True
                        self._cond.wait(0.5)
                        self._reader_waiting = False
                    self._chunks.append(data)
                    self._queued += len(data)
        except Exception:
            log.exception("terminal reader failed")
        finally:
            with self._cond:
                self._eof = True

    def _write_loop(self) -> None:
        while True:
            data = self._out.get()
            if data is None or self._closing:
                return
            try:
                self.backend.write(data)
            except Exception:
                log.debug("terminal write failed", exc_info=True)

    # -- Tk thread -----------------------------------------------------------------------
    def _take(self, limit: int) -> bytes | None:
        with self._cond:
            if not self._chunks:
                return None
            parts: list[bytes] = []
            size = 0
            while self._chunks and size < limit:
                chunk = self._chunks.popleft()
                if size + len(chunk) > limit * 2:
                    cut = limit - size
                    chunk, rest = chunk[:cut], chunk[cut:]
                    self._chunks.appendleft(rest)
                parts.append(chunk)
                size += len(chunk)
            self._queued -= size
            if self._reader_waiting:
                self._cond.notify_all()
        return b"".join(parts)

    def process(self, budget_s: float = 0.005) -> bool:
        """Parse queued output for about budget_s seconds; True if more is pending."""
        started = time.perf_counter()
        deadline = started + budget_s
        while True:
            # feed sizes follow the measured parse rate so one feed fits what is left of the budget
            size = int(min(MAX_FEED, max(MIN_FEED, self._rate * (deadline - started) * 0.8)))
            data = self._take(size)
            if data is None:
                break
            self.stream.feed(self._decoder.decode(data))
            now = time.perf_counter()
            rate = len(data) / max(now - started, 1e-6)
            self._rate = rate if rate < self._rate else 0.7 * self._rate + 0.3 * rate
            started = now
            if deadline - now < 0.4 * budget_s:  # a last, small feed costs more than it gains
                break
        if self._eof and not self._chunks and not self._flushed:
            self._flushed = True
            self.stream.feed(self._decoder.decode(b"", final=True))
            self.stream.flush()
        return self.pending_bytes > 0

    @property
    def pending_bytes(self) -> int:
        return self._queued

    def take_dirty(self) -> set[int]:
        """Screen rows changed since the last call (and forget them)."""
        dirty = {y for y in self.screen.dirty if y < self.screen.lines}
        self.screen.dirty.clear()
        return dirty

    def line_runs(self, y: int) -> list[Run]:
        return self.screen.row_runs(y)

    def line_text(self, y: int) -> str:
        return "".join(text for text, _ in self.screen.row_runs(y))

    def history_len(self) -> int:
        return len(self.screen.history)

    def history_runs(self, index: int) -> list[Run]:
        """Scrollback row `index` (0 = oldest)."""
        return self.screen.history.runs(index)

    def line_wrapped(self, y: int) -> bool:
        """True when screen row y ran on into the next row at the right margin (a soft wrap)."""
        return self.screen.row_wrapped(y)

    def history_wrapped(self, index: int) -> bool:
        return self.screen.history.wrapped(index)

    def history_text(self, index: int) -> str:
        return self.screen.history.text(index)

    def search(self, needle: str, *, case: bool = False) -> list[tuple[int, int]]:
        """(line_index, column) of every match; line_index counts history rows first, then the screen."""
        if not needle:
            return []
        wanted = needle if case else needle.lower()
        hits: list[tuple[int, int]] = []
        texts = [*self.screen.history.texts,
                 *(self.line_text(y) for y in range(self.rows))]
        for index, text in enumerate(texts):
            hay = text if case else text.lower()
            col = hay.find(wanted)
            while col >= 0:
                hits.append((index, col))
                col = hay.find(wanted, col + 1)
        return hits

    # -- state -----------------------------------------------------------------------------
    @property
    def cols(self) -> int:
        return self.screen.columns

    @property
    def rows(self) -> int:
        return self.screen.lines

    @property
    def cursor(self) -> tuple[int, int, bool]:
        c = self.screen.cursor
        return (min(c.x, self.screen.columns - 1), c.y, not c.hidden)

    @property
    def bell_count(self) -> int:
        """BEL characters received so far (the view flashes when it grows)."""
        return self.screen.bell_count

    @property
    def title(self) -> str:
        return self.screen.title

    @property
    def app_cursor(self) -> bool:
        return self.screen.app_cursor

    @property
    def bracketed_paste(self) -> bool:
        return self.screen.bracketed_paste

    @property
    def mouse_mode(self) -> int:
        return self.screen.mouse_mode

    @property
    def mouse_sgr(self) -> bool:
        return self.screen.mouse_sgr

    @property
    def reverse_screen(self) -> bool:
        """DECSCNM (`CSI ? 5 h`): the view draws the whole screen with fore/background swapped."""
        return mo.DECSCNM in self.screen.mode

    @property
    def colors_version(self) -> int:
        """Bumped whenever a program changes a colour the view draws (see `drawn_colors`)."""
        return self.screen.colors.version

    def set_theme_colors(self, foreground: str, background: str, cursor: str) -> None:
        """What OSC 10/11/12 queries answer while no program set them (the view's theme colours)."""
        self.screen.colors.set_theme_colors(foreground, background, cursor)

    def drawn_colors(self) -> tuple[dict[int, str], str | None, str | None]:
        """Colours a program set with OSC 4 (indexes 0–15) and OSC 10/11: ({index: '#rrggbb'}, fg, bg)."""
        return self.screen.colors.drawn()

    @property
    def alt_screen(self) -> bool:
        return self.screen.alt_screen

    @property
    def exited(self) -> bool:
        """True once the child ended and all its output was processed."""
        return self._eof and not self._chunks and self._flushed and not self.backend.is_alive()

    @property
    def exit_code(self) -> int | None:
        return self.backend.exit_status() if self._eof else None

    def foreground_busy(self) -> bool:
        return self.backend.foreground_busy()

    # -- input -------------------------------------------------------------------------------
    def write(self, data: bytes) -> None:
        """Send bytes to the program (never blocks the caller)."""
        if data and not self._closing:
            self._out.put(data)

    def paste(self, text: str) -> None:
        """Paste text: ESC stripped, newlines sent as CR, bracketed when the program asked."""
        clean = text.replace("\x1b", "").replace("\r\n", "\r").replace("\n", "\r")
        data = clean.encode("utf-8", "replace")
        if self.bracketed_paste:
            data = b"\x1b[200~" + data + b"\x1b[201~"
        self.write(data)

    def resize(self, cols: int, rows: int) -> None:
        cols, rows = max(2, cols), max(1, rows)
        if (cols, rows) == (self.cols, self.rows):
            return
        self.screen.resize(lines=rows, columns=cols)
        self.backend.resize(cols, rows)

    def close(self) -> None:
        """End the child's whole session and stop the threads."""
        self._closing = True
        with self._cond:
            self._cond.notify_all()
        self._out.put(None)
        self.backend.terminate()
        self._reader.join(timeout=2)
        self._writer.join(timeout=2)

    def _reply(self, text: str) -> None:
        if self._out.qsize() < 256:
            self.write(text.encode("utf-8"))

    def _osc7(self, param: str) -> None:
        self.cwd_report = param[:4096]

    def _osc52(self, param: str) -> None:
        _, _, payload = param.partition(";")
        if not self.allow_clipboard_write or self.on_clipboard is None or payload in ("", "?"):
            log.debug("terminal: OSC 52 clipboard write ignored")
            return
        try:
            text = base64.b64decode(payload, validate=False).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return
        self.on_clipboard(text)
