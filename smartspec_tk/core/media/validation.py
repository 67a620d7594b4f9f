"""Checks a chosen file before any upload: a readable regular file, within the size cap, of an allowed type.

The type is checked twice: by the file name's extension and by the file's first
bytes (magic numbers), and the two must agree. Symlinks are followed exactly
once, and only when the target stays in the folder of the chosen path (a link
`photo.png -> ../../secret.png` is refused).
"""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from smartspec_tk.core.fileflags import read_flags
from smartspec_tk.core.media.errors import FileRefused

log = logging.getLogger(__name__)

EXTENSION_TYPES: dict[str, str] = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".jpe": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".mov": "video/quicktime",
    ".qt": "video/quicktime",
}
MAIN_EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "image/gif": "gif",
    "video/mp4": "mp4",
    "video/webm": "webm",
    "video/quicktime": "mov",
}
TYPE_LABELS = {
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/webp": "WebP image",
    "image/gif": "GIF image",
    "video/mp4": "MP4 video",
    "video/webm": "WebM video",
    "video/quicktime": "QuickTime video",
}
# ISO base media files (mp4, mov) share the `ftyp` box, so either extension fits either brand.
_ISO_MEDIA = frozenset({"video/mp4", "video/quicktime"})
_QUICKTIME_ATOMS = (b"moov", b"mdat", b"wide", b"free", b"skip")
SNIFF_BYTES = 16


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """A file that passed validation; `device`/`inode` let the uploader detect a swap."""

    path: Path
    name: str
    size: int
    content_type: str
    device: int
    inode: int

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def sniff_type(head: bytes) -> str | None:
    """The media type the first bytes announce, or None when unknown."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "video/webm"
    if head[4:8] == b"ftyp":
        return "video/quicktime" if head[8:12] == b"qt  " else "video/mp4"
    if head[4:8] in _QUICKTIME_ATOMS:
        return "video/quicktime"
    return None


def human_size(size: float) -> str:
    """1536 -> '1.5 KB' (binary units, short labels)."""
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def too_large(name: str, size: int, max_bytes: int) -> str:
    """'x.png is 10,485,761 bytes; the limit is 10 MB (10,485,760 bytes) …': exact when rounding would hide it."""
    mib = 1024 * 1024
    limit = f"{max_bytes // mib} MB" if max_bytes % mib == 0 else human_size(max_bytes)
    shown = human_size(size)
    size_text = f"{size:,} bytes" if shown == human_size(max_bytes) else f"{shown} ({size:,} bytes)"
    return f"{name} is {size_text}; the limit is {limit} ({max_bytes:,} bytes, setting max_upload_mb)."


def check_file(path: str | os.PathLike[str], *, max_bytes: int, allowed_types: tuple[str, ...]) -> CheckedFile:
    """Any thread: validate `path`; raises `FileRefused` with a plain message."""
    chosen = Path(path).expanduser()
    name = chosen.name
    target = _resolve_once(chosen)
    try:
        info = os.stat(target, follow_symlinks=False)
    except FileNotFoundError:
        raise FileRefused(f"{name}: the file does not exist.") from None
    except OSError as exc:
        raise FileRefused(f"{name}: the file cannot be read ({exc.strerror}).") from None
    if stat.S_ISDIR(info.st_mode):
        raise FileRefused(f"{name} is a folder; choose a picture or video file.")
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(f"{name} is not a regular file.")
    if info.st_size == 0:
        raise FileRefused(f"{name} is empty.")
    if info.st_size > max_bytes:
        raise FileRefused(too_large(name, info.st_size, max_bytes))
    content_type = _check_type(name, _read_head(target, name, info), allowed_types)
    return CheckedFile(target, name, info.st_size, content_type, info.st_dev, info.st_ino)


def _resolve_once(chosen: Path) -> Path:
    """The path itself, or the target of a symlink that stays in the chosen folder."""
    if not chosen.is_symlink():
        return chosen.absolute()
    folder = chosen.absolute().parent.resolve()
    hop = folder / os.readlink(chosen)
    if hop.is_symlink():
        raise FileRefused(f"{chosen.name} is a link to another link; choose the file itself.")
    target = hop.resolve()
    if folder not in target.parents:
        raise FileRefused(
            f"{chosen.name} is a link to a file outside its folder; choose the file itself."
        )
    return target


def _read_head(target: Path, name: str, checked: os.stat_result) -> bytes:
    """The first bytes of the file that was checked. Opened without blocking (this may be the Tk
    thread: a FIFO swapped in after the check would block the open forever), then made sure by
    fstat that it is still that regular file (issue 13, finding 6)."""
    try:
        fd = os.open(target, read_flags() | getattr(os, "O_NONBLOCK", 0))
    except PermissionError:
        raise FileRefused(f"{name} cannot be read (permission denied).") from None
    except OSError as exc:
        raise FileRefused(f"{name} cannot be read ({exc.strerror}).") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or (info.st_dev, info.st_ino) != (checked.st_dev, checked.st_ino):
            raise FileRefused(f"{name} was replaced while it was being checked; attach it again.")
        return os.read(fd, SNIFF_BYTES)
    finally:
        os.close(fd)


def _check_type(name: str, head: bytes, allowed: tuple[str, ...]) -> str:
    suffix = Path(name).suffix.lower()
    by_name = EXTENSION_TYPES.get(suffix)
    if by_name is None:
        kinds = ", ".join(ext for kind, ext in MAIN_EXTENSIONS.items() if kind in allowed)
        what = f"{suffix} files" if suffix else "files without an extension"
        raise FileRefused(f"{name}: {what} cannot be attached (allowed: {kinds}).")
    if by_name not in allowed:
        raise FileRefused(f"{name}: {TYPE_LABELS[by_name]}s are not allowed (setting allowed_types).")
    by_content = sniff_type(head)
    same = by_content == by_name or (by_content in _ISO_MEDIA and by_name in _ISO_MEDIA)
    if not same:
        found = TYPE_LABELS.get(by_content or "", "not a known picture or video format")
        raise FileRefused(f"{name} does not contain a {TYPE_LABELS[by_name]} (its content is {found}).")
    return by_name
