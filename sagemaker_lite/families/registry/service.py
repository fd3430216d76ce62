"""The model registry: model package groups and model packages.

A group holds *versioned* packages: CreateModelPackage with a
``ModelPackageGroupName`` gives the group's next version (1, 2, ... never
reused), ARN ``model-package/<group>/<version>``.  A package created with a
``ModelPackageName`` instead is *unversioned*, outside any group (ARN
``model-package/<name>``).  Both kinds of resource are stored as jobs of the
world (``model-package-group``, ``model-package``), so tags, snapshots and
sorted listings work as for every other kind; their status moves Pending ->
InProgress -> Completed on the virtual clock (``engine/lifecycle.py``).

``Search`` over groups and packages lives in ``families/search``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sagemaker_lite.contract import messages
from sagemaker_lite.contract.copying import fresh
from sagemaker_lite.contract.errors import ApiError, validation_error
from sagemaker_lite.engine.jobs import Job, new_job
from sagemaker_lite.engine.lifecycle import MODEL_PACKAGE, MODEL_PACKAGE_GROUP
from sagemaker_lite.engine.world import World
from sagemaker_lite.families.shared.service import (
    drop_none,
    echoed_members,
    find_model_package,
    list_jobs,
    lister,
    pop_tags,
    timestamp,
)

GROUP = MODEL_PACKAGE_GROUP.kind
PACKAGE = MODEL_PACKAGE.kind
#: Seconds a new group or package spends Pending, then InProgress, before Completed.
PENDING_SECONDS = 1.0
IN_PROGRESS_SECONDS = 2.0
#: Both List operations' default order, as their member docs give it (docs/fidelity.md).
DEFAULT_SORT = ("CreationTime", "Ascending")
#: What a describe answers back from the stored request (ApprovalDescription is set by
#: UpdateModelPackage only; the names are answered by ``_identity``).
_ECHOED = tuple(
    member
    for member in (*echoed_members("CreateModelPackage", "DescribeModelPackage"),
                   "ApprovalDescription")
    if member not in ("ModelPackageName", "ModelPackageGroupName")
)  # fmt: skip


def on_event(world: World, job: Job, event: str, at: float) -> None:
    """Registry resources only change status: nothing else reacts."""


def _store(world: World, kind: str, name: str, arn: str, request: dict[str, Any]) -> Job:
    tags = pop_tags(request)
    job = new_job(
        kind,
        name,
        arn,
        request,
        world.emulator.now(),
        tags,
    )
    world.add(job)
    schedule = world.emulator.scheduler.schedule
    schedule(job, "start", job.created + PENDING_SECONDS)
    schedule(job, "complete", job.created + PENDING_SECONDS + IN_PROGRESS_SECONDS)
    return job


def _resource_name(name_or_arn: str) -> str:
    """The name part of a name or an ARN (``arn:...:model-package-group/NAME``)."""
    return name_or_arn.split("/", 1)[1] if name_or_arn.startswith("arn:") else name_or_arn


# --- groups ---------------------------------------------------------------------------


def find_group(world: World, name_or_arn: str) -> Job:
    """The group named (or whose ARN is) ``name_or_arn``, or AWS's ValidationException."""
    name = _resource_name(name_or_arn)
    group = world.get(GROUP, name)
    if group is None:
        raise validation_error(messages.model_package_group_not_found(world.arn(GROUP, name)))
    return group


