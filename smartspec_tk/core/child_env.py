"""The environment of every program the app starts: the user's, without our secrets (issue 13, finding 8).

`child_env()` is the one place a child's environment is built: terminal tabs (through
`terminal_env`), the Kilo runner (`runner_env`), the file manager, the theme probe and
the demo backend. It drops the one-file bootloader's variables (`core.frozen`) and
every secret: the app's tokens under their `SMARTSPEC_*` and `VITE_*` names (any such
name ending in TOKEN, KEY or SECRET) and the provider keys (`*_API_KEY`, `HF_TOKEN`,
AWS keys, …). Only two children get a token back, on purpose: the demo backend (the
proxy token it must require) and the Kilo runner (what product.md §2 lists).

`remove_secrets_from_environment()` also takes them out of this process's own
environment once the settings are read, so a program a library starts for us
(`webbrowser`) inherits none either.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from smartspec_tk.core.frozen import external_env, self_env

APP_SECRETS = frozenset({
    "SMARTSPEC_PROXY_TOKEN", "SMARTSPEC_MCP_WRITE_TOKEN", "SMARTSPEC_ORCHESTRATOR_KEY",
    "VITE_PY_PROXY_TOKEN", "VITE_ORCHESTRATOR_KEY",
})  # fmt: skip
PROVIDER_SECRETS = frozenset({
    "GOOGLE_API_KEY", "HF_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
    "AWS_BEARER_TOKEN_BEDROCK", "GITHUB_COPILOT_TOKEN", "DATABASE_URL",
})  # fmt: skip
# The app's and the reference backend's own: SMARTSPEC_UPSTREAM_KEY, SMARTSPEC_BACKEND_S3_SECRET_KEY, VITE_*_TOKEN, …
APP_SECRET_PATTERN = re.compile(r"^(SMARTSPEC|VITE)_\w*(TOKEN|KEY|SECRET)$")
SECRET_SUFFIX = re.compile(r"_(API_KEY|APIKEY|API_TOKEN|ACCESS_TOKEN|SECRET_KEY)$")


def is_secret(name: str) -> bool:
    """Whether an environment variable holds a secret no child of ours may see."""
    upper = name.upper()
    if upper in APP_SECRETS or upper in PROVIDER_SECRETS:
        return True
    return bool(APP_SECRET_PATTERN.match(upper) or SECRET_SUFFIX.search(upper))


def child_env(
    base: Mapping[str, str] | None = None, *, extra: Mapping[str, str] | None = None, same_program: bool = False
) -> dict[str, str]:
    """`base` (default os.environ) without secrets, plus `extra` (which may give one back on purpose).

    `same_program`: the child is this executable again (the demo backend), so the one-file
    bootloader's variables are kept for it; any other program gets the user's environment.
    """
    env = self_env(base) if same_program else external_env(base)
    result = {name: value for name, value in env.items() if not is_secret(name)}
    result.update(extra or {})
    return result


def remove_secrets_from_environment() -> list[str]:
    """Take every secret out of os.environ (after the settings were read); returns the names taken."""
    names = [name for name in os.environ if is_secret(name)]
    for name in names:
        del os.environ[name]
    return names
