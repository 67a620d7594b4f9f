"""The control-plane routes: projects, sessions, iterations, reports/tasks, and the artifact flow
with the original validation order, error bodies, unique names and a verified complete."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.backend.helpers import CP, PNG, new_session, presign_put
from tests.servers.reference import RunningServer, start_reference_backend

pytestmark = pytest.mark.servers  # starts the reference backend as a child process


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with start_reference_backend(tmp_path_factory.mktemp("cp"), "--seed-demo", "--max-artifact-mb", "1") as server:
        yield server


@pytest.fixture
def client(backend: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=backend.url, timeout=30) as http:
        yield http


def _complete(client: httpx.Client, sid: str, key: str, data: bytes) -> httpx.Response:
    body = {"key": key, "sha256": hashlib.sha256(data).hexdigest(), "sizeBytes": len(data)}
    return client.post(f"{CP}/sessions/{sid}/artifacts/complete", json=body)


def test_project_session_iteration(client: httpx.Client) -> None:
    project = client.post(CP + "/projects", json={"name": "Desktop: demo"}).json()["project"]
    assert set(project) == {"id", "name", "createdAt"} and project["name"] == "Desktop: demo"
    assert client.get(f"{CP}/projects/{project['id']}").json() == {"project": project}
    assert client.get(f"{CP}/projects/unknown").json() == {"project": None}
    session = client.post(f"{CP}/projects/{project['id']}/sessions", json={"name": "T"}).json()["session"]
    assert session["projectId"] == project["id"] and session["name"] == "T"
    iteration = client.post(f"{CP}/sessions/{session['id']}/iterations", json={"number": 0}).json()["iteration"]
    assert iteration["sessionId"] == session["id"]
    full = client.get(f"{CP}/sessions/{session['id']}").json()["session"]
    assert full["project"] == project and full["iterations"] == [iteration]
    assert full["tasks"] == [] and full["reports"] == []


def test_unknown_session_is_null_and_creation_errors_are_fastify_500(client: httpx.Client) -> None:
    assert client.get(f"{CP}/sessions/nope").json() == {"session": None}
    for reply in (
        client.post(CP + "/projects", json={"name": ""}),
        client.post(f"{CP}/projects/nope/sessions", json={"name": "x"}),
        client.post(f"{CP}/sessions/nope/iterations", json={}),
    ):
        assert reply.status_code == 500
        assert reply.json()["statusCode"] == 500 and reply.json()["error"] == "Internal Server Error"


def test_full_artifact_flow(client: httpx.Client) -> None:
    sid = new_session(client)
    put = presign_put(client, sid, "shot 1.png", PNG).json()
    assert set(put) == {"url", "key", "expiresInSeconds"} and put["expiresInSeconds"] == 600
    assert put["key"].endswith(f"/sessions/{sid}/iter/0/shot_1.png") and put["key"].startswith("projects/")
    before = client.get(f"{CP}/sessions/{sid}/artifacts/presign-get", params={"key": put["key"]})
    assert before.status_code == 404 and before.json() == {"error": "artifact_not_found_or_not_complete"}
    assert httpx.put(put["url"], content=PNG, headers={"Content-Type": "image/png"}).status_code == 200
    done = _complete(client, sid, put["key"], PNG)
    assert done.status_code == 200
    artifact = done.json()["artifact"]
    assert artifact["status"] == "complete" and artifact["sha256"] == hashlib.sha256(PNG).hexdigest()
    got = client.get(f"{CP}/sessions/{sid}/artifacts/presign-get", params={"key": put["key"]}).json()
    assert got["key"] == put["key"]
    download = httpx.get(got["url"])
    assert download.content == PNG and download.headers["content-type"] == "image/png"


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"name": "a.png", "contentType": "image/png"}, 400, "invalid_request"),
        ({"name": "", "contentType": "image/png", "sizeBytes": 3}, 400, "invalid_request"),
        ({"name": "a.png", "contentType": "image/png", "sizeBytes": 0}, 400, "invalid_request"),
        ({"name": "a.png", "contentType": "image/png", "sizeBytes": 3, "iteration": -1}, 400, "invalid_request"),
        ({"name": "a.exe", "contentType": "application/x-msdownload", "sizeBytes": 3}, 400, "content_type_not_allowed"),
        ({"name": "a.png", "contentType": "image/PNG", "sizeBytes": 3}, 400, "content_type_not_allowed"),
        ({"name": "a.png", "contentType": "image/png", "sizeBytes": 1024 * 1024 + 1}, 400, "artifact_too_large"),
        ({"name": "../a.png", "contentType": "image/png", "sizeBytes": 3}, 400, "invalid_name"),
        ({"name": "a\\b.png", "contentType": "image/png", "sizeBytes": 3}, 400, "invalid_name"),
        ({"name": "/a.png", "contentType": "image/png", "sizeBytes": 3}, 400, "invalid_name"),
    ],
)
def test_presign_put_errors(client: httpx.Client, body: dict[str, object], status: int, error: str) -> None:
    sid = new_session(client)
    reply = client.post(f"{CP}/sessions/{sid}/artifacts/presign-put", json=body)
    assert reply.status_code == status and reply.json()["error"] == error
    if error == "artifact_too_large":
        assert reply.json()["maxBytes"] == 1024 * 1024
    if error == "invalid_request":
        assert reply.json()["issues"]


def test_validation_order_type_and_size_before_session(client: httpx.Client) -> None:
    body = {"name": "../x", "contentType": "text/x-nope", "sizeBytes": 10**9}
    reply = client.post(f"{CP}/sessions/missing/artifacts/presign-put", json=body)
    assert reply.json() == {"error": "content_type_not_allowed"}
    body["contentType"] = "image/png"
    assert client.post(f"{CP}/sessions/missing/artifacts/presign-put", json=body).json()["error"] == (
        "artifact_too_large"
    )
    body["sizeBytes"] = 5
    reply = client.post(f"{CP}/sessions/missing/artifacts/presign-put", json=body)
    assert reply.status_code == 404 and reply.json() == {"error": "session_not_found"}


def test_same_name_twice_fails(client: httpx.Client) -> None:
    sid = new_session(client)
    assert presign_put(client, sid, "same.png", PNG).status_code == 200
    again = presign_put(client, sid, "same.png", PNG)
    assert again.status_code == 500 and "Unique constraint" in again.json()["message"]


def test_complete_checks_the_stored_bytes(client: httpx.Client) -> None:
    sid = new_session(client)
    put = presign_put(client, sid, "c.png", PNG).json()
    assert _complete(client, sid, put["key"], PNG).json()["error"] == "object_not_uploaded"
    assert httpx.put(put["url"], content=PNG, headers={"Content-Type": "image/png"}).status_code == 200
    wrong_hash = {"key": put["key"], "sha256": "0" * 64, "sizeBytes": len(PNG)}
    reply = client.post(f"{CP}/sessions/{sid}/artifacts/complete", json=wrong_hash)
    assert reply.status_code == 400 and reply.json()["error"] == "sha256_mismatch"
    wrong_size = {"key": put["key"], "sha256": hashlib.sha256(PNG).hexdigest(), "sizeBytes": len(PNG) - 1}
    assert client.post(f"{CP}/sessions/{sid}/artifacts/complete", json=wrong_size).json()["error"] == "size_mismatch"
    unknown = _complete(client, sid, put["key"] + "x", PNG)
    assert unknown.status_code == 404 and unknown.json() == {"error": "artifact_not_found"}
    bad = client.post(f"{CP}/sessions/{sid}/artifacts/complete", json={"key": put["key"], "sha256": "xyz"})
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_request"
    assert _complete(client, sid, put["key"], PNG).status_code == 200


def test_presign_get_needs_a_key(client: httpx.Client) -> None:
    reply = client.get(f"{CP}/sessions/x/artifacts/presign-get")
    assert reply.status_code == 400 and reply.json() == {"error": "missing_key"}


def test_reports_and_tasks_for_remote_mode(client: httpx.Client) -> None:
    demo = client.get(f"{CP}/sessions/demo-session").json()["session"]
    assert demo["project"]["name"] == "Demo project"
    assert [r["title"] for r in demo["reports"]] == ["Test run", "Spec review"]  # newest first
    assert {t["status"] for t in demo["tasks"]} == {"done", "pending"}
    sid = new_session(client)
    report = client.post(f"{CP}/sessions/{sid}/reports", json={"title": "R", "summary": "s"}).json()["report"]
    task = client.post(f"{CP}/sessions/{sid}/tasks", json={"title": "T"}).json()["task"]
    full = client.get(f"{CP}/sessions/{sid}").json()["session"]
    assert full["reports"] == [report] and full["tasks"] == [task]


def test_wrapped_presign_shape(reference_backend_factory: Callable[..., RunningServer]) -> None:
    url = reference_backend_factory("--presign-wrapped").url
    with httpx.Client(base_url=url) as client:
        sid = new_session(client)
        put = presign_put(client, sid, "w.png", PNG).json()["artifact"]
        assert put["headers"] == {"Content-Type": "image/png"}
        assert httpx.put(put["url"], content=PNG, headers=put["headers"]).status_code == 200
        assert _complete(client, sid, put["key"], PNG).status_code == 200
        got = client.get(f"{CP}/sessions/{sid}/artifacts/presign-get", params={"key": put["key"]}).json()
        assert httpx.get(got["artifact"]["url"]).content == PNG


def test_no_list_routes_by_default_like_the_original(client: httpx.Client) -> None:
    assert client.get(CP + "/projects").status_code == 405
    assert client.get(f"{CP}/projects/x/sessions").status_code == 405


def test_list_routes_on_request(reference_backend_factory: Callable[..., RunningServer]) -> None:
    with httpx.Client(base_url=reference_backend_factory("--seed-demo", "--cp-list-routes").url) as client:
        _check_lists(client)


def _check_lists(client: httpx.Client) -> None:
    project = client.post(CP + "/projects", json={"name": "Listed"}).json()["project"]
    projects = client.get(CP + "/projects").json()["projects"]
    assert projects[0] == project and "Demo project" in [p["name"] for p in projects]
    assert client.get(f"{CP}/projects/{project['id']}/sessions").json() == {"sessions": []}
    first = client.post(f"{CP}/projects/{project['id']}/sessions", json={"name": "one"}).json()["session"]
    second = client.post(f"{CP}/projects/{project['id']}/sessions", json={"name": "two"}).json()["session"]
    assert client.get(f"{CP}/projects/{project['id']}/sessions").json() == {"sessions": [second, first]}
    missing = client.get(f"{CP}/projects/nope/sessions")
    assert missing.status_code == 404 and missing.json() == {"error": "project_not_found"}
