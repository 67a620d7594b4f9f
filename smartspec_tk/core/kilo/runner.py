"""Which program a Kilo tab runs, and with which argv and environment.

Order: the configured template (`SMARTSPEC_KILO_RUNNER`), then the Kilo CLI
(`kilo` or `kilocode` on PATH, started once, interactively), then the SmartSpec
autopilot (`python3 -u -m ss_autopilot.cli_enhanced /name.md args…` with
`PYTHONPATH=<workspace>/.smartspec`, one process per command). A template that
contains `{command}` runs once per command (the word becomes `/name.md args…`);
one without it is started once and commands are typed into it.

The environment never carries a provider key of the user's: such variables are
removed first, then the backend is wired in (see `runner_env`).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from smartspec_tk.core.child_env import child_env, is_secret
from smartspec_tk.core.errors import ValidationError
from smartspec_tk.core.kilo.workflows import KiloCommand

RunnerKind = Literal["template", "kilo", "autopilot"]
AUTOPILOT_MODULE = "ss_autopilot.cli_enhanced"
KILO_NAMES = ("kilo", "kilocode")
PLACEHOLDER_TOKEN = "smartspec-no-token"  # noqa: S105 - a placeholder, not a secret
KILO_PROVIDER_ID = "smartspec"
# Inherited variables that could send the runner's LLM calls anywhere but the backend.
_STRIP_PREFIXES = (
    "OPENAI_", "AZURE_OPENAI_", "ANTHROPIC_", "GEMINI_", "GOOGLE_GENERATIVE_AI_", "VERTEX_", "GROQ_",
    "MISTRAL_", "COHERE_", "DEEPSEEK_", "OPENROUTER_", "XAI_", "TOGETHER_", "FIREWORKS_", "PERPLEXITY_",
    "HUGGINGFACE_", "LITELLM_", "OLLAMA_", "CEREBRAS_", "KILOCODE_", "KILO_", "OPENCODE_", "SMARTSPEC_",
    "VITE_", "CONTROL_PLANE_", "ORCHESTRATOR_", "R2_", "STRIPE_", "JWT_",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Runner:
    """The chosen runner: how to start it and whether it takes one command per process."""

    kind: RunnerKind
    words: tuple[str, ...]  # the argv before expansion (a template may hold `{command}`)
    per_command: bool  # True: one process per command; False: started once, commands typed in
    description: str

    def argv(self, command: KiloCommand | None, workspace: Path) -> list[str]:
        """The argv for one command (per-command runners) or for the session (interactive ones)."""
        if self.per_command and command is None:
            raise ValidationError("This runner needs a command: type /name.md and press Run")
        out: list[str] = []
        for word in self.words:
            if word == "{command}":
                out.extend(command.argv() if command else [])
            else:
                out.append(word.replace("{workspace}", str(workspace)))
        return out


@dataclass(frozen=True, slots=True)
class RunnerMissing:
    """No runner was found: what was looked for, and how to configure one."""

    looked_for: tuple[str, ...]
    advice: str = (
        "Install the Kilo CLI (npm install -g @kilocode/cli) so that `kilo` is on PATH, or add the "
        "SmartSpec autopilot to <workspace>/.smartspec/ss_autopilot/, or set SMARTSPEC_KILO_RUNNER "
        "(Settings → Kilo runner) to a command line; a word {command} in it becomes /name.md args…"
    )

    def text(self) -> str:
        lines = ["No Kilo runner found. Looked for:"]
        lines += [f"  • {item}" for item in self.looked_for]
        return "\n".join([*lines, "", self.advice])


@dataclass(frozen=True, slots=True)
class RunnerContext:
    """Everything the detection and the environment depend on (no globals, for tests)."""

    workspace: Path
    backend_url: str
    token: str | None = None
    default_model: str = ""
    template: str = ""
    base_env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    models: tuple[str, ...] = ()  # models the backend offers (for the Kilo CLI's provider entry)


def detect(ctx: RunnerContext, which: Callable[..., str | None] = shutil.which) -> Runner | RunnerMissing:
    """Pick the runner: configured template, then `kilo`/`kilocode` on PATH, then the autopilot."""
    looked: list[str] = []
    path = ctx.base_env.get("PATH", os.defpath)
    if ctx.template.strip():
        try:
            words = tuple(shlex.split(ctx.template))
        except ValueError as exc:
            raise ValidationError(f"SMARTSPEC_KILO_RUNNER could not be read ({exc}); check its quotes") from None
        if words and (which(words[0], path=path) or Path(words[0]).is_file()):
            return Runner("template", words, "{command}" in words, f"configured runner: {ctx.template}")
        looked.append(f"SMARTSPEC_KILO_RUNNER = {ctx.template!r} (its program was not found)")
    for name in KILO_NAMES:
        found = which(name, path=path)
        if found:
            return Runner("kilo", (found,), False, f"Kilo CLI ({found}), interactive")
    looked.append("`kilo` or `kilocode` on PATH (the Kilo CLI, npm package @kilocode/cli)")
    package = ctx.workspace / ".smartspec" / "ss_autopilot"
    python = which("python3", path=path) or which("python", path=path)
    if package.is_dir() and python:
        words = (python, "-u", "-m", AUTOPILOT_MODULE, "{command}")
        return Runner("autopilot", words, True, f"SmartSpec autopilot ({package})")
    looked.append(f"the SmartSpec autopilot in {package} (with python3 on PATH)")
    return RunnerMissing(tuple(looked))


def is_provider_secret(name: str) -> bool:
    return name.upper().startswith(_STRIP_PREFIXES) or is_secret(name)


def runner_env(ctx: RunnerContext, runner: Runner) -> dict[str, str]:
    """The child's environment: the inherited one minus provider keys, plus the backend wiring."""
    env = {k: v for k, v in child_env(ctx.base_env).items() if not is_provider_secret(k)}
    env.update(TERM="xterm-256color", COLORTERM="truecolor")
    env["SMARTSPEC_BACKEND_URL"] = ctx.backend_url
    if ctx.token:
        env["SMARTSPEC_PROXY_TOKEN"] = ctx.token
    env["SMARTSPEC_DEFAULT_MODEL"] = ctx.default_model
    env["OPENAI_BASE_URL"] = env["OPENAI_API_BASE"] = f"{ctx.backend_url}/v1"
    env["OPENAI_API_KEY"] = ctx.token or PLACEHOLDER_TOKEN
    env["SMARTSPEC_WORKSPACE"] = str(ctx.workspace)
    if runner.kind == "autopilot" or AUTOPILOT_MODULE in runner.words:
        extra = str(ctx.workspace / ".smartspec")
        env["PYTHONPATH"] = os.pathsep.join(p for p in (extra, ctx.base_env.get("PYTHONPATH", "")) if p)
        env["CI"] = "1"
    if runner.kind == "kilo" or Path(runner.words[0]).name in KILO_NAMES:
        env.update(kilo_env(ctx))
    return env


