"""Write the Windows exe's version resource and icon into build/work/ (run by scripts/build-windows).

The icon is an ICO holding PNG images (allowed since Windows Vista), drawn from the package's own
terminal icon; no imaging library is needed.
"""

from __future__ import annotations

import re
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "smartspec_tk" / "ui" / "theme" / "icons"


def version() -> str:
    text = (ROOT / "smartspec_tk" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'__version__ = "([0-9.]+)"', text)
    if not match:
        sys.exit("no __version__ in smartspec_tk/__init__.py")
    return match.group(1)


def version_file(ver: str) -> str:
    parts = (ver.split(".") + ["0", "0", "0"])[:4]
    nums = ", ".join(parts)
    fields = {"CompanyName": "SmartSpec", "FileDescription": "SmartSpec Tk", "FileVersion": ver,
              "InternalName": "smartspec-tk", "OriginalFilename": "smartspec-tk.exe",
              "ProductName": "SmartSpec Tk", "ProductVersion": ver}
    strings = ",\n".join(f"          StringStruct('{k}', '{v}')" for k, v in fields.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers=({nums}), prodvers=({nums}), mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040904B0', [
{strings}
    ])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""


def ico(pngs: list[bytes]) -> bytes:
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, blobs = b"", b""
    for png in pngs:
        width, height = struct.unpack(">II", png[16:24])
        entries += struct.pack("<BBBBHHII", width % 256, height % 256, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs


def main() -> None:
    out = ROOT / "build" / "work"
    out.mkdir(parents=True, exist_ok=True)
    (out / "windows-version.txt").write_text(version_file(version()), encoding="utf-8")
    pngs = [(ICONS / name).read_bytes() for name in ("terminal.png", "terminal@2x.png")]
    (out / "smartspec-tk.ico").write_bytes(ico(pngs))


if __name__ == "__main__":
    main()
