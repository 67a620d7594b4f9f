"""The demo backend the app started is started again when it dies (finding 12 of issue 13).

Real children killed with SIGKILL; the back-off runs on a clock the test holds (`GatedClock`),
so nothing depends on how fast the machine is.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from smartspec_tk.core.embedded import EmbeddedBackend, start_embedded_backend
from smartspec_tk.core.embedded_watch import GAVE_UP, RESTARTED, RESTARTING, BackendWatcher, DemoBackendChanged
from smartspec_tk.core.messages import Message
from smartspec_tk.core.paths import resolve_paths
from smartspec_tk.core.settings import Settings
from tests.faults.app_run import free_port, log_text

pytestmark = pytest.mark.servers


class GatedClock:
    """The watcher's clock: each back-off waits until the test opens the gate (or at once when open)."""

    def __init__(self, open_: bool = True) -> None:
        self.gate = threading.Event()
        if open_:
            self.gate.set()
        self.waiting = threading.Event()
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def wait(self, seconds: float) -> bool:
        self.waiting.set()
        self.gate.wait(30)
        return False


def _until(condition: Any, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def _dead(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return True
    return stat.rsplit(b")", 1)[1].split()[0] == b"Z"


@pytest.fixture
def embedded(app_home: Path) -> Iterator[EmbeddedBackend]:
    settings = Settings(backend_url=f"http://127.0.0.1:{free_port()}", embedded_backend="auto")
    backend = start_embedded_backend(settings, resolve_paths().ensure())
    assert backend is not None
    yield backend
    backend.stop()


def test_a_killed_demo_backend_is_started_again_on_its_address(embedded: EmbeddedBackend) -> None:
    posted: list[Message] = []
    clock = GatedClock()
    watcher = BackendWatcher(embedded, posted.append, clock, ready_timeout=60)
    watcher.start()
    first = embedded.process.pid
    os.kill(first, signal.SIGKILL)
    _until(lambda: any(getattr(m, "state", "") == RESTARTED for m in posted), "the restart", timeout=90)
    assert embedded.process.pid != first and _dead(first)
    assert httpx.get(embedded.url + "/healthz").json() == {"ok": True}
    assert [m.state for m in posted if isinstance(m, DemoBackendChanged)] == [RESTARTING, RESTARTED]
    assert posted[0].text.startswith("Demo backend stopped (exit status -9)")  # type: ignore[attr-defined]
    assert posted[1].text == "Demo backend restarted"  # type: ignore[attr-defined]
    second = embedded.process.pid
    os.kill(second, signal.SIGKILL)  # dies again at once: a longer back-off
    _until(lambda: len(posted) == 4, "the second restart", timeout=90)
    assert watcher.delays == [0.5, 1.0]
    assert httpx.get(embedded.url + "/healthz").status_code == 200
    clock.now += 3600  # an hour of quiet: the back-off starts over
    os.kill(embedded.process.pid, signal.SIGKILL)
    _until(lambda: len(posted) == 6, "the third restart", timeout=90)
    assert watcher.delays == [0.5, 1.0, 0.5]
    embedded.stop()
    _until(lambda: not watcher._thread.is_alive(), "the watcher to end after stop()")
    assert len(posted) == 6, "stop() is not a death"


def test_gives_up_with_a_plain_message_when_it_cannot_start_again(embedded: EmbeddedBackend) -> None:
    posted: list[Message] = []
    clock = GatedClock(open_=False)
    watcher = BackendWatcher(embedded, posted.append, clock, ready_timeout=60)
    watcher.start()
    os.kill(embedded.process.pid, signal.SIGKILL)
    _until(clock.waiting.is_set, "the first back-off")
    port = int(embedded.url.rsplit(":", 1)[1])
    with socket.socket() as squatter:  # another program took the port meanwhile
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        clock.gate.set()
        _until(lambda: any(getattr(m, "state", "") == GAVE_UP for m in posted), "giving up", timeout=60)
    assert watcher.delays == [0.5, 1.0, 2.0, 5.0, 10.0, 10.0]
    assert posted[-1].text.startswith("Demo backend could not be restarted — see demo-backend.log")  # type: ignore[attr-defined]
    assert "Errno" not in posted[-1].text  # type: ignore[attr-defined]


def test_the_real_app_restarts_its_killed_demo_backend(tmp_path: Path, app_home: Path) -> None:
    port = free_port()
    env = dict(os.environ, SMARTSPEC_BACKEND_URL=f"http://127.0.0.1:{port}", SMARTSPEC_EMBEDDED_BACKEND="auto")
    app = subprocess.Popen([sys.executable, "-m", "smartspec_tk"], env=env, cwd=tmp_path,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        started = re.compile(r"demo backend started at \S+ \(pid (\d+)\)")
        _until(lambda: started.search(log_text(app_home)) is not None, "the demo backend", timeout=60)
        match = started.search(log_text(app_home))
        assert match is not None
        first = int(match[1])
        os.kill(first, signal.SIGKILL)
        _until(lambda: "demo backend restarted" in log_text(app_home), "the app to restart it", timeout=90)
        assert app.poll() is None
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").json() == {"ok": True}
        assert _dead(first)
    finally:
        app.terminate()
        app.wait(30)


def test_status_bar_and_retry_while_the_demo_backend_restarts(
    tk_root: Any, wait_until: Any, embedded: EmbeddedBackend
) -> None:
    """The real window's status bar and chat pane, the real demo backend killed with SIGKILL."""
    from smartspec_tk.core.chat.errors import DEMO_DOWN
    from smartspec_tk.services import Services
    from smartspec_tk.ui.chat import wiring as chat_wiring
    from smartspec_tk.ui.window import app_shell
    from smartspec_tk.ui.window.main_window import MainWindow
    from smartspec_tk.ui.window.pump import Pump
    from tests.chat.ref_pane import shown

    settings = embedded.settings.model_copy(update={"default_model": "offline-echo"})
    services = Services.build(settings, resolve_paths().ensure())
    services.demo_backend = True
    window = MainWindow(tk_root, services.backend_url)
    pump = Pump(tk_root, services.outbox)
    app_shell.attach(window, pump, services)
    pane = chat_wiring.attach(window, pump, services)
    pump.start()
    clock = GatedClock(open_=False)
    watcher = BackendWatcher(embedded, services.outbox.post, clock, ready_timeout=60)
    watcher.start()
    try:
        notice = window.status_bar.notice_label
        os.kill(embedded.process.pid, signal.SIGKILL)
        wait_until(lambda: "restarting" in str(notice.cget("text")), 20, "the restarting notice")
        pane.input.set_value("are you there?")
        pane.send_prompt()
        wait_until(lambda: pane.job is None, 20, "the failed answer")
        assert DEMO_DOWN in shown(pane)
        assert not re.search(r"Errno|httpx|ConnectError|Connection refused", shown(pane))
        clock.gate.set()
        wait_until(lambda: str(notice.cget("text")) == "Demo backend restarted", 90, "the restarted notice")
        pane.retry()
        wait_until(lambda: pane.job is None, 20, "the answer after Retry")
        assert "are you there?" in shown(pane).rsplit("Assistant", 1)[-1]  # the echo model quotes the prompt
        wait_until(lambda: "online" in str(window.status_bar.backend_label.cget("text")), 20, "the green status")
    finally:
        watcher.stop()
        window.quit()
        pump.stop()
        services.close()


def test_a_resend_with_a_picture_to_a_dead_demo_backend_gets_plain_words(
    embedded: EmbeddedBackend, tmp_path: Path
) -> None:
    """Renewing the picture's link is the first call that fails: still no socket or httpx text."""
    from smartspec_tk.core.chat import messages as cm
    from smartspec_tk.core.chat.client import ChatClient
    from smartspec_tk.core.chat.errors import DEMO_DOWN
    from smartspec_tk.core.chat.request import ChatOptions
    from smartspec_tk.core.chat.worker import ChatJob
    from smartspec_tk.core.media.client import MediaClient
    from smartspec_tk.core.media.parts import content_part
    from smartspec_tk.core.media.renew import AttachmentRenewer
    from smartspec_tk.core.outbox import Outbox
    from tests.media.samples import write_png

    settings = embedded.settings.model_copy(update={"workspace": tmp_path})
    with httpx.Client() as http:
        media = MediaClient(http, settings, tmp_path)
        part = content_part(media.upload(media.check(write_png(tmp_path / "p.png"))))
        media.take_fresh()  # a later request: the picture is checked with the backend first
        os.kill(embedded.process.pid, signal.SIGKILL)
        embedded.process.wait(10)
        outbox = Outbox()
        history = [{"role": "user", "content": [{"type": "text", "text": "again"}, part]}]
        job = ChatJob(ChatClient(http, embedded.url, demo=True), outbox, 1, ChatOptions("offline-echo"), history,
                      preparer=AttachmentRenewer(media).prepare)  # fmt: skip
        job.start()
        job.join(30)
    final = [m for m in outbox.drain(1000) if isinstance(m, cm.ChatFinished)]
    assert [(f.status, f.error) for f in final] == [(cm.FAILED, DEMO_DOWN)]
