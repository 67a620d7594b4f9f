"""Runner detection, argv, and the environment a runner gets (backend wired in, no provider key)."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

from smartspec_tk.core.kilo import runner as rn
from smartspec_tk.core.kilo.cancel import cancel_run, live_members
from smartspec_tk.core.kilo.workflows import parse_command
from tests.kilo.conftest import checked_report_env, read_report

PARENT_ENV = {
    "PATH": os.environ["PATH"],
    "HOME": "/home/someone",
    "OPENAI_API_KEY": "sk-leak-test",
    "ANTHROPIC_API_KEY": "sk-ant-leak-test",
    "OPENROUTER_API_KEY": "or-leak",
    "MY_VENDOR_API_KEY": "leak",
    "KILO_API_KEY": "kilo-leak",
    "SMARTSPEC_PROXY_TOKEN": "stale-token-of-the-parent",
    "LANG": "C.UTF-8",
}


def context(workspace: Path, **kw: object) -> rn.RunnerContext:
    values: dict[str, object] = {
        "workspace": workspace, "backend_url": "http://127.0.0.1:9", "token": "tok-1",
        "default_model": "m-1", "base_env": PARENT_ENV,
    }  # fmt: skip
    values.update(kw)
    return rn.RunnerContext(**values)  # type: ignore[arg-type]


def fake_which(found: dict[str, str]):  # type: ignore[no-untyped-def]
    return lambda name, path=None: found.get(name)


def test_order_template_then_kilo_then_autopilot(autopilot_workspace: Path) -> None:
    ctx = context(autopilot_workspace, template="myrunner --x {command}")
    which = fake_which({"myrunner": "/bin/myrunner", "kilo": "/bin/kilo", "python3": "/usr/bin/python3"})
    chosen = rn.detect(ctx, which)
    assert isinstance(chosen, rn.Runner) and chosen.kind == "template" and chosen.per_command
    command = parse_command("/sync-tasks a b")
    assert chosen.argv(command, autopilot_workspace) == ["myrunner", "--x", "/sync-tasks.md", "a", "b"]
    kilo = rn.detect(context(autopilot_workspace), which)
    assert isinstance(kilo, rn.Runner) and kilo.kind == "kilo" and not kilo.per_command
    assert kilo.argv(None, autopilot_workspace) == ["/bin/kilo"]
    auto = rn.detect(context(autopilot_workspace), fake_which({"python3": "/usr/bin/python3"}))
    assert isinstance(auto, rn.Runner) and auto.kind == "autopilot"
    assert auto.argv(command, autopilot_workspace) == [
        "/usr/bin/python3", "-u", "-m", "ss_autopilot.cli_enhanced", "/sync-tasks.md", "a", "b",
    ]  # fmt: skip


def test_nothing_found_says_what_was_looked_for(tmp_path: Path) -> None:
    missing = rn.detect(context(tmp_path, template="nosuchprog {command}"), fake_which({}))
    assert isinstance(missing, rn.RunnerMissing)
    text = missing.text()
    assert "nosuchprog" in text and "`kilo` or `kilocode`" in text and "ss_autopilot" in text
    assert "SMARTSPEC_KILO_RUNNER" in text


def test_env_strips_provider_keys_and_wires_the_backend(autopilot_workspace: Path) -> None:
    auto = rn.detect(context(autopilot_workspace), fake_which({"python3": sys.executable}))
    assert isinstance(auto, rn.Runner)
    env = rn.runner_env(context(autopilot_workspace), auto)
    assert env["OPENAI_API_KEY"] == "tok-1" and env["OPENAI_BASE_URL"] == "http://127.0.0.1:9/v1"
    assert env["SMARTSPEC_PROXY_TOKEN"] == "tok-1" and env["SMARTSPEC_BACKEND_URL"] == "http://127.0.0.1:9"
    assert env["SMARTSPEC_DEFAULT_MODEL"] == "m-1"
    assert env["PYTHONPATH"].split(os.pathsep)[0] == str(autopilot_workspace / ".smartspec")
    for leaked in ("ANTHROPIC_API_KEY", "OPENROUTER_API_KEY", "MY_VENDOR_API_KEY", "KILO_API_KEY"):
        assert leaked not in env
    assert "sk-leak-test" not in json.dumps(env)
    assert env["HOME"] == "/home/someone" and env["LANG"] == "C.UTF-8"


def test_env_without_token_uses_a_placeholder_and_no_token_variable(autopilot_workspace: Path) -> None:
    kilo = rn.Runner("kilo", ("/bin/kilo",), False, "kilo")
    env = rn.runner_env(context(autopilot_workspace, token=None, default_model=""), kilo)
    assert env["OPENAI_API_KEY"] == rn.PLACEHOLDER_TOKEN and "SMARTSPEC_PROXY_TOKEN" not in env
    config = json.loads(env["KILO_CONFIG_CONTENT"])
    assert config["model"] == "smartspec/default"
    assert config["provider"]["smartspec"]["options"]["apiKey"] == rn.PLACEHOLDER_TOKEN


def test_kilo_config_points_at_the_backend_and_holds_no_secret(autopilot_workspace: Path) -> None:
    kilo = rn.Runner("kilo", ("/bin/kilo",), False, "kilo")
    env = rn.runner_env(context(autopilot_workspace, models=("m-2", "m-1")), kilo)
    assert "tok-1" not in env["KILO_CONFIG_CONTENT"]
    config = json.loads(env["KILO_CONFIG_CONTENT"])
    provider = config["provider"]["smartspec"]
    assert provider["options"]["baseURL"] == "http://127.0.0.1:9/v1"
    assert provider["options"]["apiKey"] == "{env:SMARTSPEC_PROXY_TOKEN}"
    assert list(provider["models"]) == ["m-1", "m-2"] and config["model"] == "smartspec/m-1"
    assert config["enabled_providers"] == ["smartspec"]
    workflow = autopilot_workspace / ".smartspec" / "workflows" / "sync-tasks.md"
    expected = {"template": "{file:" + str(workflow) + "}", "description": "Sync tasks"}
    assert config["command"] == {"sync-tasks": expected}


def spawn(argv: list[str], env: dict[str, str], cwd: Path):  # type: ignore[no-untyped-def]
    from ptyprocess import PtyProcess

    return PtyProcess.spawn(argv, env=env, cwd=str(cwd), dimensions=(24, 80))


def wait_for(condition, timeout: float = 15.0, what: str = "condition") -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_autopilot_child_gets_argv_cwd_and_env_but_no_provider_key(
    autopilot_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-leak-test")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-leak-test")
    ctx = rn.RunnerContext(autopilot_workspace, "http://127.0.0.1:9", "tok-1", "m-1")
    chosen = rn.detect(ctx)
    assert isinstance(chosen, rn.Runner) and chosen.kind == "autopilot"
    command = parse_command("/sync-tasks.md SPEC-7 'two words'").with_plan_only(True)
    child = spawn(chosen.argv(command, autopilot_workspace), rn.runner_env(ctx, chosen), autopilot_workspace)
    wait_for(lambda: not child.isalive(), what="the fake autopilot to finish")
    env = checked_report_env(autopilot_workspace, ["/sync-tasks.md", "SPEC-7", "two words", "--plan-only"])
    assert env["OPENAI_API_KEY"] == "tok-1" and "ANTHROPIC_API_KEY" not in env
    assert env["SMARTSPEC_BACKEND_URL"] == "http://127.0.0.1:9"


def test_cancel_ends_the_runner_and_its_grandchild(autopilot_workspace: Path) -> None:
    ctx = rn.RunnerContext(autopilot_workspace, "http://127.0.0.1:9")
    chosen = rn.detect(ctx)
    assert isinstance(chosen, rn.Runner)
    command = parse_command("/sync-tasks.md --spawn-and-wait")
    child = spawn(chosen.argv(command, autopilot_workspace), rn.runner_env(ctx, chosen), autopilot_workspace)
    wait_for(lambda: (read_report(autopilot_workspace) or {}).get("grandchild_pid"), what="the grandchild")
    report = read_report(autopilot_workspace)
    assert report is not None
    pids = [int(report["pid"]), int(report["grandchild_pid"])]  # type: ignore[call-overload]
    assert set(pids) <= set(live_members(int(report["pgid"])))  # type: ignore[call-overload]
    outcome = cancel_run(child.pid, lambda: child.write(b"\x03"), child.isalive, grace=0.5)
    assert outcome == "terminated after Ctrl-C was ignored"
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split(")")[1][:3]


def test_cancel_stops_at_ctrl_c_when_the_runner_obeys(autopilot_workspace: Path) -> None:
    ctx = rn.RunnerContext(autopilot_workspace, "http://127.0.0.1:9")
    chosen = rn.detect(ctx)
    assert isinstance(chosen, rn.Runner)
    child = spawn(
        chosen.argv(parse_command("/sync-tasks.md --wait"), autopilot_workspace),
        rn.runner_env(ctx, chosen),
        autopilot_workspace,
    )
    wait_for(lambda: read_report(autopilot_workspace) is not None, what="the runner to start")
    assert cancel_run(child.pid, lambda: child.write(b"\x03"), child.isalive, grace=5) == "stopped after Ctrl-C"
    assert child.exitstatus == 130


def test_cancel_without_process_groups_uses_the_backends_terminate(monkeypatch: pytest.MonkeyPatch) -> None:
    from smartspec_tk.core.kilo import cancel

    monkeypatch.delattr(cancel.os, "killpg")
    alive = [True]
    calls: list[str] = []

    def terminate() -> None:
        calls.append("terminate")
        alive[0] = False

    outcome = cancel.cancel_run(1, lambda: calls.append("ctrl-c"), lambda: alive[0], grace=0.2, terminate=terminate)
    assert calls == ["ctrl-c", "terminate"] and outcome == "terminated after Ctrl-C was ignored"
