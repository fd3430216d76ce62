"""What an endpoint publishes: its CloudWatch Logs streams and its ``AWS/SageMaker`` metrics.

Both are derived from the endpoint itself: its history (when it was first InService,
or Failed) and the invocations it served (``Job.data["invocations"]``, recorded by
:mod:`sagemaker_lite.families.endpoints.runtime`); nothing else is stored.

Logs: group ``/aws/sagemaker/Endpoints/{endpoint}``, one stream per instance of each
production variant, ``{variant}/{instance id}``, from the moment the endpoint is first
InService (or Failed).  Each instance announces itself; an invocation the model answered
with an error prints its message on the instance that served it; a failed endpoint's
first instance prints the FailureReason.

Metrics (per ``EndpointName`` and ``VariantName``): ``Invocations`` (1 per request),
``Invocation4XXErrors`` / ``Invocation5XXErrors`` (1 or 0 per request),
``ModelLatency`` and ``OverheadLatency`` (microseconds, per request the model answered),
each point at the request's virtual time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sagemaker_lite.engine.jobs import Job
from sagemaker_lite.families.endpoints import runtime

Line = tuple[float, str]  # (epoch seconds, message)
Dimensions = tuple[tuple[str, str], ...]
Points = list[tuple[float, float]]


def started(endpoint: Job) -> float | None:
    """When the endpoint's instances first wrote (InService or Failed), if they have."""
    for status, at in endpoint.history:
        if status in ("InService", "Failed"):
            return at
    return None


def streams(endpoint: Job, now: float) -> Iterator[tuple[str, list[Line]]]:
    """``(stream name, lines so far)`` of every instance of the endpoint's variants."""
    start = started(endpoint)
    if start is None or start > now:
        return
    lines: dict[str, list[Line]] = {}
    for state in endpoint.data["deployment"]["variants"]:
        variant = state["VariantName"]
        for index in range(runtime.instance_count(state)):
            name = f"{variant}/{runtime.instance_id(endpoint, variant, index)}"
            lines[name] = [(start, f"Starting the inference server for variant {variant}")]
    if endpoint.status == "Failed" and endpoint.failure_reason and lines:
        first = next(iter(lines.values()))
        first.append((start, endpoint.failure_reason))
    for at, variant, instance, status, _, message in endpoint.data["invocations"]:
        if message is not None and at <= now:
            stream = lines.setdefault(f"{variant}/{instance}", [])
            stream.append((at, f"Invocation error ({status}): {message}"))
    for name, stream in lines.items():
        yield name, stream


def metrics(endpoint: Job, now: float) -> Iterator[tuple[str, Dimensions, Points]]:
    """``(metric name, dimensions, points)`` of each metric with data by ``now``."""
    series: dict[tuple[str, str], Points] = {}
    for at, variant, _, status, latency, _ in endpoint.data["invocations"]:
        if at > now:
            continue
        values: dict[str, Any] = {
            "Invocations": 1.0,
            "Invocation4XXErrors": 1.0 if 400 <= status < 500 else 0.0,
            "Invocation5XXErrors": 1.0 if status >= 500 else 0.0,
        }
        if status < 300:
            values["ModelLatency"] = float(latency)
            values["OverheadLatency"] = float(runtime.OVERHEAD_LATENCY_US)
        for name, value in values.items():
            series.setdefault((name, variant), []).append((at, value))
    for (name, variant), points in series.items():
        yield name, (("EndpointName", endpoint.name), ("VariantName", variant)), points
