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


def _fastest(work: Callable[[], object], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best


def assert_linear(
    work: Callable[[int], object], small: int, large: int, runs: int = 3, attempts: int = 3
) -> None:
    """``work(large)`` costs at most ``SLACK`` times proportionally more than ``work(small)``.

    One ``work(large)`` is timed against ``large // small`` runs of ``work(small)``
    (linear work: the same cost), each the fastest of ``runs`` after one warm-up
    (caches, lazily built automata).  CPU time, with the collector paused, and
    batches of equal length: other processes on the machine (test workers, an
    install) then slow neither side more than the other.  Measured again up to
    ``attempts`` times when over the bound; work that grows faster than linearly is
    over it every time.
    """
    times = large // small
    work(small)
    ratio = float("inf")
    collecting = gc.isenabled()
    gc.disable()
    try:
        for _ in range(attempts):
            one = _fastest(lambda: work(large), runs)
            batch = _fastest(lambda: [work(small) for _ in range(times)], runs)
            ratio = min(ratio, one / batch if batch else float("inf"))
            if ratio <= SLACK:
                return
    finally:
        if collecting:
            gc.enable()
    raise AssertionError(
        f"{large:,} cost {ratio * times:.1f}x what {small:,} did (linear: about {times}x)"
    )
