#!/usr/bin/env python3
"""Upload benchmark: our streamed PUT vs curl, same file, same SeaweedFS store, fresh presigned URLs.

Prints JSON: upload_mb_s (ours), curl_upload_mb_s, ratio, upload_rss_growth_mb (peak RSS
during our upload minus RSS just before). Goals: ratio >= 0.9, RSS growth <= 10 MB.
Usage: .venv/bin/python scripts/bench_upload.py [--mb 200] [--runs 2]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from smartspec_tk.core.media.replies import Presigned  # noqa: E402
from smartspec_tk.core.media.upload import put_file  # noqa: E402
from smartspec_tk.core.media.validation import CheckedFile, check_file  # noqa: E402
from smartspec_tk.core.net import make_client  # noqa: E402

MB = 1024 * 1024


def rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096


class PeakRss:
    """Samples this process's RSS every few milliseconds while active."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakRss:
        self.peak = rss_bytes()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss_bytes())


def write_file(path: Path, size: int) -> None:
    block = (b"\x00\x00\x00\x18ftypisom" + bytes(range(256)) * 4096)[:MB]
    with open(path, "wb") as handle:
        for _ in range(size // MB):
            handle.write(block)


def start_store(work: Path) -> tuple[Any, Callable[[], None]]:
    from tests.servers.seaweedfs import start_seaweedfs

    store = start_seaweedfs(work)
    return store, store.stop


def presign(store: Any, key: str, checked: CheckedFile) -> str:
    params = {"Bucket": store.bucket, "Key": key, "ContentType": checked.content_type,
              "ContentLength": checked.size}
    return str(store.client().generate_presigned_url("put_object", Params=params, ExpiresIn=600))


def time_ours(store: Any, checked: CheckedFile, key: str) -> tuple[float, float]:
    """(seconds, RSS growth in bytes) of one upload through `put_file`."""
    url = presign(store, key, checked)
    with make_client() as http, PeakRss() as rss:
        base = rss.peak
        started = time.perf_counter()
        put_file(http, checked, Presigned(url, key, 600))
        elapsed = time.perf_counter() - started
    return elapsed, rss.peak - base


def time_curl(store: Any, checked: CheckedFile, key: str) -> float:
    url = presign(store, key, checked)
    argv = ["curl", "-sS", "--fail", "-o", "/dev/null", "-X", "PUT", "-T", str(checked.path),
            "-H", f"Content-Type: {checked.content_type}", "-H", "Expect:", url]
    started = time.perf_counter()
    subprocess.run(argv, check=True)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = _parse(argv)
    if shutil.which("curl") is None:
        raise SystemExit("curl is not installed")
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as tmp:
        work = Path(tmp)
        store, stop = start_store(work / "store")
        try:
            return _measure(store, work, args.mb, args.runs)
        finally:
            stop()


def _measure(store: Any, work: Path, megabytes: int, runs: int) -> dict[str, Any]:
    path = work / "bench.mp4"
    write_file(path, megabytes * MB)
    checked = check_file(path, max_bytes=path.stat().st_size, allowed_types=("video/mp4",))
    time_ours(store, checked, "warmup")  # imports, connection set-up, page cache
    ours: list[float] = []
    curls: list[float] = []
    growth: list[float] = []
    for run in range(runs):
        curls.append(time_curl(store, checked, f"curl-{run}"))
        seconds, grown = time_ours(store, checked, f"ours-{run}")
        ours.append(seconds)
        growth.append(grown)
    mb = checked.size / MB
    result = {
        "file_mb": round(mb, 1),
        "runs": runs,
        "upload_mb_s": round(mb / min(ours), 1),
        "curl_upload_mb_s": round(mb / min(curls), 1),
        "upload_rss_growth_mb": round(max(growth) / MB, 2),
    }
    result["ratio"] = round(result["upload_mb_s"] / result["curl_upload_mb_s"], 3)
    return result


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="file size in MiB (default 200)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each (best is reported)")
    return parser.parse_args(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
