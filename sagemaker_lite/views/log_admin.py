"""CloudWatch Logs writes on SageMaker's log groups: deletions and retention.

Log streams and events are views of the jobs (:mod:`.logs`); what a caller
deletes is recorded here as *when* it was deleted, per world: a deleted stream
or group hides every event up to that moment, and an instance that prints
afterwards makes it appear again with the new events only, as CloudWatch Logs
recreates a stream its writer writes to.  Retention policies are recorded and
answered; events are not expired by them (AWS deletes expired events lazily).

Not part of snapshots: a restored emulator shows every stream again.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any, TypeVar

import attrs

from sagemaker_lite.engine.world import World

S = TypeVar("S")
#: The prefix of every log group SageMaker writes to: a DescribeLogGroups whose
#: prefix is inside it asks about SageMaker's groups only.
SAGEMAKER_PREFIX = "/aws/sagemaker/"


@attrs.define
class _State:
    groups: dict[str, float] = attrs.Factory(dict)  # group -> deleted at
    streams: dict[tuple[str, str], float] = attrs.Factory(dict)  # (group, stream) -> deleted at
    retention: dict[str, int] = attrs.Factory(dict)  # group -> days


_states: weakref.WeakKeyDictionary[World, _State] = weakref.WeakKeyDictionary()


def _state(world: World) -> _State:
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


# --- operations -------------------------------------------------------------------------


def serves_groups(request: Mapping[str, Any]) -> bool:
    """Whether a DescribeLogGroups asks about SageMaker's groups only (its prefix is
    inside ``/aws/sagemaker/``); others go on to moto, as every call on other groups."""
    prefix = request.get("logGroupNamePrefix")
    return isinstance(prefix, str) and prefix.startswith(SAGEMAKER_PREFIX)


def delete_log_stream(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteLogStream: the stream's events so far are gone."""
    from sagemaker_lite.views import logs

    now = world.emulator.now()
    group = logs._group(world, request, now)
    stream = logs._stream(world, group, request["logStreamName"], now)
    _state(world).streams[(group.name, stream.name)] = now
    return {}


def delete_log_group(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteLogGroup: every stream and event so far is gone, and its retention policy."""
    from sagemaker_lite.views import logs

    now = world.emulator.now()
    group = logs._group(world, request, now)
    state = _state(world)
    state.groups[group.name] = now
    state.retention.pop(group.name, None)
    return {}


def put_retention_policy(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """PutRetentionPolicy: recorded and answered by DescribeLogGroups."""
    from sagemaker_lite.views import logs

    group = logs._group(world, request, world.emulator.now())
    _state(world).retention[group.name] = int(request["retentionInDays"])
    return {}


def delete_retention_policy(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteRetentionPolicy: the group keeps its events forever again."""
    from sagemaker_lite.views import logs

    group = logs._group(world, request, world.emulator.now())
    _state(world).retention.pop(group.name, None)
    return {}


def describe_log_groups(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeLogGroups under ``/aws/sagemaker/``: the groups that exist now, by name."""
    from sagemaker_lite.views import logs

    now = world.emulator.now()
    prefix = request["logGroupNamePrefix"]
    found = []
    for name in sorted(logs.LOG_GROUPS):
        if not name.startswith(prefix):
            continue
        streams = logs._streams(world, logs.LOG_GROUPS[name], now)
        if not streams:
            continue  # never written to, or deleted since
        arn = logs._arn(world, name)
        entry: dict[str, Any] = {
            "logGroupName": name,
            "creationTime": logs._ms(min(stream.created for stream in streams)),
            "metricFilterCount": 0,
            "arn": f"{arn}:*",
            "storedBytes": 0,
            "logGroupClass": "STANDARD",
            "logGroupArn": arn,
        }
        retention = _state(world).retention.get(name) if world in _states else None
        if retention is not None:
            entry["retentionInDays"] = retention
        found.append(entry)
    chosen, token = logs._page(found, request, 50)
    response: dict[str, Any] = {"logGroups": chosen}
    if token is not None:
        response["nextToken"] = token
    return response


__all__ = [
    "delete_log_group",
    "delete_log_stream",
    "delete_retention_policy",
    "deleted_at",
    "describe_log_groups",
    "put_retention_policy",
    "serves_groups",
    "visible",
]
