"""What callers deleted from SageMaker's log groups, and their retention policies.

Log streams and events are views of the jobs (:mod:`.logs`); what a caller
deletes is recorded here as *when* it was deleted, per world: a deleted stream
or group hides every event up to that moment, and an instance that prints
afterwards makes it appear again with the new events only, as CloudWatch Logs
recreates a stream its writer writes to.  Retention policies are recorded and
answered; events are not expired by them (AWS deletes expired events lazily).

Not part of snapshots: a restored emulator shows every stream again.  The
operations that record them: :mod:`.log_cleanup`.
"""

from __future__ import annotations

import weakref
from typing import TypeVar

import attrs

from sagemaker_lite.engine.world import World

S = TypeVar("S")


@attrs.define
class _State:
    groups: dict[str, float] = attrs.Factory(dict)  # group -> deleted at
    streams: dict[tuple[str, str], float] = attrs.Factory(dict)  # (group, stream) -> deleted at
    retention: dict[str, int] = attrs.Factory(dict)  # group -> days


_states: weakref.WeakKeyDictionary[World, _State] = weakref.WeakKeyDictionary()


def state(world: World) -> _State:
    state = _states.get(world)
    if state is None:
        state = _states[world] = _State()
    return state


def deleted_at(world: World, group: str, stream: str | None = None) -> float | None:
    """When ``group`` (or its ``stream``) was last deleted; None if never."""
    state = _states.get(world)
    if state is None:
        return None
    times = [state.groups.get(group)]
    if stream is not None:
        times.append(state.streams.get((group, stream)))
    known = [t for t in times if t is not None]
    return max(known) if known else None


def visible(world: World, group: str, streams: list[S]) -> list[S]:
    """``streams`` (:class:`.logs.Stream`) without what was deleted: events at or before
    a deletion are gone, and a stream left with none is gone if created before it."""
    if world not in _states:
        return streams  # nothing was ever deleted in this world: the common case
    kept = []
    for stream in streams:
        cutoff = deleted_at(world, group, stream.name)  # type: ignore[attr-defined]
        if cutoff is None:
            kept.append(stream)
            continue
        lines = [line for line in stream.lines if line[0] > cutoff]  # type: ignore[attr-defined]
        if lines or stream.created > cutoff:  # type: ignore[attr-defined]
            kept.append(attrs.evolve(stream, lines=lines))  # type: ignore[misc]
    return kept


def retention(world: World, group: str) -> int | None:
    """The group's retention policy in days (None: none)."""
    recorded = _states.get(world)
    return None if recorded is None else recorded.retention.get(group)


__all__ = ["deleted_at", "retention", "state", "visible"]
