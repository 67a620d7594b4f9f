"""Composition root: settings → services → window → pump → mainloop.

Also the command line: `--version`, `--doctor`, `--self-test`, and the
`backend` sub-command that runs the reference backend.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING

from smartspec_tk import __version__

if TYPE_CHECKING:
    import tkinter as tk

    from smartspec_tk.core.paths import AppPaths
    from smartspec_tk.core.settings import Settings
    from smartspec_tk.services import Services
    from smartspec_tk.ui.window.main_window import MainWindow, WaitUntil

log = logging.getLogger(__name__)

EXIT_NO_DISPLAY = 2


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="smartspec-tk", description="SmartSpec desktop client")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument("--doctor", action="store_true", help="check the connection to the backend and exit")
    parser.add_argument("--self-test", action="store_true", help="build the window, run the self-checks, exit")
    parser.add_argument("--workspace", help="workspace folder (overrides SMARTSPEC_WORKSPACE)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    if sys.platform == "win32":
        # A piped stdout is cp1252 there: "→" in the doctor's output would raise UnicodeEncodeError.
        from smartspec_tk.core.windisplay import console_utf8

        console_utf8()
    args_list = list(sys.argv[1:] if argv is None else argv)
    code = _subcommand(args_list)
    if code is not None:
        return code
    args = parse_args(args_list)
    if args.version:
        print(f"smartspec-tk {__version__}")
        return 0
    if args.workspace:
        os.environ["SMARTSPEC_WORKSPACE"] = args.workspace
    return _run(args)


def _subcommand(args_list: list[str]) -> int | None:
    """Run `tab-watchdog …` or `backend …` (the same executable in another role); None: neither."""
    if args_list[:1] == ["tab-watchdog"]:  # started by core/orphans.start_watchdog
        from smartspec_tk.core.watchdog import main as watchdog_main

        return watchdog_main(args_list[1:])
    if args_list[:1] == ["backend"]:
        from smartspec_tk.backend.__main__ import main as backend_main

        return backend_main(args_list[1:])
    return None


def _load_settings() -> tuple[Settings, AppPaths, tuple[str, ...], tuple[str, ...]]:
    """The settings, the folders, the problems found in the settings and the notices about the
    folders (read-only, full); starts this run's log file."""
    # Imported here so that `--version` stays fast (pydantic is the slowest import).
    from smartspec_tk.core.child_env import remove_secrets_from_environment
    from smartspec_tk.core.logs import setup_logging
    from smartspec_tk.core.paths import resolve_paths
    from smartspec_tk.core.settings import load_settings

    paths, notices = resolve_paths().prepare()  # a read-only or full home never stops the start
    loaded = load_settings(paths.settings_file)
    settings = loaded.settings
    # Read once: from now on no program this app starts can inherit a token (issue 13, finding 8).
    remove_secrets_from_environment()
    secrets = settings.secret_values  # the proxy token, the orchestrator key, the MCP write token
    log_file = setup_logging(paths.log_dir, settings.log_level, secrets)
    log.info("smartspec-tk %s starting; log %s; portable=%s", __version__, log_file.name, paths.portable)
    for problem in loaded.problems:  # found before the log file existed
        log.warning("settings: %s", problem)
    for notice in notices:
        log.warning("%s", notice)
    return settings, paths, loaded.problems, notices


def _run(args: argparse.Namespace) -> int:
    """Services (with the demo backend when no backend answers), then the doctor or the window."""
    settings, paths, problems, notices = _load_settings()
    from smartspec_tk.core.messages import NoticePosted
    from smartspec_tk.services import Services

    embedded = None
    if not args.doctor and display_problem() is None:
        from smartspec_tk.core.embedded import start_embedded_backend

        embedded = start_embedded_backend(settings, paths)
        settings = embedded.settings if embedded is not None else settings
    services = Services.build(settings, paths, problems, demo_backend=embedded is not None)
    for notice in notices:  # the status bar says where the log is when the home cannot be written
        services.outbox.post(NoticePosted(notice))
    watcher = None
    if embedded is not None:  # a demo backend that dies is started again (core/embedded_watch.py)
        from smartspec_tk.core.embedded_watch import BackendWatcher

        watcher = BackendWatcher(embedded, services.outbox.post)
        watcher.start()
    try:
        return _doctor(services) if args.doctor else _gui(services, self_test=args.self_test)
    finally:
        services.close()
        if watcher is not None:
            watcher.stop()
        if embedded is not None:
            embedded.stop()


def _doctor(services: Services) -> int:
    from smartspec_tk.core.doctor import DoctorContext, run_doctor

    print(f"SmartSpec Tk {__version__} connection doctor — backend {services.backend_url}")
    ctx = DoctorContext(services.settings, services.http, services.problems)
    return run_doctor(ctx, lambda line: print(line, flush=True))


def display_problem() -> str | None:
    """Why no window can open here, or None."""
    if sys.platform.startswith(("win", "darwin")):
        return None
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return "no display: DISPLAY is not set (run it in a desktop session, or under Xvfb)"
    return None


def _gui(services: Services, *, self_test: bool) -> int:
    root = _open_root()
    if isinstance(root, str):
        print(f"smartspec-tk: {root}", file=sys.stderr)
        return EXIT_NO_DISPLAY
    return _show(root, services, self_test=self_test)


