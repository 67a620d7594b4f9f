"""Bounded CSI parsing for FastStream: parameters as xterm reads them (at most 32, each ≤ 65535, an
overlong number read as 65535 without converting its digits), and a CSI that is still open at the
end of the data (endless parameters or digits) kept as a bounded head until its final byte arrives in
a later feed — so no CSI, however long, costs more than a few hundred characters of memory.
"""

from __future__ import annotations

import re

MAX_PARAMS = 32
MAX_VALUE = 65535
HEAD = 256  # parameter characters kept of an open CSI; the rest is dropped (xterm keeps 32 parameters)
INTERMEDIATES = 4
BODY = re.compile(r"\x1b\[([0-?]*)([ -/]*)")  # a CSI up to its final byte
_MORE = re.compile(r"([0-?]*)([ -/]*)")


def number(text: str) -> int:
    """One parameter: empty is 0, more than five significant digits is the cap; leading zeros
    never count (vttest sends `CSI 00000000004;000000001H`, which xterm reads as 4;1)."""
    if not text.isdigit():
        return 0
    digits = text.lstrip("0")
    return MAX_VALUE if len(digits) > 5 else min(int(digits or "0"), MAX_VALUE)


def params(text: str) -> tuple[int, ...]:
    return tuple(number(p) for p in text.split(";", MAX_PARAMS)[:MAX_PARAMS])


class OpenCsi:
    """A CSI whose final byte has not arrived yet: a bounded head of its parameters and intermediates."""

    def __init__(self, head: str, inter: str) -> None:
        self.head = head[:HEAD]
        self.inter = inter[:INTERMEDIATES]

    def more(self, data: str) -> tuple[int, str | None]:
        """Take what continues the CSI from `data`: (characters used, the whole sequence when it ended
        with a final byte; None while it is still open or when it was broken off)."""
        match = _MORE.match(data)
        assert match is not None
        body, inter = match.groups()
        if not self.inter:
            self.head += body[:max(0, HEAD - len(self.head))]
        elif body:
            self.inter = "\x00"  # parameters after intermediates: malformed, dropped at the final
        self.inter = (self.inter + inter)[:INTERMEDIATES]
        end = match.end()
        if end == len(data):
            return end, None
        final = data[end]
        self.head = self.head if "\x00" not in self.inter else ""
        if "@" <= final <= "~" and "\x00" not in self.inter:
            return end + 1, f"\x1b[{self.head}{self.inter}{final}"
        return end + (1 if "@" <= final <= "~" else 0), ""
