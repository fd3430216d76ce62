"""CloudWatch metrics for SageMaker's namespaces: a read-only view of the jobs' metric curves.

A namespace is a row of :data:`NAMESPACES` (the job kind publishing to it and
a function giving a job's metrics at a virtual time), so other job kinds add
a row.  Data points are derived from each job's plan when asked (the same
points describe's ``FinalMetricDataList`` and the job's log lines show);
nothing is stored.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from sagemaker_lite.contract import messages
from sagemaker_lite.contract.errors import ApiError
from sagemaker_lite.contract.timestamps import to_epoch
from sagemaker_lite.engine.behaviour import metric_names
from sagemaker_lite.engine.jobs import Job
from sagemaker_lite.engine.world import World
from sagemaker_lite.families.shared.service import page, timestamp
from sagemaker_lite.families.shared.training_metrics import emitted_points

Dimensions = tuple[tuple[str, str], ...]  # sorted (name, value) pairs
Point = tuple[float, float]  # (epoch seconds, value)


@attrs.frozen
class Metric:
    """One CloudWatch metric (name plus dimensions) and its points so far."""

    name: str
    dimensions: Dimensions
    points: list[Point]


@attrs.frozen
class Namespace:
    """One SageMaker namespace: the jobs publishing to it and what each publishes."""

    name: str
    kind: str
    metrics: Callable[[Job, float], Iterator[Metric]]


def _training_metrics(job: Job, now: float) -> Iterator[Metric]:
    """A training job's algorithm metrics: its MetricDefinitions (and tuning objective).

    Each is published under ``Host={job}/algo-1`` (the dimension AWS's
    documentation and examples query) and under ``TrainingJobName={job}`` (the
    one the SageMaker SDK's ``TrainingJobAnalytics`` queries); see fidelity.md.
    """
    for name in metric_names(job.data["plan"]):
        points = emitted_points(job, name, now)
        if not points:
            continue
        yield Metric(name, (("Host", f"{job.name}/algo-1"),), points)
        yield Metric(name, (("TrainingJobName", job.name),), points)


#: Namespace -> its source.  Processing and transform jobs add rows here.
NAMESPACES: dict[str, Namespace] = {
    namespace.name: namespace
    for namespace in (Namespace("/aws/sagemaker/TrainingJobs", "training-job", _training_metrics),)
}


def serves(operation: str, request: Mapping[str, Any]) -> bool:
    """Whether a CloudWatch request reads only SageMaker's namespaces (so is ours to answer)."""
    if operation == "GetMetricData":
        queries = request.get("MetricDataQueries") or []
        spaces = [
            ((q.get("MetricStat") or {}).get("Metric") or {}).get("Namespace") for q in queries
        ]
        return bool(spaces) and all(space in NAMESPACES for space in spaces)
    return request.get("Namespace") in NAMESPACES


def _dimensions(given: Sequence[Mapping[str, str]] | None) -> Dimensions:
    return tuple(sorted((d["Name"], d["Value"]) for d in given or ()))


def _metrics(world: World, namespace: str, now: float) -> Iterator[Metric]:
    source = NAMESPACES[namespace]
    for job in list(world.table(source.kind).values()):
        yield from source.metrics(job, now)


def _find(world: World, metric: Mapping[str, Any], now: float) -> list[Point]:
    """The points of the metric with exactly these dimensions (none if no such metric)."""
    wanted = _dimensions(metric.get("Dimensions"))
    name = metric["MetricName"]
    host = dict(wanted).get("Host") or dict(wanted).get("TrainingJobName") or ""
    job_name = host.partition("/")[0]
    source = NAMESPACES[metric["Namespace"]]
    job = world.get(source.kind, job_name)
    if job is None or job.name != job_name:
        return []
    for found in source.metrics(job, now):
        if found.name == name and found.dimensions == wanted:
            return found.points
    return []


# --- operations -----------------------------------------------------------------


def list_metrics(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """ListMetrics: the namespace's metrics that have data, filtered by name and dimensions."""
    now = world.emulator.now()
    name = request.get("MetricName")
    filters = request.get("Dimensions") or []
    recent = now - 3 * 3600 if request.get("RecentlyActive") == "PT3H" else None
    found = []
    for metric in _metrics(world, request["Namespace"], now):
        if name is not None and metric.name != name:
            continue
        have = dict(metric.dimensions)
        if any(have.get(f["Name"]) is None for f in filters):
            continue
        if any("Value" in f and have[f["Name"]] != f["Value"] for f in filters):
            continue
        if recent is not None and metric.points[-1][0] < recent:
            continue
        found.append(
            {
                "Namespace": request["Namespace"],
                "MetricName": metric.name,
                "Dimensions": [{"Name": k, "Value": v} for k, v in metric.dimensions],
            }
        )
    chosen, token = page(found, {"NextToken": request.get("NextToken")}, 500)
    response: dict[str, Any] = {"Metrics": chosen}
    if token is not None:
        response["NextToken"] = token
    return response


def _window(request: Mapping[str, Any]) -> tuple[float, float]:
    start, end = to_epoch(request["StartTime"]), to_epoch(request["EndTime"])
    if start >= end:
        raise ApiError("InvalidParameterValue", messages.METRICS_START_AFTER_END)
    return start, end


def _buckets(
    points: Sequence[Point], start: float, end: float, period: int
) -> dict[float, list[float]]:
    """Points in ``[start, end)`` grouped by the period they fall in (aligned to the epoch)."""
    buckets: dict[float, list[float]] = {}
    for at, value in points:
        if start <= at < end:
            buckets.setdefault(math.floor(at / period) * period, []).append(value)
    return buckets


_STATISTICS: dict[str, Callable[[list[float]], float]] = {
    "SampleCount": lambda values: float(len(values)),
    "Average": lambda values: sum(values) / len(values),
    "Sum": lambda values: float(sum(values)),
    "Minimum": min,
    "Maximum": max,
}


def _percentile(stat: str, values: list[float]) -> float | None:
    """``pNN``/``pNN.N`` (nearest rank); None for any other extended statistic."""
    if not stat.startswith("p"):
        return None
    try:
        rank = float(stat[1:])
    except ValueError:
        return None
    if not 0 <= rank <= 100:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(rank / 100 * len(ordered)) - 1)]


