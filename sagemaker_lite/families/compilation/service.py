"""Compilation (SageMaker Neo) jobs: create, describe, list, stop, delete, and their lifecycle.

A job's whole future is fixed when it is created: STARTING for the plan's
first duration, INPROGRESS (the compilation proper, from ``CompilationStartTime``)
for the second, then COMPLETED, or FAILED where the plan says so or where
``StoppingCondition.MaxRuntimeInSeconds`` of compilation runs out first (Neo
reports a TimeOut error rather than stopping the job).
"""

from __future__ import annotations

from typing import Any

from sagemaker_lite.contract import messages
from sagemaker_lite.contract.copying import fresh
from sagemaker_lite.engine.behaviour import MODEL_FILES, STOP_SECONDS
from sagemaker_lite.engine.jobs import Job, new_job
from sagemaker_lite.engine.lifecycle import COMPILATION
from sagemaker_lite.engine.world import World
from sagemaker_lite.families.compilation import rules as rules
from sagemaker_lite.families.shared import artifacts
from sagemaker_lite.families.shared.service import (
    drop_none,
    echoed_members,
    lister,
    timestamp,
)

KIND = COMPILATION.kind
#: ListCompilationJobs without SortBy/SortOrder: oldest first, as its member docs
#: say (docs/fidelity.md, "Paging").
DEFAULT_SORT = ("CreationTime", "Ascending")
_ECHOED = echoed_members("CreateCompilationJob", "DescribeCompilationJob")
#: MaxRuntimeInSeconds when the request's StoppingCondition leaves it out: the
#: 900 seconds the API reference recommends (and the SageMaker SDK sends).
DEFAULT_MAX_RUNTIME = 900
# TargetPlatform member -> CompilationJobSummary member.
_PLATFORM_SUMMARY = {
    "Os": "CompilationTargetPlatformOs",
    "Arch": "CompilationTargetPlatformArch",
    "Accelerator": "CompilationTargetPlatformAccelerator",
}


# --- create ---------------------------------------------------------------------


