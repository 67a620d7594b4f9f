"""The package's import graph, read from the source with `ast` (nothing is imported).

Every import counts as an edge: at module level, inside functions, under
`if TYPE_CHECKING:` — circles and upward arrows hide in exactly those places.
`python -m tests.helpers.import_graph [package folder]` prints the circles, the
imports that go up a layer and the imports from one ui feature package into another;
with `--dot` it prints the graph between the package's folders for Graphviz
(`... --dot | dot -Tpng -o layout.png`: docs/architecture-layout.png).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[2] / "smartspec_tk"

# Layers, lowest first; a module may import its own layer and the ones listed for it.
# `root` is the package's __init__ (the version).
ALLOWED: dict[str, frozenset[str]] = {
    "root": frozenset({"root"}),
    "core": frozenset({"root", "core"}),
    "backend": frozenset({"root", "core", "backend"}),  # its own process: never the desktop's ui
    "services": frozenset({"root", "core", "services"}),
    "ui.theme": frozenset({"root", "core", "services", "ui.theme"}),
    "ui.window": frozenset({"root", "core", "services", "ui.theme", "ui.window"}),
    "ui.handles": frozenset({"root", "core", "services", "ui.theme", "ui.window", "ui.handles"}),
    "ui.feature": frozenset({"root", "core", "services", "ui.theme", "ui.window", "ui.handles", "ui.feature"}),
    "features": frozenset({"root", "core", "services", "ui.theme", "ui.window", "ui.handles", "ui.feature",
                           "features"}),  # fmt: skip
    "app": frozenset({"root", "core", "services", "ui.theme", "ui.window", "ui.handles", "ui.feature",
                      "features", "backend", "app"}),  # fmt: skip
}
TOP_MODULES = {"services": "services", "features": "features", "testhooks": "features", "app": "app",
               "__main__": "app"}  # fmt: skip


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "root"
    if parts[1] in ("core", "backend"):
        return parts[1]
    if parts[1] == "ui":
        if len(parts) == 2:
            return "ui.feature"  # ui/__init__.py
        return {"theme": "ui.theme", "window": "ui.window", "handles": "ui.handles"}.get(parts[2], "ui.feature")
    if parts[1] not in TOP_MODULES:
        raise ValueError(f"{module}: a new top-level module needs a layer in TOP_MODULES")
    return TOP_MODULES[parts[1]]


@dataclass(frozen=True)
class Graph:
    edges: dict[str, set[str]]  # module -> the package's modules it imports

    def circles(self) -> list[list[str]]:
        """Strongly connected groups of more than one module, each sorted."""
        return sorted(sorted(group) for group in _components(self.edges) if len(group) > 1)

    def upward(self) -> list[tuple[str, str]]:
        """(importer, imported) pairs that break the layer rules."""
        return sorted((a, b) for a, outs in self.edges.items() for b in outs
                      if layer_of(b) not in ALLOWED[layer_of(a)])  # fmt: skip

    def sideways(self) -> list[tuple[str, str]]:
        """(importer, imported) pairs from one ui feature package into another (they meet in ui/handles)."""
        return sorted((a, b) for a, outs in self.edges.items() for b in outs
                      if _feature(a) and _feature(b) and _feature(a) != _feature(b))  # fmt: skip


def _feature(module: str) -> str | None:
    """The ui feature package a module belongs to (`chat` for `smartspec_tk.ui.chat.pane`), or None."""
    parts = module.split(".")
    return parts[2] if len(parts) > 3 and layer_of(module) == "ui.feature" else None


def read_graph(package_dir: Path = PACKAGE_DIR) -> Graph:
    modules = dict(_modules(package_dir))
    edges = {name: _imports(name, path, is_package, modules) for name, (path, is_package) in modules.items()}
    return Graph(edges)


def _modules(package_dir: Path) -> Iterator[tuple[str, tuple[Path, bool]]]:
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        yield ".".join(parts[:-1] if is_package else parts), (path, is_package)


def _imports(name: str, path: Path, is_package: bool, modules: dict[str, tuple[Path, bool]]) -> set[str]:
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(package, node.level, node.module)
            for alias in node.names:
                target = f"{base}.{alias.name}"
                if target in modules:  # `from pkg import module`
                    found.add(target)
                elif base in modules:  # `from module import name`
                    found.add(base)
    found.discard(name)
    return found


def _resolve(package: str, level: int, module: str | None) -> str:
    if level == 0:
        return module or ""
    parts = package.split(".")
    base = parts[: len(parts) - level + 1]
    return ".".join([*base, module] if module else base)


def _components(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, without recursion."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(group)
    return groups


def report(graph: Graph) -> str:
    circles, upward, sideways = graph.circles(), graph.upward(), graph.sideways()
    lines = [f"{len(circles)} circle(s), {len(upward)} upward import(s), {len(sideways)} between ui features"]
    lines += ["circle: " + " <-> ".join(group) for group in circles]
    lines += [f"upward: {a} -> {b} ({layer_of(a)} -> {layer_of(b)})" for a, b in upward]
    lines += [f"between ui features: {a} -> {b}" for a, b in sideways]
    return "\n".join(lines)


def folder_of(module: str, packages: frozenset[str] = frozenset()) -> str:
    """Where a module lives, as the layout shows it: `ui/chat`, `core/terminal`, `core` (its top
    modules), `ui/handles.py`, `app.py`; `packages` names the sub-packages (their `__init__`)."""
    parts = module.split(".")[1:]
    if len(parts) > 1 and (len(parts) > 2 or module in packages) and parts[0] in ("core", "ui"):
        return "/".join(parts[:2])
    if len(parts) == 2 and parts[0] == "ui" and parts[1] not in ("theme", "window"):
        return f"ui/{parts[1]}.py"
    if parts and parts[0] in ("core", "ui", "backend"):
        return "/".join(parts[:2]) if parts[0] == "ui" and len(parts) == 2 else parts[0]
    return parts[0] + ".py" if parts else "smartspec_tk"


def dot(graph: Graph) -> str:
    """The imports between folders (each arrow: some module of one imports some module of the other)."""
    packages = frozenset(m for m in graph.edges if any(o.startswith(m + ".") for o in graph.edges))
    arrows = {(folder_of(a, packages), folder_of(b, packages)) for a, outs in graph.edges.items() for b in outs}
    arrows = {(a, b) for a, b in arrows if a != b and b != "smartspec_tk"}
    ranks: dict[str, list[str]] = {}
    for folder in sorted({f for pair in arrows for f in pair}):
        module = "smartspec_tk." + folder.removesuffix(".py").replace("/", ".")
        ranks.setdefault(layer_of(module + (".x" if folder in ("core", "backend") else "")), []).append(folder)
    lines = ["digraph layout {", "  rankdir=BT; node [shape=box, fontname=Helvetica, fontsize=11];"]
    for layer, folders in ranks.items():
        names = " ".join(f'"{f}";' for f in folders)
        lines.append(f'  subgraph "cluster_{layer}" {{ label="{layer}"; {names} }}')
    lines += [f'  "{a}" -> "{b}";' for a, b in sorted(arrows)]
    return "\n".join([*lines, "}"])


if __name__ == "__main__":
    args = [arg for arg in sys.argv[1:] if arg != "--dot"]
    found = read_graph(Path(args[0]) if args else PACKAGE_DIR)
    print(dot(found) if "--dot" in sys.argv else report(found))
