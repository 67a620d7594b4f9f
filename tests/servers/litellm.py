"""A real LiteLLM proxy with mock models, in its own venv (.venv-llm), on a free loopback port.

The models answer from `mock_response`, so no network or key is needed, but the
HTTP side is the real thing (uvicorn SSE, `/v1/models`, usage chunk, real 429).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.servers.process import REPO_ROOT, ServerProcess, ServerStartError, free_ports

MASTER_KEY = "sk-smartspec-test-master"
MOCK_REPLY = "Hello from the LiteLLM mock. This is a streamed reply."
MODELS = {
    "mock-gpt": MOCK_REPLY,
    "mock-ratelimit": "litellm.RateLimitError",
    "mock-midstream-error": "Exception: mock_streaming_error",
}
INSTALL_HINT = "run ./scripts/install-test-servers (it installs litellm[proxy] into .venv-llm)"


@dataclass
class LiteLLM:
    """A running proxy: base URL (no /v1), master key, model names, process."""

    base_url: str
    master_key: str
    models: tuple[str, ...]
    process: ServerProcess

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.master_key}"}

    def stop(self) -> None:
        self.process.stop()


def litellm_binary() -> Path:
    """$SMARTSPEC_LITELLM_BIN, else .venv-llm/bin/litellm in the repository; fails loudly."""
    configured = os.environ.get("SMARTSPEC_LITELLM_BIN")
    path = Path(configured) if configured else REPO_ROOT / ".venv-llm" / "bin" / "litellm"
    if not path.is_file():
        raise ServerStartError(f"LiteLLM proxy not found at {path}: {INSTALL_HINT}")
    return path


def write_config(path: Path) -> Path:
    """The proxy's YAML config: one mock model per entry of MODELS (JSON is valid YAML)."""
    import json

    entries = [
        {
            "model_name": name,
            "litellm_params": {"model": f"openai/{name}", "api_key": "sk-none", "mock_response": reply},
        }
        for name, reply in MODELS.items()
    ]
    # No router retries: a 429 reaches the client at once (with retries it takes about 5 s).
    config = {"model_list": entries, "router_settings": {"num_retries": 0}}
    path.write_text(json.dumps(config, indent=1))
    return path


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SMARTSPEC_", "VITE_"))}
    env.update(
        LITELLM_MASTER_KEY=MASTER_KEY,
        LITELLM_LOCAL_MODEL_COST_MAP="True",
        LITELLM_TELEMETRY="False",
        NO_PROXY="127.0.0.1,localhost",
    )
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        env.pop(name, None)
    return env


def start_litellm(work_dir: Path, *, ready_timeout: float = 120.0) -> LiteLLM:
    """Start the proxy and return once GET /health/liveliness answers 200."""
    binary = litellm_binary()
    work_dir.mkdir(parents=True, exist_ok=True)
    config = write_config(work_dir / "litellm.yaml")
    (port,) = free_ports(1)
    argv = [str(binary), "--config", str(config), "--host", "127.0.0.1", "--port", str(port)]
    process = ServerProcess("litellm", argv, work_dir / "litellm.log", env=_env(), cwd=work_dir, term_grace=5.0)
    server = LiteLLM(f"http://127.0.0.1:{port}", MASTER_KEY, tuple(MODELS), process)
    try:
        with httpx.Client(timeout=2.0, trust_env=False) as http:
            process.wait_ready(
                lambda: http.get(server.base_url + "/health/liveliness").status_code == 200,
                ready_timeout,
                "GET /health/liveliness is 200",
            )
    except BaseException:
        process.stop()
        raise
    return server
