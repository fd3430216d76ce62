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
    """A heap of (time, job, event); stale entries (old generation, deleted job) are skipped.

    Each job with events pending also has its own small heap of them, so the
    next event of one job (what a describe under ``auto_advance`` needs) is
    found among that job's few entries, not by scanning every job's.
    """

    def __init__(self) -> None:
        self._heap: list[Entry] = []
        self._sequence = itertools.count()
        # job -> its pending (time, sequence, generation), a heap in the main heap's order
        self._by_job: dict[Job, list[tuple[float, int, int]]] = {}

    def schedule(self, job: Job, event: str, at: float) -> None:
        """Apply ``event`` to ``job`` at virtual time ``at`` (if still current by then)."""
        sequence = next(self._sequence)
        heapq.heappush(self._heap, (at, sequence, job, job.generation, event))
        mine = self._by_job.get(job)
        if mine is None:
            self._by_job[job] = [(at, sequence, job.generation)]
        else:
            heapq.heappush(mine, (at, sequence, job.generation))

    def run_due(self, now: float, handle: Handler) -> None:
        """Apply, in time order, every live event due at or before ``now``."""
        heap = self._heap
        while heap and heap[0][0] <= now:
            at, _, job, generation, event = self._pop()
            if generation == job.generation and not job.deleted:
                handle(job, event, at)

    def next_time(self, job: Job | None = None) -> float | None:
        """The time of the next live event (of ``job`` only, if given)."""
        if job is None:
            self._drop_stale_head()
            return self._heap[0][0] if self._heap else None
        if job.deleted:
            return None
        live = [e[0] for e in self._by_job.get(job, ()) if e[2] == job.generation]
        return min(live) if live else None

    def pending(self) -> Iterator[tuple[float, Job, str]]:
        """Every live event, in time order (for snapshots)."""
        for at, _, job, generation, event in sorted(self._heap, key=lambda e: (e[0], e[1])):
            if generation == job.generation and not job.deleted:
                yield at, job, event

    def clear(self) -> None:
        """Forget every event."""
        self._heap.clear()
        self._by_job.clear()

    def _pop(self) -> Entry:
        """Pop the main heap's head and the same entry from its job's heap.

        Both heaps order a job's entries by (time, sequence), so the main
        heap's head is always the head of its job's heap too.
        """
        entry = heapq.heappop(self._heap)
        job = entry[2]
        mine = self._by_job[job]
        heapq.heappop(mine)
        if not mine:
            del self._by_job[job]
            if not self._by_job:
                self._by_job = {}  # a dict never shrinks: let the emptied table go
        return entry

    def _drop_stale_head(self) -> None:
        heap = self._heap
        while heap and (heap[0][3] != heap[0][2].generation or heap[0][2].deleted):
            self._pop()
