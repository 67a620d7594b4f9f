"""Health routes in every shape the desktop may meet: `/health`, `/health/live`,
`/health/ready` (f32dcfe and later) and `/healthz` (older backends)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from smartspec_tk import __version__
from smartspec_tk.backend.routing import Route, route
from smartspec_tk.backend.web import Request, Response, json_response

if TYPE_CHECKING:
    from smartspec_tk.backend.state import AppState


def _now() -> str:
    return datetime.now(UTC).isoformat()


def routes(app: AppState) -> list[Route]:
    def health(req: Request) -> Response:
        llm = "upstream" if app.config.upstream_url else "offline"
        services = [
            {"name": "llm", "status": "healthy", "message": llm, "latency_ms": 0},
            {"name": "storage", "status": "healthy", "message": app.store.kind, "latency_ms": 0},
        ]
        body = {"status": "healthy", "timestamp": _now(), "version": __version__, "services": services}
        return json_response(200, body)

    def root(req: Request) -> Response:
        body = {"name": "SmartSpec reference backend", "version": __version__, "status": "running", "docs": ""}
        return json_response(200, body)

    return [
        route("GET", "/", root),
        route("GET", "/health", health),
        route("GET", "/health/live", lambda r: json_response(200, {"status": "alive", "timestamp": _now()})),
        route("GET", "/health/ready", lambda r: json_response(200, {"status": "ready", "timestamp": _now()})),
        route("GET", "/healthz", lambda r: json_response(200, {"ok": True})),
    ]
