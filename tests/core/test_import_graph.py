"""The package's import graph (read with `ast`, see tests/helpers/import_graph.py): no circles
between modules, and no import that goes up a layer.

Layers, lowest first: the package root (its version) < core/ < services.py < ui/theme <
ui/window < ui/handles < the ui feature packages < features.py, testhooks.py < app.py.
backend/ (its own process) sees only core/ and itself; nothing but app.py sees backend/.
A ui feature package (ui/chat, ui/terminal, …) never imports another: they meet in ui/handles.
Imports inside functions and under TYPE_CHECKING count: that is where circles hide.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.import_graph import Graph, dot, layer_of, read_graph, report


def write_package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_the_reader_sees_circles_hidden_in_functions_and_type_checking(tmp_path: Path) -> None:
    package = write_package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/core/__init__.py": "",
        "pkg/core/a.py": "def later():\n    from pkg.core import b\n",
        "pkg/core/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import later\n",
        "pkg/core/c.py": "from . import a\n",  # into the circle, not part of it
    })  # fmt: skip
    graph = read_graph(package)
    assert graph.edges["pkg.core.a"] == {"pkg.core.b"} and graph.edges["pkg.core.b"] == {"pkg.core.a"}
    assert graph.circles() == [["pkg.core.a", "pkg.core.b"]]
    assert graph.upward() == []


def test_the_reader_sees_an_import_up_a_layer(tmp_path: Path) -> None:
    package = write_package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/features.py": "",
        "pkg/core/__init__.py": "",
        "pkg/core/a.py": "import pkg.ui.chat.pane\n",
        "pkg/ui/__init__.py": "",
        "pkg/ui/window/__init__.py": "",
        "pkg/ui/window/dialog.py": "def f():\n    import pkg.features\n",
        "pkg/ui/chat/__init__.py": "",
        "pkg/ui/chat/pane.py": "from pkg.ui.window import dialog\nfrom pkg.backend import server\n",
        "pkg/backend/__init__.py": "",
        "pkg/backend/server.py": "",
    })  # fmt: skip
    assert read_graph(package).upward() == [
        ("pkg.core.a", "pkg.ui.chat.pane"),
        ("pkg.ui.chat.pane", "pkg.backend.server"),
        ("pkg.ui.window.dialog", "pkg.features"),
    ]


def test_the_reader_sees_an_import_between_ui_features(tmp_path: Path) -> None:
    package = write_package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/ui/__init__.py": "",
        "pkg/ui/handles.py": "",
        "pkg/ui/chat/__init__.py": "",
        "pkg/ui/chat/pane.py": "from pkg.ui import handles\nfrom pkg.ui.chat import __init__\n",
        "pkg/ui/kilo/__init__.py": "",
        "pkg/ui/kilo/tab.py": "def later():\n    from pkg.ui.chat.pane import X\n",
    })  # fmt: skip
    graph = read_graph(package)
    assert graph.sideways() == [("pkg.ui.kilo.tab", "pkg.ui.chat.pane")]
    assert graph.upward() == []


def test_the_picture_shows_imports_between_folders(tmp_path: Path) -> None:
    package = write_package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/core/__init__.py": "",
        "pkg/core/net.py": "",
        "pkg/core/chat/__init__.py": "from pkg.core import net\n",
        "pkg/core/chat/client.py": "from pkg.core.chat import __init__\n",
        "pkg/ui/__init__.py": "",
        "pkg/ui/handles.py": "",
        "pkg/ui/chat/__init__.py": "",
        "pkg/ui/chat/pane.py": "from pkg.core.chat import client\nfrom pkg.ui import handles\n",
    })  # fmt: skip
    text = dot(read_graph(package))
    arrows = {line.strip() for line in text.splitlines() if "->" in line}
    assert arrows == {'"core/chat" -> "core";', '"ui/chat" -> "core/chat";', '"ui/chat" -> "ui/handles.py";'}
    assert 'label="ui.feature"; "ui/chat";' in text


@pytest.fixture(scope="module")
def graph() -> Graph:
    found = read_graph()
    print(report(found))  # `pytest -s` shows the circles and the upward imports, if any
    return found


def test_every_module_has_a_layer(graph: Graph) -> None:
    assert len(graph.edges) > 100
    layers = {name: layer_of(name) for name in graph.edges}
    assert layers["smartspec_tk.core.settings"] == "core" and layers["smartspec_tk.ui.window.pump"] == "ui.window"
    assert layers["smartspec_tk.ui.chat.pane"] == "ui.feature" and layers["smartspec_tk.testhooks"] == "features"


def test_no_import_circles_between_the_packages_modules(graph: Graph) -> None:
    assert graph.circles() == [], report(graph)


def test_no_import_goes_up_a_layer(graph: Graph) -> None:
    assert graph.upward() == [], report(graph)


def test_no_ui_feature_package_imports_another(graph: Graph) -> None:
    assert graph.sideways() == [], report(graph)
