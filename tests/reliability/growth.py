"""Cost that grows linearly: a ratio of two sizes measured in one run, not a deadline.

A wall-clock limit fails on a loaded machine and passes a quadratic algorithm on a
fast one.  Timing the same work at two sizes in the same run cancels the machine
out: linear work at ten times the size takes about ten times as long; quadratic
work, a hundred.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

#: How far past proportional the larger size may cost (noise, cache effects) while
#: still far below what quadratic growth gives (the size ratio itself, squared).
SLACK = 3.0


def _fastest(work: Callable[[int], object], size: int, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work(size)
        best = min(best, time.perf_counter() - started)
    return best


def assert_linear(
    work: Callable[[int], object], small: int, large: int, runs: int = 3, attempts: int = 3
) -> None:
    """``work(large)`` costs at most ``SLACK`` times proportionally more than ``work(small)``.

    The fastest of ``runs`` at each size, after one warm-up of the small size
    (caches, lazily built automata), so a busy moment inflates neither; with the
    collector paused, and measured again up to ``attempts`` times when over the
    bound: a loaded machine (other test workers) can slow one measurement for long,
    while work that grows faster than linearly is over it every time.
    """
    work(small)
    ratio = float("inf")
    collecting = gc.isenabled()
    gc.disable()
    try:
        for _ in range(attempts):
            ratio = min(ratio, _fastest(work, large, runs) / _fastest(work, small, runs))
            if ratio <= SLACK * large / small:
                return
    finally:
        if collecting:
            gc.enable()
    raise AssertionError(
        f"{large:,} cost {ratio:.1f}x what {small:,} did (linear: about {large / small:.0f}x)"
    )
