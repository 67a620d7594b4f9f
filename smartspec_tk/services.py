"""Services: the objects every feature shares, built once by the composition root.

Tk-free, so features (and tests) can build one without a window. Saved settings reach a
running app through `update_settings`, which tells `settings_listeners`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import httpx

from smartspec_tk.core.chat.models import ModelsClient
from smartspec_tk.core.logs import add_secrets
from smartspec_tk.core.net import BackendCredentials, make_client, update_credentials
from smartspec_tk.core.outbox import Outbox
from smartspec_tk.core.paths import AppPaths
from smartspec_tk.core.settings import Settings


@dataclass
class Services:
    settings: Settings
    paths: AppPaths
    http: httpx.Client
    outbox: Outbox
    credentials: BackendCredentials
    problems: tuple[str, ...] = ()
    demo_backend: bool = False  # True when the app started its own reference backend
    # Called with the new Settings after `update_settings` (Tk thread: the Settings dialog).
    settings_listeners: list[Callable[[Settings], None]] = field(default_factory=list)

    @property
    def backend_url(self) -> str:
        return self.settings.backend_url

    @cached_property
    def models(self) -> ModelsClient:
        """The backend's model list, one client for every feature that asks (the chat, the Kilo tabs)."""
        return ModelsClient(self.http, self.backend_url, demo=self.demo_backend)

    @classmethod
    def build(
        cls,
        settings: Settings,
        paths: AppPaths,
        problems: tuple[str, ...] = (),
        transport: httpx.BaseTransport | None = None,
        *,
        demo_backend: bool = False,
    ) -> Services:
        credentials = _credentials(settings)
        http = _client(settings, credentials, transport)
        return cls(settings, paths, http, Outbox(), credentials, problems, demo_backend)

    def new_http(self) -> httpx.Client:
        """A client like `http` with a connection pool of its own (an upload's: Cancel can shut it)."""
        return _client(self.settings, self.credentials)

    def update_settings(self, settings: Settings) -> None:
        """Use `settings` from now on where that can change in a running app: the tokens and
        timeouts of the HTTP client at once, then every listener (fonts, theme, limits…).
        The backend address stays the running one (a change applies at the next start)."""
        settings = settings.model_copy(update={"backend_url": self.settings.backend_url})
        self.settings = settings
        self.credentials = _credentials(settings)
        add_secrets(settings.secret_values)
        update_credentials(self.http, self.credentials)
        self.http.timeout = httpx.Timeout(connect=settings.connect_timeout_s, read=settings.read_timeout_s,
                                          write=60.0, pool=settings.connect_timeout_s)  # fmt: skip
        for listener in list(self.settings_listeners):
            listener(settings)

    def close(self) -> None:
        self.http.close()


def _credentials(settings: Settings) -> BackendCredentials:
    key = settings.orchestrator_key
    return BackendCredentials(backend_url=settings.backend_url, token=settings.token, token_mode=settings.token_mode,
                              orchestrator_key=key.get_secret_value() if key else None,
                              mcp_write_token=settings.write_token)  # fmt: skip


def _client(settings: Settings, credentials: BackendCredentials, transport: httpx.BaseTransport | None = None
            ) -> httpx.Client:  # fmt: skip
    return make_client(
        credentials,
        ca_file=settings.ca_file,
        connect_timeout=settings.connect_timeout_s,
        read_timeout=settings.read_timeout_s,
        transport=transport,
    )
