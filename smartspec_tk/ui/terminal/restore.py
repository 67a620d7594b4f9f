"""Session restore: the window's geometry and divider and the shell tabs (order, the names the
user gave, working folders) are saved when the app quits and brought back at the next start,
as fresh shells in those folders — never re-running a command (`core/session_state.py`).
The setting `restore_session` turns both off.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from smartspec_tk.core.session_state import FILE_NAME, TabState, WindowState, load_state, save_state

if TYPE_CHECKING:
    from smartspec_tk.services import Services
    from smartspec_tk.ui.terminal.notebook import TerminalNotebook
    from smartspec_tk.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

_GEOMETRY = re.compile(r"(\d+)x(\d+)(?:([+-]-?\d+)([+-]-?\d+))?$")


def install_restore(window: MainWindow, notebook: TerminalNotebook, services: Services) -> bool:
    """Restore the saved session (True when tabs were opened) and save it at quit."""
    if not services.settings.restore_session:
        return False
    path = services.paths.data_dir / FILE_NAME
    # First: the shells must still run when their folders are read (the notebook ends them later).
    window.quit_handlers.insert(0, lambda: _save(path, window, notebook) if services.settings.restore_session else None)
    state = load_state(path)
    if state is None:
        return False
    apply_window(window, state)
    for tab in state.tabs:
        folder = tab.cwd if tab.cwd and Path(tab.cwd).is_dir() else None
        notebook.open_session(cwd=folder, title=tab.name or None)
    views = notebook.all_tabs()
    if views:
        notebook.select_view(views[min(max(state.current, 0), len(views) - 1)])
    log.info("session: restored %d tab(s)", len(views))
    return bool(views)


def capture(window: MainWindow, notebook: TerminalNotebook) -> WindowState:
    """The session as it is now: the shell tabs in order (other kinds of tab are not kept)."""
    root, paned = window.root, window.paned
    tabs: list[TabState] = []
    current, selected = 0, notebook.current_tab()
    for tab in notebook.all_tabs():
        folder = notebook.folder_of(tab)
        if folder is None:
            continue
        if tab is selected:
            current = len(tabs)
        tabs.append(TabState(notebook.user_name(tab), folder))
    chat_visible = len(paned.panes()) == 2  # type: ignore[no-untyped-call]
    return WindowState(
        geometry=root.geometry(), zoomed=_zoomed(window),
        sash=int(paned.sashpos(0)) if chat_visible else window.last_sash,  # type: ignore[no-untyped-call]
        chat_visible=chat_visible, tabs=tuple(tabs), current=current,
    )  # fmt: skip


def _save(path: Path, window: MainWindow, notebook: TerminalNotebook) -> None:
    try:
        save_state(path, capture(window, notebook))
    except OSError as exc:
        log.warning("session: could not be saved to %s (%s)", path.name, exc)


def _zoomed(window: MainWindow) -> bool:
    root = window.root
    try:
        if root.tk.call("tk", "windowingsystem") == "x11":
            return bool(root.attributes("-zoomed"))
        return str(root.state()) == "zoomed"
    except Exception:  # noqa: BLE001 - a window manager that does not say
        return False


def fit_geometry(geometry: str, screen: tuple[int, int], minimum: tuple[int, int]) -> str | None:
    """The saved geometry made to fit this screen: no larger than it, never under the minimum,
    and without its position when that would put the window off the screen (a monitor gone)."""
    match = _GEOMETRY.match(geometry.strip())
    if match is None:
        return None
    width = max(min(int(match[1]), screen[0]), minimum[0])
    height = max(min(int(match[2]), screen[1]), minimum[1])
    size = f"{width}x{height}"
    if match[3] is None:
        return size
    x, y = int(match[3]), int(match[4])
    if not (-width // 2 < x < screen[0] - 40 and 0 <= y < screen[1] - 40):
        return size
    return f"{size}{match[3]}{match[4]}"


def apply_window(window: MainWindow, state: WindowState) -> None:
    root = window.root
    screen = (root.winfo_screenwidth(), root.winfo_screenheight())
    minimum = root.minsize()
    geometry = fit_geometry(state.geometry, screen, (int(minimum[0]), int(minimum[1])))
    if geometry:
        root.geometry(geometry)
    if state.zoomed:
        try:
            if root.tk.call("tk", "windowingsystem") == "x11":
                root.attributes("-zoomed", True)
            else:
                root.state("zoomed")
        except Exception:  # noqa: BLE001 - not every window manager can
            log.info("session: the window could not be maximized here")
    if not state.chat_visible:
        window.toggle_chat()
    if state.sash is not None:
        window.place_sash(state.sash)
