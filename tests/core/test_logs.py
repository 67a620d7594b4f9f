"""Logging: one file per run, pruning, and redaction of secrets and presigned URLs."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from smartspec_tk.core.logs import redact, setup_logging


def test_redact_query_strings_bearer_and_secrets() -> None:
    text = (
        "PUT https://s3.example:8333/b/k.png?X-Amz-Signature=abc&X-Amz-Credential=x failed; "
        "Authorization: Bearer tok-1 x-proxy-token: tok-1 {'x-orchestrator-key': 'ok-2'} my-secret"
    )
    cleaned = redact(text, ["my-secret"])
    assert "X-Amz-Signature" not in cleaned
    assert "https://s3.example:8333/b/k.png?<redacted>" in cleaned
    assert "tok-1" not in cleaned
    assert "ok-2" not in cleaned
    assert "my-secret" not in cleaned


def test_log_file_redacts_and_names_threads(tmp_path: Path) -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    path = setup_logging(tmp_path, "INFO", secrets=["canary-token-77"])
    try:
        logging.getLogger("t").info("token canary-token-77 url http://h/x?sig=1")
        try:
            raise ValueError("boom canary-token-77")
        except ValueError:
            logging.getLogger("t").exception("failed")
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                handler.close()
                root.removeHandler(handler)
    content = path.read_text()
    assert "canary-token-77" not in content
    assert "sig=1" not in content
    assert "[MainThread]" in content
    assert "ValueError" in content


def test_old_logs_are_pruned(tmp_path: Path) -> None:
    for i in range(15):
        old = tmp_path / f"smartspec-tk-2020010{i:02d}-000000-1.log"
        old.write_text("x")
        os.utime(old, (time.time() - 1000 + i, time.time() - 1000 + i))
    root = logging.getLogger()
    before = list(root.handlers)
    path = setup_logging(tmp_path)
    for handler in root.handlers[:]:
        if handler not in before:
            handler.close()
            root.removeHandler(handler)
    remaining = list(tmp_path.glob("smartspec-tk-*.log"))
    assert len(remaining) == 10
    assert path in remaining
