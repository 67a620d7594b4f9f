"""MediaClient: the whole upload sequence for one file, and the re-presigning of expired GET URLs.

ensure session (cached per workspace; recreated when the server lost it) →
presign PUT with a unique safe name, the type and exact size → streamed PUT →
complete (SHA-256, size; control-plane mode) → presign GET.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import httpx

from smartspec_tk.core.media.cancel import CancelScope
from smartspec_tk.core.media.control_plane import ControlPlaneApi
from smartspec_tk.core.media.errors import SessionNotFound
from smartspec_tk.core.media.local_artifacts import LocalArtifactsApi
from smartspec_tk.core.media.replies import Presigned
from smartspec_tk.core.media.sessions import CACHE_FILE_NAME, SessionCache
from smartspec_tk.core.media.upload import Progress, put_file
from smartspec_tk.core.media.validation import CheckedFile, check_file
from smartspec_tk.core.settings import Settings

log = logging.getLogger(__name__)

PhaseCallback = Callable[[str], None]
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class ArtifactApi(Protocol):
    mode: str
    needs_complete: bool

    def new_session(self, workspace: Path) -> tuple[str, str]: ...
    def session_exists(self, session_id: str) -> bool: ...
    def presign_put(self, session_id: str, name: str, content_type: str, size: int) -> Presigned: ...
    def complete(self, session_id: str, key: str, sha256: str, size: int) -> None: ...
    def presign_get(self, session_id: str, key: str) -> Presigned: ...


@dataclass(frozen=True, slots=True)
class UploadedArtifact:
    """A file that is stored and fetchable at `url` until `expires_at` (epoch seconds)."""

    name: str
    content_type: str
    size: int
    sha256: str
    key: str
    session_id: str
    mode: str
    url: str
    expires_at: float
    path: str = ""  # the local file it was uploaded from (kept to upload it again: core/media/renew.py)


def safe_name(name: str) -> str:
    """A unique server-safe object name: a random prefix plus letters, digits, `.`, `_`, `-`."""
    cleaned = _UNSAFE.sub("_", name).replace("..", "_").strip("._-") or "file"
    return f"{uuid.uuid4().hex[:12]}-{cleaned[-80:]}"


class MediaClient:
    """Uploads files for one workspace; safe to call from several worker threads."""

    def __init__(self, http: httpx.Client, settings: Settings, data_dir: Path, api: ArtifactApi | None = None,
                 new_http: Callable[[], httpx.Client] | None = None) -> None:  # fmt: skip
        """`new_http` makes a client like `http` with a pool of its own: each upload runs on one, so
        Cancel can shut its sockets down (without it, Cancel waits for the step to end)."""
        self.settings = settings
        self.http = http
        self._injected_api = api is not None
        self._new_http = new_http
        self.api: ArtifactApi = api or make_api(http, settings)
        self.cache = SessionCache(data_dir / CACHE_FILE_NAME)
        self._cache_key = SessionCache.cache_key(self.api.mode, settings.backend_url, settings.workspace)
        self._lock = threading.Lock()
        self._checked_this_run: set[str] = set()
        self._fresh: set[tuple[str, str]] = set()  # (session, key) uploaded since the last take_fresh

    def take_fresh(self) -> set[tuple[str, str]]:
        """Any thread: the uploads made since the last call (the backend surely has them), and forget them."""
        with self._lock:
            fresh, self._fresh = self._fresh, set()
        return fresh

    def discard_fresh(self, session_id: str, key: str) -> None:
        """An upload that is checked again before its next use (one made while preparing a request)."""
        with self._lock:
            self._fresh.discard((session_id, key))

    def check(self, path: str | Path) -> CheckedFile:
        """Validate a file against the settings' size cap and allowed types (raises FileRefused)."""
        return check_file(path, max_bytes=self.settings.max_upload_bytes,
                          allowed_types=self.settings.allowed_type_list)

    def session_id(self, api: ArtifactApi | None = None) -> str:
        """The workspace's session: cached (checked once per run), else newly created."""
        api = api or self.api
        with self._lock:
            cached = self.cache.get(self._cache_key)
            if cached is not None:
                session_id = cached[1]
                if session_id in self._checked_this_run or api.session_exists(session_id):
                    self._checked_this_run.add(session_id)
                    return session_id
                log.info("cached artifact session is gone on the server; creating a new one")
            project_id, session_id = api.new_session(self.settings.workspace)
            self.cache.put(self._cache_key, project_id, session_id)
            self._checked_this_run.add(session_id)
            return session_id

    def forget_session(self, session_id: str) -> None:
        with self._lock:
            cached = self.cache.get(self._cache_key)
            if cached is not None and cached[1] == session_id:
                self.cache.forget(self._cache_key)
            self._checked_this_run.discard(session_id)

    def upload(
        self,
        checked: CheckedFile,
        *,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        phase: PhaseCallback | None = None,
        scope: CancelScope | None = None,
    ) -> UploadedArtifact:
        """Any worker thread: run the whole sequence; raises a `UserError` on any refusal.
        `scope.abort()` from another thread stops it at once, in any step."""
        say = phase or (lambda _p: None)
        cancel = scope.cancel if scope is not None else cancel
        with self._job(scope) as (http, api):
            say("preparing")
            session_id, put = self._presign_put(checked, api)
            say("uploading")
            sha256 = put_file(http, checked, put, progress=progress, cancel=cancel)
            say("finishing")
            if api.needs_complete:
                api.complete(session_id, put.key, sha256, checked.size)
            get = api.presign_get(session_id, put.key)
        with self._lock:
            self._fresh.add((session_id, put.key))
        return UploadedArtifact(checked.name, checked.content_type, checked.size, sha256, put.key,
                                session_id, self.api.mode, get.url, time.time() + get.expires_in, str(checked.path))

    def refresh_url(self, session_id: str, key: str) -> tuple[str, float]:
        """A fresh GET URL for a stored artifact and its expiry (epoch seconds)."""
        get = self.api.presign_get(session_id, key)
        return get.url, time.time() + get.expires_in

    @contextmanager
    def _job(self, scope: CancelScope | None) -> Iterator[tuple[httpx.Client, ArtifactApi]]:
        """The client and API of one upload: its own pool (watched by `scope`) when one can be made."""
        if scope is None or self._new_http is None:
            yield self.http, self.api
            return
        http = self._new_http()
        scope.attach(http)
        try:
            yield http, (self.api if self._injected_api else make_api(http, self.settings))
        finally:
            http.close()

    def _presign_put(self, checked: CheckedFile, api: ArtifactApi) -> tuple[str, Presigned]:
        name = safe_name(checked.name)
        session_id = self.session_id(api)
        try:
            return session_id, api.presign_put(session_id, name, checked.content_type, checked.size)
        except SessionNotFound:
            log.info("artifact session %s not found; creating a new one", session_id)
            self.forget_session(session_id)
            session_id = self.session_id(api)
            return session_id, api.presign_put(session_id, name, checked.content_type, checked.size)


def make_api(http: httpx.Client, settings: Settings) -> ArtifactApi:
    """The artifact API the settings ask for."""
    if settings.artifact_mode == "local":
        return LocalArtifactsApi(http, settings.backend_url)
    return ControlPlaneApi(http, settings.backend_url, settings.control_plane_prefix)
