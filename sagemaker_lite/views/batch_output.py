"""What a processing or transform job's instances print: the source of its CloudWatch Logs.

Nothing here is stored: a job's lines are a pure function of its plan, its
request and its history, read at virtual time ``now``.  Every instance
announces itself when the work begins (``ProcessingStartTime`` /
``TransformStartTime``, when AWS creates the streams); the first instance then
prints the scripted lines (``script_processing(logs=...)``,
``script_transform(logs=...)``) evenly over the working phase, and, once the
job has ended, how it ended.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from sagemaker_lite.engine.behaviour import PHASES, log_offsets
from sagemaker_lite.engine.jobs import Job
from sagemaker_lite.families.shared import batch

Line = tuple[float, str]  # (epoch seconds, message)

#: Where each kind's request gives its instance count, and what the logs call the kind.
_INSTANCES: dict[str, tuple[str, ...]] = {
    "processing-job": ("ProcessingResources", "ClusterConfig", "InstanceCount"),
    "transform-job": ("TransformResources", "InstanceCount"),
}
_NOUNS = {"processing-job": "processing job", "transform-job": "transform job"}


def instance_count(job: Job) -> int:
    """How many instances (log streams) the job runs on."""
    value: Any = job.request
    for key in _INSTANCES[job.kind]:
        value = value.get(key) or {}
    return int(value or 1)


def _lines(job: Job, host: int, start: float, now: float) -> list[Line]:
    plan = job.data["plan"]
    end = batch.end_time(job)
    cutoff = min(now, end if end is not None else now)
    lines: list[Line] = [
        (
            start,
            f"Starting {_NOUNS[job.kind]} {job.name} on instance {host} of {instance_count(job)}",
        )
    ]
    if host == 1:
        scripted: list[str] = plan.get("logs") or []
        offsets = log_offsets(len(scripted), plan["durations"][PHASES[job.kind][1]])
        lines += [
            (start + offset, line)
            for offset, line in zip(offsets, scripted, strict=True)
            if start + offset <= cutoff
        ]
        if end is not None and end <= now:
            if job.status == "Failed":
                lines.append((end, batch.exit_message(job) or job.failure_reason or ""))
            elif job.status == "Completed":
                lines.append((end, f"{_NOUNS[job.kind].capitalize()} {job.name} completed"))
    return lines


def _instance_id(job: Job, host: int) -> str:
    """A stable EC2-style instance id for a transform job's ``host``-th instance."""
    return "i-" + hashlib.sha256(f"{job.arn}/{host}".encode()).hexdigest()[:17]


def streams(job: Job, now: float) -> Iterator[tuple[str, list[Line]]]:
    """``(stream name, lines)`` of each instance of ``job``, once its work has begun.

    Processing streams are ``{job}/algo-{n}-{start second}`` as training's are;
    transform streams are ``{job}/{instance id}``.
    """
    start = batch.start_time(job)
    if start is None or start > now:
        return
    for host in range(1, instance_count(job) + 1):
        if job.kind == "processing-job":
            name = f"{job.name}/algo-{host}-{int(start)}"
        else:
            name = f"{job.name}/{_instance_id(job, host)}"
        yield name, _lines(job, host, start, now)
