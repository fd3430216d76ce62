"""The job record every family stores, and the engine step that moves it."""

from __future__ import annotations

from typing import Any

import attrs

from sagemaker_lite.engine.lifecycle import MACHINES, State


@attrs.define(eq=False)
class Job:
    """One stored job of any kind.

    ``request`` is the validated create request (a private copy); everything
    a describe shows is derived from it plus the lifecycle fields below.
    Times are epoch seconds of the virtual clock.
    """

    kind: str
    name: str
    arn: str
    request: dict[str, Any]
    created: float
    status: str
    secondary: str | None
    modified: float
    # (status, start time) of every state entered, oldest first: the source of
    # SecondaryStatusTransitions and of every start/end time a describe shows.
    history: list[tuple[str, float]]
    tags: dict[str, str]
    generation: int = 0  # bumped when the job's schedule is replaced; stale events are skipped
    seq: int = 0  # the world's creation sequence number (set when stored): see ordering.py
    deleted: bool = False
    failure_reason: str | None = None
    # Family-specific state (the plan, metrics, tuning progress...).  Plain JSON data only.
    data: dict[str, Any] = attrs.field(factory=dict)

    @property
    def state(self) -> State:
        """The (primary, secondary) pair."""
        return (self.status, self.secondary)

    @property
    def terminal(self) -> bool:
        """True once the job can never change status again."""
        return self.status in MACHINES[self.kind].terminal

    def entered(self, status: str) -> float | None:
        """When the job first entered ``status`` (primary or secondary), if it did."""
        for name, start in self.history:
            if name == status:
                return start
        return None


def new_job(
    kind: str, name: str, arn: str, request: dict[str, Any], at: float, tags: dict[str, str]
) -> Job:
    """A job in its kind's initial state, created at virtual time ``at``."""
    status, secondary = MACHINES[kind].initial
    # Positional, in field order: keywords cost as much again on every create.
    return Job(
        kind, name, arn, request, at, status, secondary, at, [(secondary or status, at)], tags
    )


# History entries are immutable, and jobs created together move together in
# virtual time: one tuple serves every job entering the same state at the same
# moment (memory per stored job, docs/architecture.md).  Bounded: a cache miss
# costs only the sharing.
_ENTRIES: dict[tuple[str, float], tuple[str, float]] = {}
_ENTRIES_MAX = 1 << 16


def _shared_entry(entry: tuple[str, float]) -> tuple[str, float]:
    shared = _ENTRIES.get(entry)
    if shared is not None:
        return shared
    if len(_ENTRIES) >= _ENTRIES_MAX:
        _ENTRIES.clear()
    _ENTRIES[entry] = entry
    return entry


def apply_event(job: Job, event: str, at: float) -> bool:
    """Move ``job`` along its table for ``event`` at time ``at``; False when no row applies."""
    target = MACHINES[job.kind].next_state(job.state, event)
    if target is None or job.deleted:
        return False
    if target == job.state:  # a tick: the family reacts, the job itself is unchanged
        return True
    status, secondary = target
    entry = _shared_entry((secondary or status, at))
    job.status, job.secondary, job.modified = status, secondary, entry[1]
    job.history.append(entry)
    if job.terminal:  # nothing planned can happen any more: drop it, so time need not reach it
        job.generation += 1
    return True
