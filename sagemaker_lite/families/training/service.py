"""Training jobs: create, describe, list, stop, update, delete, and their lifecycle."""

from __future__ import annotations

import math
from typing import Any

from sagemaker_lite.contract import messages
from sagemaker_lite.contract.copying import fresh
from sagemaker_lite.contract.errors import ApiError
from sagemaker_lite.engine.behaviour import (
    CHECKPOINT_FILES,
    DEFAULT_EPOCHS,
    MODEL_FILES,
    OUTPUT_FILES,
    metric_series,
    stop_seconds,
)
from sagemaker_lite.engine.jobs import Job, new_job
from sagemaker_lite.engine.lifecycle import TRAINING
from sagemaker_lite.engine.world import World
from sagemaker_lite.families.shared import artifacts, builtin_algorithms
from sagemaker_lite.families.shared import training_rules as rules
from sagemaker_lite.families.shared.service import (
    drop_none,
    echoed_members,
    find,
    list_jobs,
    pop_tags,
    timestamp,
)
from sagemaker_lite.families.shared.training_metrics import (
    final_metrics,
    training_end,
    training_start,
)
from sagemaker_lite.families.training import debugger

KIND = TRAINING.kind
#: ListTrainingJobs without SortBy/SortOrder: newest first (docs/fidelity.md, "Paging").
DEFAULT_SORT = ("CreationTime", "Descending")
_ECHOED = echoed_members("CreateTrainingJob", "DescribeTrainingJob")
# Members AWS always answers, with the value they default to.
#: MaxRuntimeInSeconds when a request sets none: one day.
DEFAULT_MAX_RUNTIME = 86_400
#: ProfilerConfig.ProfilingIntervalInMilliseconds when a request sets none.
DEFAULT_PROFILING_INTERVAL_MS = 500
_DEFAULTS: dict[str, Any] = {
    # "The default value is 1 day" (the API reference's StoppingCondition; docs/fidelity.md).
    "StoppingCondition": {"MaxRuntimeInSeconds": DEFAULT_MAX_RUNTIME},
    "EnableNetworkIsolation": False,
    "EnableInterContainerTrafficEncryption": False,
    "EnableManagedSpotTraining": False,
}


# --- create ---------------------------------------------------------------------


