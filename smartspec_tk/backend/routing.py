"""The route table's parts: a `Route` is a method, a path pattern and a handler."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from smartspec_tk.backend.web import Request, Response

Handler = Callable[[Request], Response | None]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


def route(method: str, pattern: str, handler: Handler) -> Route:
    """A route whose `pattern` (a regular expression with named groups) matches the whole path."""
    return Route(method, re.compile(pattern + r"\Z"), handler)
