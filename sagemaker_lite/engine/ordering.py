"""The orders List operations walk, kept sorted while jobs come, go and change status.

A List page reads the next MaxResults jobs of one order from a *position*: the
sort key of the last job the previous page read.  A position is a place in the
order, not a count of jobs before it, so jobs created or deleted while a
client pages through never shift what the next page reads: no job present
for the whole listing is returned twice or missed, and a page costs
O(log N + MaxResults) at any N.

Every job gets a sequence number (``Job.seq``) when stored; creation time
never decreases along it, so ``seq`` alone is the CreationTime order and
breaks every tie of the other orders.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sortedcontainers import SortedKeyList

from sagemaker_lite.engine.jobs import Job

#: The sort key of one job in one order, as a token carries it (JSON data).
Position = list[Any]
#: What a walk yields: each job with its position.
Walk = Iterator[tuple[Position, Job]]


def _seq(job: Job) -> int:
    return job.seq


def _name(job: Job) -> str:
    return job.name


def _fits(position: Any, types: tuple[type, ...]) -> bool:
    """Whether ``position`` is a position of an order whose keys have ``types``."""
    if not isinstance(position, list) or len(position) != len(types):
        return False
    for value, wanted in zip(position, types, strict=True):
        if isinstance(value, bool):
            return False
        if wanted is float:
            if not isinstance(value, (int, float)) or not math.isfinite(value):
                return False
        elif not isinstance(value, wanted):
            return False
    return True


def _walk_sorted(jobs: SortedKeyList, after: Any, descending: bool) -> Iterator[Job]:
    """``jobs`` in order (or reversed), from just past the one keyed ``after``."""
    if after is None:
        return reversed(jobs) if descending else iter(jobs)
    if descending:
        return iter(jobs.irange_key(max_key=after, inclusive=(True, False), reverse=True))
    return iter(jobs.irange_key(min_key=after, inclusive=(False, True)))


class KindIndex:
    """The CreationTime, Name and Status orders of one kind's jobs in one world.

    Kept with ``sortedcontainers`` (see docs/architecture.md): each order costs
    two references per job, adding or removing a job is O(log N), and a walk
    starts at any key in O(log N).  Status is one list per status, each in
    creation order, read one status after the other.  The Name and Status
    orders are built the first time a List asks for them (most callers never
    do, and every create would pay for them) and kept from then on.
    """

    def __init__(self) -> None:
        self.by_creation = SortedKeyList(key=_seq)
        self._by_name: SortedKeyList | None = None
        self._by_status: dict[str, SortedKeyList] | None = None

    def __len__(self) -> int:
        return len(self.by_creation)

    def add(self, job: Job) -> None:
        """Index a newly stored job."""
        for jobs in self._lists_of(job.status):
            jobs.add(job)

    def remove(self, job: Job) -> None:
        """Forget a job."""
        for jobs in self._lists_of(job.status):
            jobs.discard(job)

    def _lists_of(self, status: str) -> list[SortedKeyList]:
        """The sorted lists a job of ``status`` belongs in (those built so far)."""
        lists = [self.by_creation]
        if self._by_name is not None:
            lists.append(self._by_name)
        if self._by_status is not None:
            lists.append(self._status_list(self._by_status, status))
        return lists

    def moved(self, job: Job, old_status: str) -> None:
        """``job`` changed status from ``old_status``: re-file it."""
        if self._by_status is not None:
            self._status_list(self._by_status, old_status).discard(job)
            self._status_list(self._by_status, job.status).add(job)

    @property
    def by_name(self) -> SortedKeyList:
        """The jobs by name (built on first use)."""
        if self._by_name is None:
            self._by_name = SortedKeyList(self.by_creation, key=_name)
        return self._by_name

    @property
    def by_status(self) -> dict[str, SortedKeyList]:
        """The jobs of each status, in creation order (built on first use)."""
        if self._by_status is None:
            lists: dict[str, SortedKeyList] = {}
            for job in self.by_creation:
                self._status_list(lists, job.status).add(job)
            self._by_status = lists
        return self._by_status

    @staticmethod
    def _status_list(lists: dict[str, SortedKeyList], status: str) -> SortedKeyList:
        jobs = lists.get(status)
        if jobs is None:
            jobs = lists[status] = SortedKeyList(key=_seq)
        return jobs

    # --- orders -------------------------------------------------------------

    def fits(self, sort_by: str, position: Any) -> bool:
        """Whether ``position`` can be a position of the ``sort_by`` order."""
        types = {"CreationTime": (int,), "Name": (str,), "Status": (str, int)}.get(sort_by)
        return types is not None and _fits(position, types)

    def walk(self, sort_by: str, after: Position | None, descending: bool) -> Walk:
        """Every job in the ``sort_by`` order, from just past position ``after``."""
        if sort_by == "Status":
            yield from self._walk_status(after, descending)
            return
        jobs, key = (self.by_name, _name) if sort_by == "Name" else (self.by_creation, _seq)
        for job in _walk_sorted(jobs, None if after is None else after[0], descending):
            yield [key(job)], job

    def _walk_status(self, after: Position | None, descending: bool) -> Walk:
        lists = self.by_status
        for status in sorted(lists, reverse=descending):
            start = None
            if after is not None:
                if status == after[0]:
                    start = after[1]
                elif (status < after[0]) != descending:
                    continue  # wholly before the position
            for job in _walk_sorted(lists[status], start, descending):
                yield [status, job.seq], job


class RankedJobs:
    """An order built for one call over a few jobs (a tuning job's children):
    by ``key``, then creation; jobs whose key is None are left out."""

    def __init__(self, jobs: Iterable[Job], key: Callable[[Job], Any], kind: type) -> None:
        ranked = sorted(
            ((k, job.seq, job) for job in jobs if (k := key(job)) is not None),
            key=lambda entry: entry[:2],
        )
        self._keys = [entry[:2] for entry in ranked]
        self._jobs = [entry[2] for entry in ranked]
        self._types = (kind, int)

    def fits(self, sort_by: str, position: Any) -> bool:
        """Whether ``position`` can be a position of this order (``sort_by`` is its name)."""
        return _fits(position, self._types)

    def walk(self, sort_by: str, after: Position | None, descending: bool) -> Walk:
        """The jobs in order (or reversed), from just past position ``after``."""
        keys = self._keys
        if descending:
            start = len(keys) if after is None else bisect.bisect_left(keys, tuple(after))
            indexes: Iterable[int] = range(start - 1, -1, -1)
        else:
            start = 0 if after is None else bisect.bisect_right(keys, tuple(after))
            indexes = range(start, len(keys))
        for i in indexes:
            yield list(keys[i]), self._jobs[i]