def create_compilation_job(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """CreateCompilationJob: check Neo's rules, store the job and schedule its plan."""
    rules.check_create_compilation_job(request)
    name = request["CompilationJobName"]
    if world.get(KIND, name) is not None:
        raise rules.duplicate_compilation_job(name)
    now = world.emulator.now()
    plan = world.emulator.behaviour.plan(KIND, name, request, {})
    tags = {tag["Key"]: tag["Value"] for tag in request.pop("Tags", None) or ()}
    job = new_job(KIND, name, world.arn(KIND, name), request, now, tags)
    job.data["plan"] = plan
    world.add(job)
    _schedule_plan(world, job)
    return {"CompilationJobArn": job.arn}


def max_runtime(request: dict[str, Any]) -> int:
    """The compilation time allowed before Neo fails the job with a TimeOut error."""
    runtime = (request.get("StoppingCondition") or {}).get("MaxRuntimeInSeconds")
    return DEFAULT_MAX_RUNTIME if runtime is None else int(runtime)


def _schedule_plan(world: World, job: Job) -> None:
    """Schedule every event of the job's plan; its outcome is decided here, once."""
    plan = job.data["plan"]
    durations, fail_at, reason = plan["durations"], plan["fail_at"], plan["reason"]
    deferred = rules.deferred_failure(job.request)
    if deferred is not None and fail_at != "STARTING":
        # What Neo cannot compile fails the job (scripts may make it fail sooner).
        fail_at, reason = deferred
    scheduler = world.emulator.scheduler
    started = job.created + durations["STARTING"]
    if fail_at == "STARTING":
        job.data["failure_reason"] = reason
        scheduler.schedule(job, "fail", started)
        return
    scheduler.schedule(job, "compile", started)
    ended = started + durations["INPROGRESS"]
    deadline = started + max_runtime(job.request)
    if deadline < ended:
        # The compilation outlives its allowance: Neo fails it with a TimeOut error.
        job.data["failure_reason"] = rules.failure_reason(
            "timeout", job.request, seconds=max_runtime(job.request)
        )
        scheduler.schedule(job, "fail", deadline)
    elif fail_at == "INPROGRESS":
        job.data["failure_reason"] = reason
        scheduler.schedule(job, "fail", ended)
    else:
        scheduler.schedule(job, "complete", ended)


def on_event(world: World, job: Job, event: str, at: float) -> None:
    """React to a transition the scheduler applied: a failed job gets its FailureReason;
    with S3 served, the model is looked up as compilation starts (a missing one fails
    the job then) and the compiled archive is written on completion."""
    if event == "fail":
        job.failure_reason = job.data["failure_reason"]
    elif world.emulator.artifacts is None:
        return
    elif event == "compile":
        uri = str((job.request.get("InputConfig") or {}).get("S3Uri") or "")
        if uri and artifacts.inputs_missing(world, [uri]) is not None:
            # The rest of the plan never happens: Neo failed to download the model.
            job.generation += 1
            bucket, key = artifacts.split_uri(uri)
            job.data["failure_reason"] = messages.compilation_input_missing(bucket, key)
            world.emulator.scheduler.schedule(job, "fail", at)
    elif event == "complete":
        model = artifacts.scripted_files(job, MODEL_FILES) or artifacts.PLACEHOLDER
        artifacts.put_archive(world, rules.model_artifact_uri(job.request), model, at)


# --- describe -------------------------------------------------------------------


def describe_compilation_job(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeCompilationJob."""
    job = _find(world, "DescribeCompilationJob", request["CompilationJobName"])
    response = describe(job, world.region)
    world.emulator.polled(job)
    return response


def compilation_start(job: Job) -> float | None:
    """When the compilation proper began (INPROGRESS entered), if it has."""
    return job.entered("INPROGRESS")


def compilation_end(job: Job) -> float | None:
    """When the job reached its terminal status, if it has."""
    return job.modified if job.terminal else None


def describe(job: Job, region: str) -> dict[str, Any]:
    """The DescribeCompilationJob answer for ``job`` (a job of ``region``)."""
    request = job.request
    response: dict[str, Any] = {
        "CompilationJobName": job.name,
        "CompilationJobArn": job.arn,
        "CompilationJobStatus": job.status,
        "CompilationStartTime": timestamp(compilation_start(job)),
        "CompilationEndTime": timestamp(compilation_end(job)),
        "CreationTime": timestamp(job.created),
        "LastModifiedTime": timestamp(job.modified),
        # Required in the model: "" until the job fails (not confirmed; see docs/fidelity.md).
        "FailureReason": job.failure_reason or "",
        # Required in the model: where the compiled model is (or will be) written.
        "ModelArtifacts": {"S3ModelArtifacts": rules.model_artifact_uri(request)},
    }
    for member in _ECHOED:
        if member in request:
            response[member] = fresh(request[member])
    if "InputConfig" not in response:
        # A model-package job: Neo reads the input from the package (required in the model).
        response["InputConfig"] = rules.model_package_input(request)
    if job.status == "COMPLETED":
        # Only a finished compilation has a digest and (for ml_* targets) an image.
        response.update(rules.derived_fields(request, region=region))
    return drop_none(response)


# --- list -------------------------------------------------------------------------


def summary(job: Job) -> dict[str, Any]:
    """A CompilationJobSummary: times, status and the target (device or platform)."""
    output = job.request["OutputConfig"]
    platform = output.get("TargetPlatform") or {}
    response = {
        "CompilationJobName": job.name,
        "CompilationJobArn": job.arn,
        "CreationTime": timestamp(job.created),
        "CompilationStartTime": timestamp(compilation_start(job)),
        "CompilationEndTime": timestamp(compilation_end(job)),
        "CompilationTargetDevice": output.get("TargetDevice"),
        **{member: platform.get(key) for key, member in _PLATFORM_SUMMARY.items()},
        "LastModifiedTime": timestamp(job.modified),
        "CompilationJobStatus": job.status,
    }
    return drop_none(response)


list_compilation_jobs = lister(
    KIND,
    "CompilationJobSummaries",
    summary,
    default_sort=DEFAULT_SORT,
    doc="ListCompilationJobs: name/time/status filters, sorting, paging.",
)


# --- stop, delete -------------------------------------------------------------------


def stop_compilation_job(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """StopCompilationJob: STOPPING now, STOPPED ``STOP_SECONDS`` later."""
    job = _find(world, "StopCompilationJob", request["CompilationJobName"])
    rules.check_stop_compilation_job(job.name, job.status)
    emulator = world.emulator
    now = emulator.now()
    job.generation += 1  # the rest of the plan never happens
    emulator.dispatch(job, "stop", now)
    emulator.scheduler.schedule(job, "stopped", now + STOP_SECONDS)
    return {}


def delete_compilation_job(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteCompilationJob: only COMPLETED, FAILED or STOPPED jobs."""
    job = _find(world, "DeleteCompilationJob", request["CompilationJobName"])
    rules.check_delete_compilation_job(job.name, job.status)
    world.remove(job)
    return {}


def _find(world: World, operation: str, name: str) -> Job:
    job = world.get(KIND, name)
    if job is None:
        raise rules.missing_compilation_job(operation, name)
    return job
