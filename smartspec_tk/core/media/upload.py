"""The streamed PUT of a file to a presigned URL: constant memory, exact Content-Length, SHA-256 on the way.

The bytes are read from disk in large chunks and handed to httpx as a generator,
so the file is never held in memory and is read only once (the hash is computed
from the same chunks). The PUT carries only the store's headers: the network
layer strips SmartSpec credentials from every non-backend origin.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import BinaryIO

import httpx

from smartspec_tk.core.fileflags import read_flags
from smartspec_tk.core.logs import redact
from smartspec_tk.core.media.errors import FileRefused, StoreRejected, UploadCancelled
from smartspec_tk.core.media.replies import Presigned
from smartspec_tk.core.media.validation import CheckedFile
from smartspec_tk.core.net import CREDENTIAL_HEADERS

log = logging.getLogger(__name__)

CHUNK_BYTES = 1024 * 1024
SMALL_CHUNK_BYTES = 256 * 1024  # finer progress (and faster cancel) for files of a few MB
_DROPPED_HEADERS = frozenset({"host", "content-length", "transfer-encoding", *CREDENTIAL_HEADERS})

Progress = Callable[[int], None]


def put_file(
    http: httpx.Client,
    checked: CheckedFile,
    target: Presigned,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    chunk_bytes: int | None = None,
) -> str:
    """Any worker thread: upload `checked` to `target.url`; returns the SHA-256 (hex) of what was sent."""
    cancel = cancel or threading.Event()
    chunk = chunk_bytes or (SMALL_CHUNK_BYTES if checked.size <= 32 * CHUNK_BYTES else CHUNK_BYTES)
    hasher = _BackgroundHash()
    with _open_checked(checked) as handle, contextlib.closing(hasher):
        body = _chunks(handle, checked.size, chunk, hasher, progress, cancel)
        try:
            response = http.put(target.url, content=body, headers=put_headers(target, checked))
        except httpx.TimeoutException:
            raise StoreRejected("The storage service stopped answering during the upload.") from None
        except httpx.TransportError as exc:
            if cancel.is_set():
                raise UploadCancelled() from None
            raise StoreRejected(f"The connection to the storage service failed ({type(exc).__name__}).") from None
    if cancel.is_set():
        raise UploadCancelled()
    if not response.is_success:
        raise store_error(response, "upload")
    log.info("uploaded %s (%d bytes) to %s", checked.name, checked.size, redact(target.url))
    return hasher.hexdigest()


def put_headers(target: Presigned, checked: CheckedFile) -> dict[str, str]:
    """The store's own header map when it sent one, else Content-Type; always the exact length."""
    headers = {k: v for k, v in target.headers.items() if k.lower() not in _DROPPED_HEADERS}
    if not any(k.lower() == "content-type" for k in headers):
        headers["Content-Type"] = checked.content_type
    headers["Content-Length"] = str(checked.size)  # also stops httpx from using chunked encoding
    return headers


def _open_checked(checked: CheckedFile) -> BinaryIO:
    """Open without following links and make sure it is still the file that was validated."""
    fd = os.open(checked.path, read_flags())  # binary: Windows reads text mode otherwise
    info = os.fstat(fd)
    if (info.st_dev, info.st_ino) != (checked.device, checked.inode) or info.st_size < checked.size:
        os.close(fd)
        raise FileRefused(f"{checked.name} changed after it was attached; attach it again.")
    return os.fdopen(fd, "rb", buffering=0)


def _chunks(
    handle: BinaryIO,
    size: int,
    chunk: int,
    hasher: _BackgroundHash,
    progress: Progress | None,
    cancel: threading.Event,
) -> Iterator[bytes]:
    """Exactly `size` bytes of the file, `chunk` at a time, hashed on the way."""
    sent = 0
    while sent < size:
        if cancel.is_set():
            raise UploadCancelled()
        data = handle.read(min(chunk, size - sent))
        if not data:
            raise FileRefused("The file got shorter during the upload; attach it again.")
        hasher.update(data)
        sent += len(data)
        yield data
        if progress is not None:
            progress(sent)


class _BackgroundHash:
    """SHA-256 computed on a helper thread while the previous chunk is on the wire.

    hashlib releases the GIL on large buffers, so hashing overlaps the socket send;
    at most two chunks are referenced at any time (constant memory).
    """

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-hash")
        self._pending: Future[None] | None = None

    def update(self, data: bytes) -> None:
        if self._pending is not None:
            self._pending.result()
        self._pending = self._pool.submit(self._hash.update, data)

    def hexdigest(self) -> str:
        if self._pending is not None:
            self._pending.result()
        return self._hash.hexdigest()

    def close(self) -> None:
        self._pool.shutdown(wait=True)


_XML_FIELD = re.compile(r"<(Code|Message)>([^<]*)</\1>")


def store_error(response: httpx.Response, what: str) -> StoreRejected:
    """The storage service's refusal (S3 XML or JSON body) in plain words."""
    text = response.text[:2000] if response.content else ""
    fields = dict(_XML_FIELD.findall(text))
    code, message = fields.get("Code", ""), fields.get("Message", "")
    if not fields and text.lstrip().startswith("{"):
        try:
            body = response.json()
            code = str(body.get("error") or body.get("code") or "")
            message = str(body.get("message") or body.get("detail") or "")
        except ValueError:
            pass
    status = response.status_code
    lowered = f"{code} {message}".lower()
    if "expired" in lowered:
        plain = f"The {what} link expired before it was used. Press Retry to get a new one."
    elif "signature" in lowered or code == "SignatureDoesNotMatch":
        plain = (f"The storage service refused the {what} signature: the link was altered, or the "
                 "file's size or type differs from what was announced. Press Retry.")
    elif status == 403:
        plain = f"The storage service denied the {what} ({code or 'access denied'}). Press Retry."
    elif status == 413 or code == "EntityTooLarge":
        plain = f"The storage service refused the {what}: the file is too large."
    else:
        plain = f"The storage service refused the {what} (HTTP {status}{': ' + code if code else ''})."
    return StoreRejected(plain, status, code or None)
