"""The small ones (issue 13, finding 10): a file one byte over the cap, a settings file with a token that
others can read, and an ill-formed token in the connection doctor — each with the real thing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from smartspec_tk.core.media.errors import FileRefused
from smartspec_tk.core.media.validation import check_file
from smartspec_tk.core.settings import load_settings
from tests.core.test_doctor_cli import run_doctor
from tests.faults.app_run import log_text, run_app
from tests.servers.reference import RunningServer

PNG = b"\x89PNG\r\n\x1a\n"


def test_a_file_one_byte_over_the_cap_says_both_exact_sizes(tmp_path: Path, app_home: Path) -> None:
    settings = load_settings(None, None).settings  # the default cap: 10 MB
    picture = tmp_path / "photo.png"
    with picture.open("wb") as handle:
        handle.write(PNG)
        handle.truncate(settings.max_upload_bytes + 1)
    with pytest.raises(FileRefused) as refused:
        check_file(picture, max_bytes=settings.max_upload_bytes, allowed_types=settings.allowed_type_list)
    assert str(refused.value) == (
        "photo.png is 10,485,761 bytes; the limit is 10 MB (10,485,760 bytes, setting max_upload_mb)."
    )
    with picture.open("r+b") as handle:
        handle.truncate(settings.max_upload_bytes)  # exactly at the cap: accepted
    assert check_file(picture, max_bytes=settings.max_upload_bytes, allowed_types=("image/png",)).size == 10 * 2**20


def _settings_file(home: Path, mode: int) -> Path:
    path = home / "config" / "settings.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"proxy_token": "canary-readable-9d1e", "font_size": 12}), encoding="utf-8")
    os.chmod(path, mode)
    return path


def test_a_settings_file_others_can_read_with_a_token_in_it_is_reported(app_home: Path) -> None:
    path = _settings_file(app_home, 0o644)
    result = run_app(["--self-test"])
    assert result.returncode == 0, result.stdout + result.stderr
    log = log_text(app_home)
    assert f"The settings file {path} holds a token and other users can read it (mode 0644)" in log
    assert f"chmod 600 '{path}'" in log
    assert "canary-readable-9d1e" not in log + result.stdout + result.stderr
    os.chmod(path, 0o600)
    assert load_settings(path, None).problems == ()  # private: nothing to say


def test_the_doctor_reports_an_ill_formed_token_as_an_invalid_setting(
    reference_backend_factory: Callable[..., RunningServer], tmp_path: Path
) -> None:
    backend = reference_backend_factory("--token", "s3cret")
    run = run_doctor(backend.url, tmp_path, SMARTSPEC_PROXY_TOKEN="s3c ret")
    assert run.code != 0
    settings = run.line("Settings")
    assert "[FAIL]" in settings and "Access token (SMARTSPEC_PROXY_TOKEN)" in settings and "a space" in settings
    assert "[  ok] Backend reachable" in run.output and "not reachable" not in run.output
    assert "The proxy token that is set is not valid (see Settings above)" in run.line("Token accepted")
    assert "s3c ret" not in run.output
