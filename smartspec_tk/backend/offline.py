"""The offline models: a deterministic markdown answer that describes what arrived — the last
user text and every attachment part, with the size and SHA-256 of each loopback URL it
could download."""

from __future__ import annotations

import hashlib
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from smartspec_tk.backend.middleware import is_loopback

MODELS = ("offline-echo", "offline-fast", "offline-long")
LONG_LINES = 400
_TEXT_URL = re.compile(r"^(Video|File|Image|Attachment): (https?://\S+)\s*$")
FETCH_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True)
class Pacing:
    delay: float
    chunk_chars: int


def pacing(model: str, delay: float, chunk_chars: int) -> Pacing:
    if model == "offline-fast":
        return Pacing(0.0, max(chunk_chars, 256))
    if model == "offline-long":
        return Pacing(max(delay, 0.05), chunk_chars)
    return Pacing(delay, chunk_chars)


def fetch(url: str) -> str:
    """One line about the bytes behind `url` (only loopback URLs are fetched)."""
    host = urlsplit(url).hostname or ""
    if not is_loopback(host):
        return "not downloaded (not a loopback address)"
    digest, size = hashlib.sha256(), 0
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:  # noqa: S310 - loopback only
            kind = resp.headers.get("Content-Type", "")
            while piece := resp.read(65536):
                digest.update(piece)
                size += len(piece)
                if size > FETCH_LIMIT:
                    return "not downloaded (larger than 64 MiB)"
    except urllib.error.HTTPError as exc:
        return f"download failed: HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        return f"download failed: {exc}"
    return f"downloaded {size} bytes, served as `{kind}`, SHA-256 `{digest.hexdigest()}`"


def _name(url: str) -> str:
    return unquote(PurePosixPath(urlsplit(url).path).name) or "-"


def describe_parts(content: Any) -> tuple[str, list[tuple[str, str, str, str]]]:
    """(text, [(part type, name, mime type, url)]) of one message's content."""
    if isinstance(content, str):
        return content, []
    texts, parts = [], []
    for part in content if isinstance(content, list) else []:
        kind = part.get("type") if isinstance(part, dict) else None
        if kind == "text":
            text = str(part.get("text", ""))
            match = _TEXT_URL.match(text.strip())
            if match:
                parts.append(("text url", _name(match[2]), match[1].lower(), match[2]))
            else:
                texts.append(text)
        elif kind == "image_url":
            url = str((part.get("image_url") or {}).get("url", ""))
            parts.append(("image_url", _name(url), "image (not declared)", url))
        elif kind == "file_url":
            info = part.get("file_url") or {}
            url = str(info.get("url", ""))
            parts.append(("file_url", str(info.get("name") or _name(url)), str(info.get("mime_type", "-")), url))
        elif kind:
            parts.append((str(kind), "-", "-", ""))
    return "\n".join(texts), parts


def answer(model: str, messages: Any) -> str:
    """The whole answer text; deterministic for the same input and the same stored bytes.

    `offline-echo` (the demo model) and `offline-long` add a short showcase of what the
    chat renders; `offline-fast` (the benchmarks' model) stays lean."""
    messages = messages if isinstance(messages, list) else []
    last_user = next((m for m in reversed(messages) if isinstance(m, dict) and m.get("role") == "user"), {})
    text, parts = describe_parts(last_user.get("content", ""))
    roles = [str(m.get("role")) for m in messages if isinstance(m, dict)]
    counts = ", ".join(f"{roles.count(r)} {r}" for r in dict.fromkeys(roles)) or "none"
    quoted = "\n".join("> " + line for line in (text or "(no text)").splitlines()) or "> (no text)"
    lines = [
        f"**Offline model `{model}`** — no upstream LLM is used, so this answer describes what arrived ✓",
        "",
        "Your message:",
        "",
        quoted,
        "",
        f"Conversation: {len(messages)} message{'' if len(messages) == 1 else 's'} ({counts}).",
        "",
        f"Attachments: {len(parts)}",
    ]
    for number, (kind, name, mime, url) in enumerate(parts, 1):
        lines.append(f"{number}. `{kind}` — name `{name}`, type `{mime}`")
        if url:
            lines.append(f"   - {fetch(url)}")
    if model != "offline-fast":
        lines += showcase(len(messages), len(parts))
    if model == "offline-long":
        lines += ["", *(f"Line {n} of a long answer — keep reading, or press Stop." for n in range(1, LONG_LINES + 1))]
    return "\n".join(lines) + "\n"


def showcase(message_count: int, attachment_count: int) -> list[str]:
    """A heading, a list, a code block and a table: what the chat pane can render."""
    return [
        "",
        "## What the chat can show",
        "",
        "- **Bold**, *italic*, `inline code` and [links](https://example.com)",
        "- Lists, quotes and code blocks with **Copy** and **Insert into terminal**",
        "",
        "```python",
        "def greet(name: str) -> str:",
        '    return f"Hello, {name}!"',
        "```",
        "",
        "| This request | Value |",
        "|:--|--:|",
        f"| Messages sent | {message_count} |",
        f"| Attachments | {attachment_count} |",
        "| Upstream LLM | none (offline) |",
    ]


def split(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]
