"""Files are read and written in binary mode on Windows (os.O_BINARY), where text mode would turn
a PNG's "\\r\\n" into "\\n": simulated with tests/helpers/windows.text_mode_open."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from smartspec_tk.core import winsys
from smartspec_tk.core.media.upload import _open_checked
from smartspec_tk.core.media.validation import check_file
from smartspec_tk.core.settings import save_user_settings
from tests.helpers.windows import O_BINARY, text_mode_open
from tests.media.samples import png_bytes


def test_the_simulation_breaks_a_png_read_without_o_binary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    picture = tmp_path / "p.png"
    picture.write_bytes(png_bytes())
    text_mode_open(monkeypatch)
    fd = os.open(picture, os.O_RDONLY)  # what the code did before: Windows' text mode
    try:
        assert os.read(fd, 8) == b"\x89PNG\n\x1a\n\x00"
    finally:
        os.close(fd)


def test_flags_carry_o_binary_where_it_exists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "O_BINARY", O_BINARY, raising=False)
    assert winsys.read_flags() & O_BINARY and winsys.write_flags() & O_BINARY
    assert winsys.read_flags() & os.O_ACCMODE == os.O_RDONLY
    monkeypatch.delattr(os, "O_BINARY")
    assert winsys.read_flags() == os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)


def test_a_png_is_accepted_and_uploaded_byte_for_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    picture = tmp_path / "p.png"
    data = png_bytes()
    picture.write_bytes(data)
    calls = text_mode_open(monkeypatch)
    checked = check_file(picture, max_bytes=1 << 20, allowed_types=("image/png",))
    assert checked.content_type == "image/png" and checked.size == len(data)
    with _open_checked(checked) as handle:
        assert handle.read() == data
    assert len(calls) == 2 and all(flags & O_BINARY for flags in calls)


def test_settings_are_written_in_binary_mode_with_lf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = text_mode_open(monkeypatch)
    target = tmp_path / "settings.json"
    save_user_settings(target, {"theme": "dark"})
    assert calls and all(flags & O_BINARY for flags in calls)
    assert b"\r\n" not in target.read_bytes() and b'"theme": "dark"' in target.read_bytes()
