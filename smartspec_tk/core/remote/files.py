"""Remote shell commands that move data: `get` (presigned download), `tools`, `call`, `cat`, `write`."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from smartspec_tk.core.errors import BackendError, UserError, ValidationError

if TYPE_CHECKING:
    from smartspec_tk.core.remote.context import Emit, OutputKind, ShellContext

MAX_WRITE = 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SESSION_IN_KEY = re.compile(r"(?:^|/)sessions/([^/]+)/")


def safe_file_name(raw: str) -> str:
    """A plain file name from a key or user text: last part only, safe characters, no leading dot."""
    base = raw.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE.sub("_", base).lstrip(".")
    if not cleaned or cleaned in {"_"}:
        raise ValidationError(f"{raw!r} does not give a usable file name; add one: get <key> <file name>")
    return cleaned[:200]


def get(shell: ShellContext, args: list[str], emit: Emit) -> None:
    if len(args) not in (1, 2):
        raise ValidationError("Usage: get <key> [file name]")
    key = args[0]
    match = _SESSION_IN_KEY.search(key)
    sid = shell.state.session_id or (match.group(1) if match else None)
    if sid is None:
        raise ValidationError("No current session: open one with session <id> first.")
    dest = shell.workspace / safe_file_name(args[1] if len(args) == 2 else key)

    def download(out: Emit) -> None:
        url = shell.api.presign_get(sid, key)
        try:
            size = shell.api.download(url, dest)
        except OSError as exc:
            raise UserError(f"Could not save {dest.name} in the workspace: {exc.strerror or exc}") from None
        out(f"Saved {dest.name} ({size} bytes) in the workspace.", "note")

    if dest.exists():
        shell.ask(f"{dest.name} already exists in the workspace; overwrite it?", download, emit)
    else:
        download(emit)


def tools(shell: ShellContext, args: list[str], emit: Emit) -> None:
    found = shell.api.tools()
    shell.state.tool_names = [str(t.get("name")) for t in found if t.get("name")]
    for tool in found:
        schema = tool.get("inputSchema")
        props = schema.get("properties") if isinstance(schema, dict) else None
        names = ", ".join(props) if isinstance(props, dict) else ""
        emit(f"  {tool.get('name')}({names})  {tool.get('description', '')}", "out")
    if not found:
        emit("The backend offers no tools.", "note")


def call(shell: ShellContext, line: str, emit: Emit) -> None:
    parts = line.strip().split(None, 2)
    if len(parts) < 2:
        raise ValidationError('Usage: call <tool> <json arguments>, e.g. call workspace_read_file {"path": "a.md"}')
    name, raw = parts[1], parts[2] if len(parts) == 3 else "{}"
    try:
        arguments = json.loads(raw)
    except ValueError as exc:
        raise ValidationError(f"The arguments are not valid JSON ({exc.args[0]}).") from None
    if not isinstance(arguments, dict):
        raise ValidationError('The arguments must be a JSON object, e.g. {"path": "a.md"}')
    if name == "workspace_write_file":
        raise ValidationError("Use write <path> <local file>: it shows the change and asks first.")
    for text_line in shell.api.call(name, arguments).splitlines() or [""]:
        emit(text_line, "out")


def cat(shell: ShellContext, args: list[str], emit: Emit) -> None:
    if len(args) != 1:
        raise ValidationError("Usage: cat <path>")
    for text_line in shell.api.call("workspace_read_file", {"path": args[0]}).splitlines():
        emit(text_line, "out")


def write(shell: ShellContext, args: list[str], emit: Emit) -> None:
    if len(args) != 2:
        raise ValidationError("Usage: write <remote path> <local file>")
    remote, local = args
    content = _read_local(shell.workspace, local)
    try:
        current = shell.api.call("workspace_read_file", {"path": remote})
        exists = True
    except BackendError as exc:
        if "not found" not in str(exc).lower():
            raise
        current, exists = "", False
    if exists and current == content:
        emit(f"{remote} already has this content; nothing to write.", "note")
        return
    diff = difflib.unified_diff(
        current.splitlines(keepends=True), content.splitlines(keepends=True),
        fromfile=f"a/{remote}" if exists else "/dev/null", tofile=f"b/{remote}",
    )  # fmt: skip
    for diff_line in diff:
        text = diff_line.rstrip("\n")
        kind: OutputKind = "add" if text.startswith("+") and not text.startswith("+++") else "out"
        emit(text, "remove" if text.startswith("-") and not text.startswith("---") else kind)

    def apply(out: Emit) -> None:
        result = shell.api.write_file(remote, content)
        out(result or f"Wrote {remote}.", "note")

    verb = "Replace" if exists else "Create"
    shell.ask(f"{verb} {remote} on the server with {len(content.encode())} bytes as shown above?", apply, emit)


def _read_local(workspace: Path, local: str) -> str:
    path = Path(local).expanduser()
    path = path if path.is_absolute() else workspace / path
    if not path.is_file():
        raise ValidationError(f"No local file {local!r} (relative paths start in the workspace).")
    if path.stat().st_size > MAX_WRITE:
        raise ValidationError(f"{local} is larger than 1 MiB; the tool does not take files that big.")
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(f"{local} is not UTF-8 text; only text files can be written.") from None


COMMANDS: dict[str, Callable[[ShellContext, list[str], Emit], None]] = {
    "get": get,
    "tools": tools,
    "cat": cat,
    "write": write,
}
