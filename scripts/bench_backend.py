#!/usr/bin/env python3
"""Reference-backend benchmark: start-up, embedded start, chat requests/s, stream throughput, upload.

Prints one JSON object: ready_s (spawn → /healthz answers, median of 3),
embedded_start_s (core.embedded.start_embedded_backend, probe included),
chat_requests_per_s (non-streaming offline-fast, one keep-alive client),
stream_mb_s / stream_events_per_s (offline-fast streaming a large echo), ttfb_ms (first
SSE byte of offline-echo), upload_mb_s (presigned PUT of 10 MiB + verified complete).
Usage: .venv/bin/python scripts/bench_backend.py [--stream-kb 2048] [--requests 200]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

CP = "/api/v1/control-plane/api/v1"


def _spawn(root: Path) -> tuple[subprocess.Popen[str], str, float]:
    started = time.perf_counter()
    argv = [sys.executable, "-m", "smartspec_tk.backend", "--port", "0", "--root", str(root), "--stream-delay", "0"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SMARTSPEC_PROXY_TOKEN", None)
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env, start_new_session=True)
    assert proc.stdout is not None
    url = proc.stdout.readline().split()[-1]
    while True:
        try:
            if urllib.request.urlopen(url + "/healthz", timeout=1).status == 200:
                return proc, url, time.perf_counter() - started
        except OSError:
            time.sleep(0.005)


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    proc.wait(timeout=10)


def _requests_per_s(client: httpx.Client, count: int) -> float:
    body = {"model": "offline-fast", "messages": [{"role": "user", "content": "hi"}]}
    started = time.perf_counter()
    for _ in range(count):
        client.post("/v1/chat/completions", json=body).raise_for_status()
    return count / (time.perf_counter() - started)


def _stream(client: httpx.Client, kb: int) -> dict[str, float]:
    text = ("stream benchmark ✓ " * (kb * 1024 // 20 + 1))[: kb * 1024]
    body = {"model": "offline-fast", "stream": True, "messages": [{"role": "user", "content": text}]}
    started, size, events = time.perf_counter(), 0, 0
    with client.stream("POST", "/v1/chat/completions", json=body) as reply:
        for piece in reply.iter_raw():
            size += len(piece)
            events += piece.count(b"data:")
    seconds = time.perf_counter() - started
    return {"stream_mb_s": round(size / seconds / 1e6, 1), "stream_events_per_s": round(events / seconds)}


def _ttfb_ms(client: httpx.Client) -> float:
    body = {"model": "offline-echo", "stream": True, "messages": [{"role": "user", "content": "hi"}]}
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        with client.stream("POST", "/v1/chat/completions", json=body) as reply:
            next(reply.iter_raw())
            samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 2)


def _upload_mb_s(client: httpx.Client) -> float:
    data = os.urandom(10 * 1024 * 1024)
    project = client.post(CP + "/projects", json={"name": "bench"}).json()["project"]
    sid = client.post(f"{CP}/projects/{project['id']}/sessions", json={}).json()["session"]["id"]
    meta = {"iteration": 0, "name": "bench.mp4", "contentType": "video/mp4", "sizeBytes": len(data)}
    started = time.perf_counter()
    put = client.post(f"{CP}/sessions/{sid}/artifacts/presign-put", json=meta).json()
    httpx.put(put["url"], content=data, headers={"Content-Type": "video/mp4"}).raise_for_status()
    done = {"key": put["key"], "sha256": hashlib.sha256(data).hexdigest(), "sizeBytes": len(data)}
    client.post(f"{CP}/sessions/{sid}/artifacts/complete", json=done).raise_for_status()
    return round(len(data) / (time.perf_counter() - started) / 1e6, 1)


def _embedded_start_s(home: Path) -> float:
    os.environ["SMARTSPEC_HOME"] = str(home)
    from smartspec_tk.core.embedded import start_embedded_backend
    from smartspec_tk.core.paths import resolve_paths
    from smartspec_tk.core.settings import Settings

    with socket_port() as port:
        pass
    started = time.perf_counter()
    backend = start_embedded_backend(Settings(backend_url=f"http://127.0.0.1:{port}"), resolve_paths().ensure())
    seconds = time.perf_counter() - started
    assert backend is not None, "the embedded backend did not start"
    backend.stop()
    return round(seconds, 3)


class socket_port:  # noqa: N801 - used as a tiny context manager
    def __enter__(self) -> int:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return int(self.sock.getsockname()[1])

    def __exit__(self, *exc: object) -> None:
        self.sock.close()


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stream-kb", type=int, default=2048)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        ready = []
        for n in range(3):
            proc, url, seconds = _spawn(Path(tmp) / f"r{n}")
            ready.append(seconds)
            if n < 2:
                _stop(proc)
        try:
            with httpx.Client(base_url=url, timeout=120) as client:
                result: dict[str, Any] = {"ready_s": round(statistics.median(ready), 3)}
                result["chat_requests_per_s"] = round(_requests_per_s(client, args.requests))
                result.update(_stream(client, args.stream_kb))
                result["ttfb_ms"] = _ttfb_ms(client)
                result["upload_mb_s"] = _upload_mb_s(client)
        finally:
            _stop(proc)
        result["embedded_start_s"] = _embedded_start_s(Path(tmp) / "home")
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])), flush=True)
