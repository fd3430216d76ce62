"""AddTags, ListTags, DeleteTags on the ARNs of any job kind."""

from __future__ import annotations

from typing import Any

from sagemaker_lite.contract import messages
from sagemaker_lite.contract.errors import ApiError, validation_error
from sagemaker_lite.engine.jobs import Job
from sagemaker_lite.engine.world import World
from sagemaker_lite.families.shared.service import page

_LIST_TAGS_DEFAULT_MAX = 50


def _tagged(world: World, arn: str) -> Job:
    job = world.by_arn.get(arn)
    if job is None:
        raise validation_error(messages.TAGGED_RESOURCE_NOT_FOUND)
    return job


def add_tags(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """AddTags: add or overwrite; a resource keeps at most 50 tags."""
    job = _tagged(world, request["ResourceArn"])
    merged = {**job.tags, **{tag["Key"]: tag["Value"] for tag in request["Tags"]}}
    if len(merged) > messages.MAX_TAGS_PER_RESOURCE:
        raise ApiError("ValidationException", messages.too_many_tags(job.arn))
    job.tags = merged
    return {"Tags": [{"Key": tag["Key"], "Value": tag["Value"]} for tag in request["Tags"]]}


def list_tags(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """ListTags, paged."""
    job = _tagged(world, request["ResourceArn"])
    tags, token = page(list(job.tags.items()), request, _LIST_TAGS_DEFAULT_MAX)
    response: dict[str, Any] = {"Tags": [{"Key": k, "Value": v} for k, v in tags]}
    if token is not None:
        response["NextToken"] = token
    return response


def delete_tags(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteTags: keys that are not there are ignored, as on AWS."""
    job = _tagged(world, request["ResourceArn"])
    for key in request["TagKeys"]:
        job.tags.pop(key, None)
    return {}
