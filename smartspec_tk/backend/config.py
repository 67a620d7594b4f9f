"""Command-line flags of the reference backend and the frozen `BackendConfig` built from them.

Every flag also reads an environment variable `SMARTSPEC_BACKEND_<FLAG>` (upper case,
dashes as underscores); a few have the original backend's names as well
(`SMARTSPEC_PROXY_TOKEN`, `SMARTSPEC_UPSTREAM_URL`, `SMARTSPEC_UPSTREAM_KEY`).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

MIB = 1024 * 1024
DEFAULT_ALLOWED_TYPES = (
    "image/png,image/jpeg,image/webp,image/gif,video/mp4,video/webm,video/quicktime,"
    "application/json,text/plain,text/markdown,application/zip,application/pdf"
)
EXTRA_ENV = {
    "token": ("SMARTSPEC_PROXY_TOKEN",),
    "upstream_url": ("SMARTSPEC_UPSTREAM_URL",),
    "upstream_key": ("SMARTSPEC_UPSTREAM_KEY",),
}


@dataclass(frozen=True)
class Faults:
    """Switches that reproduce the real backend's known faults (all off by default)."""

    cut_after: int = -1  # stop the stream after N chunks, without [DONE]
    cut_mode: str = "reset"  # "reset": drop the connection; "clean": end the body properly
    stall_after: int = -1  # pause after N chunks …
    stall_seconds: float = 0.0  # … for this long
    keepalive: bool = False  # ": keep-alive" comment lines between events
    crlf: bool = False  # CRLF line endings instead of LF
    split_writes: int = 0  # write the stream in pieces of at most N bytes (splits UTF-8)
    named_events: bool = False  # old-style `event: trace` / `proxy_status` events
    cp_errors_200: bool = False  # control-plane errors as HTTP 200 bodies (the real proxy)
    chat_status: int = 0  # 402 or 429 pre-check failure on /v1/chat/completions
    retry_after: int = 7  # Retry-After seconds of the 429 switches
    stream_501: bool = False  # refuse stream=true with 501 (direct mode)
    upload_bps: int = 0  # throttle reading of upload bodies to N bytes/second
    error_chunk: bool = False  # the old gateway's in-band error: one "Error: …" content chunk


