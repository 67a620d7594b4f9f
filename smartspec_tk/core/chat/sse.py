"""A sans-I/O Server-Sent Events decoder: `feed(bytes) -> events`, `flush() -> events`.

Follows the WHATWG event-stream rules: lines end with CRLF, LF or CR (a CR at the
end of one chunk and an LF at the start of the next are one line end); lines
starting with `:` are comments; `event:`, `data:`, `id:`, `retry:` fields; several
`data:` lines join with LF; a blank line dispatches. Lines are decoded only when
complete, so a UTF-8 character split across chunks is never broken. Unlike a
browser, `flush()` also dispatches an event left without its final blank line.
A line or an event's data longer than 1 MB raises `SSELimitError` (issue 13,
finding 4): a hostile or broken backend cannot make the app buffer without end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from smartspec_tk.core.errors import BackendError

MAX_LINE = 1 << 20  # bytes in one line of the stream
MAX_EVENT = 1 << 20  # characters of data in one event
_LINE_END = re.compile(rb"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class SSEEvent:
    """One dispatched event; `event` is "message" when the stream named none."""

    data: str
    event: str = "message"
    id: str = ""
    retry: int | None = None


class SSELimitError(BackendError):
    """The stream sent a line or an event larger than the decoder accepts."""


def _too_large(what: str, limit: int) -> SSELimitError:
    return SSELimitError(
        f"the backend's stream sent {what} longer than 1 MB ({limit:,} bytes), the most this app accepts; "
        "the rest of the answer was not read."
    )


class SSEDecoder:
    """Incremental decoder; not thread-safe (one per stream)."""

    def __init__(self) -> None:
        self._pending = bytearray()  # the incomplete last line (grows in place: no quadratic copying)
        self._skip_lf = False  # the previous chunk ended with CR: a leading LF is its pair
        self._data: list[str] = []
        self._data_size = 0
        self._event = ""
        self._last_id = ""
        self._retry: int | None = None
        self.comments = 0  # keep-alive comments seen (for diagnostics)

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        """Decode a chunk of any size; returns the events it completed. Raises SSELimitError."""
        if not chunk:
            return []
        if self._skip_lf and chunk[:1] == b"\n":
            chunk = chunk[1:]
        self._skip_lf = False
        if b"\n" not in chunk and b"\r" not in chunk:
            self._pending += chunk
            if len(self._pending) > MAX_LINE:
                raise _too_large("a line", MAX_LINE)
            return []
        buffer = bytes(self._pending) + chunk
        if b"\r" not in buffer:
            lines = buffer.split(b"\n")
            pending = lines.pop()
        else:
            lines, pending = self._split_mixed(buffer)
        if len(pending) > MAX_LINE or any(len(line) > MAX_LINE for line in lines):
            raise _too_large("a line", MAX_LINE)
        self._pending = bytearray(pending)
        events: list[SSEEvent] = []
        for line in lines:
            event = self._line(line.decode("utf-8", "replace"))
            if event is not None:
                events.append(event)
        return events

    def flush(self) -> list[SSEEvent]:
        """The stream ended: dispatch what is left (a last line without its blank line)."""
        events: list[SSEEvent] = []
        if self._pending:
            self._line(self._pending.decode("utf-8", "replace"))
            self._pending = bytearray()
        event = self._line("")
        if event is not None:
            events.append(event)
        return events

    def _split_mixed(self, buffer: bytes) -> tuple[list[bytes], bytes]:
        lines: list[bytes] = []
        start = 0
        for match in _LINE_END.finditer(buffer):
            lines.append(buffer[start : match.start()])
            start = match.end()
            if match.group() == b"\r" and start == len(buffer):
                self._skip_lf = True
        return lines, buffer[start:]

    def _line(self, line: str) -> SSEEvent | None:
        if not line:
            return self._dispatch()
        if line[0] == ":":
            self.comments += 1
            return None
        name, colon, value = line.partition(":")
        if colon and value[:1] == " ":
            value = value[1:]
        if name == "data":
            self._data_size += len(value) + 1
            if self._data_size > MAX_EVENT:
                raise _too_large("an event", MAX_EVENT)
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self._last_id = value
        elif name == "retry" and value.isdigit():
            self._retry = int(value)
        return None

    def _dispatch(self) -> SSEEvent | None:
        data, event = self._data, self._event
        self._data, self._event, self._data_size = [], "", 0
        if not data:
            return None
        return SSEEvent("\n".join(data), event or "message", self._last_id, self._retry)
