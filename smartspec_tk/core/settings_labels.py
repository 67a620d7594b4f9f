"""How the user knows each setting: its plain label, one line of help, its environment name,
and when a change takes effect; and pydantic's validation errors said in plain words.
Used by the Settings dialog and by the messages about bad values (never pydantic field names).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Applies = Literal["now", "new tabs", "restart"]


@dataclass(frozen=True)
class SettingInfo:
    label: str
    help: str
    applies: Applies = "now"


INFO: dict[str, SettingInfo] = {
    "backend_url": SettingInfo(
        "Backend address", "The SmartSpec python-backend, e.g. http://localhost:8000.", "restart",
    ),
    "proxy_token": SettingInfo("Access token", "The backend's proxy token, when it answers 401 Unauthorized."),
    "token_mode": SettingInfo(
        "Send the token as", "Some gateways pass Authorization upstream: then use the x-proxy-token header only.",
    ),
    "orchestrator_key": SettingInfo(
        "Orchestrator key", "Legacy; sent only as the x-orchestrator-key header.", "restart",
    ),
    "ca_file": SettingInfo(
        "Extra certificate file", "A PEM file with your company's CA, if the system's store lacks it.", "restart",
    ),
    "connect_timeout_s": SettingInfo(
        "Connect timeout (seconds)", "How long to wait for the backend to accept a connection.",
    ),
    "read_timeout_s": SettingInfo("Read timeout (seconds)", "How long an answer may pause before the request fails."),
    "embedded_backend": SettingInfo("Demo backend", "Start the built-in demo backend when none answers.", "restart"),
    "default_model": SettingInfo(
        "Default model", "The model a new chat starts with (empty: the first the backend lists).",
    ),
    "max_upload_mb": SettingInfo("Largest upload (MiB)", "Files above this size are refused before uploading."),
    "allowed_types": SettingInfo("Allowed file types", "Comma-separated MIME types that may be attached."),
    "artifact_mode": SettingInfo(
        "Where uploads go", "The control plane of SmartSpec, or the backend's own local store.", "restart",
    ),
    "control_plane_prefix": SettingInfo(
        "Control-plane path", "Where the backend proxies the control plane.", "restart",
    ),
    "file_part_mode": SettingInfo(
        "Send videos and files as", "Links as file parts, or as text for gateways that refuse file parts.",
    ),
    "remote_mode": SettingInfo("Remote tab", "Show the Remote tab (files in the backend's workspace).", "restart"),
    "mcp_prefix": SettingInfo("MCP path", "Where the backend serves its MCP routes.", "restart"),
    "mcp_write_token": SettingInfo("Remote write token", "Needed by backends that protect the Remote tab's write."),
    "kilo_runner": SettingInfo(
        "Kilo runner command", "Empty: find kilo/kilocode, else the SmartSpec autopilot. Applies to new Kilo tabs.",
        "new tabs",
    ),
    "shell": SettingInfo("Shell command", "Empty: your login shell. Applies to new tabs.", "new tabs"),
    "workspace": SettingInfo(
        "Workspace folder", "Where new terminal tabs start; workflows and uploads belong to it.", "new tabs",
    ),
    "scrollback_lines": SettingInfo(
        "Scrollback lines", "Lines each terminal tab keeps. Applies to new tabs.", "new tabs",
    ),
    "font_family": SettingInfo("Terminal font", "A monospace font installed here (empty: the best one found)."),
    "font_size": SettingInfo("Terminal font size", "Points, 6 to 48 (Ctrl+= and Ctrl+- zoom one tab)."),
    "chat_font_size": SettingInfo("Chat font size", "Points, 6 to 48, for the conversation."),
    "allow_clipboard_write": SettingInfo(
        "Programs may set the clipboard", "Lets programs in a terminal write the clipboard (OSC 52).", "new tabs",
    ),
    "ctrl_c_copies": SettingInfo(
        "Ctrl+C copies, Ctrl+V pastes", "As in Windows Terminal: Ctrl+C copies a selection, else interrupts.",
    ),
    "theme": SettingInfo("Theme", "Dark, light, or as the system says (also View → Theme)."),
    "shortcuts": SettingInfo(
        "Changed shortcuts", "e.g. toggle_chat=Ctrl+Shift+L; quit=none (Help → Keyboard shortcuts).", "restart",
    ),
    "restore_session": SettingInfo(
        "Restore tabs and window", "Bring back the window and the terminal tabs (folders, names) at start.",
    ),
    "log_level": SettingInfo("Log detail", "How much goes into the log file.", "restart"),
}


def env_name(field_name: str) -> str:
    return "SMARTSPEC_" + field_name.upper()


def known_as(field_name: str) -> str:
    """'Terminal font size (SMARTSPEC_FONT_SIZE)': the setting as the user meets it."""
    info = INFO.get(field_name)
    return f"{info.label} ({env_name(field_name)})" if info else env_name(field_name)


def plain_error(error: Any) -> str:
    """One pydantic error (a dict of `errors()`) said in plain words, without the input."""
    kind, ctx = str(error.get("type", "")), error.get("ctx") or {}
    simple = {
        "int_parsing": "must be a whole number", "int_from_float": "must be a whole number",
        "float_parsing": "must be a number", "bool_parsing": "must be on or off (1/0, true/false, yes/no)",
        "url_parsing": "is not a valid address", "string_type": "must be text", "path_type": "must be a path",
    }  # fmt: skip
    if kind in simple:
        return simple[kind]
    bounds = {"less_than_equal": ("at most", "le"), "greater_than_equal": ("at least", "ge"),
              "greater_than": ("more than", "gt"), "less_than": ("less than", "lt")}  # fmt: skip
    if kind in bounds:
        words, key = bounds[kind]
        return f"must be {words} {ctx.get(key)}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}".replace("'", "")
    message = str(error.get("msg", "invalid value"))
    return message.removeprefix("Value error, ")
