"""SageMaker Pipelines: pipelines, their versions, and executions that run their steps.

A pipeline is a resource (kind ``pipeline``) holding its versions (each
UpdatePipeline with a definition adds one); an execution is a job (kind
``pipeline-execution``, named ``<pipeline>/<id>``, ARN
``<pipeline ARN>/execution/<id>``) interpreted by :mod:`.executor`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sagemaker_lite.contract import messages
from sagemaker_lite.contract.copying import fresh
from sagemaker_lite.contract.errors import ApiError, validation_error
from sagemaker_lite.contract.timestamps import to_epoch
from sagemaker_lite.engine.jobs import Job, new_job
from sagemaker_lite.engine.lifecycle import PIPELINE, PIPELINE_EXECUTION
from sagemaker_lite.engine.world import World
from sagemaker_lite.families.pipelines import executor
from sagemaker_lite.families.pipelines.definition import parse
from sagemaker_lite.families.shared.service import drop_none, lister, page, pop_tags, timestamp

KIND = PIPELINE.kind
EXECUTION = PIPELINE_EXECUTION.kind
#: ListPipelines' default order (the API reference: CreationTime, Descending).
DEFAULT_SORT = ("CreationTime", "Descending")
_DEFAULT_MAX = 10
_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def on_event(world: World, job: Job, event: str, at: float) -> None:
    """An execution's tick (or retry): the interpreter looks at its steps."""
    if event in ("tick", "retry"):
        if event == "tick":
            job.data.pop("tick_at", None)
        executor.advance(world, job, at)


# --- lookups --------------------------------------------------------------------------


def _not_found(message: str) -> ApiError:
    return ApiError("ResourceNotFound", message)


def find_pipeline(world: World, name_or_arn: str) -> Job:
    """The pipeline named (or whose ARN is) ``name_or_arn``, or ResourceNotFound."""
    name = (
        name_or_arn.rsplit(":pipeline/", 1)[-1] if name_or_arn.startswith("arn:") else name_or_arn
    )
    pipeline = world.get(KIND, name)
    if pipeline is None:
        raise _not_found(messages.pipeline_not_found(world.arn(KIND, name)))
    return pipeline


def find_execution(world: World, arn: str) -> Job:
    """The execution ``arn`` names, or ResourceNotFound."""
    execution = world.by_arn.get(arn)
    if execution is None or execution.kind != EXECUTION:
        raise _not_found(messages.pipeline_execution_not_found(arn))
    return execution


def _definition_in_s3(world: World, location: dict[str, Any]) -> str:
    """The definition stored at a PipelineDefinitionS3Location (Bucket, ObjectKey,
    optional VersionId: else the latest), read through the S3 served in the process."""
    bucket, key, version = location["Bucket"], location["ObjectKey"], location.get("VersionId")
    store = world.emulator.artifacts
    served, body = (
        (False, None)
        if store is None
        else store.fetch(f"s3://{bucket}/{key}", world.region, version)
    )
    if not served:
        raise NotImplementedError(messages.DEFINITION_IN_S3_NOT_SERVED)
    if body is None:
        raise validation_error(messages.definition_object_missing(bucket, key, version))
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return ""  # not JSON text: parse() refuses it as it refuses any unreadable definition


def _definition(world: World, request: dict[str, Any], required: bool) -> str | None:
    text, location = request.get("PipelineDefinition"), request.get("PipelineDefinitionS3Location")
    if text is not None and location is not None:
        raise validation_error(messages.BOTH_DEFINITIONS)
    if location is not None:
        text = _definition_in_s3(world, location)
    if text is None:
        if required:
            raise validation_error(messages.MISSING_DEFINITION)
        return None
    parse(text)  # AWS's ValidationException for what it cannot read
    return str(text)


# --- pipelines ------------------------------------------------------------------------


