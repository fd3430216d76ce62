"""Due events in virtual-time order: the only way jobs move.

Nothing runs in the background.  Before a request is served (and whenever
time is advanced) every event whose time has come is applied, oldest first,
at its own timestamp, so what a caller sees depends only on virtual time.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterator

from sagemaker_lite.engine.jobs import Job

Entry = tuple[float, int, int, str]  # (time, sequence, generation, event), in a job's heap
Head = tuple[float, int, Job]  # (time, sequence, job): a job's next entry, in the main heap
Handler = Callable[[Job, str, float], None]


class Scheduler:
    """Every job's pending events, applied in (time, scheduling order).

    Each job with events pending has a small heap of them; the main heap holds
    one entry per job, its next one.  So the main heap has one entry per
    running job, not one per event (a smaller heap keeps ``run_until_idle``
    near-linear at a million jobs), and "the next event of this job" (a
    describe under ``auto_advance``) reads that job's heap only.  Entries of an
    old generation or of a deleted job are skipped when they come due; a main
    entry that is no longer its job's head is skipped too.
    """

    def __init__(self) -> None:
        self._heap: list[Head] = []
        self._sequence = itertools.count()
        self._by_job: dict[Job, list[Entry]] = {}

    def schedule(self, job: Job, event: str, at: float) -> None:
        """Apply ``event`` to ``job`` at virtual time ``at`` (if still current by then)."""
        sequence = next(self._sequence)
        entry = (at, sequence, job.generation, event)
        mine = self._by_job.get(job)
        if mine is None:
            self._by_job[job] = [entry]
        else:
            head = mine[0]
            heapq.heappush(mine, entry)
            if (head[0], head[1]) < (at, sequence):
                return  # the job's next event is unchanged
        heapq.heappush(self._heap, (at, sequence, job))

    def run_due(self, now: float, handle: Handler) -> None:
        """Apply, in time order, every live event due at or before ``now``."""
        heap = self._heap
        while heap and heap[0][0] <= now:
            popped = self._pop()
            if popped is not None:
                at, job, generation, event = popped
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
        live = [
            (at, sequence, job, event)
            for job, mine in self._by_job.items()
            if not job.deleted
            for at, sequence, generation, event in mine
            if generation == job.generation
        ]
        for at, _, job, event in sorted(live, key=lambda e: (e[0], e[1])):
            yield at, job, event

    def clear(self) -> None:
        """Forget every event."""
        self._heap.clear()
        self._by_job.clear()

    def _pop(self) -> tuple[float, Job, int, str] | None:
        """Pop the main heap's head: its job's next entry, or None if the head was stale."""
        at, sequence, job = heapq.heappop(self._heap)
        mine = self._by_job.get(job)
        if mine is None or mine[0][1] != sequence:
            return None  # superseded by an earlier event scheduled later
        _, _, generation, event = heapq.heappop(mine)
        if mine:
            heapq.heappush(self._heap, (mine[0][0], mine[0][1], job))
        else:
            del self._by_job[job]
            if not self._by_job:
                self._by_job = {}  # a dict never shrinks: let the emptied table go
        return at, job, generation, event

    def _drop_stale_head(self) -> None:
        """Pop heads until the main heap's head is a live event (or it is empty)."""
        heap = self._heap
        while heap:
            _, sequence, job = heap[0]
            mine = self._by_job.get(job)
            if (
                mine is not None
                and mine[0][1] == sequence
                and mine[0][2] == job.generation
                and not job.deleted
            ):
                return
            self._pop()
