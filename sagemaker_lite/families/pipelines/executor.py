"""The executor: a small interpreter of a pipeline definition, in virtual time.

An execution is a job of kind ``pipeline-execution`` whose ``data`` holds one
record per step it has reached (status, times, attempts, the job it started,
its outcome).  :func:`advance` is the interpreter's one step, run when the
execution is started, on each of its ``tick`` events, and when a callback
answers: it finishes the steps whose work ended, starts every step whose
dependencies succeeded (within ``MaxParallelExecutionSteps``), and schedules
the next tick at the earliest moment something it waits on can change (a
started job's next event, a retry's delay).  Nothing runs in the background.

What each step type does is data (:data:`STEP_TYPES`): job steps name the
operations that create, describe and stop their job and are served through
``world.emulator.call``, the handlers a client calls, so the jobs a pipeline
starts are ordinary jobs: describes, lists, logs and metrics agree with what
the execution reports.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import attrs

from sagemaker_lite.contract import messages
from sagemaker_lite.contract.errors import ApiError, ParamValidationError
from sagemaker_lite.engine.clock import to_datetime
from sagemaker_lite.engine.jobs import Job
from sagemaker_lite.engine.world import World
from sagemaker_lite.families.pipelines import expressions
from sagemaker_lite.families.pipelines.definition import (
    JOB_STEP_REQUESTS,
    NOT_RUN_STEP_TYPES,
    Graph,
    parse,
)
from sagemaker_lite.families.shared.artifacts import scripted_output

KIND = "pipeline-execution"
RUNNING = "Executing"
DONE = frozenset({"Succeeded", "Failed", "Stopped"})


@attrs.frozen
class JobStep:
    """How one job-starting step type runs: its job's operations and statuses."""

    describe: str
    describe_member: str
    stop: str | None
    metadata: str
    arn_member: str
    #: job status -> step status; a status not here means the job is still working
    outcome: dict[str, str]
    #: limit of the generated job name (the request member's maximum length)
    name_length: int = 63