def create_pipeline(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """CreatePipeline: the definition is checked as AWS checks it; version 1."""
    name = request["PipelineName"]
    text = _definition(world, request, required=True)
    if world.get(KIND, name) is not None:
        raise validation_error(messages.pipeline_exists(name))
    request.pop("PipelineDefinition", None)
    request.pop("PipelineDefinitionS3Location", None)
    tags = pop_tags(request)
    now = world.emulator.now()
    pipeline = new_job(
        KIND,
        name,
        world.arn(KIND, name),
        request,
        now,
        tags,
    )
    pipeline.data.update(versions=[_version(1, now, text)], executions=[])
    world.add(pipeline)
    return {"PipelineArn": pipeline.arn}


def _version(number: int, at: float, text: str | None) -> dict[str, Any]:
    return {"id": number, "created": at, "definition": text}


def _version_of(pipeline: Job, number: int | None) -> dict[str, Any]:
    versions: list[dict[str, Any]] = pipeline.data["versions"]
    if number is None:
        return versions[-1]
    for version in versions:
        if version["id"] == number:
            return version
    raise _not_found(messages.pipeline_version_not_found(pipeline.arn, number))


def describe_pipeline(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DescribePipeline (the latest version, or ``PipelineVersionId``'s definition)."""
    pipeline = find_pipeline(world, request["PipelineName"])
    version = _version_of(pipeline, request.get("PipelineVersionId"))
    stored = pipeline.request
    return drop_none(
        {
            "PipelineArn": pipeline.arn,
            "PipelineName": pipeline.name,
            "PipelineDisplayName": stored.get("PipelineDisplayName", pipeline.name),
            "PipelineDefinition": version["definition"],
            "PipelineDescription": stored.get("PipelineDescription"),
            "RoleArn": stored.get("RoleArn"),
            "PipelineStatus": pipeline.status,
            "CreationTime": timestamp(pipeline.created),
            "LastModifiedTime": timestamp(pipeline.modified),
            "LastRunTime": timestamp(pipeline.data.get("last_run")),
            "CreatedBy": {},
            "LastModifiedBy": {},
            "ParallelismConfiguration": fresh(stored.get("ParallelismConfiguration")),
        }
    )


def update_pipeline(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """UpdatePipeline: members replaced; a new definition is a new version."""
    pipeline = find_pipeline(world, request["PipelineName"])
    text = _definition(world, request, required=False)
    now = world.emulator.now()
    stored = dict(pipeline.request)
    for member in ("PipelineDisplayName", "PipelineDescription", "RoleArn"):
        if member in request:
            stored[member] = request[member]
    if "ParallelismConfiguration" in request:
        stored["ParallelismConfiguration"] = request["ParallelismConfiguration"]
    pipeline.request = stored
    versions = pipeline.data["versions"]
    if text is not None:
        versions.append(_version(versions[-1]["id"] + 1, now, text))
    pipeline.modified = now
    return {"PipelineArn": pipeline.arn, "PipelineVersionId": versions[-1]["id"]}


def delete_pipeline(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DeletePipeline: the pipeline goes at once (executions already run stay readable)."""
    pipeline = find_pipeline(world, request["PipelineName"])
    world.remove(pipeline)
    return {"PipelineArn": pipeline.arn}


def _pipeline_summary(pipeline: Job) -> dict[str, Any]:
    stored = pipeline.request
    return drop_none(
        {
            "PipelineArn": pipeline.arn,
            "PipelineName": pipeline.name,
            "PipelineDisplayName": stored.get("PipelineDisplayName", pipeline.name),
            "PipelineDescription": stored.get("PipelineDescription"),
            "RoleArn": stored.get("RoleArn"),
            "CreationTime": timestamp(pipeline.created),
            "LastModifiedTime": timestamp(pipeline.modified),
            "LastExecutionTime": timestamp(pipeline.data.get("last_run")),
        }
    )


_PIPELINE_FILTERS: dict[str, Callable[[Job, Any], bool]] = {
    "PipelineNamePrefix": lambda job, prefix: job.name.lower().startswith(prefix.lower()),
    "CreatedAfter": lambda job, t: job.created > to_epoch(t),
    "CreatedBefore": lambda job, t: job.created < to_epoch(t),
}


list_pipelines = lister(
    KIND,
    "PipelineSummaries",
    _pipeline_summary,
    default_sort=DEFAULT_SORT,
    extra_filters=_PIPELINE_FILTERS,
    doc="ListPipelines: prefix and creation-time filters, sorting, paging.",
)


def _in_window(at: float, request: dict[str, Any]) -> bool:
    after, before = request.get("CreatedAfter"), request.get("CreatedBefore")
    return (after is None or at > to_epoch(after)) and (before is None or at < to_epoch(before))


def _paged(items: list[Any], request: dict[str, Any], key: str) -> dict[str, Any]:
    chosen, token = page(items, request, _DEFAULT_MAX)
    response: dict[str, Any] = {key: chosen}
    if token is not None:
        response["NextToken"] = token
    return response


def list_pipeline_versions(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """ListPipelineVersions: newest first unless SortOrder says Ascending."""
    pipeline = find_pipeline(world, request["PipelineName"])
    versions = [v for v in pipeline.data["versions"] if _in_window(v["created"], request)]
    if request.get("SortOrder") != "Ascending":
        versions.reverse()
    last = pipeline.data.get("last_execution_of") or {}
    summaries = [
        drop_none(
            {
                "PipelineArn": pipeline.arn,
                "PipelineVersionId": v["id"],
                "CreationTime": timestamp(v["created"]),
                "LastExecutionPipelineExecutionArn": last.get(str(v["id"])),
            }
        )
        for v in versions
    ]
    return _paged(summaries, request, "PipelineVersionSummaries")


# --- executions -----------------------------------------------------------------------


def _typed(parameter: dict[str, Any], value: Any) -> Any:
    """A parameter's value as its Type says (overrides arrive as strings)."""
    kind = parameter.get("Type", "String")
    if value is None:
        return None
    try:
        if kind == "Integer":
            return int(float(value))
        if kind == "Float":
            return float(value)
    except (TypeError, ValueError):
        return value
    if kind == "Boolean":
        return value if isinstance(value, bool) else str(value).lower() == "true"
    return value if isinstance(value, str) else str(value)


def _execution_id(world: World) -> str:
    bits = int(world.emulator.random_hex(16), 16)
    return "".join(_ID_ALPHABET[(bits >> (6 * i)) % len(_ID_ALPHABET)] for i in range(12))


def start_pipeline_execution(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """StartPipelineExecution: parameters resolved, then the first steps start at once."""
    pipeline = find_pipeline(world, request["PipelineName"])
    version = _version_of(pipeline, request.get("PipelineVersionId"))
    graph = parse(version["definition"])
    given = {p["Name"]: p["Value"] for p in request.get("PipelineParameters") or ()}
    parameters = {
        p["Name"]: _typed(p, given.get(p["Name"], p.get("DefaultValue")))
        for p in graph.parameters()
    }
    selective = request.get("SelectiveExecutionConfig")
    source = None
    if selective is not None:
        source_arn = selective.get("SourcePipelineExecutionArn")
        source = find_execution(world, source_arn) if source_arn else None
    now = world.emulator.now()
    execution_id = _execution_id(world)
    arn = f"{pipeline.arn}/execution/{execution_id}"
    stored = {k: v for k, v in request.items() if k != "PipelineParameters"}
    stored.setdefault("PipelineExecutionDisplayName", f"execution-{int(now * 1000)}")
    execution = new_job(EXECUTION, f"{pipeline.name}/{execution_id}", arn, stored, now, {})
    execution.data.update(
        id=execution_id,
        pipeline=pipeline.name,
        pipeline_arn=pipeline.arn,
        version=version["id"],
        definition=version["definition"],
        parameters=parameters,
        given=given,
        parallelism=request.get("ParallelismConfiguration")
        or pipeline.request.get("ParallelismConfiguration"),
        steps={},
    )
    if selective is not None:
        _reuse(execution, selective, source)
    world.add(execution)
    pipeline.data["executions"].append(arn)
    pipeline.data["last_run"] = now
    pipeline.data.setdefault("last_execution_of", {})[str(version["id"])] = arn
    executor.advance(world, execution, now)
    return {"PipelineExecutionArn": arn}


def _reuse(execution: Job, selective: dict[str, Any], source: Job | None) -> None:
    """Selective execution: the steps not selected take their results from ``source``."""
    selected = {s["StepName"] for s in selective["SelectedSteps"]}
    graph = parse(execution.data["definition"])
    records = execution.data["steps"]
    for name in graph.steps:
        if name in selected or source is None:
            continue
        record = source.data["steps"].get(name)
        if record is not None:
            records[name] = {**record, "reused": source.arn, "seq": len(records)}
    execution.data["selected"] = sorted(selected)


def _experiment(execution: Job) -> dict[str, Any] | None:
    """PipelineExperimentConfig: the definition's, resolved (the SDK's default names the
    experiment after the pipeline, lower-cased as AWS shows it, and the trial after the
    execution id)."""
    config = executor.graph(execution).document.get("PipelineExperimentConfig")
    if not isinstance(config, dict):
        return None
    variables = {
        "Execution.PipelineName": execution.data["pipeline"].lower(),
        "Execution.PipelineExecutionId": execution.data["id"],
    }
    resolved = {}
    for member in ("ExperimentName", "TrialName"):
        value = config.get(member)
        if isinstance(value, dict):
            value = variables.get(str(value.get("Get")))
        if isinstance(value, str):
            resolved[member] = value
    return resolved


def describe_execution(execution: Job) -> dict[str, Any]:
    """The DescribePipelineExecution answer for ``execution``."""
    stored = execution.request
    return drop_none(
        {
            "PipelineArn": execution.data["pipeline_arn"],
            "PipelineExecutionArn": execution.arn,
            "PipelineExecutionDisplayName": stored.get("PipelineExecutionDisplayName"),
            "PipelineExecutionStatus": execution.status,
            "PipelineExecutionDescription": stored.get("PipelineExecutionDescription"),
            "PipelineExperimentConfig": _experiment(execution),
            "FailureReason": execution.failure_reason,
            "CreationTime": timestamp(execution.created),
            "LastModifiedTime": timestamp(execution.modified),
            "CreatedBy": {},
            "LastModifiedBy": {},
            "ParallelismConfiguration": fresh(execution.data.get("parallelism")),
            "SelectiveExecutionConfig": fresh(stored.get("SelectiveExecutionConfig")),
            "PipelineVersionId": execution.data["version"],
        }
    )


def describe_pipeline_execution(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DescribePipelineExecution."""
    execution = find_execution(world, request["PipelineExecutionArn"])
    response = describe_execution(execution)
    world.emulator.polled(execution)
    return response


def _execution_summary(execution: Job) -> dict[str, Any]:
    stored = execution.request
    return drop_none(
        {
            "PipelineExecutionArn": execution.arn,
            "StartTime": timestamp(execution.created),
            "PipelineExecutionStatus": execution.status,
            "PipelineExecutionDescription": stored.get("PipelineExecutionDescription"),
            "PipelineExecutionDisplayName": stored.get("PipelineExecutionDisplayName"),
            "PipelineExecutionFailureReason": execution.failure_reason,
        }
    )


def list_pipeline_executions(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """ListPipelineExecutions of one pipeline: newest first by default, paged."""
    pipeline = find_pipeline(world, request["PipelineName"])
    executions = [world.by_arn[arn] for arn in pipeline.data["executions"] if arn in world.by_arn]
    executions = [e for e in executions if _in_window(e.created, request)]
    if request.get("SortBy") == "PipelineExecutionArn":
        executions.sort(key=lambda e: e.arn)
    if request.get("SortOrder", "Descending") == "Descending":
        executions.reverse()
    summaries = [_execution_summary(e) for e in executions]
    return _paged(summaries, request, "PipelineExecutionSummaries")


def list_pipeline_execution_steps(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """ListPipelineExecutionSteps: the steps reached, latest started first by default
    (as the SDK's integration tests read them)."""
    execution = find_execution(world, request.get("PipelineExecutionArn", ""))
    steps = executor.graph(execution).steps
    records = sorted(execution.data["steps"].values(), key=lambda r: (r["start"], r["seq"]))
    if request.get("SortOrder", "Descending") == "Descending":
        records.reverse()
    summaries = [executor.step_summary(r, steps[r["name"]]) for r in records]
    return _paged(summaries, request, "PipelineExecutionSteps")


def _rendered(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def list_pipeline_parameters_for_execution(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """ListPipelineParametersForExecution: every parameter with the value it ran with."""
    execution = find_execution(world, request["PipelineExecutionArn"])
    given = execution.data["given"]
    parameters = [
        {"Name": name, "Value": str(given[name]) if name in given else _rendered(value)}
        for name, value in execution.data["parameters"].items()
    ]
    return _paged(parameters, request, "PipelineParameters")


def describe_pipeline_definition_for_execution(
    world: World, request: dict[str, Any]
) -> dict[str, Any]:
    """DescribePipelineDefinitionForExecution: the definition the execution ran."""
    execution = find_execution(world, request["PipelineExecutionArn"])
    return {
        "PipelineDefinition": execution.data["definition"],
        "CreationTime": timestamp(execution.created),
    }


def _conflict(action: str, execution: Job) -> ApiError:
    return ApiError(
        "ConflictException", messages.pipeline_execution_status_conflict(action, execution.status)
    )


def stop_pipeline_execution(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """StopPipelineExecution: Stopping while its running jobs stop, then Stopped."""
    execution = find_execution(world, request["PipelineExecutionArn"])
    if execution.status != executor.RUNNING:
        raise _conflict("stop", execution)
    now = world.emulator.now()
    world.emulator.dispatch(execution, "stop", now)
    executor.stop_steps(world, execution, now)
    executor.advance(world, execution, now)
    return {"PipelineExecutionArn": execution.arn}


def retry_pipeline_execution(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """RetryPipelineExecution: a failed execution runs its failed steps (and what they
    hold up) again; the steps that succeeded keep their results."""
    execution = find_execution(world, request["PipelineExecutionArn"])
    if execution.status != "Failed":
        raise _conflict("retry", execution)
    records = execution.data["steps"]
    for name in [n for n, r in records.items() if r["status"] in ("Failed", "Stopped")]:
        del records[name]  # not reached yet, as far as the interpreter is concerned
    if "ParallelismConfiguration" in request:
        execution.data["parallelism"] = request["ParallelismConfiguration"]
    execution.failure_reason = None
    now = world.emulator.now()
    world.emulator.dispatch(execution, "retry", now)
    return {"PipelineExecutionArn": execution.arn}


def update_pipeline_execution(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """UpdatePipelineExecution: description, display name, parallelism."""
    execution = find_execution(world, request["PipelineExecutionArn"])
    stored = dict(execution.request)
    for member in ("PipelineExecutionDescription", "PipelineExecutionDisplayName"):
        if member in request:
            stored[member] = request[member]
    execution.request = stored
    if "ParallelismConfiguration" in request:
        execution.data["parallelism"] = request["ParallelismConfiguration"]
    execution.modified = world.emulator.now()
    return {"PipelineExecutionArn": execution.arn}


def _callback(world: World, token: str) -> tuple[Job, dict[str, Any]]:
    """The execution and step record waiting on ``token``."""
    for execution in world.table(EXECUTION).values():
        for record in execution.data["steps"].values():
            if record.get("token") == token:
                return execution, record
    raise _not_found(messages.CALLBACK_TOKEN_NOT_FOUND)


def _answer_callback(world: World, request: dict[str, Any], failure: str | None) -> Job:
    execution, record = _callback(world, request["CallbackToken"])
    if record["status"] != executor.RUNNING or execution.status != executor.RUNNING:
        raise _conflict("answer a callback of", execution)
    now = world.emulator.now()
    if failure is None:
        record["outputs"] = fresh(request.get("OutputParameters") or [])
        record.update(status="Succeeded", end=now)
    else:
        record.update(status="Failed", end=now)
        if failure:
            record["failure"] = failure
    executor.advance(world, execution, now)
    return execution


def send_pipeline_execution_step_success(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """SendPipelineExecutionStepSuccess: a Callback step succeeds with its outputs."""
    return {"PipelineExecutionArn": _answer_callback(world, request, None).arn}


def send_pipeline_execution_step_failure(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """SendPipelineExecutionStepFailure: a Callback step fails with the reason given."""
    failure = request.get("FailureReason") or ""
    return {"PipelineExecutionArn": _answer_callback(world, request, failure).arn}
