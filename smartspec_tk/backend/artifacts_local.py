"""The newer backends' local artifact store under `/api/artifacts/...` (no auth, no complete
step, URLs that point back at this backend), as in `research/contract.md` §1.4."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from smartspec_tk.backend.config import BackendConfig
from smartspec_tk.backend.routing import Route, route
from smartspec_tk.backend.web import Request, Response, detail, json_response

if TYPE_CHECKING:
    from smartspec_tk.backend.state import AppState

LOCAL_EXPIRY = 3600  # informational only, as in the original
BASE = "/api/artifacts"


def _missing(*names: str) -> Response:
    errors = [{"loc": ["body", n], "msg": "Field required", "type": "missing"} for n in names]
    return json_response(422, {"detail": errors})


class LocalArtifacts:
    def __init__(self, config: BackendConfig, app: AppState) -> None:
        self.config = config
        self.app = app
        self.folder = config.root / "local-artifacts"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.lock = threading.Lock()
        self.sessions: dict[str, dict[str, Any]] = {}
        self.artifacts: dict[str, dict[str, Any]] = {}  # key -> {contentType, file, uploaded}

    def _session(self, sid: str, name: str) -> dict[str, Any]:
        with self.lock:
            return self.sessions.setdefault(sid, {"id": sid, "name": name, "artifacts": {}})

    def create_session(self, req: Request) -> Response:
        body = req.json()
        if not isinstance(body, dict) or not isinstance(body.get("name"), str):
            return _missing("name")
        return json_response(200, {"session": self._session(str(uuid.uuid4()), body["name"])})

    def presign_put(self, req: Request) -> Response:
        body = req.json()
        body = body if isinstance(body, dict) else {}
        missing = [n for n in ("iteration", "name") if n not in body]
        if missing:
            return _missing(*missing)
        sid, name = req.params["sid"], str(body["name"])
        content_type = str(body.get("contentType") or "application/octet-stream")
        self._session(sid, sid)
        key = f"{sid}/{body['iteration']}/{uuid.uuid4()}_{name}"
        with self.lock:
            self.artifacts[key] = {
                "contentType": content_type,
                "file": self.folder / uuid.uuid4().hex,
                "uploaded": False,
            }
        url = f"{self.app.base_url}{BASE}/upload/{quote(key, safe='/')}"
        artifact = {"key": key, "url": url, "expiresInSeconds": LOCAL_EXPIRY, "headers": {"Content-Type": content_type}}
        return json_response(200, {"artifact": artifact})

    def upload(self, req: Request) -> Response:
        record = self.artifacts.get(req.params["key"])
        if record is None:
            return detail(404, "Artifact not found")
        req.read_bps = self.config.faults.upload_bps
        file: Path = record["file"]
        file.write_bytes(req.body())
        record["uploaded"] = True
        return json_response(200, {"success": True})

    def presign_get(self, req: Request) -> Response:
        key = req.arg("key") or ""
        if key not in self.artifacts:
            return detail(404, "Artifact not found")
        url = f"{self.app.base_url}{BASE}/download/{quote(key, safe='/')}"
        return json_response(200, {"artifact": {"key": key, "url": url, "expiresInSeconds": LOCAL_EXPIRY}})

    def download(self, req: Request) -> Response:
        record = self.artifacts.get(req.params["key"])
        if record is None:
            return detail(404, "Artifact not found")
        if not record["uploaded"]:
            return detail(404, "Artifact not uploaded yet")
        return Response(200, record["file"].read_bytes(), record["contentType"])

    def routes(self) -> list[Route]:
        s = BASE + "/sessions/(?P<sid>[^/]+)/artifacts"
        return [
            route("POST", BASE + "/sessions", self.create_session),
            route("POST", s + "/presign-put", self.presign_put),
            route("GET", s + "/presign-get", self.presign_get),
            route("PUT", BASE + "/upload/(?P<key>.+)", self.upload),
            route("GET", BASE + "/download/(?P<key>.+)", self.download),
        ]
