"""SGR for TermScreen (a mixin): pyte's select_graphic_rendition memoised (a cache keyed only on
short parameter lists), `38;5;n`/`48;5;n` with n < 16 turned into the named colours so only indexes
0–15 take the theme's palette, SGR 2/22 (dim) and 8/28 (conceal) kept as bits of pyte's `bold`
next to DECSCA's protection, and the colon forms (`4:3`, `38:2::r:g:b`, `38:5:n`).
"""

from __future__ import annotations

from typing import Any

import pyte
from pyte.screens import Char

from .render import BOLD, CONCEAL, DIM, PROTECTED

SGR_CACHE = 4096


def _low_colors(attrs: tuple[int, ...]) -> tuple[int, ...]:
    """`38;5;n`/`48;5;n` with n < 16 as the named colour (30+n…), so only indexes 0–15 take the
    theme's palette and an exact RGB colour is never mistaken for one of them."""
    if 5 not in attrs:
        return attrs[:32]
    out: list[int] = []
    k, n = 0, min(len(attrs), 32)
    while k < n:
        a = attrs[k]
        if a in (38, 48) and k + 2 < n and attrs[k + 1] == 5 and attrs[k + 2] < 16:
            index = attrs[k + 2]
            out.append((30 if a == 38 else 40) + index if index < 8 else (90 if a == 38 else 100) + index - 8)
            k += 3
        elif a in (38, 48) and k + 1 < n and attrs[k + 1] in (2, 5):
            width = 5 if attrs[k + 1] == 2 else 3
            out += attrs[k:k + width]
            k += width
        else:
            out.append(a)
            k += 1
    return tuple(out)


def _faint_conceal(flags: int, attrs: tuple[int, ...]) -> int:
    """The DIM/CONCEAL bits after SGR `attrs` (pyte ignores 2, 8, 28 and clears bold on 22),
    starting from `flags`; colour parameters (`38;5;n`, `38;2;r;g;b`) are skipped."""
    if not attrs:
        return flags & PROTECTED  # SGR never changes DECSCA's protection
    k, n = 0, len(attrs)
    while k < n:
        a = attrs[k]
        if a == 0:
            flags &= PROTECTED
        elif a == 2:
            flags |= DIM
        elif a == 22:
            flags &= ~DIM
        elif a == 8:
            flags |= CONCEAL
        elif a == 28:
            flags &= ~CONCEAL
        elif a in (38, 48, 58) and k + 1 < n:
            k += 4 if attrs[k + 1] == 2 else 2 if attrs[k + 1] == 5 else 0
        k += 1
    return flags


class SgrMixin(pyte.Screen):
    """See the module docstring; `_sgr` is the memo (created here)."""

    _sgr: dict[tuple[Char, tuple[int, ...]], Char]

    def select_graphic_rendition(self, *attrs: int, **_: Any) -> None:
        key = (self.cursor.attrs, attrs)
        new = self._sgr.get(key)
        if new is not None:
            self.cursor.attrs = new
            return
        old = int(self.cursor.attrs.bold or 0) & (DIM | CONCEAL | PROTECTED)
        attrs = attrs[:32]
        super().select_graphic_rendition(*_low_colors(attrs))
        if old or 2 in attrs or 8 in attrs:
            flags = _faint_conceal(old, attrs)
            bold = int(self.cursor.attrs.bold or 0) & BOLD  # pyte set True/False or kept our bits
            self.cursor.attrs = self.cursor.attrs._replace(bold=(bold | flags) if flags else bool(bold))  # type: ignore[arg-type]
        if len(attrs) <= 16:  # cache keyed only on short sequences (bounded memory)
            if len(self._sgr) > SGR_CACHE:
                self._sgr.clear()
            self._sgr[key] = self.cursor.attrs

    def sgr_colon(self, text: str) -> None:
        """`CSI 4:3 m`, `CSI 38:2::r:g:b m`, `CSI 38:5:n m`… turned into the plain form."""
        plain: list[int] = []
        for part in text.split(";")[:32]:
            if ":" not in part:
                plain.append(int(part) if part.isdigit() else 0)
                continue
            subs = part.split(":")
            head = int(subs[0]) if subs[0].isdigit() else 0
            if head == 4:  # underline style: 0 off, anything else on
                style = int(subs[1]) if len(subs) > 1 and subs[1].isdigit() else 1
                plain.append(24 if style == 0 else 4)
            elif head in (38, 48, 58) and len(subs) > 1:
                nums = [int(s) if s.isdigit() else 0 for s in subs[1:]]
                if nums[0] == 5 and len(nums) >= 2 and head != 58:
                    plain += [head, 5, nums[1]]
                elif nums[0] == 2 and head != 58:
                    rgb = nums[-3:] if len(nums) >= 4 else (nums[1:] + [0, 0, 0])[:3]
                    plain += [head, 2, *rgb]
            else:
                plain.append(head)
        self.select_graphic_rendition(*plain)
