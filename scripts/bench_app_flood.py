"""App-flood benchmark: the real main window under a flood, as a user has it.

    python scripts/bench.py app-flood [--quick] [--size 1600x1000] [--no-wm] [--only-wm]

For each case (without a window manager, then under openbox) a child process runs the app as
`./scripts/run` does (`smartspec_tk.app.main`: tabs, chat pane, status bar, the embedded
reference backend) in its own Xvfb, at the given window size, and floods its first tab with
`seq 1 3000000`, then a 10 MB `cat` of plain and of colour text. Meanwhile:

- a key probe (its own X connection, XTest) types a key into the chat input every 100 ms and
  records when the widget has it and Tk has gone idle after it (the echo is on screen then);
- a frame probe (its own X connection, XGetImage of a strip of the terminal and of the chat
  input, every ~10 ms) records when the pixels really change;
- a 5 ms `after` heartbeat records how long the Tk loop was blocked.

Figures: `longest_freeze_ms` (longest gap during a flood with no change on screen in either
strip while output was arriving and keys were typed), `loop_max_block_ms`, `chat_echo_p99_ms`,
`terminal_fps_min` (fewest screen changes of the terminal strip in any whole second of a
flood), `seq_3m_s`, `cat_10mb_s` (plain) and `cat_10mb_colour_s`, each flood timed from the
moment the tab parses its start marker (an OSC title) to the moment it parses its end marker.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import ctypes.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

MB = 1024 * 1024
KEY_EVERY_S = 0.1


# -- X11 through ctypes (probes on their own connections, off the Tk thread) ----------------------

class _XImage(ctypes.Structure):
    _fields_ = [("width", ctypes.c_int), ("height", ctypes.c_int), ("xoffset", ctypes.c_int),
                ("format", ctypes.c_int), ("data", ctypes.c_void_p), ("byte_order", ctypes.c_int),
                ("bitmap_unit", ctypes.c_int), ("bitmap_bit_order", ctypes.c_int),
                ("bitmap_pad", ctypes.c_int), ("depth", ctypes.c_int), ("bytes_per_line", ctypes.c_int)]


def _x11() -> tuple[Any, Any]:
    x11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
    xtst = ctypes.CDLL(ctypes.util.find_library("Xtst") or "libXtst.so.6")
    x11.XInitThreads()
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XDefaultRootWindow.restype = ctypes.c_ulong
    x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x11.XGetImage.restype = ctypes.POINTER(_XImage)
    x11.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_uint,
                              ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
    x11.XDestroyImage = None  # a macro; free through XFree on data and struct
    x11.XFree.argtypes = [ctypes.c_void_p]
    x11.XKeysymToKeycode.restype = ctypes.c_ubyte
    x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    x11.XFlush.argtypes = [ctypes.c_void_p]
    x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    xtst.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
    return x11, xtst


class FrameProbe(threading.Thread):
    """Grabs strips of the screen and records the times they change."""

    def __init__(self, strips: dict[str, tuple[int, int, int, int]], period_s: float = 0.01) -> None:
        super().__init__(daemon=True, name="frame-probe")
        self.strips = strips
        self.period_s = period_s
        self.changes: dict[str, list[float]] = {name: [] for name in strips}
        self.grabs = 0
        self.stop = threading.Event()

    def run(self) -> None:
        x11, _ = _x11()
        display = x11.XOpenDisplay(None)
        root = x11.XDefaultRootWindow(display)
        last: dict[str, int] = {}
        while not self.stop.is_set():
            for name, (x, y, w, h) in self.strips.items():
                image = x11.XGetImage(display, root, x, y, w, h, 0xFFFFFFFF, 2)  # ZPixmap
                if not image:
                    continue
                img = image.contents
                digest = zlib.crc32(ctypes.string_at(img.data, img.bytes_per_line * img.height))
                x11.XFree(img.data)
                x11.XFree(image)
                now = time.perf_counter()
                if last.get(name) != digest:
                    if name in last:
                        self.changes[name].append(now)
                    last[name] = digest
            self.grabs += 1
            time.sleep(self.period_s)


class KeyProbe(threading.Thread):
    """Types 'a' through XTest every KEY_EVERY_S and records the send times."""

    def __init__(self) -> None:
        super().__init__(daemon=True, name="key-probe")
        self.sent: list[float] = []
        self.stop = threading.Event()
        self.running = threading.Event()

    def run(self) -> None:
        x11, xtst = _x11()
        display = x11.XOpenDisplay(None)
        code = x11.XKeysymToKeycode(display, 0x61)  # XK_a
        while not self.stop.is_set():
            if self.running.is_set():
                self.sent.append(time.perf_counter())
                xtst.XTestFakeKeyEvent(display, code, 1, 0)
                xtst.XTestFakeKeyEvent(display, code, 0, 0)
                x11.XFlush(display)
            time.sleep(KEY_EVERY_S)


# -- the child: the real app with probes ------------------------------------------------------------

def _child(args: argparse.Namespace) -> int:
    import tkinter as tk

    from bench_terminal import make_file

    from smartspec_tk import app, testhooks

    tmp = Path(tempfile.mkdtemp(prefix="appflood-"))
    plain = make_file(tmp / "plain.txt", "plain", args.mb * MB)
    colour = make_file(tmp / "colour.txt", "colour", args.mb * MB, seed=7)
    width, height = (int(v) for v in args.size.split("x"))
    result: dict[str, Any] = {"size": args.size}
    captured: dict[str, Any] = {}
    original_install = testhooks.install

    def install(root: tk.Misc, features: Any, quit_app: Any) -> None:
        captured["root"], captured["features"] = root, features
        original_install(root, features, quit_app)
        root.after(200, lambda: _drive(root, features))

    beats: list[float] = []
    echoes: list[float] = []
    marks: list[tuple[str, float]] = []
    keys = KeyProbe()
    frames: FrameProbe | None = None

    def _drive(root: Any, features: Any) -> None:
        root.geometry(f"{width}x{height}+0+0")
        root.update()

        def beat() -> None:
            beats.append(time.perf_counter())
            root.after(5, beat)

        beat()
        terminals = features.terminals
        view = terminals.notebook.current_view() if hasattr(terminals, "notebook") else terminals.current_view()
        chat_text = features.chat.prompt_text

        def when_ready() -> None:
            nonlocal frames
            session = view.session
            if session is None or not session.line_text(0).strip():
                root.after(100, when_ready)
                return
            chat_text.focus_force()
            chat_text.bind("<KeyPress>", lambda _e: root.after_idle(lambda: echoes.append(time.perf_counter())),
                           add="+")
            screen = session.screen
            original = screen.set_title

            def set_title(param: str) -> None:
                if param.startswith("FLOOD"):
                    marks.append((param, time.perf_counter()))
                original(param)

            screen.set_title = set_title  # type: ignore[method-assign]
            tw = view.text
            tx, ty, tw_w, tw_h = tw.winfo_rootx(), tw.winfo_rooty(), tw.winfo_width(), tw.winfo_height()
            cx, cy, cw, ch = (chat_text.winfo_rootx(), chat_text.winfo_rooty(), chat_text.winfo_width(),
                              chat_text.winfo_height())
            result["terminal_grid"] = f"{view.cols}x{view.rows}"
            frames = FrameProbe({"terminal": (tx + 2, ty + 2, min(240, tw_w - 4), tw_h - 4),
                                 "chat": (cx + 2, cy + 2, min(400, cw - 4), ch - 4)})
            frames.start()
            keys.start()
            script = (f"clear; printf '\\033]2;FLOOD_seq\\007'; seq 1 {args.seq}; printf '\\033]2;FLOOD_end\\007'; "
                      f"cat {plain}; printf '\\033]2;FLOOD_plain\\007'; "
                      f"cat {colour}; printf '\\033]2;FLOOD_colour\\007'\r")
            keys.running.set()
            session.write(script.encode())
            root.after(200, wait_end)

        started = time.perf_counter()

        def wait_end() -> None:
            if any(m == "FLOOD_colour" for m, _ in marks) or time.perf_counter() - started > args.timeout:
                root.after(500, finish)
                return
            root.after(100, wait_end)

        def finish() -> None:
            keys.running.clear()
            keys.stop.set()
            if frames is not None:
                frames.stop.set()
            root.after(300, features_quit)

        def features_quit() -> None:
            captured["done"] = True
            root.quit()

        root.after(300, when_ready)

    testhooks.install = install  # type: ignore[assignment]
    home = tmp / "home"
    os.environ["SMARTSPEC_HOME"] = str(home)
    with contextlib.suppress(SystemExit):
        app.main([])
    _summarise(result, beats, echoes, marks, keys, frames)
    shutil.rmtree(tmp, ignore_errors=True)
    print("RESULT " + json.dumps(result), flush=True)
    return 0


def _p(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _summarise(result: dict[str, Any], beats: list[float], echoes: list[float], marks: list[tuple[str, float]],
               keys: KeyProbe, frames: FrameProbe | None) -> None:
    at = dict(marks)
    names = ["FLOOD_seq", "FLOOD_end", "FLOOD_plain", "FLOOD_colour"]
    if all(n in at for n in names):
        result["seq_3m_s"] = round(at["FLOOD_end"] - at["FLOOD_seq"], 2)
        result["cat_10mb_s"] = round(at["FLOOD_plain"] - at["FLOOD_end"], 2)
        result["cat_10mb_colour_s"] = round(at["FLOOD_colour"] - at["FLOOD_plain"], 2)
    else:
        result["error"] = f"flood did not finish; markers seen: {sorted(at)}"
    start, end = at.get("FLOOD_seq", 0.0), at.get("FLOOD_colour", float("inf"))
    inside = [b for b in beats if start <= b <= end]
    gaps = [b - a for a, b in zip(inside, inside[1:], strict=False)]
    result["loop_max_block_ms"] = round(max(gaps, default=0) * 1000, 1)
    result["loop_block_p99_ms"] = round(_p(gaps, 0.99) * 1000, 1)
    # echo: each sent key matched to the first echo after it
    lat: list[float] = []
    j = 0
    for sent in keys.sent:
        while j < len(echoes) and echoes[j] < sent:
            j += 1
        if j < len(echoes):
            lat.append(echoes[j] - sent)
            j += 1
    flood_lat = [v for v, s in zip(lat, keys.sent, strict=False) if start <= s <= end]
    result["keys_sent"], result["keys_echoed"] = len(keys.sent), len(echoes)
    result["chat_echo_p50_ms"] = round(_p(flood_lat, 0.5) * 1000, 1)
    result["chat_echo_p99_ms"] = round(_p(flood_lat, 0.99) * 1000, 1)
    result["chat_echo_max_ms"] = round(max(flood_lat, default=float("nan")) * 1000, 1)
    if frames is not None:
        term = [t for t in frames.changes["terminal"] if start <= t <= end]
        chat = [t for t in frames.changes["chat"] if start <= t <= end]
        both = sorted([start, *term, *chat, min(end, time.perf_counter())])
        result["longest_freeze_ms"] = round(max((b - a for a, b in zip(both, both[1:], strict=False)),
                                                default=0) * 1000, 1)
        per_second: list[int] = []
        for name, lo, hi in (("seq", "FLOOD_seq", "FLOOD_end"), ("plain", "FLOOD_end", "FLOOD_plain"),
                             ("colour", "FLOOD_plain", "FLOOD_colour")):
            if lo in at and hi in at:
                a, b = at[lo], at[hi]
                counts = [sum(1 for t in term if a + i <= t < a + i + 1) for i in range(int(b - a))]
                result[f"terminal_fps_{name}_median"] = statistics.median(counts) if counts else None
                per_second += counts
        result["terminal_fps_min"] = min(per_second) if per_second else None
        result["frame_grabs_per_s"] = round(frames.grabs / max(end - start, 1e-6), 1) if end != float("inf") \
            else None


# -- the parent: displays, window manager, cases ----------------------------------------------------

def _free_display() -> int:
    for number in range(90, 160):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number in 90..159")


def _ensure_openbox() -> str | None:
    if shutil.which("openbox"):
        return None
    if shutil.which("apt-get") is None:
        return "openbox is missing and there is no apt-get to install it"
    proc = subprocess.run(["apt-get", "install", "-y", "-q", "openbox"], capture_output=True, text=True,
                          env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}, check=False)
    if proc.returncode != 0 or not shutil.which("openbox"):
        return f"apt-get install openbox failed: {proc.stderr.strip()[-300:]}"
    return None


def _case(args: argparse.Namespace, wm: bool) -> dict[str, Any]:
    number = _free_display()
    display = f":{number}"
    width, height = (int(v) for v in args.size.split("x"))
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{max(width, 1920)}x{max(height, 1080)}x24",
                             "-nolisten", "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs = [xvfb]
    try:
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                break
            time.sleep(0.05)
        env = {**os.environ, "DISPLAY": display}
        if wm:
            procs.append(subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL))
            time.sleep(1.0)
        cmd = [sys.executable, __file__, "--child", "--size", args.size, "--mb", str(args.mb),
               "--seq", str(args.seq), "--timeout", str(args.timeout)]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=args.timeout + 120,
                              check=False)
        for line in proc.stdout.splitlines():
            if line.startswith("RESULT "):
                result: dict[str, Any] = json.loads(line[7:])
                return result
        return {"error": f"child exited {proc.returncode}: {proc.stderr.strip()[-800:]}"}
    finally:
        for p in reversed(procs):
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def main() -> dict[str, Any]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--quick", action="store_true", help="300k lines and 2 MB files")
    parser.add_argument("--size", default="1600x1000")
    parser.add_argument("--mb", type=int, default=10)
    parser.add_argument("--seq", type=int, default=3_000_000)
    parser.add_argument("--timeout", type=float, default=240)
    parser.add_argument("--no-wm", action="store_true", help="skip the openbox case")
    parser.add_argument("--only-wm", action="store_true", help="skip the case without a window manager")
    args = parser.parse_args()
    if args.quick:
        args.mb, args.seq = 2, 300_000
    if args.child:
        sys.exit(_child(args))
    out: dict[str, Any] = {"size": args.size, "seq_lines": args.seq, "cat_mb": args.mb,
                           "machine": f"{os.cpu_count()} cores", "load_before": _load()}
    if not args.only_wm:
        out["no_wm"] = _case(args, wm=False)
    if not args.no_wm:
        problem = _ensure_openbox()
        out["openbox"] = {"skipped": problem} if problem else _case(args, wm=True)
    out["load_after"] = _load()
    cases = [c for c in (out.get("no_wm"), out.get("openbox")) if c and "longest_freeze_ms" in c]
    for key in ("longest_freeze_ms", "chat_echo_p99_ms", "seq_3m_s", "cat_10mb_s"):
        values = [c[key] for c in cases if isinstance(c.get(key), (int, float))]
        if values:
            out[key] = max(values)
    fps = [c["terminal_fps_min"] for c in cases if isinstance(c.get("terminal_fps_min"), (int, float))]
    if fps:
        out["terminal_fps_min"] = min(fps)
    out["goals"] = {"longest_freeze_ms": 100, "chat_echo_p99_ms": 50, "terminal_fps_min": 30}
    return out


if __name__ == "__main__":
    print(json.dumps(main()))
