"""external_env: programs started from the one-file binary get the user's environment, not ours."""

from __future__ import annotations

import os

import pytest

from smartspec_tk.core import frozen
from smartspec_tk.core.frozen import external_env

BUNDLE = "/tmp/_MEI123abc"
BOOTLOADER_ENV = {
    "PATH": "/usr/bin:/bin",
    "HOME": "/home/u",
    "LD_LIBRARY_PATH": BUNDLE,
    "_PYI_ARCHIVE_FILE": "/opt/smartspec-tk",
    "_PYI_APPLICATION_HOME_DIR": BUNDLE,
    "_PYI_PARENT_PROCESS_LEVEL": "1",
    "TCL_LIBRARY": BUNDLE + "/_tcl_data",
    "TK_LIBRARY": BUNDLE + "/_tk_data",
}


def test_removes_what_the_bootloader_added() -> None:
    assert external_env(BOOTLOADER_ENV, bundle=BUNDLE) == {"PATH": "/usr/bin:/bin", "HOME": "/home/u"}


def test_restores_the_users_library_path() -> None:
    env = {**BOOTLOADER_ENV, "LD_LIBRARY_PATH": f"{BUNDLE}:/opt/lib", "LD_LIBRARY_PATH_ORIG": "/opt/lib"}
    assert external_env(env, bundle=BUNDLE)["LD_LIBRARY_PATH"] == "/opt/lib"
    assert "LD_LIBRARY_PATH_ORIG" not in external_env(env, bundle=BUNDLE)


def test_keeps_user_values_outside_the_bundle() -> None:
    env = {"LD_LIBRARY_PATH": f"{BUNDLE}:/opt/lib", "TCL_LIBRARY": "/usr/share/tcl8.6", "_MEIX": "kept"}
    assert external_env(env, bundle=BUNDLE) == {
        "LD_LIBRARY_PATH": "/opt/lib",
        "TCL_LIBRARY": "/usr/share/tcl8.6",
        "_MEIX": "kept",
    }


def test_from_source_it_is_a_plain_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr("sys.frozen", raising=False)
    assert frozen.bundle_dir() is None
    copy = external_env(BOOTLOADER_ENV)
    assert copy == BOOTLOADER_ENV and copy is not BOOTLOADER_ENV


def test_when_frozen_it_uses_meipass(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.frozen", True, raising=False)
    monkeypatch.setattr("sys._MEIPASS", BUNDLE, raising=False)
    monkeypatch.setenv("LD_LIBRARY_PATH", BUNDLE)
    assert frozen.bundle_dir() == BUNDLE
    assert "LD_LIBRARY_PATH" not in external_env()
    assert os.environ["LD_LIBRARY_PATH"] == BUNDLE  # the app's own environment is untouched


def test_restore_user_environment_moves_bootloader_vars_aside(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.frozen", True, raising=False)
    monkeypatch.setattr("sys._MEIPASS", BUNDLE, raising=False)
    monkeypatch.setattr(frozen, "_bootloader_env", {})
    for name, value in BOOTLOADER_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("LD_LIBRARY_PATH", f"{BUNDLE}:/opt/lib")
    monkeypatch.setenv("LD_LIBRARY_PATH_ORIG", "/opt/lib")

    frozen.restore_user_environment()

    assert os.environ["LD_LIBRARY_PATH"] == "/opt/lib"
    assert not [name for name in os.environ if name.startswith("_PYI_") or name == "LD_LIBRARY_PATH_ORIG"]
    assert os.environ["TK_LIBRARY"] == BUNDLE + "/_tk_data"  # Tk still needs it in this process
    again = frozen.self_env()  # starting ourselves: the bootloader's view comes back
    assert again["LD_LIBRARY_PATH"] == f"{BUNDLE}:/opt/lib"
    assert again["_PYI_APPLICATION_HOME_DIR"] == BUNDLE
    assert "_PYI_APPLICATION_HOME_DIR" not in frozen.external_env()
