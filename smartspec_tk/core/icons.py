"""PNG in and out for our icons, without any imaging library: each icon is shipped as an
alpha mask (grey + alpha, 8 bit) and tinted at run time with a theme colour.

`scripts/make_icons.py` draws the masks with `encode_png`; `ui/theme/icons.py` reads
them with `decode_png` and makes the Tk image with `tint`.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # colour type → samples per pixel (palettes are not used)


@dataclass(frozen=True, slots=True)
class Mask:
    width: int
    height: int
    alpha: bytes  # one byte per pixel, row by row


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_png(width: int, height: int, pixels: bytes, colour_type: int = 6) -> bytes:
    """A PNG of 8-bit samples (`colour_type` 6 = RGBA, 4 = grey + alpha), rows unfiltered."""
    stride = width * _CHANNELS[colour_type]
    if len(pixels) != stride * height:
        raise ValueError(f"expected {stride * height} bytes of pixels, got {len(pixels)}")
    raw = b"".join(b"\x00" + pixels[y * stride : (y + 1) * stride] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(b"IEND", b"")


def decode_png(data: bytes) -> tuple[int, int, int, bytes]:
    """(width, height, samples per pixel, pixels) of an 8-bit, non-interlaced PNG."""
    if not data.startswith(SIGNATURE):
        raise ValueError("not a PNG file")
    pos, header, idat = len(SIGNATURE), b"", b""
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
    width, height, depth, colour_type, _c, _f, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or interlace or colour_type not in _CHANNELS:
        raise ValueError("only 8-bit, non-interlaced grey/RGB(A) PNGs are supported")
    channels = _CHANNELS[colour_type]
    return width, height, channels, _unfilter(zlib.decompress(idat), width * channels, height, channels)


def _unfilter(raw: bytes, stride: int, height: int, bpp: int) -> bytes:
    out = bytearray()
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = previous[i]
            corner = previous[i - bpp] if i >= bpp else 0
            line[i] = (line[i] + _predict(kind, left, up, corner)) & 0xFF
        out += line
        previous = line
    return bytes(out)


def _predict(kind: int, left: int, up: int, corner: int) -> int:
    if kind == 0:
        return 0
    if kind == 1:
        return left
    if kind == 2:
        return up
    if kind == 3:
        return (left + up) // 2
    estimate = left + up - corner  # Paeth
    pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
    return left if pa <= pb and pa <= pc else up if pb <= pc else corner


def read_mask(data: bytes) -> Mask:
    """The alpha channel of a PNG (grey + alpha or RGBA); an opaque PNG's grey level is the alpha."""
    width, height, channels, pixels = decode_png(data)
    alpha = pixels[channels - 1 :: channels] if channels in (2, 4) else pixels[::channels]
    return Mask(width, height, bytes(alpha))


def hex_rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"expected a #rrggbb colour, got {colour!r}")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def tint(mask: Mask, colour: str) -> bytes:
    """An RGBA PNG of the mask's shape filled with `colour` ('#rrggbb')."""
    r, g, b = hex_rgb(colour)
    pixels = bytearray(len(mask.alpha) * 4)
    pixels[0::4] = bytes([r]) * len(mask.alpha)
    pixels[1::4] = bytes([g]) * len(mask.alpha)
    pixels[2::4] = bytes([b]) * len(mask.alpha)
    pixels[3::4] = mask.alpha
    return encode_png(mask.width, mask.height, bytes(pixels))
