"""What processing and batch transform jobs share: one run from start to finish.

Both kinds are InProgress while their instances start (the internal ``Starting``
phase) and then while they work (``Processing`` / ``Transforming``, from their
``...StartTime``), and end Completed, Failed, or Stopping -> Stopped.  A job's
whole future is fixed when it is created, from its plan (see
:mod:`sagemaker_lite.engine.behaviour`): each phase's duration, where it fails and why,
and its log lines.  The families' own modules add their describe and summary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sagemaker_lite.contract import messages
from sagemaker_lite.contract.errors import ApiError, validation_error
from sagemaker_lite.engine.behaviour import PHASES, STOP_SECONDS
from sagemaker_lite.engine.jobs import Job, new_job
from sagemaker_lite.engine.world import World
from sagemaker_lite.families.shared.service import drop_none, pop_tags, timestamp


def launch(world: World, kind: str, name: str, request: dict[str, Any]) -> Job:
    """Store a new job of ``kind`` named ``name`` and schedule its plan; AWS's error for
    a name already taken.  The plan's callables receive the request's ``Environment``."""
    arn = world.arn(kind, name)
    if world.get(kind, name) is not None:
        raise ApiError("ResourceInUse", messages.job_exists(arn))
    plan = world.emulator.behaviour.plan(kind, name, request, request.get("Environment") or {})
    tags = pop_tags(request)
    job = new_job(
        kind,
        name,
        arn,
        request,
        world.emulator.now(),
        tags,
    )
    job.data["plan"] = plan
    world.add(job)
    _schedule_plan(world, job, max_runtime(request))
    return job


def max_runtime(request: dict[str, Any]) -> int | None:
    """``StoppingCondition.MaxRuntimeInSeconds``, if the request has one."""
    runtime = (request.get("StoppingCondition") or {}).get("MaxRuntimeInSeconds")
    return None if runtime is None else int(runtime)


def _schedule_plan(world: World, job: Job, limit: int | None) -> None:
    """Schedule the start, then the completion or failure; a ``limit`` on the working
    phase that runs out first stops the job instead."""
    plan = job.data["plan"]
    durations, fail_at = plan["durations"], plan["fail_at"]
    schedule = world.emulator.scheduler.schedule
    starting, working = PHASES[job.kind]
    started = job.created + durations[starting]
    if fail_at == starting:
        schedule(job, "fail", started)
        return
    schedule(job, "start", started)
    ended = started + durations[working]
    if limit is not None and started + limit < ended:
        schedule(job, "max_runtime", started + limit)
    else:
        schedule(job, "fail" if fail_at == working else "complete", ended)


def on_event(world: World, job: Job, event: str, at: float) -> None:
    """React to a transition the scheduler applied: a failed job gets its FailureReason
    (its input's, when its data was not there: ``artifacts.read_manifests``)."""
    if event == "fail":
        job.failure_reason = job.data.get("input_failure") or job.data["plan"]["reason"]


def start_time(job: Job) -> float | None:
    """When the work began (the working phase entered), if it has."""
    return job.entered(PHASES[job.kind][1])


def end_time(job: Job) -> float | None:
    """When the job reached its terminal status, if it has."""
    return job.modified if job.terminal else None


def exit_message(job: Job) -> str | None:
    """The container's ExitMessage: a scripted one, once the job has finished."""
    return job.data["plan"].get("exit_message") if job.terminal else None


def describe_handler(
    world: World, kind: str, name: str, describe: Callable[[Job], dict[str, Any]]
) -> dict[str, Any]:
    """A Describe* answer: ``describe`` of the job ``name``, then the emulator's polling hook."""
    job = find(world, kind, name)
    response = describe(job)
    world.emulator.polled(job)
    return response


def summary(job: Job, prefix: str) -> dict[str, Any]:
    """The summary both kinds list (``prefix``: ``Processing`` or ``Transform``)."""
    return drop_none(
        {
            f"{prefix}JobName": job.name,
            f"{prefix}JobArn": job.arn,
            "CreationTime": timestamp(job.created),
            f"{prefix}EndTime": timestamp(end_time(job)),
            "LastModifiedTime": timestamp(job.modified),
            f"{prefix}JobStatus": job.status,
            "FailureReason": job.failure_reason,
        }
    )


def find(world: World, kind: str, name: str) -> Job:
    """The job ``name`` of ``kind``, or the ValidationException AWS answers for a missing one."""
    job = world.get(kind, name)
    if job is None:
        raise validation_error(messages.job_not_found(name))
    return job


def stop(world: World, job: Job, noun: str) -> None:
    """Stop an InProgress job (``noun``: "processing job", "transform job" for the error):
    Stopping now, Stopped ``STOP_SECONDS`` later; the rest of its plan never happens."""
    if job.status != "InProgress":
        raise validation_error(messages.job_not_stoppable(noun, job.status))
    emulator = world.emulator
    now = emulator.now()
    job.generation += 1
    emulator.dispatch(job, "stop", now)
    emulator.scheduler.schedule(job, "stopped", now + STOP_SECONDS)
