"""Draw the app's icons as alpha masks: `python scripts/make_icons.py` writes
smartspec_tk/ui/theme/icons/<name>.png (16 px) and <name>@2x.png (32 px).

Each icon is a few shapes on a 16-unit grid (strokes, rings, discs, polygons),
rasterised with 8×8 supersampling. The app tints the masks with the theme's
colours at run time (core/icons.py), so one file serves dark and light.
Run it again after changing a shape and commit the PNGs.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from smartspec_tk.core.icons import encode_png  # noqa: E402

OUT = ROOT / "smartspec_tk" / "ui" / "theme" / "icons"
Shape = Callable[[float, float], bool]  # (x, y) on the 16-unit grid → inside?
W = 1.5  # stroke width


def stroke(*points: tuple[float, float], width: float = W) -> Shape:
    """A polyline with round caps and joins."""
    segments = list(zip(points, points[1:], strict=False))

    def inside(x: float, y: float) -> bool:
        return any(_segment_distance(x, y, a, b) <= width / 2 for a, b in segments)

    return inside


def _segment_distance(x: float, y: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / length))
    return math.hypot(x - (ax + t * dx), y - (ay + t * dy))


def ring(cx: float, cy: float, r: float, width: float = W, start: float = 0, end: float = 360) -> Shape:
    """A circle's outline, or an arc of it (degrees, clockwise from 3 o'clock, y down)."""

    def inside(x: float, y: float) -> bool:
        if abs(math.hypot(x - cx, y - cy) - r) > width / 2:
            return False
        angle = math.degrees(math.atan2(y - cy, x - cx)) % 360
        return start <= angle <= end if start <= end else angle >= start or angle <= end

    return inside


def disc(cx: float, cy: float, r: float) -> Shape:
    return lambda x, y: math.hypot(x - cx, y - cy) <= r


def box(x0: float, y0: float, x1: float, y1: float, radius: float = 1.5, width: float | None = W) -> Shape:
    """A rounded rectangle: its outline (`width`), or filled when width is None."""

    def distance(x: float, y: float) -> float:
        qx = abs(x - (x0 + x1) / 2) - ((x1 - x0) / 2 - radius)
        qy = abs(y - (y0 + y1) / 2) - ((y1 - y0) / 2 - radius)
        outside = math.hypot(max(qx, 0), max(qy, 0))
        return outside + min(max(qx, qy), 0) - radius

    if width is None:
        return lambda x, y: distance(x, y) <= 0
    return lambda x, y: abs(distance(x, y)) <= width / 2


def polygon(*points: tuple[float, float]) -> Shape:
    def inside(x: float, y: float) -> bool:
        hit = False
        for (ax, ay), (bx, by) in zip(points, points[1:] + points[:1], strict=False):
            if (ay > y) != (by > y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
                hit = not hit
        return hit

    return inside


def minus(shape: Shape, hole: Shape) -> Shape:
    return lambda x, y: shape(x, y) and not hole(x, y)


def _bubble() -> list[Shape]:
    return [box(1.75, 2.25, 14.25, 11.25, radius=2.5), stroke((4.5, 11.25), (4.5, 14), (7.5, 11.25))]


def _gear() -> list[Shape]:
    teeth = [
        stroke((8 + 5.2 * math.cos(a), 8 + 5.2 * math.sin(a)), (8 + 6.6 * math.cos(a), 8 + 6.6 * math.sin(a)),
               width=2.2)
        for a in (i * math.pi / 4 for i in range(8))
    ]  # fmt: skip
    return [ring(8, 8, 4.3, width=1.7), *teeth]


ICONS: dict[str, list[Shape]] = {
    "plus": [stroke((8, 3), (8, 13)), stroke((3, 8), (13, 8))],
    "close": [stroke((4.5, 4.5), (11.5, 11.5), width=1.6), stroke((11.5, 4.5), (4.5, 11.5), width=1.6)],
    "chat": _bubble(),
    "new_chat": [*_bubble(), stroke((8, 4.5), (8, 9)), stroke((5.75, 6.75), (10.25, 6.75))],
    "history": [ring(8, 8, 6), stroke((8, 4.5), (8, 8), (10.5, 9.5))],
    "options": [stroke((2.5, 4), (13.5, 4)), stroke((2.5, 8), (13.5, 8)), stroke((2.5, 12), (13.5, 12)),
                disc(5, 4, 2), disc(10.5, 8, 2), disc(6.5, 12, 2)],  # fmt: skip
    "settings": _gear(),
    "send": [polygon((2, 2.5), (14.5, 8), (2, 13.5), (4.5, 8))],
    "stop": [box(3.5, 3.5, 12.5, 12.5, radius=1.5, width=None)],
    "image": [box(1.75, 2.75, 14.25, 13.25), polygon((3, 12.5), (6.5, 7.5), (9.5, 11), (11, 9.5), (13.5, 12.5)),
              disc(11, 6, 1.4)],  # fmt: skip
    "video": [box(1.5, 4, 10.5, 12), polygon((11.5, 8), (15, 5), (15, 11))],
    "search": [ring(6.75, 6.75, 4.5), stroke((10.25, 10.25), (14, 14), width=1.8)],
    "copy": [box(5.25, 5.25, 14.25, 14.25), stroke((10.5, 2.5), (3.5, 2.5), (2.5, 3.5), (2.5, 10.5))],
    "folder": [stroke((1.75, 12.5), (1.75, 3.5), (6, 3.5), (7.5, 5.25), (14.25, 5.25), (14.25, 12.75),
                      (1.75, 12.75))],  # fmt: skip
    "sun": [disc(8, 8, 3)] + [
        stroke((8 + 5 * math.cos(a), 8 + 5 * math.sin(a)), (8 + 6.5 * math.cos(a), 8 + 6.5 * math.sin(a)))
        for a in (i * math.pi / 4 for i in range(8))
    ],
    "moon": [minus(disc(7.5, 8.5, 6), disc(11, 5, 5))],
    "more": [disc(3.25, 8, 1.4), disc(8, 8, 1.4), disc(12.75, 8, 1.4)],
    "terminal": [box(1.5, 2.5, 14.5, 13.5), stroke((4.5, 6), (7, 8), (4.5, 10)), stroke((8.5, 10.5), (11.5, 10.5))],
    "kilo": [polygon((9.5, 1.5), (3.5, 9), (7.5, 9), (6.5, 14.5), (12.5, 7), (8.5, 7))],
    "chat_panel": [box(1.5, 2.5, 14.5, 13.5), stroke((10, 2.5), (10, 13.5)), stroke((11.75, 5.5), (12.75, 5.5)),
                   stroke((11.75, 8), (12.75, 8))],  # fmt: skip
    "chevron_down": [stroke((4, 6), (8, 10), (12, 6))],
    "chevron_right": [stroke((6, 4), (10, 8), (6, 12))],
    "refresh": [ring(8, 8, 5.25, start=300, end=230), polygon((9.5, 0.75), (14, 3.25), (9.5, 5.75))],
    "edit": [stroke((2.75, 13.25), (3.25, 10.25), (10.75, 2.75), (13.25, 5.25), (5.75, 12.75), (2.75, 13.25)),
             stroke((9, 4.5), (11.5, 7))],  # fmt: skip
    "delete": [stroke((2.5, 4.25), (13.5, 4.25)), stroke((6, 4.25), (6.5, 2.25), (9.5, 2.25), (10, 4.25)),
               stroke((4, 4.25), (4.75, 13.75), (11.25, 13.75), (12, 4.25)), stroke((6.75, 7), (6.75, 11)),
               stroke((9.25, 7), (9.25, 11))],  # fmt: skip
    "export": [stroke((2.5, 9.5), (2.5, 13.5), (13.5, 13.5), (13.5, 9.5)), stroke((8, 10.5), (8, 2.5)),
               stroke((4.75, 5.75), (8, 2.5), (11.25, 5.75))],  # fmt: skip
    "chevron_left": [stroke((10, 4), (6, 8), (10, 12))],
    "sidebar": [box(1.5, 2.5, 14.5, 13.5), stroke((6, 2.5), (6, 13.5)), stroke((3.25, 5.5), (4.25, 5.5)),
                stroke((3.25, 8), (4.25, 8))],  # fmt: skip
}


def rasterise(shapes: list[Shape], size: int, samples: int = 8) -> bytes:
    """Grey + alpha pixels (grey is always white; alpha is the shape's coverage)."""
    scale = 16 / size
    out = bytearray()
    for py in range(size):
        for px in range(size):
            hits = 0
            for sy in range(samples):
                for sx in range(samples):
                    x = (px + (sx + 0.5) / samples) * scale
                    y = (py + (sy + 0.5) / samples) * scale
                    hits += any(shape(x, y) for shape in shapes)
            out += bytes((255, round(255 * hits / samples**2)))
    return bytes(out)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, shapes in ICONS.items():
        for size, suffix in ((16, ""), (32, "@2x")):
            (OUT / f"{name}{suffix}.png").write_bytes(encode_png(size, size, rasterise(shapes, size), colour_type=4))
    print(f"{len(ICONS)} icons written to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
