"""Sample media files for the media tests: real PNG/GIF images, and videos with real magic bytes."""

from __future__ import annotations

import hashlib
import os
import struct
import zlib
from pathlib import Path


def png_bytes(width: int = 64, height: int = 48, rgb: tuple[int, int, int] = (30, 120, 200)) -> bytes:
    """A real, decodable PNG of one colour with a diagonal stripe."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            row += bytes((255, 200, 0) if abs(x - y) < 3 else rgb)
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def write_png(path: Path, width: int = 64, height: int = 48) -> Path:
    path.write_bytes(png_bytes(width, height))
    return path


def write_video(path: Path, size: int, kind: str = "mp4") -> Path:
    """A file of `size` bytes that starts like an mp4/mov (`ftyp`) or webm (EBML), random after that."""
    heads = {"mp4": b"\x00\x00\x00\x18ftypisom", "mov": b"\x00\x00\x00\x14ftypqt  ", "webm": b"\x1a\x45\xdf\xa3"}
    head = heads[kind]
    with open(path, "wb") as handle:
        handle.write(head)
        left = size - len(head)
        while left > 0:
            block = os.urandom(min(left, 1 << 20))
            handle.write(block)
            left -= len(block)
    return path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
