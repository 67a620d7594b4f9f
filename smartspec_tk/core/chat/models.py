"""The backend's model list, `GET /v1/models`: the one place that asks for it and reads the answer (any thread).

The chat's model picker, the Kilo tab's provider entry and the connection doctor
all ask through `ModelsClient`; the doctor reads the raw reply (`get`) to explain
a refused token, the others take the ids (`ids`).
"""

from __future__ import annotations

import httpx

from smartspec_tk.core.chat.errors import describe_network, describe_status
from smartspec_tk.core.errors import BackendError

MODELS_PATH = "/v1/models"
NOT_A_MODEL_LIST = "The backend's answer to /v1/models is not an OpenAI model list."


def model_ids(payload: object) -> list[str]:
    """The ids of an OpenAI model list (`{"data": [{"id": …}, …]}`); entries without an id are skipped.

    Raises ValueError when `payload` is not a model list at all.
    """
    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, list):
        raise ValueError(NOT_A_MODEL_LIST)
    return [str(m["id"]) for m in data if isinstance(m, dict) and m.get("id")]


class ModelsClient:
    """Asks the backend for its models through the app's one httpx client."""

    def __init__(self, http: httpx.Client, base_url: str, *, demo: bool = False) -> None:
        """`demo`: the backend is the demo backend the app started (its failures are told apart)."""
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._demo = demo

    def get(self, timeout: float = 10.0) -> httpx.Response:
        """The raw reply, whatever its status (raises httpx.HTTPError when there is none)."""
        return self._http.get(self._base_url + MODELS_PATH, timeout=timeout)

    def ids(self, timeout: float = 10.0) -> list[str]:
        """The model ids the backend offers (raises a UserError in plain words on failure)."""
        try:
            response = self.get(timeout)
        except httpx.HTTPError as exc:
            raise describe_network(exc, self._base_url, demo=self._demo) from exc
        if response.status_code != 200:
            raise describe_status(response.status_code, response.content, response.headers, self._base_url)
        try:
            return model_ids(response.json())
        except ValueError as exc:
            raise BackendError(NOT_A_MODEL_LIST) from exc
