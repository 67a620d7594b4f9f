"""Plain words for a disk that is full or read-only (issue 13, finding 7).

`storage_problem(exc)` recognises the OS errors (ENOSPC, EDQUOT, EROFS) and SQLite's
messages for them; `StorageError` is the `UserError` the conversation store and the
settings file raise with it, so the user reads "the disk is full" and keeps what they
typed, instead of "internal error — see log".
"""

from __future__ import annotations

import errno
import sqlite3

from smartspec_tk.core.errors import UserError

FULL = "the disk is full"
READ_ONLY = "the disk or folder is read-only"
_FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})


class StorageError(UserError):
    """Something could not be saved because its disk is full or read-only."""


def storage_problem(exc: BaseException) -> str | None:
    """FULL or READ_ONLY when `exc` says so, else None."""
    if isinstance(exc, OSError):
        if exc.errno in _FULL_ERRNOS:
            return FULL
        if exc.errno == errno.EROFS:
            return READ_ONLY
    if isinstance(exc, sqlite3.Error):
        text = str(exc).lower()
        if "disk is full" in text:
            return FULL
        if "readonly" in text or "read-only" in text:
            return READ_ONLY
    return None


def storage_error(exc: BaseException, what: str) -> StorageError | None:
    """A StorageError saying `what` could not be saved and why, or None for any other failure."""
    problem = storage_problem(exc)
    if problem is None:
        return None
    advice = "Free some space, then try again." if problem == FULL else "Choose a writable folder, then try again."
    return StorageError(f"{what} could not be saved: {problem}. {advice}")