def create_model_package_group(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """CreateModelPackageGroup."""
    name = request["ModelPackageGroupName"]
    arn = world.arn(GROUP, name)
    if world.get(GROUP, name) is not None:
        raise validation_error(messages.model_package_group_exists(arn))
    group = _store(world, GROUP, name, arn, request)
    group.data.update(next_version=1, live=0)  # versions given, versions not deleted
    return {"ModelPackageGroupArn": group.arn}


def _group_summary(group: Job) -> dict[str, Any]:
    request = group.request
    return drop_none(
        {
            "ModelPackageGroupName": group.name,
            "ModelPackageGroupArn": group.arn,
            "ModelPackageGroupDescription": request.get("ModelPackageGroupDescription"),
            "CreationTime": timestamp(group.created),
            "ModelPackageGroupStatus": group.status,
        }
    )


def _group_description(group: Job) -> dict[str, Any]:
    response = _group_summary(group)
    response["CreatedBy"] = {}
    return response


def describe_model_package_group(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeModelPackageGroup (by name or ARN)."""
    group = find_group(world, request["ModelPackageGroupName"])
    response = _group_description(group)
    world.emulator.polled(group)
    return response


list_model_package_groups = lister(
    GROUP,
    "ModelPackageGroupSummaryList",
    _group_summary,
    default_sort=DEFAULT_SORT,
    doc="ListModelPackageGroups: name and creation-time filters, sorting, paging.",
)


def delete_model_package_group(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteModelPackageGroup: only an empty group (its versions deleted first)."""
    group = find_group(world, request["ModelPackageGroupName"])
    if group.data["live"]:
        raise ApiError("ConflictException", messages.model_package_group_not_empty(group.arn))
    world.remove(group)
    return {}


# --- packages -------------------------------------------------------------------------


def create_model_package(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """CreateModelPackage: a group's next version, or an unversioned package."""
    name, group_name = request.get("ModelPackageName"), request.get("ModelPackageGroupName")
    if name is not None and group_name is not None:
        raise validation_error(messages.PACKAGE_NAME_AND_GROUP)
    if group_name is not None:
        group = find_group(world, group_name)
        version = group.data["next_version"]
        key = f"{group.name}/{version}"
        package = _store(world, PACKAGE, key, world.arn(PACKAGE, key), request)
        group.data["next_version"] = version + 1
        group.data["live"] += 1
        package.data.update(group=group.name, version=version)
    elif name is not None:
        arn = world.arn(PACKAGE, name)
        if world.get(PACKAGE, name) is not None:
            raise validation_error(messages.model_package_exists(arn))
        package = _store(world, PACKAGE, name, arn, request)
    else:
        raise validation_error(messages.PACKAGE_NAME_OR_GROUP_MISSING)
    return {"ModelPackageArn": package.arn}


def _approval(package: Job) -> str | None:
    """Versioned packages always have an approval status (PendingManualApproval unless
    given); unversioned ones only when given."""
    given = package.request.get("ModelApprovalStatus")
    if given is None and "group" in package.data:
        return "PendingManualApproval"
    return given


def _identity(package: Job) -> dict[str, Any]:
    group = package.data.get("group")
    if group is None:
        return {"ModelPackageName": package.name}
    return {
        "ModelPackageName": group,
        "ModelPackageGroupName": group,
        "ModelPackageVersion": package.data["version"],
    }


def describe(package: Job) -> dict[str, Any]:
    """The DescribeModelPackage answer for ``package``."""
    request = package.request
    response: dict[str, Any] = _identity(package)
    for member in _ECHOED:
        if member in request:
            response[member] = fresh(request[member])
    response.update(
        ModelPackageArn=package.arn,
        CreationTime=timestamp(package.created),
        ModelPackageStatus=package.status,
        ModelPackageStatusDetails={"ValidationStatuses": [], "ImageScanStatuses": []},
        ModelApprovalStatus=_approval(package),
        CreatedBy={},
    )
    if "updated" in package.data:
        response["LastModifiedTime"] = timestamp(package.data["updated"])
        response["LastModifiedBy"] = {}
    return drop_none(response)


def describe_model_package(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeModelPackage (by unversioned name, or any package's ARN)."""
    package = find_model_package(world, request["ModelPackageName"])
    response = describe(package)
    world.emulator.polled(package)
    return response


def _package_summary(package: Job) -> dict[str, Any]:
    """A ModelPackageSummary: versioned packages list no ModelPackageName (as on AWS,
    aws/sagemaker-python-sdk#5606)."""
    identity = _identity(package)
    if "ModelPackageGroupName" in identity:
        del identity["ModelPackageName"]
    request = package.request
    return drop_none(
        {
            **identity,
            "ModelPackageArn": package.arn,
            "ModelPackageDescription": request.get("ModelPackageDescription"),
            "CreationTime": timestamp(package.created),
            "ModelPackageStatus": package.status,
            "ModelApprovalStatus": _approval(package),
            "ModelLifeCycle": fresh(request.get("ModelLifeCycle")),
            "ModelPackageRegistrationType": request.get("ModelPackageRegistrationType"),
        }
    )


def list_model_packages(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """ListModelPackages: one group's versions, or by type (Unversioned by default, as
    the API reference says), with the shared filters, sorting and paging."""
    group_name = request.get("ModelPackageGroupName")
    extra: dict[str, Callable[[Job, Any], bool]] = {
        "ModelApprovalStatus": lambda job, status: _approval(job) == status,
    }
    if group_name is not None:
        group = _resource_name(group_name).lower()
        extra["ModelPackageGroupName"] = lambda job, _: (
            (job.data.get("group") or "").lower() == (group)
        )
    else:
        wanted = request.get("ModelPackageType") or "Unversioned"
        versioned = {"Versioned": (True,), "Unversioned": (False,), "Both": (True, False)}[wanted]
        extra["ModelPackageType"] = lambda job, _: ("group" in job.data) in versioned
        request = {**request, "ModelPackageType": wanted}
    return list_jobs(
        world.index(PACKAGE),
        request,
        result_key="ModelPackageSummaryList",
        summary=_package_summary,
        extra_filters=extra,
        default_sort=DEFAULT_SORT,
    )


#: UpdateModelPackage members that replace the stored value.
_REPLACED = (
    "ModelApprovalStatus",
    "ApprovalDescription",
    "InferenceSpecification",
    "SourceUri",
    "ModelCard",
    "ModelLifeCycle",
    "ModelPackageRegistrationType",
)


def update_model_package(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """UpdateModelPackage: approval, metadata (merged, keys removed), inference
    specifications (replaced, or additional ones appended) and the rest AWS allows."""
    package = find_model_package(world, request["ModelPackageArn"])
    stored = dict(package.request)
    for member in _REPLACED:
        if member in request:
            stored[member] = request[member]
    metadata = dict(stored.get("CustomerMetadataProperties") or {})
    metadata.update(request.get("CustomerMetadataProperties") or {})
    for key in request.get("CustomerMetadataPropertiesToRemove") or ():
        metadata.pop(key, None)
    if metadata:
        stored["CustomerMetadataProperties"] = metadata
    else:
        stored.pop("CustomerMetadataProperties", None)
    added = request.get("AdditionalInferenceSpecificationsToAdd")
    if added:
        stored["AdditionalInferenceSpecifications"] = [
            *(stored.get("AdditionalInferenceSpecifications") or ()),
            *added,
        ]
    package.request = stored
    package.data["updated"] = world.emulator.now()
    return {"ModelPackageArn": package.arn}


def delete_model_package(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteModelPackage: the package goes at once (its version is never given again)."""
    package = find_model_package(world, request["ModelPackageName"])
    world.remove(package)
    group = world.get(GROUP, package.data.get("group") or "")
    if group is not None:
        group.data["live"] -= 1
    return {}


def batch_describe_model_package(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """BatchDescribeModelPackage: a summary per versioned package found, an error entry
    per ARN that names none."""
    found: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for arn in request["ModelPackageArnList"]:
        package = world.by_arn.get(arn)
        if package is None or package.kind != PACKAGE or "group" not in package.data:
            errors[arn] = {
                "ErrorCode": "ValidationException",
                "ErrorResponse": messages.model_package_not_found(arn),
            }
            continue
        summary = _package_summary(package)
        summary.pop("ModelLifeCycle", None)  # not a member of the batch summary
        summary["InferenceSpecification"] = fresh(package.request.get("InferenceSpecification"))
        found[arn] = drop_none(summary)
    return {"ModelPackageSummaries": found, "BatchDescribeModelPackageErrorMap": errors}