def _open_root() -> tk.Tk | str:
    """The Tk root, DPI-aware and with the platform's fonts; or why no window can open here."""
    problem = display_problem()
    if problem is not None:
        return problem
    import tkinter as tk

    if sys.platform == "win32":  # before Tk creates a window, or text is blurry on scaled displays
        from smartspec_tk.core.windisplay import enable_dpi_awareness

        log.info("DPI awareness: %s", enable_dpi_awareness())
    try:
        root = tk.Tk(className="SmartSpecTk")
    except tk.TclError as exc:
        return f"no display: {exc}"
    if sys.platform == "win32":
        from smartspec_tk.core.windisplay import window_dpi
        from smartspec_tk.ui.theme.platform import apply_dpi_scaling, apply_platform_fonts

        apply_dpi_scaling(root, window_dpi(root.winfo_id()))
        apply_platform_fonts(root)
    return root


def _show(root: tk.Tk, services: Services, *, self_test: bool) -> int:
    """Theme, window, features, pump; then the main loop (or the self-test)."""
    from smartspec_tk import testhooks
    from smartspec_tk.features import attach_features
    from smartspec_tk.ui import theme
    from smartspec_tk.ui.window.main_window import MainWindow
    from smartspec_tk.ui.window.pump import Pump

    if sys.platform.startswith("linux"):  # ends the tabs' processes if this app dies (core/orphans.py)
        from smartspec_tk.core.orphans import start_watchdog

        start_watchdog()
    notices = _install_error_reporting(root)
    palette = theme.install(root, services.settings.theme)
    log.info("theme %s (setting: %s)", palette.name, services.settings.theme)
    # Bound before the features attach: tkinterdnd2 maps the window while registering drops.
    _log_first_map(root)
    from smartspec_tk.core.shortcuts import build_keymap

    window = MainWindow(root, services.backend_url, build_keymap(services.settings.shortcuts))
    _quit_on_sigterm(root, window)
    notices.append(window.status_bar.show_notice)
    pump = Pump(root, services.outbox)
    testhooks.install(root, attach_features(window, pump, services), window.quit, window)
    for problem_text in services.problems:
        window.status_bar.show_notice(problem_text, seconds=20)
    pump.start()
    if self_test:
        status = _self_test(root, window)
    else:
        if not window.quitting:  # a quit asked for while starting (root.quit() before mainloop is lost)
            root.mainloop()
        pump.stop()
        window.quit()
        _destroy(root)
        status = 0
    if sys.platform.startswith("linux"):  # the tabs are closed: the watchdog has nothing to do
        from smartspec_tk.core.orphans import release_watchdog

        release_watchdog()
    return status


def _quit_on_sigterm(root: tk.Tk, window: MainWindow) -> None:
    """A SIGTERM (logout, shutdown, `kill`) quits as the Quit command does, without questions: the
    tabs are closed, the session saved and the tabs' watchdog released. The handler runs on the Tk
    thread between two Python steps, so it only schedules the quit."""
    import signal

    if os.name == "posix":
        signal.signal(signal.SIGTERM, lambda _sig, _frame: root.after(0, window.quit))


def _log_first_map(root: tk.Tk) -> None:
    from smartspec_tk import testhooks

    mapped = False

    def on_map(event: tk.Event[tk.Misc]) -> None:
        # Once only; no unbind, which would drop other features' <Map> bindings too.
        nonlocal mapped
        if event.widget is root and not mapped:
            mapped = True
            log.info("main window mapped")
            testhooks.mapped()

    root.bind("<Map>", on_map, add="+")


def _install_error_reporting(root: tk.Tk) -> list[Callable[[str], None]]:
    """Tk callback errors are logged; a UserError's text (or "internal error") also goes to
    the callables in the returned list (the status bar, once the window exists)."""
    notices: list[Callable[[str], None]] = []

    def report(exc: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        from smartspec_tk.core.errors import UserError

        if isinstance(value, UserError):
            log.warning("user error: %s", value)
            text = str(value)
        else:
            log.error("internal error in a Tk callback:\n%s", "".join(traceback.format_exception(exc, value, tb)))
            text = "internal error — see log"
        for notice in notices:
            notice(text)

    root.report_callback_exception = report
    return notices


def make_wait_until(root: tk.Tk) -> WaitUntil:
    def wait_until(condition: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
            root.update()
            time.sleep(0.01)

    return wait_until


def _self_test(root: tk.Tk, window: MainWindow) -> int:
    wait_until = make_wait_until(root)
    failures = 0
    try:
        wait_until(lambda: root.winfo_ismapped(), 10, "the main window to map")
        print("self-test: main window mapped", flush=True)
        for name, check in window.self_checks:
            try:
                check(wait_until)
                print(f"self-test: {name}: ok", flush=True)
            except Exception as exc:  # noqa: BLE001 - every failure is reported
                failures += 1
                log.exception("self-check %s failed", name)
                print(f"self-test: {name}: FAILED: {exc}", flush=True)
    finally:
        window.quit()
        _destroy(root)
    print("self-test: passed" if failures == 0 else f"self-test: {failures} check(s) failed", flush=True)
    return 0 if failures == 0 else 1


def _destroy(root: tk.Tk) -> None:
    import contextlib
    import tkinter as tk

    with contextlib.suppress(tk.TclError):
        root.destroy()
