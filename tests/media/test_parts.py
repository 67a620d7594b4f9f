"""Content parts for uploaded artifacts, and the refresh of expired GET URLs before sending."""

from __future__ import annotations

import json

from smartspec_tk.core.media.client import UploadedArtifact, safe_name
from smartspec_tk.core.media.parts import content_part, part_url, prepare_messages

NOW = 1_000_000.0


def artifact(content_type: str, url: str = "http://store/a?sig=1", expires_at: float = NOW + 600) -> UploadedArtifact:
    return UploadedArtifact("clip one.mp4", content_type, 10, "ab" * 32, "key-1", "sess-1", "control-plane",
                            url, expires_at)


def test_image_part() -> None:
    part = content_part(artifact("image/png"))
    assert part["type"] == "image_url"
    assert part["image_url"] == {"url": "http://store/a?sig=1", "detail": "auto"}
    assert part["x_smartspec"]["key"] == "key-1"


def test_video_part_as_file_url_or_text() -> None:
    part = content_part(artifact("video/mp4"))
    assert part["file_url"] == {"url": "http://store/a?sig=1", "mime_type": "video/mp4", "name": "clip one.mp4"}
    text = content_part(artifact("video/mp4"), "text")
    assert text["type"] == "text" and text["text"] == "Video: http://store/a?sig=1"
    assert part_url(text) == "http://store/a?sig=1"


def test_prepare_strips_metadata_and_keeps_fresh_urls() -> None:
    calls: list[tuple[str, str]] = []
    messages = [{"role": "user", "content": [{"type": "text", "text": "look"}, content_part(artifact("image/png"))]}]
    sent = prepare_messages(messages, lambda s, k: calls.append((s, k)) or ("new", NOW + 600), now=NOW)
    assert calls == []
    assert "x_smartspec" not in json.dumps(sent)
    assert "x_smartspec" in json.dumps(messages)  # the stored history keeps its metadata


def test_prepare_refreshes_expired_urls_in_place() -> None:
    image = content_part(artifact("image/png", expires_at=NOW - 1))
    video = content_part(artifact("video/webm", expires_at=NOW + 10), "text")  # inside the safety margin
    messages = [{"role": "user", "content": [image]}, {"role": "assistant", "content": "ok"},
                {"role": "user", "content": [video]}]
    fresh = iter(["http://store/a?sig=new1", "http://store/a?sig=new2"])
    sent = prepare_messages(messages, lambda s, k: (next(fresh), NOW + 600), now=NOW)
    assert sent[0]["content"][0]["image_url"]["url"] == "http://store/a?sig=new1"
    assert sent[2]["content"][0]["text"] == "Video: http://store/a?sig=new2"
    assert sent[1] == {"role": "assistant", "content": "ok"}
    assert image["x_smartspec"]["expires_at"] == NOW + 600  # the history now holds the new link
    again = prepare_messages(messages, lambda s, k: (_ for _ in ()).throw(AssertionError("no refresh")), now=NOW)
    assert again == sent


def test_safe_names_are_unique_and_safe() -> None:
    first, second = safe_name("../My photo (1).png"), safe_name("../My photo (1).png")
    assert first != second
    for name in (first, second, safe_name("日本.png"), safe_name("")):
        assert all(c.isascii() and (c.isalnum() or c in "._-") for c in name), name
        assert ".." not in name and not name.startswith("/")
    assert first.endswith("My_photo_1_.png")
