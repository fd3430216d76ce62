"""CloudWatch Logs clean-up on SageMaker's log groups: DeleteLogStream, DeleteLogGroup,
Put/DeleteRetentionPolicy, DescribeLogGroups (what Airflow's and users' teardown call).

Deletions are recorded as when they happened (:mod:`.log_deletions`); the streams
and events stay views of the jobs (:mod:`.logs`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sagemaker_lite.engine.world import World
from sagemaker_lite.views import log_deletions, logs

#: The prefix of every log group SageMaker writes to: a DescribeLogGroups whose
#: prefix is inside it asks about SageMaker's groups only.
SAGEMAKER_PREFIX = "/aws/sagemaker/"


# --- operations -------------------------------------------------------------------------


def serves_groups(request: Mapping[str, Any]) -> bool:
    """Whether a DescribeLogGroups asks about SageMaker's groups only (its prefix is
    inside ``/aws/sagemaker/``); others go on to moto, as every call on other groups."""
    prefix = request.get("logGroupNamePrefix")
    return isinstance(prefix, str) and prefix.startswith(SAGEMAKER_PREFIX)


def delete_log_stream(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteLogStream: the stream's events so far are gone."""
    now = world.emulator.now()
    group = logs._group(world, request, now)
    stream = logs._stream(world, group, request["logStreamName"], now)
    log_deletions.state(world).streams[(group.name, stream.name)] = now
    return {}


def delete_log_group(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteLogGroup: every stream and event so far is gone, and its retention policy."""
    now = world.emulator.now()
    group = logs._group(world, request, now)
    state = log_deletions.state(world)
    state.groups[group.name] = now
    state.retention.pop(group.name, None)
    return {}


def put_retention_policy(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """PutRetentionPolicy: recorded and answered by DescribeLogGroups."""
    group = logs._group(world, request, world.emulator.now())
    log_deletions.state(world).retention[group.name] = int(request["retentionInDays"])
    return {}


def delete_retention_policy(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteRetentionPolicy: the group keeps its events forever again."""
    group = logs._group(world, request, world.emulator.now())
    log_deletions.state(world).retention.pop(group.name, None)
    return {}


def describe_log_groups(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeLogGroups under ``/aws/sagemaker/``: the groups that exist now, by name."""
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
        retention = log_deletions.retention(world, name)
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
    "describe_log_groups",
    "put_retention_policy",
    "serves_groups",
]
