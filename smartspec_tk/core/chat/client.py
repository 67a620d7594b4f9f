"""ChatClient: `POST /v1/chat/completions`, streamed or not, any thread (the model list: `core/chat/models.py`).

`stream()` yields one list of items per network read, so the caller can coalesce
text and check its cancel Event between reads. Leaving the generator closes the
HTTP response, and with it the connection: the backend sees the disconnect.
`abort()` shuts the socket down from another thread, for a stream that stalls.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from smartspec_tk.core.chat.errors import ChatHTTPError, describe_network, describe_status
from smartspec_tk.core.chat.sse import SSEDecoder
from smartspec_tk.core.chat.stream import StreamDone, StreamItem, interpret, interpret_chunk
from smartspec_tk.core.errors import BackendError

log = logging.getLogger(__name__)

CHAT_PATH = "/v1/chat/completions"


@dataclass(frozen=True, slots=True)
class Accepted:
    """The backend answered 200: the request is accepted and the answer begins."""

    streaming: bool = True


class StreamingUnsupported(ChatHTTPError):
    """501: this backend (direct mode) does not stream; ask again without streaming."""


class ChatClient:
    """Talks to the backend's OpenAI-compatible routes through the app's one httpx client."""

    def __init__(self, http: httpx.Client, base_url: str, *, demo: bool = False) -> None:
        """`demo`: the backend is the demo backend the app started (its failures are told apart)."""
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._demo = demo
        self._lock = threading.Lock()
        self._open: dict[int, httpx.Response] = {}

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def demo(self) -> bool:
        """The backend is the demo backend the app started (core/embedded_watch.py restarts it)."""
        return self._demo

    def stream(self, body: dict[str, Any], key: int = 0) -> Generator[list[StreamItem | Accepted], None, None]:
        """Send a streaming request; yields items per read. Raises UserError subclasses."""
        headers = {"Accept": "text/event-stream", "Content-Type": "application/json"}
        try:
            with self._http.stream("POST", self._url(), content=_json(body), headers=headers) as response:
                self._check(response)
                with self._lock:
                    self._open[key] = response
                try:
                    yield from self._read(response)
                finally:
                    with self._lock:
                        self._open.pop(key, None)
        except httpx.HTTPError as exc:
            raise describe_network(exc, self._base_url, demo=self._demo) from exc

    def complete(self, body: dict[str, Any]) -> list[StreamItem]:
        """A non-streaming request; the answer as stream items ending with StreamDone."""
        body = {k: v for k, v in body.items() if k not in ("stream", "stream_options")}
        body["stream"] = False
        try:
            response = self._http.post(self._url(), content=_json(body), headers={"Content-Type": "application/json"})
        except httpx.HTTPError as exc:
            raise describe_network(exc, self._base_url, demo=self._demo) from exc
        self._check(response)
        return [*_json_answer(response.content), StreamDone()]

    def abort(self, key: int = 0) -> None:
        """Any thread: shut the socket of stream `key` down, waking a worker blocked in a read."""
        with self._lock:
            response = self._open.get(key)
        stream = response.extensions.get("network_stream") if response is not None else None
        sock = stream.get_extra_info("socket") if stream is not None else None
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _url(self) -> str:
        return self._base_url + CHAT_PATH

    def _check(self, response: httpx.Response) -> None:
        if response.status_code == 200:
            return
        body = response.read()
        error = describe_status(response.status_code, body, response.headers, self._base_url)
        if response.status_code == 501:
            raise StreamingUnsupported(str(error), 501, error.code)
        raise error

    def _read(self, response: httpx.Response) -> Iterator[list[StreamItem | Accepted]]:
        content_type = response.headers.get("content-type", "")
        if not content_type.startswith("text/event-stream"):
            # A backend that ignored `stream: true` and answered with one JSON document.
            yield [Accepted(streaming=False), *_json_answer(response.read()), StreamDone()]
            return
        yield [Accepted()]
        decoder = SSEDecoder()
        for chunk in response.iter_bytes():
            yield [item for event in decoder.feed(chunk) for item in interpret(event)]
        yield [item for event in decoder.flush() for item in interpret(event)]


def _json(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _json_answer(raw: bytes) -> list[StreamItem]:
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise BackendError("The backend's answer is not valid JSON.") from exc
    if not isinstance(data, dict):
        raise BackendError("The backend's answer is not a chat completion.")
    return interpret_chunk(data)
