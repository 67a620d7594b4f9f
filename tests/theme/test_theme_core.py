"""core.theme (which theme the OS prefers) and core.icons (our PNG masks), without Tk."""

from __future__ import annotations

import zlib
from importlib import resources

import pytest

from smartspec_tk.core import icons, theme


def runner(answers: dict[str, str | None]) -> theme.Runner:
    """A fake `run`: the answer for argv's last word (None: the program failed)."""
    return lambda argv: answers.get(argv[-1])


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"color-scheme": "'prefer-dark'\n"}, "dark"),
        ({"color-scheme": "'prefer-light'\n"}, "light"),
        ({"color-scheme": "'default'\n", "gtk-theme": "'Adwaita-dark'\n"}, "dark"),
        ({"color-scheme": "'default'\n", "gtk-theme": "'Adwaita'\n"}, "light"),
        ({"color-scheme": "'default'\n"}, "light"),
        ({}, None),  # no gsettings: nothing known
    ],
)
def test_linux_reads_gsettings(answers: dict[str, str | None], expected: str | None) -> None:
    assert theme.detect_os_theme("linux", runner(answers), environ={}) == expected


def test_linux_gtk_theme_variable_wins() -> None:
    ask = runner({"color-scheme": "'prefer-light'"})
    assert theme.detect_os_theme("linux", ask, environ={"GTK_THEME": "Adwaita:dark"}) == "dark"


def test_macos_reads_the_interface_style() -> None:
    assert theme.detect_os_theme("darwin", runner({"AppleInterfaceStyle": "Dark\n"}), environ={}) == "dark"
    # In light mode the key does not exist and `defaults` fails.
    assert theme.detect_os_theme("darwin", runner({}), environ={}) == "light"


def test_windows_reads_the_registry() -> None:
    assert theme.detect_os_theme("win32", read_registry=lambda: 1) == "light"
    assert theme.detect_os_theme("win32", read_registry=lambda: 0) == "dark"
    assert theme.detect_os_theme("win32", read_registry=lambda: None) is None


def test_resolve_modes() -> None:
    assert theme.resolve("light", lambda: "dark") == "light"
    assert theme.resolve("system", lambda: "light") == "light"
    assert theme.resolve("system", lambda: None) == "dark"  # nothing readable: dark


def test_the_real_query_survives_a_missing_program() -> None:
    assert theme._run(["smartspec-no-such-program-xyz"]) is None


def test_palettes_are_complete_colours() -> None:
    for palette in theme.PALETTES.values():
        for name in palette.__dataclass_fields__:
            value = getattr(palette, name)
            if isinstance(value, str) and name != "name":
                assert icons.hex_rgb(value), name
        assert len(palette.terminal.ansi) == 16
    assert theme.DARK.surface != theme.LIGHT.surface


def test_png_round_trip_and_tint() -> None:
    mask = icons.Mask(2, 1, bytes([0, 255]))
    grey_alpha = icons.encode_png(2, 1, bytes([255, 0, 255, 255]), colour_type=4)
    assert icons.read_mask(grey_alpha) == mask
    tinted = icons.tint(mask, "#102030")
    assert icons.decode_png(tinted) == (2, 1, 4, bytes([0x10, 0x20, 0x30, 0, 0x10, 0x20, 0x30, 255]))


def test_decoder_handles_every_row_filter() -> None:
    """PNGs saved by other tools use filters 1–4; the decoder must undo them."""
    rows = [bytes([10, 20, 30, 40]), bytes([50, 60, 70, 80]), bytes([90, 100, 110, 120])]
    # Filter 1 (sub) on row 0, 2 (up) on row 1, 4 (Paeth) on row 2, bpp 2 (grey + alpha).
    sub = bytes([1, 10, 20, 30 - 10, 40 - 20])
    up = bytes([2] + [(b - a) & 0xFF for a, b in zip(rows[0], rows[1], strict=True)])
    prev, line = rows[1], rows[2]
    out = [4]
    for i, value in enumerate(line):
        left = line[i - 2] if i >= 2 else 0
        corner = prev[i - 2] if i >= 2 else 0
        out.append((value - icons._predict(4, left, prev[i], corner)) & 0xFF)
    raw = sub + up + bytes(out)
    header = icons.struct.pack(">IIBBBBB", 2, 3, 8, 4, 0, 0, 0)
    png = icons.SIGNATURE + icons._chunk(b"IHDR", header) + icons._chunk(b"IDAT", zlib.compress(raw))
    assert icons.decode_png(png)[3] == b"".join(rows)


def test_every_icon_ships_at_both_sizes() -> None:
    from smartspec_tk.ui.theme.icons import NAMES

    folder = resources.files("smartspec_tk.ui.theme").joinpath("icons")
    for name in NAMES:
        for suffix, size in (("", 16), ("@2x", 32)):
            mask = icons.read_mask(folder.joinpath(f"{name}{suffix}.png").read_bytes())
            assert (mask.width, mask.height) == (size, size), name
            assert max(mask.alpha) >= 200 and min(mask.alpha) == 0, f"{name}{suffix} is not a drawn mask"
