"""Upload jobs: one worker thread per attached file, reporting to the GUI through the outbox.

Each job posts `UploadProgressed` (throttled to about 10 per second) and always
ends with exactly one of `UploadSucceeded`, `UploadFailed` or `UploadWasCancelled`.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from smartspec_tk.core.errors import UserError
from smartspec_tk.core.media.cancel import CancelScope
from smartspec_tk.core.media.client import MediaClient
from smartspec_tk.core.media.errors import UploadCancelled
from smartspec_tk.core.media.parts import content_part
from smartspec_tk.core.media.validation import CheckedFile
from smartspec_tk.core.messages import Message
from smartspec_tk.core.outbox import Outbox

log = logging.getLogger(__name__)

PROGRESS_INTERVAL_S = 0.1


@dataclass(frozen=True, slots=True)
class UploadProgressed(Message):
    """`sent` of `total` bytes are on their way; `phase` is preparing, uploading or finishing."""

    job_id: int
    sent: int
    total: int
    phase: str


@dataclass(frozen=True, slots=True)
class UploadSucceeded(Message):
    """The file is stored; `part` is its chat content part (with private metadata)."""

    job_id: int
    part: dict[str, Any]
    sha256: str


@dataclass(frozen=True, slots=True)
class UploadFailed(Message):
    """The upload failed; `text` says why in plain words."""

    job_id: int
    text: str


@dataclass(frozen=True, slots=True)
class UploadWasCancelled(Message):
    """The upload stopped because the user cancelled it."""

    job_id: int


class UploadJobs:
    """Starts and cancels upload workers (called from the Tk thread)."""

    def __init__(self, client: MediaClient, outbox: Outbox) -> None:
        self.client = client
        self.outbox = outbox
        self._ids = itertools.count(1)
        self._cancels: dict[int, CancelScope] = {}
        self._threads: dict[int, threading.Thread] = {}

    def start(self, checked: CheckedFile) -> int:
        """Start uploading `checked`; returns the job id its messages carry."""
        job_id = next(self._ids)
        scope = CancelScope()
        self._cancels[job_id] = scope
        thread = threading.Thread(target=self._run, args=(job_id, checked, scope),
                                  name=f"upload-{job_id}", daemon=True)
        self._threads[job_id] = thread
        thread.start()
        return job_id

    def cancel(self, job_id: int) -> None:
        """Stop the upload at once: its sockets are shut down, whatever step it is in."""
        scope = self._cancels.get(job_id)
        if scope is not None:
            scope.abort()

    def cancel_all(self) -> None:
        for scope in list(self._cancels.values()):
            scope.abort()

    def running(self) -> int:
        return sum(1 for t in self._threads.values() if t.is_alive())

    def _run(self, job_id: int, checked: CheckedFile, scope: CancelScope) -> None:
        reporter = _Throttled(self.outbox, job_id, checked.size)
        cancel = scope.cancel
        try:
            artifact = self.client.upload(checked, progress=reporter.sent, phase=reporter.phase, scope=scope)
            part = content_part(artifact, self.client.settings.file_part_mode)
            final: Message = UploadSucceeded(job_id, part, artifact.sha256)
        except UploadCancelled:
            final = UploadWasCancelled(job_id)
        except UserError as exc:
            final = UploadWasCancelled(job_id) if cancel.is_set() else UploadFailed(job_id, str(exc))
        except Exception:
            log.exception("upload of %s failed", checked.name)
            final = UploadFailed(job_id, "Internal error — see the log.")
        finally:
            self._cancels.pop(job_id, None)
            self._threads.pop(job_id, None)
        self.outbox.post(final)


class _Throttled:
    """Posts progress at most every PROGRESS_INTERVAL_S, plus every phase change and the last byte."""

    def __init__(self, outbox: Outbox, job_id: int, total: int) -> None:
        self._outbox = outbox
        self._job_id = job_id
        self._total = total
        self._phase = "preparing"
        self._sent = 0
        self._last = 0.0

    def phase(self, name: str) -> None:
        self._phase = name
        self._post()

    def sent(self, count: int) -> None:
        self._sent = count
        if count >= self._total or time.monotonic() - self._last >= PROGRESS_INTERVAL_S:
            self._post()

    def _post(self) -> None:
        self._last = time.monotonic()
        self._outbox.post(UploadProgressed(self._job_id, self._sent, self._total, self._phase))
