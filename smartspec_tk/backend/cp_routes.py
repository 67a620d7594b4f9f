"""The control plane's routes under `/api/v1/control-plane/api/v1` (records and the artifact flow)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smartspec_tk.backend import cp_artifacts
from smartspec_tk.backend.cp_common import PREFIX, SID
from smartspec_tk.backend.routing import Route, route
from smartspec_tk.backend.web import Response, json_response

if TYPE_CHECKING:
    from smartspec_tk.backend.state import AppState


def routes(app: AppState) -> list[Route]:
    cp = app.cp

    def answer(result: tuple[int, dict[str, Any]]) -> Response:
        status, body = result
        if status >= 400 and app.config.faults.cp_errors_200:
            status = 200
        return json_response(status, body)

    def wrap(fn: Any) -> Any:
        return lambda req: answer(fn(req))

    p, s = PREFIX, PREFIX + "/sessions/" + SID
    listing = [
        route("GET", p + "/projects", wrap(lambda r: cp.list_projects())),
        route("GET", p + "/projects/(?P<pid>[^/]+)/sessions", wrap(lambda r: cp.list_sessions(r.params["pid"]))),
    ]
    return [
        *(listing if app.config.cp_list_routes else []),
        route("POST", p + "/projects", wrap(lambda r: cp.create_project(r.json()))),
        route("GET", p + "/projects/(?P<pid>[^/]+)", wrap(lambda r: cp.get_project(r.params["pid"]))),
        route(
            "POST",
            p + "/projects/(?P<pid>[^/]+)/sessions",
            wrap(lambda r: cp.create_session(r.params["pid"], r.json())),
        ),
        route("GET", s, wrap(lambda r: cp.get_session(r.params["sid"]))),
        route("POST", s + "/iterations", wrap(lambda r: cp.add_child("iterations", r.params["sid"], r.json()))),
        route("POST", s + "/reports", wrap(lambda r: cp.add_child("reports", r.params["sid"], r.json()))),
        route("POST", s + "/tasks", wrap(lambda r: cp.add_child("tasks", r.params["sid"], r.json()))),
        route("POST", s + "/artifacts/presign-put", wrap(lambda r: cp_artifacts.presign_put(app, r))),
        route("POST", s + "/artifacts/complete", wrap(lambda r: cp_artifacts.complete(app, r))),
        route("GET", s + "/artifacts/presign-get", wrap(lambda r: cp_artifacts.presign_get(app, r))),
    ]