def create_training_job(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """CreateTrainingJob."""
    rules.check_create_training_job(request)
    artifacts.check_inputs(world, request.get("RoleArn"), prefix_uris(request))
    job = launch(world, request, world.emulator.now())
    return {"TrainingJobArn": job.arn}


def launch(
    world: World,
    request: dict[str, Any],
    at: float,
    *,
    tuning_job_arn: str | None = None,
    metric_names: tuple[str, ...] = (),
    epochs: int = DEFAULT_EPOCHS,
    epoch_metric: str | None = None,
    directions: dict[str, str] | None = None,
    budget: float | None = None,
) -> Job:
    """Store a new training job created at ``at`` and schedule its whole plan.

    Used by CreateTrainingJob and by tuning jobs launching their children
    (``tuning_job_arn`` set; ``metric_names`` adds the tuning objective;
    ``epochs`` is the length of default learning curves; with ``epoch_metric``
    the job reports an ``epoch`` tick at each point of that metric's curve,
    where early stopping is decided; ``directions``: the tuning objective's
    ``Type`` by metric, which way its default values and curve go; ``budget``:
    the seconds a default plan should end within, the tuning job's share of its
    runtime limit, fitted like the job's own limits by ``Behaviour.plan``).
    """
    name = request["TrainingJobName"]
    arn = world.arn(KIND, name)
    if world.get(KIND, name) is not None:
        raise ApiError("ResourceInUse", messages.training_job_exists(arn))
    algorithm = request.get("AlgorithmSpecification") or {}
    hyperparameters = request.get("HyperParameters") or {}
    definitions = algorithm.get("MetricDefinitions") or ()
    if not definitions and builtin_algorithms.metric_definitions(
        algorithm.get("TrainingImage", "")
    ):
        # AWS gives a built-in algorithm's job its definitions; the default plan
        # reports only what such a job prints (docs/fidelity.md, "Round 3").  A copy:
        # a tuning job's children share its definition's members.
        algorithm = request["AlgorithmSpecification"] = dict(algorithm)
        builtin_algorithms.fill_metric_definitions(algorithm)
        definitions = builtin_algorithms.emitted_definitions(
            algorithm["TrainingImage"], request, hyperparameters
        )
    plan = world.emulator.behaviour.plan(
        KIND,
        name,
        request,
        hyperparameters,
        definitions,
        metric_names,
        epochs,
        directions,
        budget,
    )
    tags = pop_tags(request)
    job = new_job(KIND, name, arn, request, at, tags)
    job.data["plan"] = plan
    if tuning_job_arn is not None:
        job.data["tuning_job_arn"] = tuning_job_arn
    if epoch_metric is not None:
        job.data["epoch_metric"] = epoch_metric
    world.add(job)
    _schedule_plan(world, job)
    return job


def _downloads(request: dict[str, Any]) -> bool:
    """Whether the job has a Downloading phase: some channel reads in File mode."""
    default_mode = (request.get("AlgorithmSpecification") or {}).get("TrainingInputMode", "File")
    for channel in request.get("InputDataConfig") or ():
        if channel.get("InputMode", default_mode) == "File":
            return True
    return False


# (phase, the event that ends it), with and without a Downloading phase.
_PHASES: tuple[tuple[str, str], ...] = (
    ("Starting", "download"),
    ("Downloading", "train"),
    ("Training", "upload"),
    ("Uploading", "complete"),
)
_PHASES_NO_DOWNLOAD = (("Starting", "train"), *_PHASES[2:])


def _schedule_plan(world: World, job: Job) -> None:
    plan = job.data["plan"]
    durations, fail_at = plan["durations"], plan["fail_at"]
    request = job.request
    schedule = world.emulator.scheduler.schedule
    epoch_metric = job.data.get("epoch_metric")
    t = job.created
    training_start = None
    for phase, event in _PHASES if _downloads(request) else _PHASES_NO_DOWNLOAD:
        t += durations[phase]
        if phase == fail_at:
            schedule(job, "fail", t)
            break
        schedule(job, event, t)
        if phase == "Starting":
            training_start = t
        elif phase == "Training" and epoch_metric is not None:
            for offset, _ in metric_series(plan, epoch_metric):
                if offset < durations["Training"]:
                    schedule(job, "epoch", t - durations["Training"] + offset)
    # t is when the plan ends.  From then on the job is finished or Stopping, where
    # no limit applies, so a limit reached only later is not scheduled at all.
    stopping = request.get("StoppingCondition") or _DEFAULTS["StoppingCondition"]
    max_runtime = stopping.get("MaxRuntimeInSeconds")
    if training_start is not None and max_runtime is not None and training_start + max_runtime < t:
        schedule(job, "max_runtime", training_start + max_runtime)
    max_wait = stopping.get("MaxWaitTimeInSeconds")
    spot = request.get("EnableManagedSpotTraining")
    if spot and max_wait is not None and job.created + max_wait < t:
        schedule(job, "max_wait", job.created + max_wait)


def _s3_sources(request: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(ChannelName, S3DataSource) of every S3 channel, in request order."""
    sources = []
    for channel in request.get("InputDataConfig") or ():
        source = (channel.get("DataSource") or {}).get("S3DataSource")
        if source is not None:
            sources.append((str(channel.get("ChannelName", "")), source))
    return sources


def prefix_uris(request: dict[str, Any]) -> list[str]:
    """The S3Uri of every S3Prefix channel: what CreateTrainingJob looks up.  Manifest
    channels are read when the job downloads its data (docs/fidelity.md, "S3 inputs")."""
    return [
        source["S3Uri"]
        for _, source in _s3_sources(request)
        if source.get("S3DataType") not in artifacts.MANIFEST_TYPES
    ]


def _read_inputs(world: World, job: Job, event: str, at: float) -> None:
    """The job's download, at the end of Starting (``event``: ``download``, or ``train``
    for a job that reads no channel in File mode, whose pipes open as training starts):
    the checkpoints already under CheckpointConfig.S3Uri are restored, and each
    manifest channel is read; a missing manifest or listed object fails the job when
    its download would have ended."""
    restored = _checkpoint_keys(world, job)
    if restored:
        job.data["restored_checkpoints"] = restored
    ends = at + job.data["plan"]["durations"]["Downloading"] if event == "download" else at
    artifacts.read_manifests(world, job, _s3_sources(job.request), ends)


def checkpoint_uri(job: Job) -> str | None:
    """CheckpointConfig.S3Uri, without a trailing slash (None: no checkpoints)."""
    uri = (job.request.get("CheckpointConfig") or {}).get("S3Uri")
    return str(uri).rstrip("/") if uri else None


def _checkpoint_keys(world: World, job: Job) -> list[str]:
    """The paths (relative to the checkpoint S3Uri) of the checkpoints already there."""
    uri = checkpoint_uri(job)
    store = world.emulator.artifacts
    if uri is None or store is None:
        return []
    base = artifacts.split_uri(uri)[1]
    return [key[len(base) :].lstrip("/") for key in store.keys(f"{uri}/", world.region) or ()]


def output_uri(job: Job) -> str:
    """Where it uploads /opt/ml/output/data: ``{S3OutputPath}/{job}/output/output.tar.gz``."""
    output = job.request["OutputDataConfig"]["S3OutputPath"].rstrip("/")
    return f"{output}/{job.name}/output/output.tar.gz"


def _write_artifacts(world: World, job: Job, at: float) -> None:
    """A completed job's uploads: model.tar.gz (scripted members, else the placeholder)
    and output.tar.gz (scripted members, else empty)."""
    model = artifacts.scripted_files(job, MODEL_FILES) or artifacts.PLACEHOLDER
    artifacts.put_archive(world, model_artifacts_uri(job), model, at)
    artifacts.put_archive(world, output_uri(job), artifacts.scripted_files(job, OUTPUT_FILES), at)


def _write_checkpoints(world: World, job: Job) -> None:
    """The scripted checkpoint files, under CheckpointConfig.S3Uri as Training begins
    (the container writes them to its LocalPath; SageMaker syncs them up as it runs)."""
    uri = checkpoint_uri(job)
    files = artifacts.scripted_files(job, CHECKPOINT_FILES)
    if uri is not None and files:
        artifacts.put_files(world, uri, files)


def on_event(world: World, job: Job, event: str, at: float) -> None:
    """React to a transition the scheduler applied; tell a tuning parent about its child."""
    if event == "fail":
        job.failure_reason = job.data.get("input_failure") or job.data["plan"]["reason"]
    elif world.emulator.artifacts is not None:  # else no S3 served: nothing read or written
        if event == "complete":
            _write_artifacts(world, job, at)
        if event == "download" or (event == "train" and not _downloads(job.request)):
            _read_inputs(world, job, event, at)
        if event == "train" and "input_failure" not in job.data:
            _write_checkpoints(world, job)
    if "tuning_job_arn" not in job.data:
        return
    tuning = world.emulator.family("hyper-parameter-tuning-job")
    if event == "epoch":
        tuning.child_epoch(world, job, at)
    elif job.terminal:
        tuning.child_finished(world, job, at)


# --- describe -------------------------------------------------------------------


def describe_training_job(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeTrainingJob."""
    job = find(
        world,
        KIND,
        request["TrainingJobName"],
        messages.MISSING_TRAINING_JOB["DescribeTrainingJob"],
    )
    response = describe(job, world.emulator.now())
    world.emulator.polled(job)
    return response


def describe(job: Job, now: float) -> dict[str, Any]:
    """The DescribeTrainingJob answer for ``job`` at virtual time ``now``."""
    request = job.request
    response: dict[str, Any] = {"TrainingJobName": job.name, "TrainingJobArn": job.arn}
    response["TuningJobArn"] = job.data.get("tuning_job_arn")
    # Required in the model and read by the SDK (estimator.model_data) in any status:
    # the location configured for the model, known from creation.
    response["ModelArtifacts"] = {"S3ModelArtifacts": model_artifacts_uri(job)}
    response["TrainingJobStatus"] = job.status
    response["SecondaryStatus"] = job.secondary
    response["FailureReason"] = job.failure_reason
    for member in _ECHOED:
        if member in request:
            response[member] = fresh(request[member])
        elif member in _DEFAULTS:
            response[member] = fresh(_DEFAULTS[member])
    output_config = response.get("OutputDataConfig")
    if output_config is not None:
        # AWS answers "" for a key never given; the SDK's Estimator.attach reads it.
        output_config.setdefault("KmsKeyId", "")
    profiler = response.get("ProfilerConfig")
    if profiler is not None and not profiler.get("DisableProfiler"):
        # A real describe of an SDK job shows the interval AWS defaults to (docs/fidelity.md).
        profiler.setdefault("ProfilingIntervalInMilliseconds", DEFAULT_PROFILING_INTERVAL_MS)
    for rule in response.get("DebugRuleConfigurations") or ():
        # The SDK sends no VolumeSizeInGB for a built-in rule and its integration
        # tests read 0 back (docs/fidelity.md); ProfilerRuleConfigurations: no evidence.
        rule.setdefault("VolumeSizeInGB", 0)
    for channel in response.get("InputDataConfig") or ():
        # Real describes show both defaults on every channel (docs/fidelity.md).
        channel.setdefault("CompressionType", "None")
        channel.setdefault("RecordWrapperType", "None")
    start, end = training_start(job), training_end(job)
    response["CreationTime"] = timestamp(job.created)
    response["TrainingStartTime"] = timestamp(start)
    response["TrainingEndTime"] = timestamp(end)
    response["LastModifiedTime"] = timestamp(last_modified(job, now))
    response["SecondaryStatusTransitions"] = transitions(job)
    metrics = final_metrics(job, now)
    if metrics:
        response["FinalMetricDataList"] = metrics
    if end is not None and start is not None:
        # The model's minimum is 1: AWS bills at least a second.
        seconds = max(1, math.floor(end - start))
        response["TrainingTimeInSeconds"] = seconds
        if request.get("EnableManagedSpotTraining"):
            seconds = max(1, round(seconds * (1 - job.data["plan"]["spot_savings"])))
        response["BillableTimeInSeconds"] = seconds
    response.update(debugger.rule_statuses(job, start, end, now))
    response["ProfilingStatus"] = debugger.profiling_status(request)
    response["WarmPoolStatus"] = warm_pool_status(job, now)
    return drop_none(response)


def model_artifacts_uri(job: Job) -> str:
    """Where the job writes its model: ``{S3OutputPath}/{job}/output/model.tar.gz``."""
    output = job.request["OutputDataConfig"]["S3OutputPath"].rstrip("/")
    return f"{output}/{job.name}/output/model.tar.gz"


def last_modified(job: Job, now: float) -> float:
    """LastModifiedTime: the last status change, update, or the rules' conclusion."""
    latest = job.modified
    updated = job.data.get("updated_at")
    if updated is not None and updated > latest:
        latest = updated
    if debugger.has_rules(job.request):  # most jobs have none: skip the rest
        concluded = debugger.rules_concluded(job, training_end(job), now)
        if concluded is not None and concluded > latest:
            latest = concluded
    return latest


def transitions(job: Job) -> list[dict[str, Any]]:
    """SecondaryStatusTransitions: each entry ends when the next begins; a terminal one at once."""
    entries = []
    history = job.history
    for index, (status, start) in enumerate(history):
        entry = {
            "Status": status,
            "StartTime": timestamp(start),
            "StatusMessage": messages.SECONDARY_STATUS_MESSAGES[status],
        }
        if index + 1 < len(history):
            entry["EndTime"] = timestamp(history[index + 1][1])
        elif job.terminal:
            entry["EndTime"] = entry["StartTime"]
        entries.append(entry)
    return entries


def warm_pool_status(job: Job, now: float) -> dict[str, Any] | None:
    """The warm pool a KeepAlivePeriodInSeconds keeps after training, by virtual time."""
    keep_alive = (job.request.get("ResourceConfig") or {}).get("KeepAlivePeriodInSeconds")
    end = training_end(job)
    if not keep_alive or end is None:
        return None
    expires = end + keep_alive
    if now < expires:
        return {"Status": "Available", "ResourceRetainedBillableTimeInSeconds": int(now - end)}
    return {"Status": "Terminated", "ResourceRetainedBillableTimeInSeconds": int(keep_alive)}


# --- list -------------------------------------------------------------------------


def summary(job: Job, now: float) -> dict[str, Any]:
    """A TrainingJobSummary at virtual time ``now``."""
    return drop_none(
        {
            "TrainingJobName": job.name,
            "TrainingJobArn": job.arn,
            "CreationTime": timestamp(job.created),
            "TrainingEndTime": timestamp(training_end(job)),
            "LastModifiedTime": timestamp(last_modified(job, now)),
            "TrainingJobStatus": job.status,
            "SecondaryStatus": job.secondary,
        }
    )


def list_training_jobs(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """ListTrainingJobs."""
    now = world.emulator.now()
    extra = {
        "WarmPoolStatusEquals": lambda job, value: (
            (warm_pool_status(job, now) or {}).get("Status") == value
        ),
        "TrainingPlanArnEquals": lambda job, value: False,  # no job here runs on a training plan
    }
    return list_jobs(
        world.index(KIND),
        request,
        result_key="TrainingJobSummaries",
        summary=lambda job: summary(job, now),
        extra_filters=extra,
        default_sort=DEFAULT_SORT,
    )


# --- stop, update, delete -----------------------------------------------------------


def stop_training_job(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """StopTrainingJob: Stopping now, Stopped a little later."""
    job = find(
        world, KIND, request["TrainingJobName"], messages.MISSING_TRAINING_JOB["StopTrainingJob"]
    )
    rules.check_stop_training_job(job.arn, job.status)
    stop(world, job, world.emulator.now())
    return {}


def stop(world: World, job: Job, at: float) -> None:
    """Stop an InProgress job at ``at``: its plan is dropped, Stopped follows."""
    emulator = world.emulator
    job.generation += 1
    emulator.dispatch(job, "stop", at)
    emulator.scheduler.schedule(job, "stopped", at + stop_seconds(job.data["plan"]))


def update_training_job(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """UpdateTrainingJob: profiler, remote debug and warm-pool keep-alive changes."""
    job = find(
        world, KIND, request["TrainingJobName"], messages.MISSING_TRAINING_JOB["UpdateTrainingJob"]
    )
    now = world.emulator.now()
    rules.check_update_training_job(request, job.status, describe(job, now))
    stored = job.request
    applied = any(
        member in request
        for member in ("ProfilerConfig", "ProfilerRuleConfigurations", "RemoteDebugConfig")
    )
    if "ProfilerConfig" in request:
        stored["ProfilerConfig"] = {**stored.get("ProfilerConfig", {}), **request["ProfilerConfig"]}
    if "ProfilerRuleConfigurations" in request:
        stored["ProfilerRuleConfigurations"] = [
            *stored.get("ProfilerRuleConfigurations", []),
            *request["ProfilerRuleConfigurations"],
        ]
    if "RemoteDebugConfig" in request:
        stored["RemoteDebugConfig"] = request["RemoteDebugConfig"]
    had_pool = bool((stored.get("ResourceConfig") or {}).get("KeepAlivePeriodInSeconds"))
    if "ResourceConfig" in request and (had_pool or not job.terminal):
        # Accepted without a pool too (no evidence AWS refuses it); once the job has
        # ended without one its instances are gone, so it then changes nothing.
        stored["ResourceConfig"] = {**stored.get("ResourceConfig", {}), **request["ResourceConfig"]}
        applied = True
    if applied:
        # Kept apart from ``modified``, which is the last status change.
        job.data["updated_at"] = now
    return {"TrainingJobArn": job.arn}


def delete_training_job(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteTrainingJob: only terminal jobs whose warm pool is not Available."""
    job = find(
        world, KIND, request["TrainingJobName"], messages.MISSING_TRAINING_JOB["DeleteTrainingJob"]
    )
    pool = warm_pool_status(job, world.emulator.now())
    rules.check_delete_training_job(job.name, job.status, pool["Status"] if pool else None)
    world.remove(job)
    return {}
