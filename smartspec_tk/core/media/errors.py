"""Media errors, each a `UserError` with a message in plain words.

    UserError
    ├── ValidationError
    │   └── FileRefused        the file was refused before any upload
    ├── BackendError
    │   ├── ArtifactRejected   the backend refused the artifact (type, size, name, …)
    │   └── SessionNotFound    the cached artifact session is unknown to the server
    ├── StoreRejected          the storage service refused the PUT or GET (expired, signature, …)
    └── UploadCancelled        the user cancelled the upload
"""

from __future__ import annotations

from smartspec_tk.core.errors import BackendError, UserError, ValidationError


class FileRefused(ValidationError):
    """The chosen file cannot be uploaded (folder, symlink, too large, wrong type, unreadable)."""


class ArtifactRejected(BackendError):
    """The backend (control plane or local store) refused an artifact request."""


class SessionNotFound(BackendError):
    """The artifact session the client cached no longer exists on the server."""


class StoreRejected(UserError):
    """The storage service refused the upload or download."""

    def __init__(self, message: str, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class UploadCancelled(UserError):
    """The user cancelled the upload."""

    def __init__(self, message: str = "Upload cancelled.") -> None:
        super().__init__(message)
