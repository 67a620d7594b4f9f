"""Workflows of a workspace and the Kilo-style commands that run them (`/name.md args…`).

Workflows are the `*.md` files of `<workspace>/.smartspec/workflows/` and
`<workspace>/.kilocode/workflows/` (the first wins when both have a name). The
argument hint shown under the command bar comes from the file itself, by this
convention (documented in docs/kilo.md):

1. front matter at the very top (`---` lines) with `argument-hint:` (also
   `arguments:`, `args:` or `usage:`) and `description:`;
2. otherwise the first line of the body reading `Usage: /name.md <hint…>`
   (Markdown emphasis and back-ticks allowed around `Usage`);
3. the description falls back to the first `# heading`.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from smartspec_tk.core.errors import ValidationError

WORKFLOW_DIRS = (".smartspec/workflows", ".kilocode/workflows")
PLAN_ONLY_FLAG = "--plan-only"
_HINT_KEYS = ("argument-hint", "argument_hint", "arguments", "args", "usage")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_USAGE_RE = re.compile(r"^[\s>*_`-]*usage[*_`]*\s*:[*_`\s]*(.+?)[`*_\s]*$", re.IGNORECASE)
_READ_LIMIT = 64 * 1024


@dataclass(frozen=True, slots=True)
class Workflow:
    """One workflow file, as the command bar and the palette show it."""

    name: str  # without `/` and `.md`
    path: Path
    source: str  # the folder it came from, e.g. ".smartspec/workflows"
    hint: str = ""
    description: str = ""

    @property
    def command(self) -> str:
        return f"/{self.name}.md"


@dataclass(frozen=True, slots=True)
class KiloCommand:
    """A parsed `/name.md args…` command."""

    name: str
    args: tuple[str, ...] = ()

    @property
    def head(self) -> str:
        return f"/{self.name}.md"

    def argv(self) -> list[str]:
        """The command as argv words: `/name.md` then the arguments."""
        return [self.head, *self.args]

    def text(self) -> str:
        """The command as one line, quoted so that `parse_command(text())` gives it back."""
        return shlex.join(self.argv())

    def with_plan_only(self, plan_only: bool) -> KiloCommand:
        if plan_only and PLAN_ONLY_FLAG not in self.args:
            return KiloCommand(self.name, (*self.args, PLAN_ONLY_FLAG))
        return self


def discover(workspace: Path) -> list[Workflow]:
    """Every workflow of `workspace`, sorted by name; unreadable files are listed without a hint."""
    found: dict[str, Workflow] = {}
    for folder in WORKFLOW_DIRS:
        directory = workspace / folder
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.md")):
            name = path.stem
            if name in found or not _NAME_RE.match(name) or not path.is_file():
                continue
            hint, description = read_hint(path, name)
            found[name] = Workflow(name, path, folder, hint, description)
    return [found[name] for name in sorted(found, key=str.lower)]


def read_hint(path: Path, name: str) -> tuple[str, str]:
    """(argument hint, description) of one workflow file, by the convention above."""
    try:
        with path.open("r", encoding="utf-8", errors="replace") as handle:
            text = handle.read(_READ_LIMIT)
    except OSError:
        return "", ""
    meta, body = split_front_matter(text)
    hint = next((meta[k] for k in _HINT_KEYS if meta.get(k)), "")
    description = meta.get("description", "")
    for line in body.splitlines():
        if not hint and (match := _USAGE_RE.match(line)):
            hint = _strip_command(match.group(1), name)
        if not description and line.startswith("# "):
            description = line[2:].strip()
    return _strip_command(hint, name), description


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Simple `key: value` front matter (no nesting) and the rest of the text."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, text
    meta: dict[str, str] = {}
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return meta, "\n".join(lines[index + 1 :])
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t")):
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return {}, text  # no closing line: not front matter


def _strip_command(hint: str, name: str) -> str:
    """`/name.md <a> [b]` → `<a> [b]`; a hint without the command is kept as it is."""
    words = hint.strip().split(None, 1)
    if words and words[0].lstrip("/").removesuffix(".md") == name:
        return words[1].strip() if len(words) > 1 else ""
    return hint.strip()


def parse_command(text: str) -> KiloCommand:
    """Parse `/name[.md] args…`; raises ValidationError with a plain-words reason."""
    text = text.strip()
    if not text:
        raise ValidationError("Type a command first, for example /sync-tasks.md")
    if not text.startswith("/"):
        raise ValidationError(f"A command starts with / and a workflow name, for example /sync-tasks.md (got {text!r})")
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise ValidationError(f"The command could not be read: {exc} (check the quotes)") from None
    name = words[0][1:].removesuffix(".md")
    if not _NAME_RE.match(name):
        raise ValidationError(f"{words[0]!r} is not a workflow name: use letters, digits, '.', '_' and '-' after the /")
    return KiloCommand(name, tuple(words[1:]))


def find(workflows: Iterable[Workflow], name: str) -> Workflow | None:
    return next((w for w in workflows if w.name == name), None)


def complete(text: str, workflows: Sequence[Workflow]) -> list[str]:
    """Candidates `/name.md` for the first word being typed (nothing once arguments start)."""
    if " " in text or not text.startswith("/") and text:
        return []
    prefix = text.lstrip("/").removesuffix(".md").lower()
    return [w.command for w in workflows if w.name.lower().startswith(prefix)]


def common_prefix(candidates: Sequence[str]) -> str:
    """The longest text every candidate starts with (what Tab completes to)."""
    if not candidates:
        return ""
    first, last = min(candidates), max(candidates)
    size = 0
    while size < len(first) and size < len(last) and first[size] == last[size]:
        size += 1
    return first[:size]


def filter_palette(workflows: Sequence[Workflow], query: str) -> list[Workflow]:
    """Palette filter: every word of the query must appear in the name or the description."""
    words = query.lower().split()
    return [w for w in workflows if all(word in f"{w.name} {w.description}".lower() for word in words)]
