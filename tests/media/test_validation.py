"""Validation before any upload: regular readable file, size cap, extension and magic bytes agree."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from smartspec_tk.core.media.errors import FileRefused
from smartspec_tk.core.media.validation import check_file, human_size, sniff_type
from smartspec_tk.core.settings import DEFAULT_ALLOWED_TYPES
from tests.media.samples import png_bytes, write_png, write_video

ALLOWED = tuple(DEFAULT_ALLOWED_TYPES.split(","))
MB = 1024 * 1024


def check(path: Path, max_bytes: int = 10 * MB, allowed: tuple[str, ...] = ALLOWED):
    return check_file(path, max_bytes=max_bytes, allowed_types=allowed)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (png_bytes(), "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"\x00\x00\x00\x18ftypisom", "video/mp4"),
        (b"\x00\x00\x00\x14ftypqt  ", "video/quicktime"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81", "video/webm"),
        (b"hello world, plain text", None),
    ],
)
def test_magic_bytes(head: bytes, expected: str | None) -> None:
    assert sniff_type(head[:16]) == expected


def test_png_passes_with_its_type_and_size(tmp_path: Path) -> None:
    path = write_png(tmp_path / "shot.PNG")
    checked = check(path)
    assert (checked.content_type, checked.size, checked.name) == ("image/png", path.stat().st_size, "shot.PNG")
    assert checked.is_image


def test_videos_pass(tmp_path: Path) -> None:
    assert check(write_video(tmp_path / "a.mp4", 5000)).content_type == "video/mp4"
    assert check(write_video(tmp_path / "b.mov", 5000, "mov")).content_type == "video/quicktime"
    assert check(write_video(tmp_path / "c.webm", 5000, "webm")).content_type == "video/webm"


def test_extension_and_content_must_agree(tmp_path: Path) -> None:
    fake = tmp_path / "cat.png"
    fake.write_bytes(b"\xff\xd8\xff\xe0 this is a jpeg really")
    with pytest.raises(FileRefused, match="does not contain a PNG image.*JPEG image"):
        check(fake)
    text = tmp_path / "notes.jpg"
    text.write_text("just text")
    with pytest.raises(FileRefused, match="not a known picture or video format"):
        check(text)


def test_unknown_or_disallowed_extension(tmp_path: Path) -> None:
    doc = tmp_path / "report.pdf"
    doc.write_bytes(b"%PDF-1.4")
    allowed = r"\(allowed: png, jpg, webp, gif, mp4, webm, mov\)"
    with pytest.raises(FileRefused, match=r"\.pdf files cannot be attached " + allowed):
        check(doc)
    gif = tmp_path / "anim.gif"
    gif.write_bytes(b"GIF89a" + b"\0" * 20)
    with pytest.raises(FileRefused, match="GIF images are not allowed"):
        check(gif, allowed=("image/png",))


def test_size_cap_and_empty_file(tmp_path: Path) -> None:
    big = write_video(tmp_path / "big.mp4", 2 * MB + 1)
    with pytest.raises(FileRefused, match=r"big.mp4 is 2,097,153 bytes; the limit is 2 MB \(2,097,152 bytes, setting"):
        check(big, max_bytes=2 * MB)
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    with pytest.raises(FileRefused, match="is empty"):
        check(empty)


def test_folder_missing_and_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "pics.png"
    folder.mkdir()
    with pytest.raises(FileRefused, match="is a folder"):
        check(folder)
    with pytest.raises(FileRefused, match="does not exist"):
        check(tmp_path / "nope.png")
    if os.geteuid() != 0:  # root reads everything, so the permission check is moot there
        locked = write_png(tmp_path / "locked.png")
        locked.chmod(0)
        with pytest.raises(FileRefused, match="permission denied"):
            check(locked)


def test_symlink_inside_the_folder_is_followed_once(tmp_path: Path) -> None:
    real = write_png(tmp_path / "real.png")
    (tmp_path / "sub").mkdir()
    write_png(tmp_path / "sub" / "deep.png")
    link = tmp_path / "link.png"
    link.symlink_to("real.png")
    assert check(link).path == real.resolve()
    sub_link = tmp_path / "sub-link.png"
    sub_link.symlink_to(tmp_path / "sub" / "deep.png")
    assert check(sub_link).path == (tmp_path / "sub" / "deep.png").resolve()


def test_symlink_escaping_the_folder_is_refused(tmp_path: Path) -> None:
    outside = write_png(tmp_path / "secret.png")
    chosen = tmp_path / "chosen"
    chosen.mkdir()
    escape = chosen / "innocent.png"
    escape.symlink_to(outside)
    with pytest.raises(FileRefused, match="link to a file outside its folder"):
        check(escape)
    relative = chosen / "rel.png"
    relative.symlink_to("../secret.png")
    with pytest.raises(FileRefused, match="outside its folder"):
        check(relative)


def test_link_to_link_is_refused(tmp_path: Path) -> None:
    write_png(tmp_path / "real.png")
    (tmp_path / "one.png").symlink_to("real.png")
    (tmp_path / "two.png").symlink_to("one.png")
    # resolve() follows the whole chain; the check refuses when the first hop is itself a link
    with pytest.raises(FileRefused, match="link to another link"):
        check(tmp_path / "two.png")


def test_human_size() -> None:
    assert [human_size(n) for n in (5, 1536, 10 * MB)] == ["5 B", "1.5 KB", "10.0 MB"]
