"""Reading artifact replies: flat and wrapped presign shapes, errors in HTTP-200 bodies, plain messages."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from smartspec_tk.core.errors import AuthError, BackendError
from smartspec_tk.core.media.errors import ArtifactRejected, SessionNotFound, StoreRejected
from smartspec_tk.core.media.replies import json_reply, presigned
from smartspec_tk.core.media.upload import store_error


def reply(status: int, body: Any) -> httpx.Response:
    return httpx.Response(status, json=body)


def test_flat_and_wrapped_presign_shapes() -> None:
    flat = presigned(json_reply(reply(200, {"url": "http://s/x?sig=1", "key": "k", "expiresInSeconds": 60}), "t"), "t")
    assert (flat.url, flat.key, flat.expires_in, flat.headers) == ("http://s/x?sig=1", "k", 60, {})
    inner = {"url": "http://b/u", "key": "k2", "expiresInSeconds": 3600, "headers": {"Content-Type": "image/png"}}
    wrapped = presigned(json_reply(reply(200, {"artifact": inner}), "t"), "t")
    assert (wrapped.key, wrapped.headers) == ("k2", {"Content-Type": "image/png"})


def test_reply_without_url_is_an_error() -> None:
    with pytest.raises(BackendError, match="no URL"):
        presigned({"key": "k"}, "presign upload")


@pytest.mark.parametrize("status", [200, 400])
def test_error_in_a_200_body_is_a_failure(status: int) -> None:
    with pytest.raises(ArtifactRejected, match="does not accept this type") as info:
        json_reply(reply(status, {"error": "content_type_not_allowed"}), "presign upload")
    assert info.value.code == "content_type_not_allowed"


def test_status_code_field_is_a_failure() -> None:
    body = {"statusCode": 500, "error": "Internal Server Error", "message": "Unique constraint failed"}
    with pytest.raises(BackendError, match="Unique constraint failed") as info:
        json_reply(reply(200, body), "presign upload")
    assert info.value.status == 500


def test_too_large_names_the_server_limit() -> None:
    with pytest.raises(ArtifactRejected, match=r"too large for the server. The server's limit is 10.0 MB"):
        json_reply(reply(200, {"error": "artifact_too_large", "maxBytes": 10 * 1024 * 1024}), "t")


def test_session_not_found_has_its_own_class() -> None:
    with pytest.raises(SessionNotFound):
        json_reply(reply(404, {"error": "session_not_found"}), "t")


def test_auth_and_missing_route() -> None:
    with pytest.raises(AuthError, match="proxy token"):
        json_reply(reply(401, {"detail": "Unauthorized"}), "t")
    with pytest.raises(BackendError, match="no artifact route"):
        json_reply(reply(404, {"detail": "Not Found"}), "create project")


def test_store_refusals_in_plain_words() -> None:
    expired = httpx.Response(403, text="<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>")
    assert "expired" in str(store_error(expired, "upload"))
    tampered = httpx.Response(403, text="<Error><Code>SignatureDoesNotMatch</Code><Message>x</Message></Error>")
    error = store_error(tampered, "upload")
    assert isinstance(error, StoreRejected) and "signature" in str(error) and error.code == "SignatureDoesNotMatch"
    other = httpx.Response(500, text="boom")
    assert "HTTP 500" in str(store_error(other, "upload"))
