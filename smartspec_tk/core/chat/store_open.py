"""Open the conversation store whatever state its file is in: the app always starts.

- A file that is not a database, or a damaged one, is moved aside (never deleted) as
  `conversations.corrupt-<stamp>.sqlite3` (with its `-wal`/`-shm` files) and a new, empty
  file is started.
- A file that is locked by another program, or cannot be written (read-only file or folder,
  a full disk), is copied into memory when it can still be read: the conversations are shown,
  but nothing new is saved until the next start. The notice says so.

`open_store` returns the store and the notice for the user (None when all went well).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from smartspec_tk.core.chat.store import FILE_NAME, ConversationStore

log = logging.getLogger(__name__)

OPEN_WAIT_S = 2.0  # how long to wait for another program's lock at start-up
_CORRUPT_WORDS = ("not a database", "malformed", "corrupt", "file is encrypted")


@dataclass(frozen=True)
class OpenedStore:
    store: ConversationStore
    notice: str | None = None
    moved_to: Path | None = None  # where a damaged file was moved


def open_store(data_dir: Path) -> OpenedStore:
    path = data_dir / FILE_NAME
    try:
        return OpenedStore(ConversationStore(path, busy_timeout_s=OPEN_WAIT_S))
    except sqlite3.DatabaseError as exc:
        reason = str(exc)
        log.warning("the conversation database %s could not be opened: %s", path, reason)
        if _is_corrupt(exc):
            return _move_aside(path, reason)
        return _in_memory(path, reason)
    except OSError as exc:  # the data folder cannot be created
        log.warning("the conversation database %s could not be opened: %s", path, exc)
        return _in_memory(path, str(exc))


def _is_corrupt(exc: sqlite3.DatabaseError) -> bool:
    """True for a damaged file; False for locked, read-only or unopenable (the file itself is fine)."""
    return any(word in str(exc).lower() for word in _CORRUPT_WORDS)


def _move_aside(path: Path, reason: str) -> OpenedStore:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.corrupt-{stamp}{path.suffix}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.stem}.corrupt-{stamp}-{n}{path.suffix}")
    try:
        path.replace(target)
        for extra in ("-wal", "-shm"):
            side = Path(str(path) + extra)
            if side.exists():
                side.replace(Path(str(target) + extra))
    except OSError as exc:
        log.warning("moving the damaged conversation database aside failed: %s", exc)
        return _in_memory(path, f"{reason}; moving it aside failed: {exc}", copy=False)
    log.warning("the damaged conversation database was moved to %s", target)
    try:
        store = ConversationStore(path, busy_timeout_s=OPEN_WAIT_S)
    except (sqlite3.DatabaseError, OSError) as exc:
        return _in_memory(path, str(exc), copy=False)
    notice = (
        f"The conversation history could not be read ({reason}). The file was kept as {target.name} "
        f"in {path.parent} and a new, empty history was started."
    )
    return OpenedStore(store, notice, target)


def _in_memory(path: Path, reason: str, *, copy: bool = True) -> OpenedStore:
    memory = _copy_of(path) if copy else None
    copied = memory is not None
    if memory is None:
        memory = _memory()
    store = ConversationStore(path, connection=memory)
    shown = "Your conversations are shown, but" if copied else "The history is empty and"
    notice = (
        f"The conversation history at {path} cannot be written ({reason}). {shown} "
        f"nothing new is saved until the app is started again with the file writable."
    )
    log.warning("%s", notice)
    return OpenedStore(store, notice)


def _memory() -> sqlite3.Connection:
    return sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)


def _copy_of(path: Path) -> sqlite3.Connection | None:
    """An in-memory copy of the database at `path` (opened read-only), or None when it cannot be read."""
    if not path.is_file():
        return None
    # mode=ro first (sees another program's writes); immutable=1 when even that cannot open it
    # (a WAL database on a read-only file system cannot create its -shm file).
    problem = ""
    for query in ("mode=ro", "mode=ro&immutable=1"):
        memory = _memory()
        try:
            source = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True, timeout=OPEN_WAIT_S)
            try:  # not Connection.backup: it retries a locked source forever
                memory.executescript("\n".join(source.iterdump()))
            finally:
                source.close()
            return memory
        except sqlite3.Error as exc:
            problem = str(exc)
            memory.close()
            if "locked" in problem:
                break  # immutable would read a file another program is writing
    log.warning("reading the conversation database read-only failed: %s", problem)
    return None
