"""Chat streaming benchmark: the real ChatPane (markdown on) fed by a local SSE server.

Prints (through scripts/bench.py chat) tokens_per_s (the server streams as fast as
it can, until the last token is on screen), latency_p50_ms / latency_p99_ms (server
write → token drawn, at 1000 tok/s) and ui_block_p99_ms (how late a 5 ms Tk timer
fires while streaming: the longest the UI thread is busy; on a loaded machine this
includes waiting for a CPU, so `ui_frame_cpu_p99_ms`, the Tk thread's own CPU time
per drawn frame, is printed beside it). The server is a child
process (like a real backend); both sides stamp with CLOCK_MONOTONIC.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers.xvfb import display  # noqa: E402

FAST_TOKENS = int(os.environ.get("BENCH_CHAT_FAST_TOKENS", "60000"))
PACED_TOKENS = int(os.environ.get("BENCH_CHAT_PACED_TOKENS", "3000"))
PACED_RATE = 1000.0
HEARTBEAT_MS = 5
DOCUMENT = """## Section

Streaming answers arrive token by token, and the pane draws each **completed line** once.
The partial line is redrawn on every frame, which keeps the `insert` calls cheap and bounded.

- a first point about the `ChatPane` widget and its transcript
- a second point with a [link to the docs](https://example.org/docs) in it
- a third point, plain text only, a little longer than the others were

```python
def handler(event: Event) -> str:
    return event.data.strip()
```

A closing paragraph explains *why* back-pressure matters when the server is fast.

"""


def corpus(count: int) -> list[str]:
    """`count` LLM-like tokens (about 4 characters, a word start carries its space) of a
    markdown answer with headings, emphasis, inline code, a list, a link and a code block."""
    pieces = re.findall(r"\s*\S{1,4}|\s+", DOCUMENT)
    return [pieces[i % len(pieces)] for i in range(count)]


class BenchServer(ThreadingHTTPServer):
    """Streams `corpus(count)` at `rate` tok/s (0 = as fast as it can), stamping each write."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.tokens: list[str] = []
        self.rate = 0.0
        self.sent_at: list[int] = []


class _Handler(BaseHTTPRequestHandler):
    server: BenchServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:
        if self.path == "/stamps":
            self._json({"sent_at": self.server.sent_at})
        else:
            self._json({"object": "list", "data": [{"id": "bench"}]})

    def _json(self, data: Any) -> None:
        body = json.dumps(data).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        if self.path == "/config":
            self.server.tokens, self.server.rate = corpus(body["count"]), float(body["rate"])
            self._json({"ok": True})
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        server, start = self.server, time.monotonic()
        server.sent_at = []
        for index, token in enumerate(server.tokens):
            if server.rate:
                delay = start + index / server.rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            event = json.dumps({"choices": [{"delta": {"content": token}}]})
            server.sent_at.append(time.monotonic_ns())  # CLOCK_MONOTONIC: the same clock in both processes
            self.wfile.write(f"data: {event}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


def serve() -> None:
    """The server process: prints its URL, serves until killed."""
    server = BenchServer()
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


@contextmanager
def bench_server() -> Iterator[str]:
    """The SSE server in its own process (like a real backend: it does not share our GIL)."""
    import subprocess

    child = subprocess.Popen([sys.executable, __file__, "--serve"], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        yield child.stdout.readline().strip()
    finally:
        child.terminate()
        child.wait(10)


def _post(url: str, data: Any) -> Any:
    import urllib.request

    request = urllib.request.Request(url, json.dumps(data).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own loopback server
        return json.loads(response.read())


def run_stream(url: str, count: int, rate: float) -> dict[str, Any]:
    """Send one prompt through a real ChatPane (fresh app home); measure until the answer is on screen."""
    import tkinter as tk

    from smartspec_tk.core.chat import messages as m
    from smartspec_tk.core.paths import resolve_paths
    from smartspec_tk.core.settings import load_settings
    from smartspec_tk.services import Services
    from smartspec_tk.ui.chat import wiring as chat_wiring
    from smartspec_tk.ui.chat.answer import AnswerStream
    from smartspec_tk.ui.window.main_window import MainWindow
    from smartspec_tk.ui.window.pump import Pump

    _post(url + "/config", {"count": count, "rate": rate})
    os.environ["SMARTSPEC_HOME"] = tempfile.mkdtemp(prefix="bench-chat-")
    root = tk.Tk()
    services = Services.build(load_settings(None, None).settings, resolve_paths().ensure())
    window = MainWindow(root, services.backend_url)
    pump = Pump(root, services.outbox)
    pane = chat_wiring.attach(window, pump, services)
    probe = _Probe(root)
    original_flush = AnswerStream.flush

    def measured_flush(stream: AnswerStream) -> None:
        before = sum(len(p) for p in stream.pending)
        cpu = time.thread_time()
        original_flush(stream)
        root.update_idletasks()  # draw now: the text is on screen when this returns
        probe.work.append((time.thread_time() - cpu) * 1000)
        probe.drawn(before - sum(len(p) for p in stream.pending))

    AnswerStream.flush = measured_flush  # type: ignore[method-assign]

    def quit_when_done() -> None:
        if pane.job is None and pane._stream is None:
            root.quit()
        else:
            root.after(20, quit_when_done)

    pump.subscribe(m.ChatFinished, lambda _msg: quit_when_done())
    pump.start()

    def send() -> None:
        pane.input.set_value("bench")
        pane.send_prompt()
        probe.start()

    root.after(200, send)
    root.mainloop()
    AnswerStream.flush = original_flush  # type: ignore[method-assign]
    probe.stop()
    window.quit()
    pump.stop()
    root.update()
    root.destroy()
    services.close()
    with urllib_open(url + "/stamps") as response:
        sent_at = json.loads(response.read())["sent_at"]
    return probe.result(list(_cumulative(corpus(count))), sent_at)


def urllib_open(url: str) -> Any:
    import urllib.request

    return urllib.request.urlopen(url, timeout=30)  # noqa: S310 - our own loopback server


def _cumulative(tokens: list[str]) -> Iterator[int]:
    total = 0
    for token in tokens:
        total += len(token)
        yield total


class _Probe:
    """When each character reached the screen, and how late a 5 ms heartbeat timer fires."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self.chars = 0
        self.draws: list[tuple[int, int]] = []  # (characters on screen, monotonic ns)
        self.lateness: list[float] = []
        self.work: list[float] = []  # Tk-thread CPU ms per drawn frame (immune to machine load)
        self.started = 0.0
        self._beat_at = 0.0
        self._after: str | None = None

    def start(self) -> None:
        self.started = self._beat_at = time.monotonic()
        self._after = self.root.after(HEARTBEAT_MS, self._beat)

    def stop(self) -> None:
        if self._after is not None:
            self.root.after_cancel(self._after)

    def _beat(self) -> None:
        now = time.monotonic()
        self.lateness.append((now - self._beat_at) * 1000 - HEARTBEAT_MS)
        self._beat_at = now
        self._after = self.root.after(HEARTBEAT_MS, self._beat)

    def drawn(self, added: int) -> None:
        self.chars += added
        self.draws.append((self.chars, time.monotonic_ns()))

    def result(self, offsets: list[int], sent_at: list[int]) -> dict[str, Any]:
        latencies: list[float] = []
        token = 0
        for chars, stamp in self.draws:
            while token < len(offsets) and offsets[token] <= chars:
                latencies.append((stamp - sent_at[token]) / 1e6)
                token += 1
        elapsed = (self.draws[-1][1] / 1e9 - self.started) if self.draws else 0.0
        lat, late = sorted(latencies), sorted(self.lateness) or [0.0]
        return {
            "tokens": len(offsets),
            "tokens_drawn": token,
            "seconds": round(elapsed, 3),
            "tokens_per_s": round(len(offsets) / elapsed) if elapsed > 0 else 0,
            "latency_p50_ms": round(statistics.median(lat), 2) if lat else None,
            "latency_p99_ms": round(_p99(lat), 2) if lat else None,
            "ui_block_p99_ms": round(_p99(late), 2),
            "ui_block_max_ms": round(late[-1], 2),
            "ui_frame_cpu_p99_ms": round(_p99(sorted(self.work)), 2) if self.work else None,
        }


def _p99(values: list[float]) -> float:
    return values[max(0, int(len(values) * 0.99) - 1)]


def main() -> dict[str, Any]:
    os.environ["SMARTSPEC_DEFAULT_MODEL"] = "bench"
    with display(), bench_server() as url:
        os.environ["SMARTSPEC_BACKEND_URL"] = url
        fast = run_stream(url, FAST_TOKENS, 0.0)
        paced = run_stream(url, PACED_TOKENS, PACED_RATE)
    return {
        "tokens_per_s": fast["tokens_per_s"],
        "latency_p50_ms": paced["latency_p50_ms"],
        "latency_p99_ms": paced["latency_p99_ms"],
        "ui_block_p99_ms": max(fast["ui_block_p99_ms"], paced["ui_block_p99_ms"]),
        "goals": {"tokens_per_s": ">= 10000", "latency_p99_ms": "<= 20", "ui_block_p99_ms": "<= 50"},
        "load_average_1min": round(os.getloadavg()[0], 2),
        "fast_run": fast,
        "paced_run": paced | {"rate_tok_s": PACED_RATE},
    }


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve()
    else:
        print(json.dumps(main(), indent=2))
