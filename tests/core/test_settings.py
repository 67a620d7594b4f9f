"""Settings: aliases, source order, forgiveness of bad values and files, saving."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from pydantic import ValidationError as PydanticValidationError

from smartspec_tk.core.settings import Settings, load_settings, save_user_settings
from smartspec_tk.core.settings_sources import read_user_settings


def test_defaults(tmp_path: Path) -> None:
    loaded = load_settings(tmp_path / "missing.json", env_file=None)
    assert loaded.problems == ()
    settings = loaded.settings
    assert settings.backend_url == "http://localhost:8000"
    assert settings.proxy_token is None
    assert settings.max_upload_bytes == 10 * 1024 * 1024
    assert "image/png" in settings.allowed_type_list


@pytest.mark.parametrize(
    ("alias", "field", "value", "expected"),
    [
        ("VITE_PY_BACKEND_URL", "backend_url", "http://127.0.0.1:9000/", "http://127.0.0.1:9000"),
        ("VITE_WORKSPACE_PATH", "workspace", "/srv/ws", Path("/srv/ws")),
        ("SMARTSPEC_BACKEND_URL", "backend_url", "http://h:1", "http://h:1"),
    ],
)
def test_vite_aliases(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, alias: str, field: str, value: str, expected: object
) -> None:
    monkeypatch.setenv(alias, value)
    settings = load_settings(None, env_file=None).settings
    assert getattr(settings, field) == expected


def test_token_aliases_and_secrecy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VITE_PY_PROXY_TOKEN", "tok-123")
    monkeypatch.setenv("VITE_ORCHESTRATOR_KEY", "orch-9")
    settings = load_settings(None, env_file=None).settings
    assert settings.token == "tok-123"
    assert settings.orchestrator_key is not None
    assert "tok-123" not in repr(settings)
    assert "orch-9" not in repr(settings)


def test_mcp_write_token_is_a_secret(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SMARTSPEC_PROXY_TOKEN", "tok-123")
    monkeypatch.setenv("SMARTSPEC_MCP_WRITE_TOKEN", "write-77")
    settings = load_settings(None, env_file=None).settings
    assert settings.write_token == "write-77"
    assert "write-77" not in repr(settings)
    assert set(settings.secret_values) == {"tok-123", "write-77"}
    path = tmp_path / "settings.json"
    save_user_settings(path, {"mcp_write_token": "write-77", "remote_mode": True})
    assert read_user_settings(path) == {"remote_mode": True}
    save_user_settings(path, {"mcp_write_token": "write-77"}, include_secrets=True)
    assert read_user_settings(path) == {"mcp_write_token": "write-77"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    monkeypatch.setenv("SMARTSPEC_MCP_WRITE_TOKEN", "  ")
    assert load_settings(None, env_file=None).settings.write_token is None


def test_source_order_env_beats_dotenv_beats_user_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    user_file = tmp_path / "settings.json"
    user_file.write_text(json.dumps({"backend_url": "http://file:1", "default_model": "file-model", "font_size": 14}))
    dotenv = tmp_path / ".env"
    dotenv.write_text("SMARTSPEC_BACKEND_URL=http://dotenv:2\nSMARTSPEC_DEFAULT_MODEL=dotenv-model\n")
    monkeypatch.setenv("SMARTSPEC_BACKEND_URL", "http://env:3")
    settings = load_settings(user_file, env_file=dotenv).settings
    assert settings.backend_url == "http://env:3"
    assert settings.default_model == "dotenv-model"
    assert settings.font_size == 14


def test_bad_env_value_falls_back_and_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTSPEC_FONT_SIZE", "huge")
    monkeypatch.setenv("SMARTSPEC_BACKEND_URL", "ftp://nope")
    monkeypatch.setenv("SMARTSPEC_DEFAULT_MODEL", "still-used")
    loaded = load_settings(None, env_file=None)
    assert loaded.settings.font_size == 11
    assert loaded.settings.backend_url == "http://localhost:8000"
    assert loaded.settings.default_model == "still-used"
    assert len(loaded.problems) == 2
    # Named as the user knows the setting, in plain words (not pydantic's field names and phrasing):
    assert "Terminal font size (SMARTSPEC_FONT_SIZE) = 'huge' is invalid: must be a whole number; " \
           "the default is used." in loaded.problems
    assert not any("font_size" in p or "Input should" in p for p in loaded.problems)


def test_bad_token_value_is_not_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTSPEC_TOKEN_MODE", "shout")
    loaded = load_settings(None, env_file=None)
    assert loaded.settings.token_mode == "both"
    assert loaded.problems and "Send the token as (SMARTSPEC_TOKEN_MODE)" in loaded.problems[0]
    assert "must be one of both, bearer or header" in loaded.problems[0]
    assert "shout" not in loaded.problems[0]  # token-ish names never show their value


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", "\x00\xff garbage"])
def test_corrupt_user_file_gives_defaults(tmp_path: Path, content: str) -> None:
    user_file = tmp_path / "settings.json"
    user_file.write_text(content, encoding="latin-1")
    loaded = load_settings(user_file, env_file=None)
    assert loaded.settings.backend_url == "http://localhost:8000"
    assert len(loaded.problems) == 1
    assert "settings.json" in loaded.problems[0]


def test_settings_are_frozen() -> None:
    settings = load_settings(None, env_file=None).settings
    with pytest.raises(PydanticValidationError):
        settings.backend_url = "http://x"  # type: ignore[misc]


def test_save_without_token_unless_asked(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "settings.json"
    values = {"backend_url": "http://127.0.0.1:1234", "proxy_token": "secret-tok", "font_size": "13"}
    save_user_settings(path, values)
    assert "secret-tok" not in path.read_text()
    assert read_user_settings(path)["backend_url"] == "http://127.0.0.1:1234"

    save_user_settings(path, values, include_secrets=True)
    assert read_user_settings(path)["proxy_token"] == "secret-tok"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    reloaded = load_settings(path, env_file=None).settings
    assert reloaded.token == "secret-tok"
    assert reloaded.font_size == 13


def test_every_setting_is_documented_in_env_example() -> None:
    example = (Path(__file__).parents[2] / ".env.example").read_text()
    for name in Settings.model_fields:
        assert f"SMARTSPEC_{name.upper()}" in example, name


def test_raw_text_values_are_converted(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"FONT_SIZE": "13", "REMOTE_MODE": "yes", "CONNECT_TIMEOUT_S": "2.5",
                        "PROXY_TOKEN": "s3cr3t-v4lue", "CA_FILE": "", "LOG_LEVEL": "debug"}.items():
        monkeypatch.setenv(f"SMARTSPEC_{name}", value)
    loaded = load_settings(None, env_file=None)
    settings = loaded.settings
    assert loaded.problems == ()
    assert (settings.font_size, settings.remote_mode, settings.connect_timeout_s) == (13, True, 2.5)
    assert settings.token == "s3cr3t-v4lue" and "s3cr3t" not in repr(settings)
    assert settings.ca_file is None and settings.log_level == "DEBUG"


def test_env_example_as_dotenv_loads_cleanly(tmp_path: Path) -> None:
    """A user who copies .env.example to .env gets the defaults, not errors for the empty values."""
    dotenv = tmp_path / ".env"
    dotenv.write_text((Path(__file__).parents[2] / ".env.example").read_text())
    loaded = load_settings(None, env_file=dotenv)
    assert loaded.problems == ()
    assert loaded.settings.ca_file is None and loaded.settings.proxy_token is None
    assert loaded.settings.backend_url == "http://localhost:8000"


def test_dotenv_is_read_case_insensitively_with_aliases(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text('export vite_py_backend_url="http://dotenv:7/"\n# comment\nSMARTSPEC_FONT_SIZE=12 # note\n')
    settings = load_settings(None, env_file=dotenv).settings
    assert settings.backend_url == "http://dotenv:7"
    assert settings.font_size == 12


def test_smartspec_name_wins_over_its_vite_alias(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VITE_PY_BACKEND_URL", "http://vite:1")
    monkeypatch.setenv("SMARTSPEC_BACKEND_URL", "http://smartspec:2")
    assert load_settings(None, env_file=None).settings.backend_url == "http://smartspec:2"


def test_other_programs_variables_are_not_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """$SHELL is the user's shell, not SMARTSPEC_SHELL (which would turn off the login shell)."""
    monkeypatch.setenv("SHELL", "/bin/zsh")
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    monkeypatch.setenv("WORKSPACE", "/elsewhere")
    settings = load_settings(None, env_file=None).settings
    assert settings.shell == ""
    assert settings.log_level == "INFO"
    assert settings.workspace != Path("/elsewhere")


def test_field_names_still_work_in_the_user_file_and_in_code(tmp_path: Path) -> None:
    user_file = tmp_path / "settings.json"
    user_file.write_text(json.dumps({"shell": "/bin/dash", "log_level": "warning"}))
    settings = load_settings(user_file, env_file=None).settings
    assert (settings.shell, settings.log_level) == ("/bin/dash", "WARNING")
    assert Settings(shell="/bin/sh", _env_file=None).shell == "/bin/sh"  # type: ignore[call-arg]
