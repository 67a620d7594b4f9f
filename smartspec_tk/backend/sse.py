"""Server-sent events with the fault switches applied: cut without `[DONE]`, stalls,
keep-alive comments, CRLF framing, tiny writes that split lines and UTF-8 characters,
and the old named events."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from smartspec_tk.backend.config import Faults
from smartspec_tk.backend.stats import StreamStats
from smartspec_tk.backend.web import ChunkedStream

SSE_HEADERS = {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache, no-transform",
    "X-Accel-Buffering": "no",
}


class StreamCut(Exception):
    """The fault switch ended the stream; nothing more may be written."""


class SseWriter:
    """Writes events (or relayed raw bytes) to a chunked response, one fault policy per stream."""

    def __init__(self, out: ChunkedStream, faults: Faults, stats: StreamStats | None = None) -> None:
        self.out = out
        self.faults = faults
        self.stats = stats or StreamStats()
        self.stats.count("streams_started")
        self.sent = 0  # data events / relayed pieces written so far
        self.trace_id = str(uuid.uuid4())
        self.newline = "\r\n" if faults.crlf else "\n"
        self.relaying = False  # relayed bytes may end mid-line: no comments may be inserted then

    def _write(self, data: bytes) -> None:
        try:
            self._write_pieces(data)
        except (BrokenPipeError, ConnectionResetError):
            self.stats.count("client_disconnects")  # the client went away (Stop): the stream ends here
            raise

    def _write_pieces(self, data: bytes) -> None:
        size = self.faults.split_writes
        if size <= 0:
            self.out.write(data)
            return
        for start in range(0, len(data), size):
            self.out.write(data[start : start + size])
            time.sleep(0.002)  # separate TCP segments, so the reader sees the splits

    def _before_piece(self) -> None:
        f = self.faults
        if f.cut_after >= 0 and self.sent >= f.cut_after:
            self.cut()
        if f.keepalive and not self.relaying:
            self._write(f": keep-alive{self.newline}{self.newline}".encode())

    def _after_piece(self) -> None:
        self.sent += 1
        f = self.faults
        if f.stall_after >= 0 and self.sent == f.stall_after and f.stall_seconds > 0:
            self._stall(f.stall_seconds)

    def _stall(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            time.sleep(min(1.0, left))
            if self.faults.keepalive and not self.relaying and deadline - time.monotonic() > 0:
                self._write(f": keep-alive{self.newline}{self.newline}".encode())

    def cut(self) -> None:
        self.stats.count("streams_cut")
        if self.faults.cut_mode == "clean":
            self.out.finish()
        else:
            self.out.reset()
        raise StreamCut

    def event(self, data: str, name: str | None = None) -> None:
        nl = self.newline
        text = (f"event: {name}{nl}" if name else "") + f"data: {data}{nl}{nl}"
        self._before_piece()
        self._write(text.encode("utf-8"))
        self._after_piece()

    def chunk(self, payload: dict[str, Any]) -> None:
        self.event(json.dumps(payload, ensure_ascii=False, separators=(",", ":")))

    def named(self, name: str, payload: dict[str, Any]) -> None:
        """An old-style named event (`trace`, `proxy_status`); not counted as a chunk."""
        if self.faults.named_events:
            nl = self.newline
            self._write(f"event: {name}{nl}data: {json.dumps(payload)}{nl}{nl}".encode())

    def raw(self, data: bytes) -> None:
        """Relayed upstream bytes, passed through unchanged (cut, stall and split apply per piece)."""
        self.relaying = True
        self._before_piece()
        self._write(data)
        self._after_piece()

    def done(self) -> None:
        self._before_piece()
        self._write(f"data: [DONE]{self.newline}{self.newline}".encode())
        self.named("proxy_status", {"traceId": self.trace_id, "phase": "released", "message": ""})
        self.finish()

    def finish(self) -> None:
        self._finish_body()
        self.stats.count("streams_completed")

    def _finish_body(self) -> None:
        try:
            self.out.finish()
        except (BrokenPipeError, ConnectionResetError):
            self.stats.count("client_disconnects")
            raise
