"""Due events in virtual-time order: the only way jobs move.

Nothing runs in the background.  Before a request is served (and whenever
time is advanced) every event whose time has come is applied, oldest first,
at its own timestamp, so what a caller sees depends only on virtual time.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterator

from .jobs import Job

Entry = tuple[float, int, Job, int, str]  # (time, sequence, job, generation, event)
Handler = Callable[[Job, str, float], None]


class Scheduler:
    """A heap of (time, job, event); stale entries (old generation, deleted job) are skipped."""

    def __init__(self) -> None:
        self._heap: list[Entry] = []
        self._sequence = itertools.count()

    def schedule(self, job: Job, event: str, at: float) -> None:
        """Apply ``event`` to ``job`` at virtual time ``at`` (if still current by then)."""
        heapq.heappush(self._heap, (at, next(self._sequence), job, job.generation, event))

    def run_due(self, now: float, handle: Handler) -> None:
        """Apply, in time order, every live event due at or before ``now``."""
        heap = self._heap
        while heap and heap[0][0] <= now:
            at, _, job, generation, event = heapq.heappop(heap)
            if generation == job.generation and not job.deleted:
                handle(job, event, at)

    def next_time(self, job: Job | None = None) -> float | None:
        """The time of the next live event (of ``job`` only, if given)."""
        live = (e for e in self._heap if e[3] == e[2].generation and not e[2].deleted)
        if job is None:
            self._drop_stale_head()
            return self._heap[0][0] if self._heap else None
        times = [e[0] for e in live if e[2] is job]
        return min(times) if times else None

    def pending(self) -> Iterator[tuple[float, Job, str]]:
        """Every live event, in time order (for snapshots)."""
        for at, _, job, generation, event in sorted(self._heap, key=lambda e: (e[0], e[1])):
            if generation == job.generation and not job.deleted:
                yield at, job, event

    def clear(self) -> None:
        """Forget every event."""
        self._heap.clear()

    def _drop_stale_head(self) -> None:
        heap = self._heap
        while heap and (heap[0][3] != heap[0][2].generation or heap[0][2].deleted):
            heapq.heappop(heap)
