"""What a code block's buttons do (Copy, Insert into terminal): the pane builds it at start,
the markdown renderer (`ui/chat/markdown.py`, loaded with the first answer drawn) uses it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

CodeAction = Callable[[str], None]


@dataclass
class CodeActions:
    """What the code block buttons do; `insert` is None when no terminal can take text."""

    copy: CodeAction
    insert: CodeAction | None = None
