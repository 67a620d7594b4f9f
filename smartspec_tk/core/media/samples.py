"""The sample files of the `--self-test` upload check: a PNG and an MP4, and their SHA-256.

Both hold CR LF and Ctrl-Z bytes, which a text-mode read (Windows without `O_BINARY`)
would change or cut, so a backend that confirms their exact SHA-256 received them intact.
Tests read the same bytes to find them in the backend's store.
"""

from __future__ import annotations

import base64
import hashlib
import struct

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4f4IBiBggFAA1zgcdmk6h0gAAAABJRU5ErkJggg=="
)


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


# An ISO media file: `ftyp` (brand mp42), then an `mdat` whose payload holds the bytes text mode breaks.
MP4 = _box(b"ftyp", b"mp42\x00\x00\x00\x00mp42isom") + _box(b"mdat", b"smartspec\r\n\x1a\r\n" + bytes(range(256)))

# name -> (bytes, the content part's type when uploaded with file_part_mode "file_url")
SAMPLES: dict[str, tuple[bytes, str]] = {"self-test.png": (PNG, "image_url"), "self-test.mp4": (MP4, "file_url")}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
