"""Processing jobs: create, describe, list, stop (the run itself: :mod:`.batch`)."""

from __future__ import annotations

from typing import Any

from sagemaker_lite.contract.copying import fresh
from sagemaker_lite.engine.jobs import Job
from sagemaker_lite.engine.lifecycle import PROCESSING
from sagemaker_lite.engine.world import World
from sagemaker_lite.families.shared import artifacts, batch
from sagemaker_lite.families.shared.service import (
    drop_none,
    echoed_members,
    lister,
    timestamp,
)

KIND = PROCESSING.kind
#: ListProcessingJobs's default order, as its member docs give it (docs/fidelity.md).
DEFAULT_SORT = ("CreationTime", "Ascending")
_ECHOED = echoed_members("CreateProcessingJob", "DescribeProcessingJob")
# What AWS fills in where a request leaves it out, per input/output structure
# (the API reference's stated defaults; docs/fidelity.md).
# S3CompressionType is not among them: the SDK's integration test sends an S3Input
# without it and reads it back absent.
_INPUT_DEFAULTS = {"AppManaged": False}
_S3_INPUT_DEFAULTS = {
    "S3InputMode": "File",
    "S3DataDistributionType": "FullyReplicated",
}
_OUTPUT_DEFAULTS = {"AppManaged": False}

__all__ = [
    "create_processing_job",
    "describe",
    "describe_processing_job",
    "list_processing_jobs",
    "on_event",
    "stop_processing_job",
    "summary",
]


def create_processing_job(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """CreateProcessingJob."""
    job = batch.launch(world, KIND, request["ProcessingJobName"], request)
    return {"ProcessingJobArn": job.arn}


def _input(item: dict[str, Any]) -> dict[str, Any]:
    """A ProcessingInput as AWS answers it: its defaults filled in, also in its S3Input."""
    echoed = {**_INPUT_DEFAULTS, **fresh(item)}
    if "S3Input" in echoed:
        echoed["S3Input"] = {**_S3_INPUT_DEFAULTS, **echoed["S3Input"]}
    return echoed


def describe(job: Job) -> dict[str, Any]:
    """The DescribeProcessingJob answer for ``job``."""
    request = job.request
    response: dict[str, Any] = {}
    for member in _ECHOED:
        if member in request:
            response[member] = fresh(request[member])
    # "The default value is 1 day" (ProcessingStoppingCondition; the SDK's integration
    # tests read it back): AWS answers it for a request that set none.
    response.setdefault("StoppingCondition", {"MaxRuntimeInSeconds": 86_400})
    if "ProcessingInputs" in request:
        response["ProcessingInputs"] = [_input(item) for item in request["ProcessingInputs"]]
    if "ProcessingOutputConfig" in request:
        config = response["ProcessingOutputConfig"]
        config["Outputs"] = [{**_OUTPUT_DEFAULTS, **item} for item in config["Outputs"]]
    response.update(
        ProcessingJobName=job.name,
        ProcessingJobArn=job.arn,
        ProcessingJobStatus=job.status,
        ExitMessage=batch.exit_message(job),
        FailureReason=job.failure_reason,
        ProcessingEndTime=timestamp(batch.end_time(job)),
        ProcessingStartTime=timestamp(batch.start_time(job)),
        LastModifiedTime=timestamp(job.modified),
        CreationTime=timestamp(job.created),
    )
    return drop_none(response)


def describe_processing_job(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeProcessingJob."""
    return batch.describe_handler(world, KIND, request["ProcessingJobName"], describe)


def summary(job: Job) -> dict[str, Any]:
    """A ProcessingJobSummary: the shared one, and the container's ExitMessage."""
    response = batch.summary(job, "Processing")
    message = batch.exit_message(job)
    if message is not None:
        response["ExitMessage"] = message
    return response


list_processing_jobs = lister(
    KIND,
    "ProcessingJobSummaries",
    summary,
    default_sort=DEFAULT_SORT,
    doc="ListProcessingJobs: name/time/status filters, sorting, paging.",
)


def stop_processing_job(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """StopProcessingJob: Stopping now, Stopped a little later."""
    batch.stop(world, batch.find(world, KIND, request["ProcessingJobName"]), "processing job")
    return {}


def on_event(world: World, job: Job, event: str, at: float) -> None:
    """React to a transition: the shared run's reaction; with S3 served, the inputs'
    manifests are read as the work starts (one missing, or an object it lists, fails
    the job then: the container never runs), then the outputs' uploads (``Continuous``
    ones once the container runs, ``EndOfJob`` ones on completion)."""
    batch.on_event(world, job, event, at)
    if world.emulator.artifacts is None or event not in ("start", "complete"):
        return
    if event == "start" and artifacts.read_manifests(world, job, _s3_inputs(job.request), at):
        return
    mode = "Continuous" if event == "start" else "EndOfJob"
    for output in (job.request.get("ProcessingOutputConfig") or {}).get("Outputs") or ():
        s3 = output.get("S3Output")
        if s3 is None or s3.get("S3UploadMode", "EndOfJob") != mode:
            continue
        files = artifacts.scripted_files(job, output["OutputName"])
        if files:
            artifacts.put_files(world, s3["S3Uri"], files)


def _s3_inputs(request: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(InputName, S3Input) of every S3 input, in request order."""
    return [
        (str(item.get("InputName", "")), item["S3Input"])
        for item in request.get("ProcessingInputs") or ()
        if item.get("S3Input") is not None
    ]