@dataclass(frozen=True)
class BackendConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    root: Path = field(default_factory=lambda: Path(tempfile.gettempdir()) / "smartspec-backend")
    token: str = ""
    require_token: bool = False
    protect_all: bool = False
    localhost_only: bool = True
    rate_limit: int = 0
    max_body: int = 10 * MIB
    max_artifact: int = 10 * MIB
    allowed_types: tuple[str, ...] = tuple(DEFAULT_ALLOWED_TYPES.split(","))
    presign_expiry: int = 600
    clock_file: Path | None = None  # tests: seconds added to the store's clock, read from this file
    presign_wrapped: bool = False
    upstream_url: str = ""
    upstream_key: str = ""
    stream_delay: float = 0.02
    chunk_chars: int = 12
    mcp_write_token: str = ""
    seed_demo: bool = False
    cp_list_routes: bool = False
    s3_endpoint: str = ""
    s3_bucket: str = ""
    s3_access_key: str = ""
    s3_secret_key: str = ""
    s3_region: str = "us-east-1"
    s3_sign_content_type: bool = False
    store_secret: str = ""
    exit_with_parent: int = 0
    faults: Faults = field(default_factory=Faults)

    @property
    def workspace(self) -> Path:
        return self.root / "workspace"

    @property
    def s3_enabled(self) -> bool:
        return bool(self.s3_endpoint)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="smartspec-tk backend", description="SmartSpec reference backend")
    a = p.add_argument
    a("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    a("--port", type=int, default=8000, help="port; 0 picks a free one (default 8000)")
    a("--root", default="", help="data folder: uploaded objects and the MCP workspace")
    a("--token", default="", help="proxy token required on /v1/* (env SMARTSPEC_PROXY_TOKEN)")
    a("--require-token", action="store_true", help="production mode: 500 on /v1/* without a token")
    a("--protect-all", action="store_true", help="also require the token on control-plane/MCP routes")
    a("--allow-remote", action="store_true", help="answer non-loopback callers (default: 403)")
    a("--rate-limit", type=int, default=0, help="requests per minute per client, 0 = off (real: 60)")
    a("--max-body-mb", type=float, default=10.0, help="request body limit, 413 above (default 10)")
    a("--max-artifact-mb", type=float, default=10.0, help="artifact size limit (default 10)")
    a("--allowed-types", default=DEFAULT_ALLOWED_TYPES, help="comma list of artifact content types")
    a("--presign-expiry", type=int, default=600, help="presigned URL lifetime in seconds")
    a("--clock-file", type=Path, default=None,
      help="tests: a file holding seconds to add to the local store's clock (expiry without waiting)")
    a("--presign-wrapped", action="store_true", help='answer presign as {"artifact": {...}}')
    a("--upstream-url", default="", help="OpenAI-compatible upstream (env SMARTSPEC_UPSTREAM_URL)")
    a("--upstream-key", default="", help="upstream API key (env SMARTSPEC_UPSTREAM_KEY)")
    a("--stream-delay", type=float, default=0.02, help="offline model: seconds between chunks")
    a("--chunk-chars", type=int, default=12, help="offline model: characters per chunk")
    a("--mcp-write-token", default="", help="x-mcp-write-token required by workspace_write_file")
    a("--seed-demo", action="store_true", help="create a demo project/session with reports")
    a("--cp-list-routes", action="store_true", help="offer GET projects and project sessions lists")
    a("--s3-endpoint", default="", help="S3-compatible store URL (enables S3 mode)")
    a("--s3-bucket", default="", help="S3 bucket")
    a("--s3-access-key", default="", help="S3 access key id")
    a("--s3-secret-key", default="", help="S3 secret key")
    a("--s3-region", default="us-east-1", help="S3 region (default us-east-1)")
    a("--s3-sign-content-type", action="store_true", help="sign content-type on S3 PUT URLs too")
    a("--store-secret", default="", help="HMAC key of the local store (default: random per run)")
    a("--exit-with-parent", type=int, default=0, help="exit when the process with this pid is gone")
    _add_fault_flags(p)
    return p


def _add_fault_flags(p: argparse.ArgumentParser) -> None:
    a = p.add_argument_group("fault switches").add_argument
    a("--fault-cut-after", type=int, default=-1, help="end the stream after N chunks without [DONE]")
    a("--fault-cut-mode", choices=("reset", "clean"), default="reset", help="how the cut ends")
    a("--fault-stall-after", type=int, default=-1, help="stall the stream after N chunks")
    a("--fault-stall-seconds", type=float, default=0.0, help="length of the stall")
    a("--fault-keepalive", action="store_true", help="': keep-alive' comments between events")
    a("--fault-crlf", action="store_true", help="CRLF framing")
    a("--fault-split-writes", type=int, default=0, help="write the stream N bytes at a time")
    a("--fault-named-events", action="store_true", help="old named events (trace, proxy_status)")
    a("--fault-cp-errors-200", action="store_true", help="control-plane errors as HTTP 200")
    a("--fault-chat-status", type=int, choices=(0, 402, 429), default=0, help="chat pre-check error")
    a("--fault-retry-after", type=int, default=7, help="Retry-After of the 429 answers")
    a("--fault-stream-501", action="store_true", help="501 for stream=true (direct mode)")
    a("--fault-upload-bps", type=int, default=0, help="read uploads at N bytes/second")
    a("--fault-error-chunk", action="store_true", help="stream an in-band 'Error: …' chunk instead")


def _env_defaults(parser: argparse.ArgumentParser, env: Mapping[str, str]) -> None:
    for action in parser._actions:  # noqa: SLF001 - argparse has no public iterator
        if not action.option_strings or action.dest == "help":
            continue
        names = ("SMARTSPEC_BACKEND_" + action.dest.upper(), *EXTRA_ENV.get(action.dest, ()))
        raw = next((env[n] for n in names if env.get(n)), None)
        if raw is None:
            continue
        if action.const is True:  # store_true
            action.default = raw.strip().lower() in ("1", "true", "yes", "on")
        else:
            action.default = action.type(raw) if callable(action.type) else raw


def parse_config(argv: Sequence[str], env: Mapping[str, str] | None = None) -> BackendConfig:
    parser = build_parser()
    _env_defaults(parser, os.environ if env is None else env)
    ns = parser.parse_args(list(argv))
    faults = Faults(**{f: getattr(ns, "fault_" + f) for f in Faults.__dataclass_fields__})
    root = Path(ns.root) if ns.root else BackendConfig().root
    return BackendConfig(
        host=ns.host,
        port=ns.port,
        root=root.resolve(),
        token=ns.token,
        require_token=ns.require_token,
        protect_all=ns.protect_all,
        localhost_only=not ns.allow_remote,
        rate_limit=ns.rate_limit,
        max_body=int(ns.max_body_mb * MIB),
        max_artifact=int(ns.max_artifact_mb * MIB),
        allowed_types=tuple(t.strip() for t in ns.allowed_types.split(",") if t.strip()),
        presign_expiry=ns.presign_expiry,
        clock_file=ns.clock_file,
        presign_wrapped=ns.presign_wrapped,
        upstream_url=ns.upstream_url.rstrip("/"),
        upstream_key=ns.upstream_key,
        stream_delay=max(0.0, ns.stream_delay),
        chunk_chars=max(1, ns.chunk_chars),
        mcp_write_token=ns.mcp_write_token,
        seed_demo=ns.seed_demo,
        cp_list_routes=ns.cp_list_routes,
        s3_endpoint=ns.s3_endpoint.rstrip("/"),
        s3_bucket=ns.s3_bucket,
        s3_access_key=ns.s3_access_key,
        s3_secret_key=ns.s3_secret_key,
        s3_region=ns.s3_region,
        s3_sign_content_type=ns.s3_sign_content_type,
        store_secret=ns.store_secret,
        exit_with_parent=ns.exit_with_parent,
        faults=faults,
    )
