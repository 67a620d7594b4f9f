"""The small exception tree of SmartSpec Tk.

    SmartSpecError
    └── UserError            shown to the user in plain words (no traceback)
        ├── BackendError     the backend answered with an error (status, message)
        │   └── AuthError    401/403: the proxy token was refused
        ├── NetworkError     the backend (or an upload host) could not be reached
        ├── ValidationError  the user's input was refused before any request
        └── AttachmentsGone  the backend forgot a sent file and its local copy is gone or changed

Anything that is not a `UserError` is a bug: it is logged with its traceback and
shown as "internal error — see log".
"""

from __future__ import annotations


class SmartSpecError(Exception):
    """Base of every exception this package raises on purpose."""


class UserError(SmartSpecError):
    """An error whose message is meant for the user, in plain words."""


class BackendError(UserError):
    """The backend answered with an error status or an error body."""

    def __init__(self, message: str, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class AuthError(BackendError):
    """The backend refused the proxy token (401) or the caller (403)."""


class NetworkError(UserError):
    """A host could not be reached, or the connection broke."""


class ValidationError(UserError):
    """Input refused before any request was made (file too large, wrong type, …)."""


class AttachmentsGone(UserError):
    """Files of the conversation that the backend no longer has and that cannot be uploaded again:
    the local file is gone or its content changed. `names` are the files' names."""

    def __init__(self, names: list[str]) -> None:
        self.names = tuple(names)
        listed = ", ".join(names)
        one = len(names) == 1
        super().__init__(
            f"The backend no longer has {listed}, and {'that file is' if one else 'those files are'} gone or "
            f"changed on this computer, so {'it' if one else 'they'} cannot be uploaded again. "
            f"Send without {'it' if one else 'them'}, or attach {'it' if one else 'them'} again."
        )
