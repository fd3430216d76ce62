"""Sets of code points as sorted runs ``[(lo, hi), ...]``: the one representation the
pattern translator (:mod:`.patterns`) and the linear matcher (:mod:`.automaton`) share."""

from __future__ import annotations

import sys
from collections.abc import Iterable

Runs = list[tuple[int, int]]


def union(runs: Iterable[tuple[int, int]]) -> Runs:
    """Sorted, disjoint, merged runs covering the same code points as ``runs``."""
    merged: Runs = []
    for lo, hi in sorted(runs):
        if merged and lo <= merged[-1][1] + 1:
            if hi > merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


def complement(runs: Runs) -> Runs:
    """The code points not in ``runs`` (sorted, disjoint)."""
    out: Runs = []
    start = 0
    for lo, hi in union(runs):
        if lo > start:
            out.append((start, lo - 1))
        start = hi + 1
    if start <= sys.maxunicode:
        out.append((start, sys.maxunicode))
    return out


def render(runs: Runs) -> str:
    """A Python character class body for ``runs`` (sorted, disjoint)."""
    return "".join(f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in runs)
