"""ConversationStore: the chat history in one SQLite file (WAL), safe to use from several threads.

The format is documented in docs/conversations.md. Migrations only add; they never
drop data. A row left `streaming` by a crash is marked `incomplete` when the store
opens.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from smartspec_tk.core.chat.messages import INCOMPLETE, STREAMING, AnswerStatus
from smartspec_tk.core.chat.records import ConversationInfo, StoredMessage, conversation_from_row, message_from_row
from smartspec_tk.core.chat.request import text_of
from smartspec_tk.core.chat.schema import SCHEMA_VERSION, migrate
from smartspec_tk.core.storage import storage_error

FILE_NAME = "conversations.sqlite3"
LEAF: Literal["leaf"] = "leaf"  # add_message's default parent: the end of the shown branch
__all__ = ["FILE_NAME", "SCHEMA_VERSION", "ConversationInfo", "ConversationStore", "StoredMessage"]


class ConversationStore:
    """All methods may be called from any thread (one connection, one lock)."""

    def __init__(self, path: Path, *, connection: sqlite3.Connection | None = None, busy_timeout_s: float = 10) -> None:
        """Open (and migrate) the file at `path`; with `connection`, use that one instead (for example an
        in-memory copy when the file cannot be written: `core/chat/store_open.py`)."""
        self.path = path
        self._lock = threading.RLock()
        self._opened = False
        if connection is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=busy_timeout_s)
            try:
                connection.row_factory = sqlite3.Row
                connection.execute("PRAGMA journal_mode=WAL")
            except BaseException:
                connection.close()
                raise
        self._db = connection
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        try:
            self._migrate()
            self.recovered = self._recover()
        except BaseException:
            self._db.close()
            raise
        self._db.execute("PRAGMA busy_timeout=10000")
        self._opened = True  # from now on a full or read-only disk is a StorageError (store_open handles the rest)

    @classmethod
    def in_folder(cls, data_dir: Path) -> ConversationStore:
        return cls(data_dir / FILE_NAME)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already
                        self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                plain = storage_error(exc, "The conversation") if self._opened else None
                if plain is None:
                    raise
                raise plain from exc

    def schema_version(self) -> int:
        with self._lock:
            row = self._db.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def _migrate(self) -> None:
        with self._tx() as db:
            migrate(db)

    def _recover(self) -> int:
        """Answers a crash left streaming become incomplete; returns how many."""
        with self._tx() as db:
            cursor = db.execute(
                "UPDATE messages SET status=?, error=? WHERE status=?",
                (INCOMPLETE, "The app closed while this answer was streaming.", STREAMING),
            )
            return cursor.rowcount

    # Conversations -------------------------------------------------------

    def create_conversation(self, title: str = "New chat", model: str = "", system_prompt: str = "") -> int:
        now = time.time()
        with self._tx() as db:
            cursor = db.execute(
                "INSERT INTO conversations (title, created_at, updated_at, model, system_prompt)"
                " VALUES (?, ?, ?, ?, ?)",
                (title, now, now, model, system_prompt),
            )
            return int(cursor.lastrowid or 0)

    def conversation(self, conversation_id: int) -> ConversationInfo | None:
        rows = self._conversations("WHERE c.id = ?", (conversation_id,))
        return rows[0] if rows else None

    def latest_conversation_id(self) -> int | None:
        """The newest conversation's id (the order of `list_conversations`), without listing them all."""
        with self._lock:
            row = self._db.execute("SELECT id FROM conversations ORDER BY updated_at DESC, id DESC LIMIT 1").fetchone()
        return int(row[0]) if row else None

    def list_conversations(self, query: str = "") -> list[ConversationInfo]:
        """Newest first; `query` matches titles and message text (case-insensitive LIKE)."""
        if not query.strip():
            return self._conversations("", ())
        pattern = "%" + query.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return self._conversations(
            "WHERE c.title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM messages s"
            " WHERE s.conversation_id = c.id AND s.text LIKE ? ESCAPE '\\')",
            (pattern, pattern),
        )

    def _conversations(self, where: str, args: tuple[Any, ...]) -> list[ConversationInfo]:
        sql = (
            "SELECT c.*, (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id) AS n"
            f" FROM conversations c {where} ORDER BY c.updated_at DESC, c.id DESC"
        )
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        return [conversation_from_row(r) for r in rows]

    def update_conversation(self, conversation_id: int, **fields: str) -> None:
        allowed = {k: v for k, v in fields.items() if k in ("title", "model", "system_prompt")}
        if not allowed:
            return
        assignments = ", ".join(f"{k} = ?" for k in allowed)
        with self._tx() as db:
            db.execute(
                f"UPDATE conversations SET {assignments}, updated_at = ? WHERE id = ?",
                (*allowed.values(), time.time(), conversation_id),
            )

    def rename(self, conversation_id: int, title: str) -> None:
        self.update_conversation(conversation_id, title=title.strip() or "Untitled")

    def delete_conversation(self, conversation_id: int) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM messages WHERE conversation_id = ?", (conversation_id,))
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    # Messages ------------------------------------------------------------

    def add_message(
        self,
        conversation_id: int,
        role: str,
        content: Any,
        *,
        status: AnswerStatus = "complete",
        model: str = "",
        parent: int | None | Literal["leaf"] = LEAF,
    ) -> int:
        """Add a message after `parent` (by default the end of the shown branch); it ends the shown branch."""
        now = time.time()
        with self._tx() as db:
            if parent == LEAF:
                row = db.execute("SELECT current_leaf FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
                parent = row[0] if row else None
            cursor = db.execute(
                "INSERT INTO messages (conversation_id, role, content, text, status, model, created_at, updated_at,"
                " parent_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (conversation_id, role, json.dumps(content, ensure_ascii=False), text_of(content), status, model,
                 now, now, parent),
            )  # fmt: skip
            message_id = int(cursor.lastrowid or 0)
            db.execute(
                "UPDATE conversations SET updated_at = ?, current_leaf = ? WHERE id = ?",
                (now, message_id, conversation_id),
            )
            return message_id

    def set_current_leaf(self, conversation_id: int, message_id: int | None) -> None:
        """Show the branch that ends at `message_id` (it does not count as a use: no new `updated_at`)."""
        with self._tx() as db:
            db.execute("UPDATE conversations SET current_leaf = ? WHERE id = ?", (message_id, conversation_id))

    def update_message(
        self,
        message_id: int,
        content: Any,
        status: AnswerStatus | None = None,
        error: str | None = None,
        usage: dict[str, int] | None = None,
    ) -> None:
        sets = ["content = ?", "text = ?", "updated_at = ?"]
        args: list[Any] = [json.dumps(content, ensure_ascii=False), text_of(content), time.time()]
        for column, value in (("status", status), ("error", error)):
            if value is not None:
                sets.append(f"{column} = ?")
                args.append(value)
        if usage is not None:
            sets.append("usage = ?")
            args.append(json.dumps(usage))
        with self._tx() as db:
            db.execute(f"UPDATE messages SET {', '.join(sets)} WHERE id = ?", (*args, message_id))

    def delete_message(self, message_id: int) -> None:
        """Delete a message that nothing follows (a branch's end); the shown branch ends at its parent then."""
        with self._tx() as db:
            row = db.execute("SELECT conversation_id, parent_id FROM messages WHERE id = ?", (message_id,)).fetchone()
            if row is None:
                return
            if db.execute("SELECT 1 FROM messages WHERE parent_id = ?", (message_id,)).fetchone():
                raise ValueError(f"message {message_id} has replies: only the end of a branch can be deleted")
            db.execute("DELETE FROM messages WHERE id = ?", (message_id,))
            db.execute(
                "UPDATE conversations SET current_leaf = ? WHERE id = ? AND current_leaf = ?",
                (row["parent_id"], row["conversation_id"], message_id),
            )

    def messages(self, conversation_id: int) -> list[StoredMessage]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM messages WHERE conversation_id = ? ORDER BY id", (conversation_id,)
            ).fetchall()
        return [message_from_row(r) for r in rows]

    # Preferences ---------------------------------------------------------

    def get_pref(self, key: str, default: str = "") -> str:
        with self._lock:
            row = self._db.execute("SELECT value FROM prefs WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else default

    def set_pref(self, key: str, value: str) -> None:
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO prefs (key, value) VALUES (?, ?)", (key, value))
