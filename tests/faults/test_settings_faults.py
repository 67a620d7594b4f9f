"""Bad settings never stop the app and never show a secret (findings 1 and 3 of issue 13).

Each test starts the real app (`--self-test` under Xvfb with its demo backend, or `--doctor`).
"""

from __future__ import annotations

import json
import socket
import sqlite3
from pathlib import Path

import httpx

from smartspec_tk.core.chat.errors import describe_network
from tests.faults.app_run import log_text, run_app

CANARY = "canary-XYZ"


def _settings_file(home: Path, data: dict[str, str]) -> None:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "settings.json").write_text(json.dumps(data), encoding="utf-8")


def _everything_written(home: Path, *outputs: str) -> str:
    texts = [*outputs, log_text(home)]
    for path in home.rglob("*"):
        if path.is_file() and path.suffix in (".sqlite3", ".json", ".log", ".sqlite3-wal"):
            texts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(texts)


def test_a_token_with_a_trailing_newline_is_stripped_and_works(app_home: Path) -> None:
    """The demo backend gets the cleaned token and requires it: the chat round-trip proves it was sent."""
    _settings_file(app_home, {"proxy_token": CANARY + "\n"})
    result = run_app(["--self-test"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test: chat round-trip: ok" in result.stdout
    assert CANARY not in _everything_written(app_home, result.stdout, result.stderr).replace(
        json.dumps({"proxy_token": CANARY + "\n"}), ""
    )


def test_a_token_with_an_inner_line_break_is_refused_by_name_never_shown(app_home: Path) -> None:
    _settings_file(app_home, {"proxy_token": CANARY + "\nInjected: 1"})
    result = run_app(["--self-test"])
    assert result.returncode == 0, result.stdout + result.stderr
    log = log_text(app_home)
    assert "Access token (SMARTSPEC_PROXY_TOKEN) = <hidden> is invalid" in log and "line break" in log
    written = _everything_written(app_home, result.stdout, result.stderr)
    assert written.count(CANARY) == 1  # the settings file itself, nothing else
    stored = sqlite3.connect(app_home / "data" / "conversations.sqlite3")
    assert all(CANARY not in str(row) for row in stored.execute("SELECT error, content FROM messages"))
    stored.close()


def test_an_unsendable_header_is_described_without_its_value() -> None:
    """httpx quotes the header in its error text; the chat's message must not (it is stored and exported)."""
    client = httpx.Client(headers={"Authorization": f"Bearer {CANARY}\nX: y"})
    listener = socket.create_server(("127.0.0.1", 0))  # accepts the connection (backlog), then the headers fail
    try:
        client.get(f"http://127.0.0.1:{listener.getsockname()[1]}/v1/models")
    except httpx.HTTPError as exc:
        assert CANARY in str(exc)  # the fault is real: the raw text holds the token
        message = str(describe_network(exc, "http://127.0.0.1"))
    else:
        raise AssertionError("the request with a line break in a header was sent")
    finally:
        client.close()
        listener.close()
    assert CANARY not in message and "proxy token" in message


def test_a_non_utf8_env_file_is_ignored_with_a_message_and_the_app_starts(app_home: Path) -> None:
    Path(".env").write_bytes(b"SMARTSPEC_FONT_SIZE=12\nSMARTSPEC_DEFAULT_MODEL=caf\xe9\n")
    result = run_app(["--self-test"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "is not UTF-8 text (byte 0xe9 on line 2); it was ignored" in log_text(app_home)


def test_a_control_character_in_the_backend_url_is_reported_and_the_app_runs(app_home: Path) -> None:
    result = run_app(["--doctor"], {"SMARTSPEC_BACKEND_URL": "http://127.0.0.1:9/\x01x",
                                    "SMARTSPEC_EMBEDDED_BACKEND": "never"})  # fmt: skip
    assert "Traceback" not in result.stderr, result.stderr
    assert "[FAIL] Settings" in result.stdout
    assert "Backend address (SMARTSPEC_BACKEND_URL)" in result.stdout and "U+0001" in result.stdout
