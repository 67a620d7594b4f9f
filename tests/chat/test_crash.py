"""Crash test: kill -9 the app mid-stream; the prompt and the flushed answer survive, marked incomplete."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smartspec_tk.core.chat.store import FILE_NAME, ConversationStore
from tests.servers.reference import start_reference_backend

pytestmark = pytest.mark.servers
PROMPT = "Crash test: please answer at length"


def answer_row(db_path: Path) -> tuple[str, str] | None:
    if not db_path.exists():
        return None
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1) as db:
            row = db.execute("SELECT text, status FROM messages WHERE role='assistant' ORDER BY id DESC").fetchone()
    except sqlite3.OperationalError:
        return None
    return (row[0], row[1]) if row else None


def test_kill_minus_9_mid_stream_keeps_prompt_and_flushed_answer(tmp_path: Path) -> None:
    # offline-long streams 400 lines slowly: the app is killed long before the end.
    with start_reference_backend(tmp_path, "--stream-delay", "0.02", "--chunk-chars", "8") as backend:
        home = tmp_path / "app-home"
        env = dict(os.environ, SMARTSPEC_HOME=str(home), SMARTSPEC_BACKEND_URL=backend.url,
                   SMARTSPEC_DEFAULT_MODEL="offline-long", SMARTSPEC_TEST_AUTOSEND=PROMPT)  # fmt: skip
        app = subprocess.Popen([sys.executable, "-m", "smartspec_tk"], env=env, cwd=tmp_path,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        db_path = home / "data" / FILE_NAME
        try:
            deadline = time.monotonic() + 60
            while True:
                row = answer_row(db_path)
                if row is not None and len(row[0]) > 200:
                    break
                assert app.poll() is None, "the app exited before the kill"
                assert time.monotonic() < deadline, f"no streamed answer was flushed: {row}"
                time.sleep(0.1)
            app.send_signal(signal.SIGKILL)
            app.wait(10)
        finally:
            if app.poll() is None:
                app.kill()
                app.wait(10)
    text, status = answer_row(db_path) or ("", "")
    assert status == "streaming", "the kill must happen mid-stream"
    store = ConversationStore(db_path)  # what the app does at its next start
    assert store.recovered == 1
    conversation = store.list_conversations()[0]
    messages = store.messages(conversation.id)
    assert [(m.role, m.text, m.status) for m in messages][0] == ("user", PROMPT, "complete")
    assert messages[1].status == "incomplete"
    assert messages[1].text == text and text.startswith("**Offline model `offline-long`**")
    assert "Line 400 of a long answer" not in text
    print(f"crash evidence: prompt kept; answer kept {len(text)} characters, status streaming -> incomplete")
