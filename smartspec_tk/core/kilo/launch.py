"""What a Kilo tab starts, and when: Tk-free, so the tab's behaviour can be tested without a window.

An interactive runner (the Kilo CLI) is started once when the tab opens and each
command is typed into it. A per-command runner (the autopilot, a template with
`{command}`) starts a new process for every Run; before the first Run, and when no
runner exists, the tab's terminal shows an introduction printed by a tiny program.
"""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass

from smartspec_tk.core.kilo.runner import Runner, RunnerContext, RunnerMissing, detect, runner_env
from smartspec_tk.core.kilo.workflows import KiloCommand


def print_argv(text: str) -> list[str]:
    """An argv that prints `text` and exits, without needing Python on the machine."""
    if sys.platform == "win32":
        return ["cmd.exe", "/c", "echo " + text.replace("\n", " & echo ")]
    return ["/bin/sh", "-c", 'printf "%s\\n" "$1"', "smartspec-kilo", text]


@dataclass
class KiloLauncher:
    """The runner of one Kilo tab and the argv of the process it should run next."""

    ctx: RunnerContext
    runner: Runner | RunnerMissing
    next_command: KiloCommand | None = None

    @classmethod
    def detect(cls, ctx: RunnerContext) -> KiloLauncher:
        return cls(ctx, detect(ctx))

    @property
    def found(self) -> bool:
        return isinstance(self.runner, Runner)

    @property
    def interactive(self) -> bool:
        return isinstance(self.runner, Runner) and not self.runner.per_command

    def describe(self) -> str:
        if isinstance(self.runner, Runner):
            return f"Runner: {self.runner.description}"
        return "No Kilo runner found — see the terminal below for what was looked for."

    def argv(self) -> list[str]:
        """The program the tab's terminal should run now (called each time it (re)starts)."""
        runner = self.runner
        if isinstance(runner, RunnerMissing):
            return print_argv(runner.text())
        if runner.per_command and self.next_command is None:
            return print_argv(self.intro())
        return runner.argv(self.next_command, self.ctx.workspace)

    def typed_text(self, command: KiloCommand) -> str:
        """What to type into an interactive runner: the Kilo CLI names workflows `/name` (no `.md`)."""
        if isinstance(self.runner, Runner) and self.runner.kind == "kilo":
            return shlex.join([f"/{command.name}", *command.args])
        return command.text()

    def env(self) -> dict[str, str]:
        if isinstance(self.runner, Runner):
            return runner_env(self.ctx, self.runner)
        return runner_env(self.ctx, Runner("template", ("none",), True, "none"))

    def intro(self) -> str:
        assert isinstance(self.runner, Runner)
        return (
            f"Kilo tab in {self.ctx.workspace}\n{self.runner.description}\n"
            "Type /workflow.md and arguments in the bar above and press Run (Tab completes, Ctrl+K lists "
            "the workflows). Each command runs here with its LLM calls routed through the SmartSpec backend "
            f"({self.ctx.backend_url})."
        )
