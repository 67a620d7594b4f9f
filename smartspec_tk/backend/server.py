"""The reference backend's HTTP server: one `ThreadingHTTPServer`, a route table, the middleware.

`BackendApp` is the state every route module shares (`state.AppState`) with the routes
of all modules (`routing.Route`); `serve(config)` binds, prints
`listening on http://HOST:PORT` and runs until interrupted.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from smartspec_tk import __version__
from smartspec_tk.backend import artifacts_local, chat, cp_routes, health, mcp, stats, storage
from smartspec_tk.backend import middleware as mw
from smartspec_tk.backend.config import BackendConfig
from smartspec_tk.backend.routing import Route
from smartspec_tk.backend.state import AppState
from smartspec_tk.backend.web import BodyTooLarge, Request, Response, detail, json_response

log = logging.getLogger(__name__)

class BackendApp(AppState):
    """The shared state plus the route table and the middleware in front of it."""

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        self.local = artifacts_local.LocalArtifacts(config, self)
        self.routes: list[Route] = [
            *health.routes(self),
            *chat.routes(self),
            *cp_routes.routes(self),
            *self.local.routes(),
            *mcp.routes(self),
            *storage.routes(self.store, config),
            *stats.routes(self.stats),
        ]

    def find(self, req: Request) -> tuple[Route | None, bool]:
        """The matching route, and whether the path exists under another method."""
        path_known = False
        for candidate in self.routes:
            match = candidate.pattern.match(req.path)
            if match is None:
                continue
            path_known = True
            if candidate.method == req.method or (candidate.method == "GET" and req.method == "HEAD"):
                req.params = match.groupdict()
                return candidate, True
        return None, path_known

    def dispatch(self, req: Request) -> Response | None:
        config = self.config
        checks: tuple[Callable[[], Response | None], ...] = (
            lambda: mw.check_loopback(config, req),
            lambda: mw.check_rate(self.limiter, req),
            lambda: mw.check_size(config, req),
            lambda: mw.check_content_type(req),
            lambda: mw.check_legacy_key(req),
            lambda: mw.check_token(config, req),
        )
        for check in checks:
            refused = check()
            if refused is not None:
                return refused
        found, path_known = self.find(req)
        if found is None:
            return detail(405, "Method Not Allowed") if path_known else detail(404, "Not Found")
        return found.handler(req)


DRAIN_LIMIT = 64 * 1024 * 1024


def _drain(handler: BaseHTTPRequestHandler, size: int) -> None:
    while size > 0:
        piece = handler.rfile.read(min(size, 1 << 20))
        if not piece:
            break
        size -= len(piece)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = f"SmartSpecReferenceBackend/{__version__}"
    disable_nagle_algorithm = True
    server: _Server

    def _handle(self) -> None:
        req = Request(self, self.client_address[0])
        req.max_body = self.server.app.config.max_body
        self.stream_started = False  # set by ChunkedStream once a streamed answer has begun
        try:
            response = self.server.app.dispatch(req)
        except BodyTooLarge:
            response = json_response(413, {"error": "Request too large", "max_size": req.max_body})
            self.close_connection = True
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            return
        except Exception:  # noqa: BLE001 - the real backend answers a generic 500
            log.exception("unhandled error on %s %s", req.method, req.path)
            if self.stream_started:  # too late for a status: end the connection like a broken stream
                self.close_connection = True
                return
            response = json_response(
                500, {"error": "INTERNAL_SERVER_ERROR", "message": "An unexpected error occurred", "details": {}}
            )
        if response is not None:
            try:
                self._send(req, response)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    def _send(self, req: Request, response: Response) -> None:
        chunked = "chunked" in req.header("Transfer-Encoding").lower()
        unread = req._body is None and ((req.content_length or 0) > 0 or chunked)  # noqa: SLF001
        if unread and not chunked and (req.content_length or 0) <= DRAIN_LIMIT:
            _drain(self, req.content_length or 0)  # so the client reads our answer instead of a reset
        elif unread:
            self.close_connection = True  # the body was refused unread: do not reuse the socket
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in response.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if req.method != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.info("%s %s", self.address_string(), format % args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # bursts of parallel clients (benchmarks) must not be refused
    app: BackendApp

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up are normal (Stop, timeouts); anything else is logged with its traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            log.debug("client %s went away: %s", client_address, error)
            return
        log.exception("error while serving %s", client_address)


def make_server(config: BackendConfig) -> _Server:
    server_cls = _Server
    if ":" in config.host:
        import socket

        class _Server6(_Server):
            address_family = socket.AF_INET6

        server_cls = _Server6
    server = server_cls((config.host, config.port), _Handler)
    server.app = BackendApp(config)
    host, port = server.server_address[:2]
    host = host.decode() if isinstance(host, bytes) else str(host)
    shown = f"[{host}]" if ":" in host else host
    server.app.base_url = f"http://{shown}:{port}"
    return server


def _watch_parent(server: _Server, parent: int, wait_gone: Callable[[int], object] | None = None) -> None:
    """Stop serving once the app that started us is gone, so no orphan stays.

    POSIX: we were re-parented (getppid changes). Windows never re-parents, so there we
    wait on a handle of the parent process (WaitForSingleObject) instead."""
    if wait_gone is None and sys.platform == "win32":
        from smartspec_tk.core.winsys import wait_for_exit

        wait_gone = wait_for_exit
    if wait_gone is not None:
        how = wait_gone(parent)
        log.info("parent %d is gone (%s); stopping", parent, how)
    else:
        while os.getppid() == parent:
            time.sleep(0.5)
        log.info("parent %d is gone; stopping", parent)
    server.shutdown()


def serve(config: BackendConfig) -> int:
    server = make_server(config)
    print(f"listening on {server.app.base_url}", flush=True)
    mode = f"upstream {config.upstream_url}" if config.upstream_url else "offline models"
    store = f"S3 {config.s3_endpoint}/{config.s3_bucket}" if config.s3_enabled else f"local {config.root}"
    print(f"chat: {mode}; artifacts: {store}; token: {'on' if config.token else 'off'}", flush=True)
    if config.exit_with_parent:
        threading.Thread(target=_watch_parent, args=(server, config.exit_with_parent), daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    sys.stdout.flush()
    return 0
