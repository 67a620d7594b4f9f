"""No tofu: every non-ASCII character the UI draws exists in DejaVu Sans, the font Tk uses on Linux.

The characters come from the string literals of `smartspec_tk/ui/` and of the demo
model's answers; fontconfig (`fc-list`) says whether the font has each glyph. On
Windows and macOS Tk falls back to another system font for a missing glyph.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "smartspec_tk"
SOURCES = [*sorted((ROOT / "ui").rglob("*.py")), ROOT / "backend" / "offline.py"]
FONT = "DejaVu Sans"
STRING_TOKENS = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}  # 3.12+ splits f-strings


def drawn_characters() -> dict[str, str]:
    """Each non-ASCII character of a string literal, with the first file that uses it."""
    found: dict[str, str] = {}
    for path in SOURCES:
        tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
        for token in tokens:
            if token.type in STRING_TOKENS:
                for char in token.string:
                    if ord(char) > 127:
                        found.setdefault(char, str(path.relative_to(ROOT.parent)))
    return found


def has_glyph(char: str) -> bool:
    if shutil.which("fc-list") is None:
        pytest.fail("fc-list is missing: install fontconfig (apt-get install fontconfig)")
    result = subprocess.run(
        ["fc-list", f"{FONT}:charset={ord(char):x}", "family"], capture_output=True, text=True, check=True
    )
    return FONT in result.stdout


def test_the_font_is_installed() -> None:
    assert has_glyph("A"), f"{FONT} is not installed: apt-get install fonts-dejavu-core"


def test_every_drawn_character_has_a_glyph() -> None:
    characters = drawn_characters()
    assert "…" in characters and "✓" in characters, "the scan sees the UI's strings"
    missing = {f"{char} U+{ord(char):04X}": where for char, where in characters.items() if not has_glyph(char)}
    assert not missing, f"no glyph in {FONT} (shown as a box): {missing}"


def test_a_missing_glyph_is_seen() -> None:
    assert not has_glyph("\U0001f4ce"), "the paperclip emoji is not in the font: the check can fail"
