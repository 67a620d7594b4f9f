"""Benchmark dispatcher: `python scripts/bench.py startup|terminal|app-flood|chat|upload|windows [args…]`.

Loads `scripts/bench_<name>.py` from its file (any such file works, e.g. `backend`),
calls its `main() -> dict` and prints that dict as ONE JSON object on stdout.
Whatever the benchmark itself prints (and its child processes) goes to stderr,
so stdout stays machine-readable.
A missing module or a failing benchmark prints a JSON error and exits 1.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("startup", "terminal", "app-flood", "chat", "upload", "windows")


class MissingBenchmark(Exception):
    """The benchmark's module or its main() is not there."""


def _fail(name: str, error: str, code: int = 1) -> int:
    print(json.dumps({"benchmark": name, "error": error}), flush=True)
    return code


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Point file descriptor 1 at stderr (children inherit it), then restore it."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _load_main(name: str) -> Callable[[], dict[str, Any]]:
    path = HERE / f"bench_{name}.py"
    if not path.is_file():
        raise MissingBenchmark(f"scripts/bench_{name}.py does not exist (yet)")
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    main = getattr(module, "main", None)
    if not callable(main):
        raise MissingBenchmark(f"scripts/bench_{name}.py has no main() function")
    return main  # type: ignore[no-any-return]


def run(argv: list[str]) -> int:
    if not argv or not re.fullmatch(r"[a-z][a-z0-9_-]*", argv[0]):
        return _fail(argv[0] if argv else "", f"usage: bench.py {'|'.join(BENCHMARKS)} [args…]", 2)
    name = argv[0].replace("-", "_")  # app-flood -> scripts/bench_app_flood.py
    sys.path.insert(0, str(HERE.parent))  # the repository root, for `import smartspec_tk`
    sys.argv = [str(HERE / f"bench_{name}.py"), *argv[1:]]
    try:
        with _stdout_to_stderr():
            result = _load_main(name)()
    except MissingBenchmark as exc:
        return _fail(name, str(exc))
    except Exception as exc:  # noqa: BLE001 - any failure becomes the JSON error
        traceback.print_exc()
        return _fail(name, f"{type(exc).__name__}: {exc}")
    if not isinstance(result, dict):
        return _fail(name, f"main() returned {type(result).__name__}, not dict")
    print(json.dumps({"benchmark": name, **result}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
