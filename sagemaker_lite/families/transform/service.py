"""Batch transform jobs: create, describe, list, stop (the run itself: :mod:`.batch`)."""

from __future__ import annotations

from typing import Any

from sagemaker_lite.contract.copying import fresh
from sagemaker_lite.engine.jobs import Job
from sagemaker_lite.engine.lifecycle import TRANSFORM
from sagemaker_lite.engine.world import World
from sagemaker_lite.families.shared import batch
from sagemaker_lite.families.shared.batch import on_event
from sagemaker_lite.families.shared.service import (
    drop_none,
    echoed_members,
    find_model,
    list_jobs,
    timestamp,
)
from sagemaker_lite.families.transform import rules as rules

KIND = TRANSFORM.kind
#: ListTransformJobs's default order, as its member docs give it (docs/fidelity.md).
DEFAULT_SORT = ("CreationTime", "Descending")
_ECHOED = echoed_members("CreateTransformJob", "DescribeTransformJob")
# What AWS answers where a request leaves a member out: the API reference's
# stated defaults (docs/fidelity.md).
_DEFAULTS: dict[str, Any] = {
    "MaxConcurrentTransforms": rules.DEFAULT_MAX_CONCURRENT_TRANSFORMS,
    "MaxPayloadInMB": rules.DEFAULT_MAX_PAYLOAD_MB,
    "DataProcessing": {"InputFilter": "$", "OutputFilter": "$", "JoinSource": "None"},
}
_INPUT_DEFAULTS = {"CompressionType": "None", "SplitType": "None"}

__all__ = [
    "create_transform_job",
    "describe",
    "describe_transform_job",
    "list_transform_jobs",
    "on_event",
    "stop_transform_job",
    "summary",
]


def create_transform_job(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """CreateTransformJob: the model must exist; payload limits as documented."""
    rules.check_create_transform_job(request)
    find_model(world, request["ModelName"])
    job = batch.launch(world, KIND, request["TransformJobName"], request)
    return {"TransformJobArn": job.arn}


def describe(job: Job) -> dict[str, Any]:
    """The DescribeTransformJob answer for ``job``."""
    request = job.request
    response: dict[str, Any] = {
        "TransformJobName": job.name,
        "TransformJobArn": job.arn,
        "TransformJobStatus": job.status,
        "FailureReason": job.failure_reason,
    }
    for member in _ECHOED:
        if member in request:
            response[member] = fresh(request[member])
        elif member in _DEFAULTS:
            response[member] = fresh(_DEFAULTS[member])
    # Members of these structures the request left out are filled in too.
    response["DataProcessing"] = {**_DEFAULTS["DataProcessing"], **response["DataProcessing"]}
    response["TransformInput"] = {**_INPUT_DEFAULTS, **response["TransformInput"]}
    response["CreationTime"] = timestamp(job.created)
    response["TransformStartTime"] = timestamp(batch.start_time(job))
    response["TransformEndTime"] = timestamp(batch.end_time(job))
    return drop_none(response)


def describe_transform_job(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeTransformJob."""
    return batch.describe_handler(world, KIND, request["TransformJobName"], describe)


def summary(job: Job) -> dict[str, Any]:
    """A TransformJobSummary."""
    return batch.summary(job, "Transform")


def list_transform_jobs(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """ListTransformJobs: name/time/status filters, sorting, paging."""
    return list_jobs(
        world.index(KIND),
        request,
        result_key="TransformJobSummaries",
        summary=summary,
        default_sort=DEFAULT_SORT,
    )


def stop_transform_job(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """StopTransformJob: Stopping now, Stopped a little later."""
    batch.stop(world, batch.find(world, KIND, request["TransformJobName"]), "transform job")
    return {}
