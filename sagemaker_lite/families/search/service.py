"""Search, over the resource types the SageMaker SDK's register path reads.

``estimator.register()`` searches ``TrainingJob`` by
``ModelArtifacts.S3ModelArtifacts`` (to fill a model card) and
``Session.create_model_package_from_containers`` searches ``ModelPackageGroup``
by name; so ``TrainingJob``, ``ModelPackageGroup`` and ``ModelPackage`` are
served, with top-level ``Filters`` (dotted names reach nested members) joined
by ``SearchExpression.Operator``.  ``NestedFilters`` and ``SubExpressions`` are
not (docs/pipelines.md, "Search").  A record is what the resource's Describe
answers (through the same handler a client calls, so the two never disagree),
cut to the members of its ``SearchRecord`` shape, plus ``Tags``.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from sagemaker_lite.contract import messages, spec
from sagemaker_lite.engine.jobs import Job
from sagemaker_lite.engine.world import World
from sagemaker_lite.families.shared.service import page

#: Resource -> (job kind, describe operation, request member naming the job, how).
_SEARCHABLE: dict[str, tuple[str, str, str, Callable[[Job], str]]] = {
    "TrainingJob": ("training-job", "DescribeTrainingJob", "TrainingJobName", lambda j: j.name),
    "ModelPackageGroup": (
        "model-package-group",
        "DescribeModelPackageGroup",
        "ModelPackageGroupName",
        lambda j: j.name,
    ),
    "ModelPackage": ("model-package", "DescribeModelPackage", "ModelPackageName", lambda j: j.arn),
}
_DEFAULT_MAX = 10
_COMPARE: dict[str, Callable[[Any, str], bool]] = {
    "Equals": operator.eq,
    "NotEquals": operator.ne,
    "GreaterThan": operator.gt,
    "GreaterThanOrEqualTo": operator.ge,
    "LessThan": operator.lt,
    "LessThanOrEqualTo": operator.le,
    "Contains": lambda have, want: want in have,
    "In": lambda have, want: have in want.split(","),
}


def _lookup(record: dict[str, Any], name: str) -> Any:
    """The value a filter ``Name`` (dotted for nested members) names in ``record``."""
    value: Any = record
    for part in name.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _holds(record: dict[str, Any], test: dict[str, Any]) -> bool:
    """Whether one Filter (``Name``, ``Operator``, ``Value``) holds for ``record``."""
    have = _lookup(record, test["Name"])
    op = test.get("Operator") or "Equals"
    if op in ("Exists", "NotExists"):
        return (have is not None) == (op == "Exists")
    if have is None or isinstance(have, (dict, list)):
        return False
    return _COMPARE[op](have if isinstance(have, str) else str(have), test.get("Value", ""))


def search(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """Search: the records of one resource type the filters select, newest first
    (``SortOrder`` Ascending: oldest first), paged."""
    resource = request["Resource"]
    if resource not in _SEARCHABLE:
        raise NotImplementedError(messages.search_resource_not_emulated(resource))
    kind, describe, member, key = _SEARCHABLE[resource]
    members = [name for name, _ in spec.shape(resource)["members"]]
    expression = request.get("SearchExpression") or {}
    filters = expression.get("Filters") or []
    combine = any if expression.get("Operator") == "Or" else all
    hits: list[tuple[int, dict[str, Any]]] = []
    for job in list(world.table(kind).values()):
        answer = world.emulator.read(world, describe, {member: key(job)})
        record = {name: answer[name] for name in members if name in answer}
        if "Tags" in members:
            record["Tags"] = [{"Key": k, "Value": v} for k, v in job.tags.items()]
        if not filters or combine(_holds(record, test) for test in filters):
            hits.append((job.seq, record))
    hits.sort(key=lambda hit: hit[0], reverse=request.get("SortOrder") != "Ascending")
    records, token = page([record for _, record in hits], request, _DEFAULT_MAX)
    response: dict[str, Any] = {"Results": [{resource: record} for record in records]}
    if token is not None:
        response["NextToken"] = token
    return response
