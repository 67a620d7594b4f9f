"""Terminal benchmark: `cat` of 10 MB (plain, colour) into a real Tk window vs xterm, event-loop
lateness and frame rate during the flood, and RSS of 20 filled 200x60 tabs. Prints ONE JSON object.

    python scripts/bench_terminal.py [--quick] [--renderer view|simple]   (needs a DISPLAY)

Each measurement runs in its own child process (`--case ...`). `view` is the product's
TerminalView (ui/terminal/view.py); `simple` is a minimal screen-only Text renderer kept in
this file (parse while output is pending, draw dirty rows at most every 16 ms) that shows what
the core alone can do. The 10 MB files are generated deterministically (seeded).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tkinter as tk
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from smartspec_tk.core.terminal import TerminalSession, start_session  # noqa: E402

MB = 1024 * 1024
FRAME_S = 1 / 60


def make_file(path: Path, kind: str, size: int, seed: int = 42, min_lines: int = 0) -> Path:
    """Deterministic text of `size` bytes (and at least `min_lines` lines): plain words, or
    `ls --color`-like lines (2-6 coloured names a line)."""
    rnd = random.Random(seed)
    words = ["".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(2, 10)))
             for _ in range(2000)]
    lines: list[str] = []
    total = 0
    while total < size or len(lines) < min_lines:
        if kind == "plain":
            line = " ".join(rnd.choice(words) for _ in range(rnd.randint(3, 14)))
        elif kind == "full":  # the worst case for scrollback memory: 200 visible columns, 5 colours
            line = "".join(f"\x1b[3{i + 1}m" + "".join(rnd.choice(words) + " " for _ in range(12))[:40]
                           for i in range(5)) + "\x1b[0m"
        else:
            line = "  ".join(f"\x1b[01;3{rnd.randint(1, 6)}m{rnd.choice(words)}.{rnd.choice(['py', 'md', 'c'])}"
                             f"\x1b[0m" for _ in range(rnd.randint(2, 6)))
        lines.append(line)
        total += len(line) + 1
    path.write_text("\n".join(lines) + "\nLAST-LINE-MARKER\n")
    return path


class SimpleRenderer:
    """Screen rows only (the core keeps the scrollback): one tag per Style, dirty rows redrawn."""

    def __init__(self, root: tk.Misc, cols: int, rows: int) -> None:
        self.text = tk.Text(root, width=cols, height=rows, wrap="none", font=("DejaVu Sans Mono", 10),
                            background="#1e1e1e", foreground="#d4d4d4")
        self.text.insert("1.0", "\n" * (rows - 1))
        self.tags: dict[Any, str] = {}

    def tag(self, style: Any) -> str:
        name = self.tags.get(style)
        if name is None:
            name = self.tags[style] = f"t{len(self.tags)}"
            fg, bg = (style.bg or "#1e1e1e", style.fg or "#d4d4d4") if style.reverse else (
                style.fg or "#d4d4d4", style.bg)
            self.text.tag_configure(name, foreground=fg, **({"background": bg} if bg else {}))
        return name

    def draw(self, session: TerminalSession) -> bool:
        dirty = session.take_dirty()
        for y in sorted(dirty):
            args: list[str] = []
            for text, style in session.line_runs(y):
                args += [text, self.tag(style)]
            self.text.delete(f"{y + 1}.0", f"{y + 1}.end")
            if args:
                self.text.insert(f"{y + 1}.0", *args)
        return bool(dirty)


class Probe:
    """5 ms heartbeat (lateness) and frame counting while a flood runs."""

    def __init__(self, root: tk.Tk) -> None:
        self.root = root
        self.late: list[float] = []
        self.frames = 0
        self.running = True
        self._due = time.perf_counter() + 0.005
        root.after(5, self._beat)

    def _beat(self) -> None:
        now = time.perf_counter()
        self.late.append(max(0.0, now - self._due) * 1000)
        self._due = now + 0.005
        if self.running:
            self.root.after(5, self._beat)

    def p99(self) -> float:
        data = sorted(self.late) or [0.0]
        return round(data[min(len(data) - 1, int(len(data) * 0.99))], 1)


def count_frames(session: TerminalSession, probe: Probe) -> TerminalSession:
    take = session.take_dirty

    def counted() -> set[int]:
        dirty = take()
        probe.frames += bool(dirty)
        return dirty

    session.take_dirty = counted  # type: ignore[method-assign]
    return session


def run_simple(root: tk.Tk, file: Path, cols: int, rows: int, probe: Probe) -> tuple[TerminalSession, Any]:
    session = count_frames(start_session(file.parent, cols, rows, argv=["cat", str(file)]), probe)
    view = SimpleRenderer(root, cols, rows)
    view.text.pack()
    state = {"drawn": 0.0}

    def tick() -> None:
        more = session.process(0.005)
        now = time.perf_counter()
        if now - state["drawn"] >= FRAME_S or not more:
            view.draw(session)
            state["drawn"] = now
        if not session.exited:
            root.after(1 if more else 5, tick)

    root.after(0, tick)
    return session, view


def run_view(root: tk.Tk, file: Path, cols: int, rows: int, probe: Probe, scrollback: int) -> tuple[Any, Any]:
    from smartspec_tk.ui.terminal.view import TerminalView

    holder: dict[str, TerminalSession] = {}

    def factory(_c: int, _r: int) -> TerminalSession:
        session = start_session(file.parent, cols, rows, argv=["cat", str(file)], scrollback=scrollback)
        holder["s"] = count_frames(session, probe)
        return session

    view = TerminalView(root, factory, scrollback=scrollback)
    view.text.configure(width=cols, height=rows)
    view.pack(fill="both", expand=True)
    root.update()
    _fit_window(view, cols, rows)
    view.start()
    return holder["s"], view


def _fit_window(view: Any, cols: int, rows: int) -> None:
    """Size the toplevel so the view's grid is cols x rows (the view sizes the pty from the space
    it is given, not from the Text's requested width/height)."""
    if not view.winfo_viewable():
        return  # a hidden notebook tab: its session keeps the size the factory gave it
    top = view.winfo_toplevel()
    cell_w, cell_h = view.cell_size()
    for _ in range(6):
        top.update()
        view.apply_size()
        have_cols, have_rows = view.grid_size()
        if (have_cols, have_rows) == (cols, rows):
            view.apply_size()
            return
        width = top.winfo_width() + (cols - have_cols) * cell_w
        height = top.winfo_height() + (rows - have_rows) * cell_h
        top.geometry(f"{width}x{height}")


