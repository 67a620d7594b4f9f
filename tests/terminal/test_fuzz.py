"""Fuzz: 5 MB of random bytes and random escape sequences through a whole session must raise
nothing and keep every process() call bounded: one call asked for 5 ms may not do unbounded work
(a second of CPU is the guard, far above the 60-90 ms worst seen, so a loaded host or a garbage
collection cannot trip it while a quadratic path still does; CPU time, because wall time includes
being descheduled)."""

from __future__ import annotations

import random
import time

from smartspec_tk.core.terminal import TerminalSession

from .fakes import FakeBackend

FINALS = "@ABCDEFGHIJKLMPSTXZ`abcdefghilmnpqrstux"
MODES = [1, 3, 4, 5, 6, 7, 12, 20, 25, 47, 1000, 1002, 1003, 1006, 1047, 1048, 1049, 2004]


def _sequence(rnd: random.Random) -> bytes:
    kind = rnd.randrange(10)
    if kind == 0:
        return bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 64)))
    if kind == 1:
        params = ";".join(str(rnd.choice([0, 1, 2, 5, 38, 48, 99, 9999, 123456])) for _ in range(rnd.randint(0, 6)))
        return f"\x1b[{rnd.choice(['', '?', '>', '!'])}{params}{rnd.choice(FINALS)}".encode()
    if kind == 2:
        return f"\x1b[?{rnd.choice(MODES)}{rnd.choice('hl')}".encode()
    if kind == 3:
        body = "".join(chr(rnd.randrange(1, 0x3000)) for _ in range(rnd.randint(0, 40)))
        end = rnd.choice(["\x07", "\x1b\\", ""])
        return f"\x1b]{rnd.choice(['0', '2', '52', '8', '1337'])};{body}{end}".encode("utf-8", "replace")
    if kind == 4:
        return b"\x1b" + bytes([rnd.randrange(32, 127)])
    if kind == 5:
        return "".join(rnd.choice("漢字😀éa\u0301 ") for _ in range(rnd.randint(1, 30))).encode()
    if kind == 6:
        return b"\r\n" * rnd.randint(1, 50)
    if kind == 7:
        return f"\x1b[{rnd.randint(0, 99)};{rnd.randint(0, 300)}H".encode()
    return "".join(rnd.choice("abcdefghij \t\x08") for _ in range(rnd.randint(1, 200))).encode()


def fuzz_data(size: int, seed: int) -> list[bytes]:
    rnd = random.Random(seed)
    chunks, total = [], 0
    while total < size:
        chunk = b"".join(_sequence(rnd) for _ in range(rnd.randint(1, 40)))
        chunks.append(chunk)
        total += len(chunk)
    return chunks


def test_five_megabytes_of_garbage() -> None:
    chunks = fuzz_data(5_000_000, seed=20261124)
    backend = FakeBackend(chunks)
    session = TerminalSession(backend, 80, 24, scrollback=2000)
    rnd = random.Random(1)
    worst = worst_wall = 0.0
    deadline = time.monotonic() + 240
    while not session.exited and time.monotonic() < deadline:
        started, cpu = time.perf_counter(), time.thread_time()
        session.process(0.005)
        worst = max(worst, time.thread_time() - cpu)
        worst_wall = max(worst_wall, time.perf_counter() - started)
        session.take_dirty()
        for y in range(session.rows):
            session.line_runs(y)
        if rnd.random() < 0.01:
            session.resize(rnd.randint(2, 200), rnd.randint(1, 80))
    session.close()
    assert session.exited, "the session did not get through the data"
    print(f"fuzz: worst process() {worst * 1000:.1f} ms CPU, {worst_wall * 1000:.1f} ms wall")
    assert worst < 1.0, f"process() used {worst * 1000:.0f} ms of CPU"
    assert session.cursor[0] < session.cols and session.cursor[1] < session.rows
