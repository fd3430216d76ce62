"""CloudWatch Logs for SageMaker's log groups: a read-only view of the jobs' output.

A log group is a row of :data:`LOG_GROUPS` (its name, the job kind whose
instances write to it and a function giving each stream's lines), so other
job kinds add a row.  Streams and events are derived from the jobs at the
virtual time of each call (see :mod:`.job_output`); nothing is stored.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import attrs

from sagemaker_lite.contract import messages
from sagemaker_lite.contract.errors import ApiError
from sagemaker_lite.engine.jobs import Job
from sagemaker_lite.engine.world import World, partition
from sagemaker_lite.families.shared import batch
from sagemaker_lite.families.shared.service import page
from sagemaker_lite.families.shared.training_metrics import training_start
from sagemaker_lite.views import batch_output, job_output

Line = job_output.Line
T = TypeVar("T")


@attrs.frozen
class LogGroup:
    """One SageMaker log group: which jobs write to it and what each instance prints."""

    name: str
    kind: str
    #: ``(stream name, lines)`` of every instance of a job that started by ``now``.
    streams: Callable[[Job, float], Iterator[tuple[str, list[Line]]]]
    #: When a job's instances started (stream creation), or None before.
    started: Callable[[Job], float | None]


def _training_streams(job: Job, now: float) -> Iterator[tuple[str, list[Line]]]:
    start = training_start(job)
    for host, lines in job_output.lines_by_host(job, now):
        # AWS names each stream after the job, the host and the container's start second.
        yield f"{job.name}/algo-{host}-{int(start or 0)}", lines


#: Log group name -> the group.
LOG_GROUPS: dict[str, LogGroup] = {
    group.name: group
    for group in (
        LogGroup("/aws/sagemaker/TrainingJobs", "training-job", _training_streams, training_start),
        LogGroup(
            "/aws/sagemaker/ProcessingJobs",
            "processing-job",
            batch_output.streams,
            batch.start_time,
        ),
        LogGroup(
            "/aws/sagemaker/TransformJobs", "transform-job", batch_output.streams, batch.start_time
        ),
    )
}


def serves(request: Mapping[str, Any]) -> bool:
    """Whether a CloudWatch Logs request names one of SageMaker's log groups."""
    return _group_name(request) in LOG_GROUPS


def _group_name(request: Mapping[str, Any]) -> str | None:
    name = request.get("logGroupName")
    if name is None:
        identifier = request.get("logGroupIdentifier")
        if isinstance(identifier, str) and identifier.startswith("arn:"):
            # arn:aws:logs:region:account:log-group:NAME[:*]
            name = identifier.split(":log-group:", 1)[-1].removesuffix(":*")
        else:
            name = identifier
    return name if isinstance(name, str) else None


# --- streams --------------------------------------------------------------------


@attrs.frozen
class Stream:
    """One log stream at one moment: its name, creation time and events so far."""

    name: str
    created: float
    lines: list[Line]


def _streams(world: World, group: LogGroup, now: float, prefix: str = "") -> list[Stream]:
    """The streams of ``group`` that exist at ``now`` and start with ``prefix``, by name."""
    table = world.table(group.kind)
    job_name = prefix.partition("/")[0]
    if "/" in prefix:  # a job's own streams: no need to walk every job
        found = world.get(group.kind, job_name)
        jobs: list[Job] = [found] if found is not None and found.name == job_name else []
    else:
        jobs = list(table.values())
    streams = []
    for job in jobs:
        started = group.started(job)
        if started is None or started > now:
            continue
        for name, lines in group.streams(job, now):
            if name.startswith(prefix):
                streams.append(Stream(name, started, lines))
    streams.sort(key=lambda stream: stream.name)
    return streams


def _group(world: World, request: Mapping[str, Any], now: float) -> LogGroup:
    """The log group a request names; missing until an instance has written to it."""
    group = LOG_GROUPS[_group_name(request) or ""]
    for job in world.table(group.kind).values():
        started = group.started(job)
        if started is not None and started <= now:
            return group
    raise ApiError("ResourceNotFoundException", messages.LOG_GROUP_MISSING)


def _stream(world: World, group: LogGroup, name: str, now: float) -> Stream:
    job_name = name.rpartition("/")[0]
    for stream in _streams(world, group, now, f"{job_name}/"):
        if stream.name == name:
            return stream
    raise ApiError("ResourceNotFoundException", messages.LOG_STREAM_MISSING)


def _ms(epoch: float) -> int:
    return round(epoch * 1000)


def _arn(world: World, group: str, stream: str | None = None) -> str:
    arn = f"arn:{partition(world.region)}:logs:{world.region}:{world.account}:log-group:{group}"
    return arn if stream is None else f"{arn}:log-stream:{stream}"


# --- operations -----------------------------------------------------------------


