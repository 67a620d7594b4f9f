"""The Connection doctor dialog: results arrive from the worker, buttons stay visible, text is read-only."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

import pytest

from smartspec_tk.core.paths import resolve_paths
from smartspec_tk.core.settings import load_settings
from smartspec_tk.services import Services
from smartspec_tk.ui.window.doctor_dialog import DoctorDialog, DoctorLine
from smartspec_tk.ui.window.pump import Pump


def test_doctor_dialog_reports_a_dead_backend(
    tk_root: tk.Tk, wait_until: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMARTSPEC_BACKEND_URL", "http://127.0.0.1:9")
    paths = resolve_paths().ensure()
    services = Services.build(load_settings(paths.settings_file).settings, paths)
    pump = Pump(tk_root, services.outbox)
    pump.start()
    try:
        dialog = DoctorDialog(tk_root, pump, services)
        dialog.geometry("600x260")  # smaller than the report: the buttons must still show
        wait_until(lambda: "Done." in dialog.text.get("1.0", "end"), what="the doctor to finish")
        report = dialog.text.get("1.0", "end")
        assert "[FAIL] Backend reachable" in report and "SMARTSPEC_BACKEND_URL" in report
        assert "[skip] Token accepted" in report
        assert str(dialog.text.cget("state")) == "disabled"
        buttons = [w for w in dialog.winfo_children() if isinstance(w, ttk.Frame)][0]
        tk_root.update()
        assert buttons.winfo_ismapped() and buttons.winfo_height() > 10
        assert pump.subscriptions(DoctorLine) == 1
        dialog.destroy()
        assert pump.subscriptions(DoctorLine) == 0  # a closed dialog leaves no handler behind
        again = DoctorDialog(tk_root, pump, services)
        assert pump.subscriptions(DoctorLine) == 1  # opening it again does not add up
        wait_until(lambda: "Done." in again.text.get("1.0", "end"), what="the second run to finish")
        again.destroy()
    finally:
        pump.stop()
        services.close()
