"""Small helpers for the reference-backend tests: SSE decoding and the control-plane upload flow."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import httpx

CP = "/api/v1/control-plane/api/v1"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


def data_lines(raw: bytes) -> list[str]:
    """The `data:` payloads of an SSE body, in order (LF or CRLF framing)."""
    text = raw.decode("utf-8").replace("\r\n", "\n")
    return [line[5:].strip() for line in text.split("\n") if line.startswith("data:")]


def streamed_text(raw: bytes) -> str:
    parts = []
    for data in data_lines(raw):
        if data == "[DONE]":
            continue
        for choice in json.loads(data).get("choices", []):
            parts.append(choice.get("delta", {}).get("content") or "")
    return "".join(parts)


def chat_body(text: str | list[dict[str, Any]], model: str = "offline-fast", **extra: Any) -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": text}], **extra}


def new_session(client: httpx.Client) -> str:
    project = client.post(CP + "/projects", json={"name": "Desktop: t"}).json()["project"]
    return str(client.post(f"{CP}/projects/{project['id']}/sessions", json={"name": "s"}).json()["session"]["id"])


def presign_put(client: httpx.Client, sid: str, name: str, data: bytes, kind: str = "image/png") -> httpx.Response:
    body = {"iteration": 0, "name": name, "contentType": kind, "sizeBytes": len(data)}
    return client.post(f"{CP}/sessions/{sid}/artifacts/presign-put", json=body)


def upload(client: httpx.Client, name: str = "a.png", data: bytes = PNG, kind: str = "image/png") -> tuple[str, str]:
    """Presign, PUT, complete and presign-get; returns (session id, GET URL)."""
    sid = new_session(client)
    put = presign_put(client, sid, name, data, kind).json()
    assert httpx.put(put["url"], content=data, headers={"Content-Type": kind}).status_code == 200
    done = {"key": put["key"], "sha256": hashlib.sha256(data).hexdigest(), "sizeBytes": len(data)}
    assert client.post(f"{CP}/sessions/{sid}/artifacts/complete", json=done).status_code == 200
    got = client.get(f"{CP}/sessions/{sid}/artifacts/presign-get", params={"key": put["key"]}).json()
    return sid, str(got["url"])