def case_cat(file: Path, renderer: str) -> dict[str, Any]:
    root = tk.Tk()
    root.update()
    probe = Probe(root)
    started = time.perf_counter()
    if renderer == "view":
        session, view = run_view(root, file, 80, 24, probe, 10_000)
    else:
        session, view = run_simple(root, file, 80, 24, probe)
    widget = view.text

    def done() -> bool:
        # The clock stops when the file's last line is drawn in the widget, not when cat exits.
        return "LAST-LINE-MARKER" in widget.get("end-30l", "end")

    while not done():
        root.update()
        if time.perf_counter() - started > 300:
            raise RuntimeError("cat did not finish in 300 s")
    root.update_idletasks()
    seconds = time.perf_counter() - started
    probe.running = False
    on_screen = "LAST-LINE-MARKER" in widget.get("1.0", "end")
    root.destroy()
    return {"seconds": round(seconds, 2), "loop_block_p99_ms": probe.p99(),
            "fps": round(probe.frames / seconds, 1), "last_line_on_screen": on_screen}


def case_xterm(file: Path) -> dict[str, Any]:
    base = ["xterm", "-geometry", "80x24", "-sl", "10000", "-e"]
    startup = []
    for _ in range(2):
        began = time.perf_counter()
        subprocess.run([*base, "true"], check=True, timeout=60)
        startup.append(time.perf_counter() - began)
    began = time.perf_counter()
    subprocess.run([*base, "cat", str(file)], check=True, timeout=600)
    total = time.perf_counter() - began
    return {"seconds": round(total - min(startup), 2), "raw_seconds": round(total, 2),
            "startup_s": round(min(startup), 2)}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def case_rss(file: Path, renderer: str, tabs: int = 20) -> dict[str, Any]:
    from tkinter import ttk

    root = tk.Tk()
    notebook = ttk.Notebook(root)
    notebook.pack(fill="both", expand=True)
    root.update()
    base = rss_mb()
    probe = Probe(root)
    probe.running = False
    views = []
    for _ in range(tabs):
        frame = ttk.Frame(notebook)
        notebook.add(frame)
        if renderer == "view":
            views.append(run_view(frame, file, 200, 60, probe, 10_000))
        else:
            views.append(run_simple(frame, file, 200, 60, probe))  # type: ignore[arg-type]
    deadline = time.perf_counter() + 600
    while not all(s.exited for s, _ in views) and time.perf_counter() < deadline:
        root.update()
        time.sleep(0.002)
    for _ in range(20):
        root.update()
    gc.collect()
    histories = [s.history_len() for s, _ in views]
    return {"rss_mb": round(rss_mb(), 1), "tk_base_mb": round(base, 1), "history_lines": min(histories)}


