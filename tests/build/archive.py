"""Read a PyInstaller one-file binary the way an attacker would: every member decompressed.

Uses PyInstaller's own reader classes (from the venv) to walk the CArchive appended
to the executable, the PYZ of byte-compiled modules inside it, and any zip member
(base_library.zip), yielding each member's decompressed bytes for searching.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from PyInstaller.archive.readers import PKG_ITEM_PYZ, CArchiveReader

# Strings that look like real credentials (OpenAI-style keys, AWS access key ids,
# GitHub tokens, PEM private keys with a body).
KEY_PATTERNS = {
    "openai-style key": re.compile(rb"sk-[A-Za-z0-9]{20,}"),
    "AWS access key id": re.compile(rb"AKIA[0-9A-Z]{16}"),
    "GitHub token": re.compile(rb"gh[pousr]_[A-Za-z0-9]{36}"),
    "private key": re.compile(rb"-----BEGIN [A-Z ]*PRIVATE KEY-----\s+[A-Za-z0-9+/]{40}"),
}


def archive_members(binary: Path) -> Iterator[tuple[str, bytes]]:
    """(name, decompressed bytes) of every CArchive entry, PYZ module and zip member."""
    package = CArchiveReader(str(binary))
    for name, entry in package.toc.items():
        if entry[-1] == PKG_ITEM_PYZ:
            yield from _pyz_members(package, name)
            continue
        data = package.extract(name)
        yield name, data
        if data[:4] == b"PK\x03\x04":
            yield from _zip_members(name, data)


def _pyz_members(package: CArchiveReader, name: str) -> Iterator[tuple[str, bytes]]:
    pyz = package.open_embedded_archive(name)
    for module in pyz.toc:
        data = pyz.extract(module, raw=True)  # zlib-decompressed, still marshalled: strings stay readable
        if data is not None:
            yield f"{name}:{module}", data


def _zip_members(name: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            yield f"{name}:{info.filename}", archive.read(info)


def find_needles(binary: Path, needles: list[bytes]) -> list[str]:
    """Where any needle occurs: 'raw binary' and/or member names."""
    raw = binary.read_bytes()
    hits = ["raw binary" for needle in needles if needle in raw]
    for name, data in archive_members(binary):
        hits.extend(name for needle in needles if needle in data)
    return hits


def find_key_like(binary: Path) -> list[str]:
    """'<kind> in <where>: <match>' for every string that looks like a credential."""
    hits: list[str] = []
    places = [("raw binary", binary.read_bytes()), *archive_members(binary)]
    for where, data in places:
        for kind, pattern in KEY_PATTERNS.items():
            hits.extend(f"{kind} in {where}: {m.group()[:60]!r}" for m in pattern.finditer(data))
    return hits


def pyz_module_names(binary: Path) -> set[str]:
    package = CArchiveReader(str(binary))
    names: set[str] = set()
    for name, entry in package.toc.items():
        if entry[-1] == PKG_ITEM_PYZ:
            names.update(package.open_embedded_archive(name).toc)
    return names


def carchive_names(binary: Path) -> set[str]:
    return set(CArchiveReader(str(binary)).toc)
