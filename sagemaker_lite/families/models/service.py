"""Models: create, describe, list, delete.

A model is a resource, not a job: it has no status, only its containers
(image and model data, from the request) and role.  A training job's
``ModelArtifacts.S3ModelArtifacts`` is what the SageMaker SDK sends as a
container's ``ModelDataUrl``; batch transform jobs name a model that must exist.
"""

from __future__ import annotations

from typing import Any

from sagemaker_lite.contract import messages
from sagemaker_lite.contract.copying import fresh
from sagemaker_lite.contract.errors import validation_error
from sagemaker_lite.engine.jobs import Job, new_job
from sagemaker_lite.engine.lifecycle import MODEL
from sagemaker_lite.engine.world import World
from sagemaker_lite.families.shared import artifacts
from sagemaker_lite.families.shared.service import (
    drop_none,
    echoed_members,
    find_model,
    find_model_package,
    lister,
    pop_tags,
    timestamp,
)

KIND = MODEL.kind
#: ListModels's default order, as its member docs give it (docs/fidelity.md).
DEFAULT_SORT = ("CreationTime", "Descending")
_ECHOED = echoed_members("CreateModel", "DescribeModel")
#: Members AWS always answers, with the value they default to.
_DEFAULTS = {"EnableNetworkIsolation": False}


def create_model(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """CreateModel."""
    name = request["ModelName"]
    arn = world.arn(KIND, name)
    if world.get(KIND, name) is not None:
        raise validation_error(messages.model_exists(arn))
    containers = [request.get("PrimaryContainer") or {}, *(request.get("Containers") or ())]
    for container in containers:
        if "ModelPackageName" in container:  # a model from the registry: it must exist
            find_model_package(world, container["ModelPackageName"])
    missing = artifacts.inputs_missing(world, model_data_uris(containers))
    if missing is not None:  # looked up only when S3 is served in the process
        raise validation_error(messages.model_data_missing(missing))
    tags = pop_tags(request)
    job = new_job(
        KIND,
        name,
        arn,
        request,
        world.emulator.now(),
        tags,
    )
    world.add(job)
    return {"ModelArn": job.arn}


def model_data_uris(containers: list[dict[str, Any]]) -> list[str]:
    """The S3 model data of ``containers``: each ``ModelDataUrl`` and
    ``ModelDataSource.S3DataSource.S3Uri`` naming S3 (not an https:// URL)."""
    uris = []
    for container in containers:
        source = (container.get("ModelDataSource") or {}).get("S3DataSource") or {}
        for uri in (container.get("ModelDataUrl"), source.get("S3Uri")):
            if isinstance(uri, str) and uri.startswith("s3://"):
                uris.append(uri)
    return uris


def describe_model(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeModel."""
    model = find_model(world, request["ModelName"])
    response: dict[str, Any] = {"ModelName": model.name}
    for member in _ECHOED:
        if member in model.request:
            response[member] = fresh(model.request[member])
        elif member in _DEFAULTS:
            response[member] = _DEFAULTS[member]
    response["CreationTime"] = timestamp(model.created)
    response["ModelArn"] = model.arn
    return drop_none(response)


def summary(model: Job) -> dict[str, Any]:
    """A ModelSummary."""
    return {
        "ModelName": model.name,
        "ModelArn": model.arn,
        "CreationTime": timestamp(model.created),
    }


list_models = lister(
    KIND,
    "Models",
    summary,
    default_sort=DEFAULT_SORT,
    doc="ListModels: name and creation-time filters, sorting, paging.",
)


def delete_model(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteModel: the model goes at once (transform jobs already running keep theirs)."""
    world.remove(find_model(world, request["ModelName"]))
    return {}
