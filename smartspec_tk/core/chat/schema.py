"""The conversation store's schema: its migrations, each applied once, in order (docs/conversations.md).

Migrations only create tables, add columns and indexes, and fill new columns from
the data already there; they never drop or rewrite it.
"""

from __future__ import annotations

import sqlite3
import time

MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (
        1,
        (
            "CREATE TABLE conversations (id INTEGER PRIMARY KEY, title TEXT NOT NULL,"
            " created_at REAL NOT NULL, updated_at REAL NOT NULL)",
            "CREATE TABLE messages (id INTEGER PRIMARY KEY,"
            " conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,"
            " role TEXT NOT NULL, content TEXT NOT NULL, text TEXT NOT NULL DEFAULT '',"
            " status TEXT NOT NULL DEFAULT 'complete', error TEXT NOT NULL DEFAULT '',"
            " created_at REAL NOT NULL, updated_at REAL NOT NULL)",
            "CREATE INDEX messages_by_conversation ON messages(conversation_id, id)",
        ),
    ),
    (
        2,
        (
            "ALTER TABLE conversations ADD COLUMN model TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE conversations ADD COLUMN system_prompt TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE messages ADD COLUMN model TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE messages ADD COLUMN usage TEXT",
            "CREATE TABLE prefs (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ),
    ),
    (
        3,  # branches: every message points at the one it follows; the shown branch ends at current_leaf
        (
            "ALTER TABLE messages ADD COLUMN parent_id INTEGER",
            "ALTER TABLE conversations ADD COLUMN current_leaf INTEGER",
            # Before branches a conversation was one line: each message follows the one before it.
            "UPDATE messages SET parent_id = (SELECT MAX(p.id) FROM messages p"
            " WHERE p.conversation_id = messages.conversation_id AND p.id < messages.id)",
            "UPDATE conversations SET current_leaf = (SELECT MAX(m.id) FROM messages m"
            " WHERE m.conversation_id = conversations.id)",
            "CREATE INDEX messages_by_parent ON messages(parent_id)",
        ),
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]


def migrate(db: sqlite3.Connection) -> None:
    """Apply the migrations `db` has not seen yet (call inside a transaction)."""
    db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at REAL NOT NULL)")
    current = db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0
    for version, statements in MIGRATIONS:
        if version <= current:
            continue
        for statement in statements:
            db.execute(statement)
        db.execute("INSERT INTO schema_version VALUES (?, ?)", (version, time.time()))