_JOB = {"Completed": "Succeeded", "Failed": "Failed", "Stopped": "Stopped"}
_PROCESSING = JobStep(
    "DescribeProcessingJob",
    "ProcessingJobName",
    "StopProcessingJob",
    "ProcessingJob",
    "ProcessingJobArn",
    _JOB,
)
STEP_TYPES: dict[str, JobStep] = {
    "Training": JobStep(
        "DescribeTrainingJob",
        "TrainingJobName",
        "StopTrainingJob",
        "TrainingJob",
        "TrainingJobArn",
        _JOB,
    ),
    "Processing": _PROCESSING,
    "QualityCheck": attrs.evolve(_PROCESSING, metadata="QualityCheck"),
    "ClarifyCheck": attrs.evolve(_PROCESSING, metadata="ClarifyCheck"),
    "Transform": JobStep(
        "DescribeTransformJob",
        "TransformJobName",
        "StopTransformJob",
        "TransformJob",
        "TransformJobArn",
        _JOB,
    ),
    "Tuning": JobStep(
        "DescribeHyperParameterTuningJob",
        "HyperParameterTuningJobName",
        "StopHyperParameterTuningJob",
        "TuningJob",
        "HyperParameterTuningJobArn",
        _JOB,
        name_length=32,
    ),
    "Model": JobStep(
        "DescribeModel", "ModelName", None, "Model", "ModelArn", {"Created": "Succeeded"}
    ),
    "RegisterModel": JobStep(
        "DescribeModelPackage",
        "ModelPackageName",
        None,
        "RegisterModel",
        "ModelPackageArn",
        {"Completed": "Succeeded", "Failed": "Failed"},
    ),
}
#: Members a check step's metadata echoes from the step definition.
_CHECK_MEMBERS = ("CheckType", "ModelPackageGroupName", "SkipCheck", "RegisterNewBaseline")
#: How a failure is classified for RetryPolicies: (error code or reason prefix, type).
_RETRYABLE = (
    ("ThrottlingException", "Step.THROTTLING"),
    ("InternalFailure", "Step.SERVICE_FAULT"),
    ("ServiceUnavailable", "Step.SERVICE_FAULT"),
    ("ResourceLimitExceeded", "SageMaker.RESOURCE_LIMIT"),
    ("CapacityError", "SageMaker.CAPACITY_ERROR"),
    ("InternalServerError", "SageMaker.JOB_INTERNAL_ERROR"),
)
_DURATION = re.compile(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?")


def graph(execution: Job) -> Graph:
    """The execution's definition, read (and cached) once per text."""
    return parse(execution.data["definition"])


def _read(world: World, operation: str, request: dict[str, Any]) -> dict[str, Any]:
    """A describe served to the executor (reading never moves the clock)."""
    return world.emulator.read(world, operation, request)


# --- what expressions read ------------------------------------------------------------


def _step_properties(world: World, execution: Job, name: str) -> dict[str, Any]:
    record = execution.data["steps"].get(name)
    if record is None:
        raise expressions.Unresolvable(f"Step {name} has not run")
    kind = record["type"]
    if kind == "Condition":
        return {"Outcome": record.get("outcome")}
    if kind in ("Callback", "Lambda"):
        outputs = {item["Name"]: item["Value"] for item in record.get("outputs") or ()}
        return {"OutputParameters": outputs}
    job_step = STEP_TYPES.get(kind)
    if job_step is None or "arn" not in record:
        raise expressions.Unresolvable(f"Step {name} has no properties")
    key = record["arn"] if kind == "RegisterModel" else record["job"]
    properties = dict(_read(world, job_step.describe, {job_step.describe_member: key}))
    if kind == "Tuning":
        children = _read(
            world,
            "ListTrainingJobsForHyperParameterTuningJob",
            {"HyperParameterTuningJobName": key, "MaxResults": 100},
        )["TrainingJobSummaries"]
        objective = (properties.get("HyperParameterTuningJobConfig") or {}).get(
            "HyperParameterTuningJobObjective"
        ) or {}
        scored = [c for c in children if "FinalHyperParameterTuningJobObjectiveMetric" in c]
        scored.sort(
            key=lambda c: c["FinalHyperParameterTuningJobObjectiveMetric"]["Value"],
            reverse=objective.get("Type") != "Minimize",
        )
        properties["TrainingJobSummaries"] = scored
    return properties


def scope(world: World, execution: Job) -> expressions.Scope:
    """What the expressions of ``execution`` read."""
    data = execution.data

    def step_property(name: str, parts: list[str | int]) -> Any:
        return expressions.walk(_step_properties(world, execution, name), parts, f"Steps.{name}")

    def property_file(step_name: str, file_name: str) -> Any:
        step = graph(execution).steps.get(step_name) or {}
        declared = [
            f for f in step.get("PropertyFiles") or () if f.get("PropertyFileName") == file_name
        ]
        record = data["steps"].get(step_name) or {}
        job = world.by_arn.get(record.get("arn", ""))
        if not declared or job is None:
            raise expressions.Unresolvable(f"No property file {file_name} of step {step_name}")
        content = scripted_output(job, declared[0]["OutputName"], declared[0]["FilePath"])
        if content is None:
            raise expressions.Unresolvable(
                f"Property file {declared[0]['FilePath']} was not found in output "
                f"{declared[0]['OutputName']} of step {step_name}"
            )
        return expressions.parse_json(content, declared[0]["FilePath"])

    variables = {
        "PipelineExecutionId": data["id"],
        "PipelineExecutionArn": execution.arn,
        "PipelineName": data["pipeline"],
        "PipelineArn": data["pipeline_arn"],
        "StartDateTime": to_datetime(execution.created).isoformat(),
        "CurrentDateTime": to_datetime(world.emulator.now()).isoformat(),
    }
    return expressions.Scope(data["parameters"], variables, step_property, property_file)


# --- starting and finishing steps -----------------------------------------------------


#: Characters of a generated job name around the step's part (63 - this: the step's room).
JOB_NAME_OVERHEAD = len("pipelines-") + 12 + 10 + 2


def step_fragment(step: str, room: int = 63 - JOB_NAME_OVERHEAD) -> str:
    """The part of a step's job names that comes from the step's name."""
    clean = re.sub(r"[^A-Za-z0-9-]", "-", step)
    return clean[: max(room, 0)].strip("-") or "step"


def _job_name(world: World, execution: Job, step: str, limit: int) -> str:
    """``pipelines-<execution id>-<step>-<random>``, cut to the name's limit (a tuning
    job's 32 characters leave out the ``pipelines-``)."""
    suffix = world.emulator.random_hex(10)
    head = "pipelines-" if limit > 40 else ""
    room = limit - len(head) - len(execution.data["id"]) - len(suffix) - 2
    return f"{head}{execution.data['id']}-{step_fragment(step, room)}-{suffix}"


def _fail(record: dict[str, Any], reason: str | None, at: float) -> None:
    record.update(status="Failed", end=at)
    if reason:
        record["failure"] = reason


def _classify(failure: str) -> str | None:
    for prefix, kind in _RETRYABLE:
        if failure.startswith(prefix) or f"({prefix})" in failure:
            return kind
    return None


def _retry_delay(
    step: dict[str, Any], record: dict[str, Any], failure: str, at: float
) -> float | None:
    """Seconds until the step's next attempt, if one of its RetryPolicies covers this
    failure: ``IntervalSeconds * BackoffRate ** retries``, at most ``MaxAttempts``
    retries, none starting past ``ExpireAfterMin`` from the first attempt."""
    kind = _classify(failure)
    if kind is None:
        return None
    retries = record.get("attempts", 1) - 1
    for policy in step.get("RetryPolicies") or ():
        if kind not in (policy.get("ExceptionType") or ()):
            continue
        if retries >= int(policy.get("MaxAttempts", 5)):
            continue
        interval = float(policy.get("IntervalSeconds", 1))
        delay = float(interval * float(policy.get("BackoffRate", 2.0)) ** retries)
        expire = policy.get("ExpireAfterMin")
        if expire is not None and at + delay - record["first_start"] > 60 * float(expire):
            continue
        return delay
    return None


def _finish_failed(step: dict[str, Any], record: dict[str, Any], failure: str, at: float) -> None:
    """A failed attempt: retried later when a policy covers it, else the step fails."""
    delay = _retry_delay(step, record, failure, at)
    if delay is None:
        _fail(record, failure, at)
        return
    record.update(retry_at=at + delay, last_failure=failure)
    record.pop("arn", None)
    record.pop("job", None)


def _expire_seconds(text: str) -> float:
    match = _DURATION.fullmatch(text or "")
    if match is None:
        return 0.0
    days, hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return float(((days * 24 + hours) * 60 + minutes) * 60 + seconds)


def _cache_hit(
    world: World, execution: Job, step: dict[str, Any], key: str, at: float
) -> dict[str, Any] | None:
    """A Succeeded run of the same step with the same arguments in an earlier execution
    of this pipeline, within the step's ``CacheConfig.ExpireAfter``."""
    config = step.get("CacheConfig") or {}
    if not config.get("Enabled"):
        return None
    oldest = at - _expire_seconds(str(config.get("ExpireAfter", "")))
    best: dict[str, Any] | None = None
    for other in world.table(KIND).values():
        if other is execution or other.data["pipeline"] != execution.data["pipeline"]:
            continue
        record = other.data["steps"].get(step["Name"])
        if (
            record is not None
            and record["status"] == "Succeeded"
            and record.get("key") == key
            and record["end"] >= oldest
            and "arn" in record
        ):
            best = {**record, "source": other.data.get("cache_source") or other.arn}
    return best


def _start_job_step(
    world: World, execution: Job, step: dict[str, Any], record: dict[str, Any], at: float
) -> None:
    kind = step["Type"]
    operation, name_member = JOB_STEP_REQUESTS[kind]
    job_step = STEP_TYPES[kind]
    try:
        request = expressions.resolve(step.get("Arguments") or {}, scope(world, execution))
    except expressions.Unresolvable as problem:
        _fail(record, str(problem), at)
        return
    key = json.dumps(request, sort_keys=True, default=str)
    record["key"] = key
    hit = _cache_hit(world, execution, step, key, at)
    if hit is not None:
        record.update(
            status="Succeeded",
            end=at,
            arn=hit["arn"],
            job=hit.get("job"),
            cache=hit["source"],
        )
        return
    if kind != "RegisterModel":
        request[name_member] = _job_name(world, execution, step["Name"], job_step.name_length)
    try:
        answer = world.emulator.call(world, operation, request)
    except ApiError as error:
        _finish_failed(step, record, f"{error.code}: {error.message}", at)
        return
    except ParamValidationError as error:
        _fail(record, str(error), at)
        return
    record["arn"] = answer[job_step.arn_member]
    record["job"] = request.get(name_member) or answer[job_step.arn_member]


def _check_job(
    world: World, execution: Job, step: dict[str, Any], record: dict[str, Any], at: float
) -> None:
    """Finish a job step whose job reached an end."""
    job = world.by_arn.get(record["arn"])
    if job is None:
        _fail(record, "The step's job was deleted", at)
        return
    outcome = STEP_TYPES[step["Type"]].outcome.get(job.status)
    if outcome == "Succeeded":
        record.update(status="Succeeded", end=max(at, job.modified))
    elif outcome == "Failed":
        _finish_failed(step, record, job.failure_reason or "Job failed", at)
    elif outcome == "Stopped":
        record.update(status="Stopped", end=at)


def _script(world: World, step: dict[str, Any]) -> dict[str, Any]:
    scripts: dict[str, dict[str, Any]] = world.emulator.pipeline_step_scripts
    return scripts.get(step["Name"]) or {}


def _start(world: World, execution: Job, name: str, at: float) -> None:
    """Start step ``name`` (its dependencies have succeeded)."""
    step = graph(execution).steps[name]
    data = execution.data
    previous = data["steps"].get(name) or {}
    record: dict[str, Any] = {
        "name": name,
        "type": step["Type"],
        "status": RUNNING,
        "start": at,
        "first_start": previous.get("first_start", at),
        "attempts": previous.get("attempts", 0) + 1,
        "seq": len(data["steps"]) if name not in data["steps"] else previous["seq"],
    }
    data["steps"][name] = record
    kind = step["Type"]
    context = scope(world, execution)
    try:
        if kind in JOB_STEP_REQUESTS:
            _start_job_step(world, execution, step, record, at)
        elif kind == "Condition":
            conditions = (step.get("Arguments") or {}).get("Conditions") or []
            record["outcome"] = all(expressions.holds(c, context) for c in conditions)
            record.update(status="Succeeded", end=at)
        elif kind == "Fail":
            message = expressions.resolve(
                (step.get("Arguments") or {}).get("ErrorMessage"), context
            )
            record["error_message"] = "" if message is None else expressions.render(message)
            _fail(record, record["error_message"], at)
        elif kind == "Callback":
            record["token"] = _token(world)
        elif kind == "Lambda":
            script = _script(world, step)
            declared = [o["OutputName"] for o in step.get("OutputParameters") or ()]
            given = script.get("outputs") or {}
            record["outputs"] = [{"Name": n, "Value": str(given.get(n, ""))} for n in declared]
            record["wake"] = at + float(script.get("duration") or 0.0)
        elif kind in NOT_RUN_STEP_TYPES:
            _fail(record, messages.step_type_not_run(kind), at)
    except expressions.Unresolvable as problem:
        _fail(record, str(problem), at)
    if record["status"] == RUNNING and kind in JOB_STEP_REQUESTS and "arn" in record:
        _check_job(world, execution, step, record, at)  # a model is made at once


def _token(world: World) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    bits = int(world.emulator.random_hex(16), 16)
    return "".join(alphabet[(bits >> (6 * i)) % len(alphabet)] for i in range(10))


def _poll(world: World, execution: Job, name: str, at: float) -> None:
    """Move one running step on, if what it waits for has happened."""
    step = graph(execution).steps[name]
    record = execution.data["steps"][name]
    if "retry_at" in record:
        if record["retry_at"] <= at:
            del record["retry_at"]
            _start(world, execution, name, at)
        return
    kind = step["Type"]
    if kind in JOB_STEP_REQUESTS and "arn" in record:
        _check_job(world, execution, step, record, at)
    elif kind == "Lambda" and record["wake"] <= at:
        failure = _script(world, step).get("failure_reason")
        if failure:
            _fail(record, str(failure), at)
        else:
            record.update(status="Succeeded", end=at)


# --- the interpreter's step -----------------------------------------------------------


def _ready(execution: Job, name: str) -> bool | None:
    """True: may start now; False: not yet; None: never (a dependency did not succeed,
    or the branch holding it was not taken)."""
    g = graph(execution)
    records = execution.data["steps"]
    for other in g.depends[name]:
        record = records.get(other)
        if record is None or record["status"] not in DONE:
            return False
        if record["status"] != "Succeeded":
            return None
    branch = g.branch.get(name)
    if branch is not None and records[branch[0]].get("outcome") is not branch[1]:
        return None
    return True


def advance(world: World, execution: Job, at: float) -> None:
    """The interpreter's step: finish what ended, start what may start, end the
    execution when nothing is left to run, else schedule the next look."""
    if execution.status not in (RUNNING, "Stopping"):
        return
    data = execution.data
    records: dict[str, dict[str, Any]] = data["steps"]
    g = graph(execution)
    limit = (data.get("parallelism") or {}).get("MaxParallelExecutionSteps")
    changed = True
    while changed:
        changed = False
        for name in [n for n, r in records.items() if r["status"] == RUNNING]:
            _poll(world, execution, name, at)
            changed |= records[name]["status"] != RUNNING
        if execution.status != RUNNING or any(
            r["status"] in ("Failed", "Stopped") for r in records.values()
        ):
            continue  # a failure (or a stop) starts nothing new
        for name in g.steps:
            if name in records:
                continue
            running = sum(1 for r in records.values() if r["status"] == RUNNING)
            if limit is not None and running >= int(limit):
                break
            if _ready(execution, name):
                _start(world, execution, name, at)
                changed = True
    if any(r["status"] == RUNNING for r in records.values()):
        _schedule_next(world, execution, at)
        return
    emulator = world.emulator
    if execution.status == "Stopping":
        emulator.dispatch(execution, "stopped", at)
    elif any(r["status"] in ("Failed", "Stopped") for r in records.values()):
        execution.failure_reason = messages.STEP_FAILURE
        emulator.dispatch(execution, "fail", at)
    else:
        emulator.dispatch(execution, "succeed", at)


def _schedule_next(world: World, execution: Job, at: float) -> None:
    """A tick at the earliest moment a running step can change."""
    emulator = world.emulator
    times: list[float] = []
    waiting_on_jobs = False
    for record in execution.data["steps"].values():
        if record["status"] != RUNNING:
            continue
        if "retry_at" in record:
            times.append(record["retry_at"])
        elif "wake" in record:
            times.append(record["wake"])
        elif "arn" in record:
            job = world.by_arn.get(record["arn"])
            due = None if job is None else emulator.scheduler.next_time(job)
            if due is None:
                waiting_on_jobs = True  # moved by other jobs' events (a tuning job's children)
            else:
                times.append(due)
    if waiting_on_jobs:
        due = emulator.scheduler.next_time()
        if due is not None:
            times.append(due)
    if times:
        when = max(min(times), at)
        if execution.data.get("tick_at") != when:
            execution.data["tick_at"] = when
            emulator.scheduler.schedule(execution, "tick", when)


def stop_steps(world: World, execution: Job, at: float) -> None:
    """StopPipelineExecution's work: stop every running job, end callbacks and lambdas."""
    for record in execution.data["steps"].values():
        if record["status"] != RUNNING:
            continue
        record.pop("retry_at", None)
        job_step = STEP_TYPES.get(record["type"])
        job = world.by_arn.get(record.get("arn", ""))
        if job_step is None or job_step.stop is None or job is None or job.terminal:
            record.update(status="Stopped", end=at)
            continue
        record["status_shown"] = "Stopping"
        try:
            world.emulator.call(world, job_step.stop, {job_step.describe_member: record["job"]})
        except ApiError:
            record.update(status="Stopped", end=at)


def step_summary(record: dict[str, Any], step: dict[str, Any]) -> dict[str, Any]:
    """One PipelineExecutionStep of ListPipelineExecutionSteps."""
    status = record.get("status_shown") if record["status"] == RUNNING else None
    summary: dict[str, Any] = {
        "StepName": record["name"],
        "StartTime": to_datetime(record["start"]),
        "StepStatus": status or record["status"],
        "AttemptCount": record["attempts"],
    }
    for member, key in (("StepDisplayName", "DisplayName"), ("StepDescription", "Description")):
        if step.get(key):
            summary[member] = step[key]
    if "end" in record:
        summary["EndTime"] = to_datetime(record["end"])
    if record.get("failure"):
        summary["FailureReason"] = record["failure"][:1024]
    if record.get("cache"):
        summary["CacheHitResult"] = {"SourcePipelineExecutionArn": record["cache"]}
    if record.get("reused"):
        summary["SelectiveExecutionResult"] = {"SourcePipelineExecutionArn": record["reused"]}
    metadata = _metadata(record, step)
    if metadata is not None:
        summary["Metadata"] = metadata
    return summary


_METADATA: dict[str, Callable[[dict[str, Any], dict[str, Any]], dict[str, Any] | None]] = {
    "Condition": lambda r, s: (
        {"Outcome": "True" if r.get("outcome") else "False"} if "outcome" in r else None
    ),
    "Fail": lambda r, s: {"ErrorMessage": r.get("error_message", "")},
    "Callback": lambda r, s: (
        {
            "CallbackToken": r["token"],
            "SqsQueueUrl": str(
                (s.get("Arguments") or {}).get("SqsQueueUrl") or s.get("SqsQueueUrl", "")
            ),
            "OutputParameters": r.get("outputs") or [],
        }
        if "token" in r
        else None
    ),
    "Lambda": lambda r, s: {
        "Arn": str(s.get("FunctionArn", "")),
        "OutputParameters": r.get("outputs") or [],
    },
}


def _metadata(record: dict[str, Any], step: dict[str, Any]) -> dict[str, Any] | None:
    kind = record["type"]
    if kind in _METADATA:
        body = _METADATA[kind](record, step)
        return None if body is None else {kind: body}
    job_step = STEP_TYPES.get(kind)
    if job_step is None or "arn" not in record:
        return None
    if kind in ("QualityCheck", "ClarifyCheck"):
        body = {m: step[m] for m in _CHECK_MEMBERS if m in step and not isinstance(step[m], dict)}
        return {kind: {**body, "CheckJobArn": record["arn"]}}
    return {job_step.metadata: {"Arn": record["arn"]}}
