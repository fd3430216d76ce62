"""A training job's timeline and metric points, read from its history and plan.

Training's describe, a tuning parent's counters and objective, and the
CloudWatch views all read a training job this way; it lives here so none of
them imports another's family.
"""

from __future__ import annotations

from typing import Any

from sagemaker_lite.engine.behaviour import metric_names, metric_series
from sagemaker_lite.engine.jobs import Job
from sagemaker_lite.families.shared.service import timestamp

_TRAINING_PHASES = frozenset(("Downloading", "Training", "Uploading"))


def training_start(job: Job) -> float | None:
    """When the instances were ready and training began (the end of Starting), if it did."""
    if len(job.history) > 1 and job.history[1][0] in _TRAINING_PHASES:
        return job.history[1][1]
    return None


def training_end(job: Job) -> float | None:
    """When the job reached its terminal status."""
    return job.modified if job.terminal else None


def output_end(job: Job) -> float | None:
    """When the algorithm stopped printing: the job left Training (None while it trains)."""
    history = job.history
    for index, (status, _) in enumerate(history[:-1]):
        if status == "Training":
            return history[index + 1][1]
    return job.modified if job.terminal else None


def emitted_points(job: Job, metric: str, now: float) -> list[tuple[float, float]]:
    """``(epoch seconds, value)`` of each point of ``metric`` the job emitted by ``now``.

    The one view of a metric's curve over time: describe's FinalMetricDataList,
    the CloudWatch metrics and the metric lines of the logs all read it.
    """
    start = training_start(job)
    if start is None:
        return []
    end = output_end(job)
    cutoff = min(now, end if end is not None else now) - start
    series = metric_series(job.data["plan"], metric)
    return [(start + offset, value) for offset, value in series if offset <= cutoff]


def final_metrics(job: Job, now: float) -> list[dict[str, Any]]:
    """The latest value of every metric emitted by ``now`` (final values once Completed)."""
    plan = job.data["plan"]
    if training_start(job) is None:
        return []
    training_done = job.entered("Uploading")
    metrics = []
    for name in metric_names(plan):
        if job.status == "Completed" or (training_done is not None and name in plan["metrics"]):
            value, at = plan["metrics"].get(name), training_done
        else:
            emitted = emitted_points(job, name, now)
            if not emitted:
                continue
            at, value = emitted[-1]
        if value is None or at is None:
            continue
        metrics.append({"MetricName": name, "Value": value, "Timestamp": timestamp(at)})
    return metrics
