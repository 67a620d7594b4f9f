"""Logging: one file per run in the log folder, old files pruned, secrets redacted.

The redaction filter removes registered secret values, `Bearer …` values and the
query string of every URL (presigned URLs are credentials too).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
import time
from collections.abc import Iterable
from pathlib import Path

KEEP_FILES = 10
FORMAT = "%(asctime)s %(levelname)-7s [%(threadName)s] %(name)s: %(message)s"

_URL_QUERY = re.compile(r"(\bhttps?://[^\s?#\"'<>]+)\?[^\s\"'<>]*")
_BEARER = re.compile(r"(?i)(bearer\s+)[^\s\"',]+")
_TOKEN_HEADER = re.compile(
    r"(?i)((?:x-proxy-token|x-orchestrator-key|x-mcp-write-token)['\"]?\s*[:=]\s*['\"]?)[^\s\"',}]+"
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """Text without secret values, bearer tokens or URL query strings."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = _URL_QUERY.sub(r"\1?<redacted>", text)
    text = _BEARER.sub(r"\1***", text)
    return _TOKEN_HEADER.sub(r"\1***", text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's final message through `redact`."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message, self.secrets)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        record.msg, record.args = cleaned, None
        return True


def add_secrets(secrets: Iterable[str]) -> None:
    """Redact these too from now on (a token typed into Settings during the run)."""
    for handler in logging.getLogger().handlers:
        for found in handler.filters:
            if isinstance(found, RedactingFilter):
                found.secrets.extend(s for s in secrets if s and s not in found.secrets)


def setup_logging(log_dir: Path, level: str = "INFO", secrets: Iterable[str] = ()) -> Path:
    """Start this run's log file and prune old ones; returns the file's path."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = log_dir / f"smartspec-tk-{stamp}-{os.getpid()}.log"
    handler: logging.Handler
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = LogFileHandler(path)
    except OSError as exc:  # read-only or full: the log goes to stderr, the app starts all the same
        print(f"smartspec-tk: the log file {path} cannot be created ({exc.strerror}); logging to stderr.",
              file=sys.stderr)  # fmt: skip
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    _prune(log_dir, keep=KEEP_FILES)
    return path


class LogFileHandler(logging.FileHandler):
    """The run's log file; when the disk fills up (or turns read-only) it says so once on stderr
    and carries on there, instead of a "--- Logging error ---" traceback for every record."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, encoding="utf-8")
        self.broken = False

    def emit(self, record: logging.LogRecord) -> None:
        if self.broken:
            sys.stderr.write(self.format(record) + "\n")
            return
        super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        error = sys.exc_info()[1]
        if not isinstance(error, OSError):
            super().handleError(record)
            return
        self.broken = True
        sys.stderr.write(f"smartspec-tk: the log file {self.baseFilename} cannot be written ({error.strerror}); "
                         "the log continues here.\n")  # fmt: skip
        sys.stderr.write(self.format(record) + "\n")


def _prune(log_dir: Path, keep: int) -> None:
    files = sorted(log_dir.glob("smartspec-tk-*.log"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()