def child(args: list[str], runs: int = 1) -> dict[str, Any]:
    """Run a case in fresh processes `runs` times; numbers are the medians (the host is shared)."""
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, timeout=1200)
        if out.returncode != 0:
            raise RuntimeError(f"case {args} failed: {out.stderr[-2000:]}")
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    merged = dict(results[0])
    for key, value in merged.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            merged[key] = round(statistics.median(r[key] for r in results), 2)
        elif isinstance(value, bool):
            merged[key] = all(r[key] for r in results)
    merged["runs"] = runs
    return merged


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1 MB files, 5 tabs (smoke run)")
    parser.add_argument("--renderer", choices=["view", "simple"], default="view")
    parser.add_argument("--runs", type=int, default=3, help="repeat each cat case, report medians")
    opts = parser.parse_args(argv)
    if not os.environ.get("DISPLAY"):
        raise RuntimeError("bench_terminal needs a DISPLAY (e.g. Xvfb :N & DISPLAY=:N)")
    size = MB if opts.quick else 10 * MB
    with tempfile.TemporaryDirectory(prefix="bench-term-") as tmp:
        plain = make_file(Path(tmp) / "plain.txt", "plain", size)
        color = make_file(Path(tmp) / "color.txt", "color", size)
        rss_file = make_file(Path(tmp) / "rss.txt", "color", 0, seed=7, min_lines=10_100)
        cases = (("plain", plain), ("color", color))
        ours = {k: child(["--case", "cat", str(f), opts.renderer], opts.runs) for k, f in cases}
        xterm = {k: child(["--case", "xterm", str(f)], opts.runs) for k, f in cases}
        full_file = make_file(Path(tmp) / "full.txt", "full", 0, seed=9, min_lines=10_100)
        tabs = "5" if opts.quick else "20"
        rss = child(["--case", "rss", str(rss_file), opts.renderer, tabs])
        rss_full = child(["--case", "rss", str(full_file), opts.renderer, tabs])
    return {
        "renderer": opts.renderer, "file_mb": size // MB,
        "cat_plain_10mb_s": ours["plain"]["seconds"], "cat_color_10mb_s": ours["color"]["seconds"],
        "xterm_cat_plain_10mb_s": xterm["plain"]["seconds"], "xterm_cat_color_10mb_s": xterm["color"]["seconds"],
        "loop_block_p99_ms": max(ours["plain"]["loop_block_p99_ms"], ours["color"]["loop_block_p99_ms"]),
        "fps_during_flood": min(ours["plain"]["fps"], ours["color"]["fps"]),
        "rss_20_tabs_mb": rss["rss_mb"], "rss_20_tabs_fullwidth_mb": rss_full["rss_mb"],
        "details": {"ours": ours, "xterm": xterm, "rss": rss, "rss_fullwidth": rss_full},
    }


def run_case(args: list[str]) -> dict[str, Any]:
    kind, file = args[0], Path(args[1])
    if kind == "cat":
        return case_cat(file, args[2])
    if kind == "xterm":
        return case_xterm(file)
    return case_rss(file, args[2], int(args[3]))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--case":
        print(json.dumps(run_case(sys.argv[2:])))
    else:
        print(json.dumps(main(sys.argv[1:])))