def kilo_env(ctx: RunnerContext) -> dict[str, str]:
    """The Kilo CLI's own settings: our backend as its only provider, nothing sent elsewhere.

    `KILO_CONFIG_CONTENT` is the Kilo CLI's highest-precedence config layer (it
    wins over the user's and the project's kilo.json). The key itself is not in
    it: the CLI substitutes `{env:SMARTSPEC_PROXY_TOKEN}` from its environment,
    so no secret is written anywhere.
    """
    return {
        "KILO_CONFIG_CONTENT": json.dumps(kilo_config(ctx), separators=(",", ":")),
        "KILO_DISABLE_AUTOUPDATE": "1",
        "KILO_DISABLE_MODELS_FETCH": "1",
        "KILO_DISABLE_SHARE": "1",
        "KILO_DISABLE_SESSION_INGEST": "1",
        "KILO_DISABLE_LSP_DOWNLOAD": "1",
        "KILO_TELEMETRY_LEVEL": "off",
    }


def kilo_config(ctx: RunnerContext) -> dict[str, object]:
    models = _model_list(ctx.default_model, ctx.models)
    key_ref = "{env:SMARTSPEC_PROXY_TOKEN}" if ctx.token else PLACEHOLDER_TOKEN
    options: dict[str, object] = {"baseURL": f"{ctx.backend_url}/v1", "apiKey": key_ref}
    if ctx.token:
        options["headers"] = {"x-proxy-token": "{env:SMARTSPEC_PROXY_TOKEN}"}
    provider = {
        "npm": "@ai-sdk/openai-compatible",
        "name": "SmartSpec backend",
        "options": options,
        "models": {name: {"name": name} for name in models},
    }
    return {
        "command": smartspec_commands(ctx.workspace),
        "provider": {KILO_PROVIDER_ID: provider},
        "enabled_providers": [KILO_PROVIDER_ID],
        "model": f"{KILO_PROVIDER_ID}/{models[0]}",
        "small_model": f"{KILO_PROVIDER_ID}/{models[0]}",
        "autoupdate": False,
        "share": "disabled",
    }


def smartspec_commands(workspace: Path) -> dict[str, dict[str, str]]:
    """`.smartspec/workflows/*.md` as Kilo CLI commands (it only knows `.kilocode/workflows` itself).

    The template is a `{file:…}` reference, so the CLI reads the file; the command's
    arguments are appended by the CLI.
    """
    from smartspec_tk.core.kilo.workflows import discover

    return {
        w.name: {"template": "{file:" + str(w.path.resolve()) + "}", "description": w.description or w.command}
        for w in discover(workspace)
        if w.source == ".smartspec/workflows" and "}" not in str(w.path)
    }


def _model_list(default_model: str, models: Sequence[str]) -> list[str]:
    ordered = [m for m in (default_model, *models) if m]
    return list(dict.fromkeys(ordered)) or ["default"]
