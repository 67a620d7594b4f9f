"""Logging: one file per run, pruning, and redaction of secrets and presigned URLs."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import pytest

from smartspec_tk.core.logs import redact, setup_logging
from smartspec_tk.core.settings import load_settings


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


def log_to_file(tmp_path: Path, secrets: list[str] | tuple[str, ...], *lines: str) -> str:
    """Log `lines` (and one exception) through a fresh log file; returns the file's text."""
    root = logging.getLogger()
    before = list(root.handlers)
    path = setup_logging(tmp_path, "INFO", secrets=secrets)
    try:
        for line in lines:
            logging.getLogger("t").info("%s", line)
        try:
            raise ValueError("boom " + " ".join(secrets))
        except ValueError:
            logging.getLogger("t").exception("failed")
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                handler.close()
                root.removeHandler(handler)
    return path.read_text()


def test_log_file_redacts_and_names_threads(tmp_path: Path) -> None:
    content = log_to_file(tmp_path, ["canary-token-77"], "token canary-token-77 url http://h/x?sig=1")
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


def test_every_secret_setting_is_redacted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What app.py registers (`settings.secret_values`) keeps each token out of the log."""
    monkeypatch.setenv("SMARTSPEC_PROXY_TOKEN", "proxy-canary")
    monkeypatch.setenv("SMARTSPEC_ORCHESTRATOR_KEY", "orch-canary")
    monkeypatch.setenv("SMARTSPEC_MCP_WRITE_TOKEN", "write-canary")
    secrets = load_settings(None, env_file=None).settings.secret_values
    content = log_to_file(tmp_path, secrets, "tokens: proxy-canary orch-canary write-canary")
    assert "tokens: *** *** ***" in content
    assert "canary" not in content
