"""AppState: what the reference backend's route modules share (configuration, stores, counters).

Built once by `server.BackendApp`; the route modules read it and never import the server.
"""

from __future__ import annotations

import secrets

from smartspec_tk.backend import middleware as mw
from smartspec_tk.backend import stats
from smartspec_tk.backend.config import BackendConfig
from smartspec_tk.backend.control_plane import ControlPlane
from smartspec_tk.backend.storage import LocalStore, Store


class AppState:
    def __init__(self, config: BackendConfig) -> None:
        self.config = config
        self.base_url = ""  # known once the server is bound
        self.limiter = mw.RateLimiter(config.rate_limit)
        self.stats = stats.StreamStats()  # reference-only counters, `GET /_reference/stats`
        config.root.mkdir(parents=True, exist_ok=True)
        config.workspace.mkdir(parents=True, exist_ok=True)
        self.store = make_store(config, self)
        self.cp = ControlPlane(config, self.store)
        if config.seed_demo:
            self.cp.seed_demo()


def make_store(config: BackendConfig, state: AppState) -> Store:
    if config.s3_enabled:
        from smartspec_tk.backend.s3 import S3Store

        return S3Store(config)
    secret = config.store_secret.encode() if config.store_secret else secrets.token_bytes(32)
    return LocalStore(config.root, secret, config.presign_expiry, state, clock_file=config.clock_file)