def describe_log_streams(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeLogStreams: the group's streams by name (or by last event time)."""
    now = world.emulator.now()
    group = _group(world, request, now)
    prefix = request.get("logStreamNamePrefix") or ""
    order = request.get("orderBy") or "LogStreamName"
    if order == "LastEventTime" and prefix:
        raise ApiError("InvalidParameterException", messages.LOG_ORDER_WITH_PREFIX)
    streams = _streams(world, group, now, prefix)
    if order == "LastEventTime":
        streams.sort(key=lambda s: (s.lines[-1][0] if s.lines else s.created, s.name))
    if request.get("descending"):
        streams.reverse()
    chosen, token = _page(streams, request, 50)
    response: dict[str, Any] = {
        "logStreams": [_stream_summary(world, group.name, s) for s in chosen]
    }
    if token is not None:
        response["nextToken"] = token
    return response


def _limit(request: Mapping[str, Any], most: int) -> int:
    """The request's ``limit`` (``most`` when absent); above ``most`` AWS refuses it."""
    limit = request.get("limit")
    if limit is None:
        return most
    if limit > most:
        raise ApiError("InvalidParameterException", messages.log_limit_too_high(limit, most))
    return int(limit)


def _page(items: list[T], request: Mapping[str, Any], most: int) -> tuple[list[T], str | None]:
    """The page ``limit`` and ``nextToken`` select, in CloudWatch Logs' words when refused."""
    paging = {"MaxResults": _limit(request, most), "NextToken": request.get("nextToken")}
    try:
        return page(items, paging, most)
    except ApiError:
        raise ApiError("InvalidParameterException", messages.LOG_TOKEN_INVALID) from None


def _stream_summary(world: World, group: str, stream: Stream) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "logStreamName": stream.name,
        "creationTime": _ms(stream.created),
        "arn": _arn(world, group, stream.name),
        "storedBytes": 0,  # deprecated: AWS answers 0
    }
    if stream.lines:
        summary["firstEventTimestamp"] = _ms(stream.lines[0][0])
        summary["lastEventTimestamp"] = _ms(stream.lines[-1][0])
        summary["lastIngestionTime"] = _ms(stream.lines[-1][0])
    return summary


def _events(stream: Stream, request: Mapping[str, Any]) -> list[dict[str, Any]]:
    start, end = request.get("startTime"), request.get("endTime")
    events = []
    for at, message in stream.lines:
        ms = _ms(at)
        if (start is None or ms >= start) and (end is None or ms < end):
            events.append({"timestamp": ms, "message": message, "ingestionTime": ms})
    return events


def get_log_events(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """GetLogEvents: a page of one stream's events, forward or backward from a token.

    Tokens are positions: ``f/N`` reads forward from event N, ``b/N`` backward
    from it.  At either end the same token comes back with no events, which is
    how the SDKs (and AWS's documentation) detect that they have read it all.
    """
    now = world.emulator.now()
    group = _group(world, request, now)
    stream = _stream(world, group, request["logStreamName"], now)
    events = _events(stream, request)
    limit = _limit(request, 10_000)
    token = request.get("nextToken")
    if token is not None:
        direction, position = _position(token)
    else:
        direction = "f" if request.get("startFromHead") else "b"
        position = 0 if direction == "f" else len(events)
    position = min(position, len(events))
    if direction == "f":
        first, last = position, min(len(events), position + limit)
    else:
        first, last = max(0, position - limit), position
    return {
        "events": events[first:last],
        "nextForwardToken": f"f/{last:056d}",
        "nextBackwardToken": f"b/{first:056d}",
    }


def _position(token: str) -> tuple[str, int]:
    direction, _, digits = token.partition("/")
    if direction not in ("f", "b") or not digits.isdigit():
        raise ApiError("InvalidParameterException", messages.LOG_TOKEN_INVALID)
    return direction, int(digits)


def filter_log_events(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """FilterLogEvents: events of the group's streams, in time order, matching a pattern."""
    now = world.emulator.now()
    group = _group(world, request, now)
    names = request.get("logStreamNames")
    prefix = request.get("logStreamNamePrefix")
    if names is not None and prefix is not None:
        raise ApiError("InvalidParameterException", messages.LOG_NAMES_AND_PREFIX)
    streams = _streams(world, group, now, prefix or "")
    if names is not None:
        wanted = set(names)
        streams = [s for s in streams if s.name in wanted]
    matches = _pattern(request.get("filterPattern") or "")
    found = []
    for stream in streams:
        for index, event in enumerate(_events(stream, request)):
            if matches(event["message"]):
                event_id = f"{event['timestamp']:020d}{zlib.crc32(stream.name.encode()):010d}"
                found.append(
                    {"logStreamName": stream.name, **event, "eventId": f"{event_id}{index:026d}"}
                )
    found.sort(key=lambda event: (event["timestamp"], event["eventId"]))
    chosen, token = _page(found, request, 10_000)
    response: dict[str, Any] = {
        "events": chosen,
        "searchedLogStreams": [
            {"logStreamName": s.name, "searchedCompletely": True} for s in streams
        ],
    }
    if token is not None:
        response["nextToken"] = token
    return response


def _pattern(text: str) -> Callable[[str], bool]:
    """A filter pattern's test on a message: terms (all must occur), ``?term`` (any),
    ``-term`` (none), ``"quoted phrases"``.  JSON and space-delimited patterns are not
    emulated: asking for one fails loudly rather than matching wrongly."""
    text = text.strip()
    if text.startswith(("{", "[")) or text.startswith("%"):
        raise NotImplementedError(
            f"sagemaker_lite does not emulate this CloudWatch Logs filter pattern: {text!r}"
        )
    required, optional, excluded = [], [], []
    for term in _terms(text):
        if term.startswith("?"):
            optional.append(term[1:])
        elif term.startswith("-") and len(term) > 1:
            excluded.append(term[1:])
        else:
            required.append(term)

    def matches(message: str) -> bool:
        if any(term in message for term in excluded):
            return False
        if optional and not any(term in message for term in optional):
            return False
        return all(term in message for term in required)

    return matches


def _terms(text: str) -> list[str]:
    terms, current, quoted = [], "", False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char.isspace() and not quoted:
            if current:
                terms.append(current)
            current = ""
        else:
            current += char
    if current:
        terms.append(current)
    return terms
