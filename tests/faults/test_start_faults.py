"""The app always starts: a damaged, locked or read-only conversation database (finding 2 of issue 13).

Each test starts the real app (`--self-test` under Xvfb, its demo backend) with the fault in place.
"""

from __future__ import annotations

import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

from smartspec_tk.core.chat.store import ConversationStore
from tests.faults.app_run import log_text, run_app, unshare

GARBAGE = b"this is not a database at all, but it is someone's file " * 100


def _history(data: Path) -> Path:
    data.mkdir(parents=True, exist_ok=True)
    store = ConversationStore(data / "conversations.sqlite3")
    conversation = store.create_conversation("kept title")
    store.add_message(conversation, "user", "hello, keep me")
    store.close()
    return data / "conversations.sqlite3"


def test_a_corrupt_database_is_moved_aside_and_the_app_starts(app_home: Path) -> None:
    data = app_home / "data"
    data.mkdir(parents=True)
    (data / "conversations.sqlite3").write_bytes(GARBAGE)
    result = run_app(["--self-test"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test: passed" in result.stdout
    assert "Traceback" not in result.stderr
    kept = list(data.glob("conversations.corrupt-*.sqlite3"))
    assert len(kept) == 1 and kept[0].read_bytes() == GARBAGE  # moved aside, byte for byte
    ConversationStore(data / "conversations.sqlite3").close()  # a new, working history
    assert f"was moved to {kept[0]}" in log_text(app_home)


def test_a_locked_database_is_read_into_memory_and_the_app_starts(app_home: Path) -> None:
    path = _history(app_home / "data")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys; db = sqlite3.connect(sys.argv[1], isolation_level=None);"
         " db.execute('PRAGMA locking_mode=EXCLUSIVE'); db.execute('BEGIN EXCLUSIVE');"
         " db.execute('UPDATE conversations SET title = title');"
         " print('locked', flush=True); sys.stdin.read()", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        result = run_app(["--self-test"])
    finally:
        holder.communicate("")
    assert result.returncode == 0, result.stdout + result.stderr
    log = log_text(app_home)
    assert "database is locked" in log
    assert path.exists() and not list(path.parent.glob("*.corrupt-*"))  # nothing moved: the file is fine
    store = ConversationStore(path)
    assert [c.title for c in store.list_conversations()] == ["kept title"]
    store.close()


def test_a_read_only_data_folder_keeps_the_history_visible_and_the_app_starts(app_home: Path, tmp_path: Path) -> None:
    """The data folder on a read-only file system (a tmpfs remounted read-only in a private namespace)."""
    source = _history(tmp_path / "prepared")
    data = app_home / "data"
    data.mkdir(parents=True)
    script = (
        f"mount -t tmpfs -o size=4m tmpfs {shlex.quote(str(data))}"
        f" && cp {shlex.quote(str(source))} {shlex.quote(str(data))}/"
        f" && mount -o remount,ro {shlex.quote(str(data))}"
        ' && exec "$@"'
    )
    result = run_app(["--self-test"], prefix=[*unshare(), "sh", "-c", script, "sh"])
    assert result.returncode == 0, result.stdout + result.stderr
    log = log_text(app_home)
    assert "could not be opened" in log
    assert "cannot be written" in log and "Your conversations are shown" in log  # the old history, read-only
    assert "Traceback" not in result.stderr


def test_the_in_memory_copy_shows_the_conversations(tmp_path: Path) -> None:
    """The read-only fallback as the chat sees it: the old conversations, and new ones only in memory."""
    from smartspec_tk.core.chat import store_open

    path = _history(tmp_path)
    opened = store_open._in_memory(path, "attempt to write a readonly database")
    assert opened.notice is not None and "Your conversations are shown" in opened.notice
    assert [c.title for c in opened.store.list_conversations()] == ["kept title"]
    opened.store.create_conversation("only in memory")
    opened.store.close()
    again = sqlite3.connect(path)
    assert [r[0] for r in again.execute("SELECT title FROM conversations")] == ["kept title"]
    again.close()