def get_metric_statistics(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """GetMetricStatistics: the metric's statistics per period over ``[StartTime, EndTime)``."""
    start, end = _window(request)
    now = world.emulator.now()
    points = _find(world, request, now)
    datapoints = []
    for bucket, values in sorted(_buckets(points, start, end, request["Period"]).items()):
        datapoint: dict[str, Any] = {"Timestamp": timestamp(bucket), "Unit": "None"}
        for stat in request.get("Statistics") or ():
            datapoint[stat] = _STATISTICS[stat](values)
        extended = {}
        for stat in request.get("ExtendedStatistics") or ():
            value = _percentile(stat, values)
            if value is not None:
                extended[stat] = value
        if extended:
            datapoint["ExtendedStatistics"] = extended
        datapoints.append(datapoint)
    return {"Label": request["MetricName"], "Datapoints": datapoints}


def get_metric_data(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """GetMetricData: one result per ``MetricStat`` query, newest first by default."""
    start, end = _window(request)
    now = world.emulator.now()
    ascending = request.get("ScanBy") == "TimestampAscending"
    results = []
    for query in request["MetricDataQueries"]:
        stat = query["MetricStat"]
        points = _find(world, stat["Metric"], now)
        buckets = sorted(
            _buckets(points, start, end, stat["Period"]).items(), reverse=not ascending
        )
        statistic = _STATISTICS.get(stat["Stat"])
        values = [
            statistic(v) if statistic is not None else _percentile(stat["Stat"], v)
            for _, v in buckets
        ]
        kept = [(t, v) for (t, _), v in zip(buckets, values, strict=True) if v is not None]
        if query.get("ReturnData", True) is False:
            continue
        results.append(
            {
                "Id": query["Id"],
                "Label": query.get("Label") or stat["Metric"]["MetricName"],
                "Timestamps": [timestamp(t) for t, _ in kept],
                "Values": [v for _, v in kept],
                "StatusCode": "Complete",
            }
        )
    return {"MetricDataResults": results, "Messages": []}
