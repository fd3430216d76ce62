"""Batch transform jobs: create, describe, list, stop (the run itself: :mod:`.batch`)."""

from __future__ import annotations

from typing import Any

from sagemaker_lite.contract.copying import fresh
from sagemaker_lite.engine.jobs import Job
from sagemaker_lite.engine.lifecycle import TRANSFORM
from sagemaker_lite.engine.world import World
from sagemaker_lite.families.shared import artifacts, batch, inference
from sagemaker_lite.families.shared.service import (
    drop_none,
    echoed_members,
    find_model,
    lister,
    timestamp,
)
from sagemaker_lite.families.transform import rules as rules

KIND = TRANSFORM.kind
#: ListTransformJobs's default order, as its member docs give it (docs/fidelity.md).
DEFAULT_SORT = ("CreationTime", "Descending")
_ECHOED = echoed_members("CreateTransformJob", "DescribeTransformJob")
# What AWS answers where a request leaves a member out: the API reference's
# stated defaults (docs/fidelity.md).  MaxConcurrentTransforms and MaxPayloadInMB
# are not answered when not sent (the job still runs with 1 and 6).
_DEFAULTS: dict[str, Any] = {
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
    model = find_model(world, request["ModelName"])
    source = request["TransformInput"]["DataSource"].get("S3DataSource")
    # An S3Prefix is looked up now (a manifest as the job reads its data, on_event); the
    # message names the role the job runs as: the model's.
    if source is not None and source.get("S3DataType") not in artifacts.MANIFEST_TYPES:
        role = model.request.get("ExecutionRoleArn")
        artifacts.check_inputs(world, role, [source["S3Uri"]])
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
    # AWS answers "" for a key never given, as for a training job's OutputDataConfig.
    response["TransformOutput"].setdefault("KmsKeyId", "")
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


list_transform_jobs = lister(
    KIND,
    "TransformJobSummaries",
    summary,
    default_sort=DEFAULT_SORT,
    doc="ListTransformJobs: name/time/status filters, sorting, paging.",
)


def stop_transform_job(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """StopTransformJob: Stopping now, Stopped a little later."""
    batch.stop(world, batch.find(world, KIND, request["TransformJobName"]), "transform job")
    return {}


# --- S3 outputs (with S3 served in the process) -------------------------------------------

#: What AWS shows for a transform whose model answered an error (docs/fidelity.md).
_MODEL_ERROR_REASON = "ClientError: See job logs for more information"


def on_event(world: World, job: Job, event: str, at: float) -> None:
    """React to a transition: the shared run's reaction; with S3 served, the inputs are
    read and transformed by the model's script when the work starts (a missing manifest
    or object it lists fails the job then; a model error when its work would have ended)
    and the ``.out`` objects written on completion."""
    batch.on_event(world, job, event, at)
    store = world.emulator.artifacts
    if store is None:
        return
    if event == "start":
        source = job.request["TransformInput"]["DataSource"].get("S3DataSource")
        if source is not None and artifacts.read_manifests(world, job, [(None, source)], at):
            return
        try:
            outputs = _transform(world, job)
        except (inference.ModelFailure, inference.TransformFailure):
            job.generation += 1  # the planned completion never happens
            job.data["plan"] = {**job.data["plan"], "reason": _MODEL_ERROR_REASON}
            ended = at + job.data["plan"]["durations"]["Transforming"]
            world.emulator.scheduler.schedule(job, "fail", ended)
            return
        if outputs:
            job.data["outputs"] = outputs
    elif event == "complete":
        for uri, body in sorted((job.data.pop("outputs", None) or {}).items()):
            store.put(uri, body, world.region)


def _inputs(world: World, source: dict[str, Any]) -> tuple[str, list[str]] | None:
    """``(prefix, keys)``: the input objects' keys and the prefix their outputs are named
    relative to.  An S3Prefix input: the objects under its S3Uri; a ManifestFile: the
    objects it lists, relative to its prefix (the listed objects are the inputs).  None
    for anything else (an AugmentedManifestFile, which the API reference calls not
    compatible with batch transform, lists no objects to transform)."""
    store = world.emulator.artifacts
    kind = source.get("S3DataType", "S3Prefix")
    if store is None or kind not in ("S3Prefix", "ManifestFile"):
        return None
    if kind == "S3Prefix":
        prefix = source["S3Uri"]
        keys = store.keys(prefix, world.region)
    else:
        listing = artifacts.manifest_listing(world, source)
        if listing is None:
            return None
        prefix, uris = listing
        keys = [artifacts.split_uri(uri)[1] for uri in uris]
    return (prefix, keys) if keys else None


def _transform(world: World, job: Job) -> dict[str, bytes] | None:
    """``{.out uri: body}`` for every input object, by the model's script."""
    store = world.emulator.artifacts
    request = job.request
    transform_input = request["TransformInput"]
    source = transform_input["DataSource"].get("S3DataSource") or {}
    model = world.get("model", request["ModelName"])
    inputs = _inputs(world, source)
    if store is None or model is None or inputs is None:
        return None
    prefix, keys = inputs
    output = request["TransformOutput"]
    processing = request.get("DataProcessing") or {}
    bucket, key_prefix = artifacts.split_uri(prefix)
    base = output["S3OutputPath"].rstrip("/")
    # Keys relative to the input prefix's folder keep their sub-folders, as AWS writes them.
    folder = key_prefix.rpartition("/")[0]
    outputs = {}
    for key in keys:
        data = store.get(f"s3://{bucket}/{key}", world.region)
        if data is None:
            continue
        relative = key[len(folder) + 1 :] if folder else key
        outputs[f"{base}/{relative}.out"] = inference.transform_object(
            world.emulator.behaviour.models,
            model.request,
            data,
            content_type=transform_input.get("ContentType"),
            accept=output.get("Accept"),
            split_type=transform_input.get("SplitType", "None"),
            batch_strategy=request.get("BatchStrategy"),
            assemble_with=output.get("AssembleWith", "None"),
            join_source=processing.get("JoinSource", "None"),
            input_filter=processing.get("InputFilter", "$"),
            output_filter=processing.get("OutputFilter", "$"),
            max_payload_mb=int(request.get("MaxPayloadInMB") or rules.DEFAULT_MAX_PAYLOAD_MB),
        )
    return outputs
