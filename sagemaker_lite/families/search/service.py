"""Search, over every resource type the emulator holds.

``estimator.register()`` searches ``TrainingJob`` by
``ModelArtifacts.S3ModelArtifacts`` (to fill a model card) and
``Session.create_model_package_from_containers`` searches ``ModelPackageGroup``
by name.  A record is what the resource's Describe answers (through the same
handler a client calls, so the two never disagree), cut to the members of its
``SearchRecord`` shape, plus ``Tags``.  ``Filters``, ``NestedFilters`` and
``SubExpressions`` are joined by ``SearchExpression.Operator``.  Resource types
nothing in the emulator creates (experiments, feature groups, projects, ...)
answer no records, as an account holding none of them does.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable
from typing import Any

import attrs

from sagemaker_lite.contract import spec
from sagemaker_lite.engine import lifecycle
from sagemaker_lite.engine.jobs import Job
from sagemaker_lite.engine.world import World
from sagemaker_lite.families.shared.service import page


@attrs.frozen
class _Searchable:
    """How one resource type is read: its job kind, Describe call and key member."""

    kind: str
    describe: str
    member: str
    by_arn: bool = False
    #: The record's member that holds the Describe answer (``Model`` for a
    #: ``ModelDashboardModel``); empty: the record is the answer itself.
    inner: str = ""

    def key(self, job: Job) -> str:
        return job.arn if self.by_arn else job.name


_SEARCHABLE: dict[str, _Searchable] = {
    "TrainingJob": _Searchable(lifecycle.TRAINING.kind, "DescribeTrainingJob", "TrainingJobName"),
    "HyperParameterTuningJob": _Searchable(
        lifecycle.TUNING.kind, "DescribeHyperParameterTuningJob", "HyperParameterTuningJobName"
    ),
    "Endpoint": _Searchable(lifecycle.ENDPOINT.kind, "DescribeEndpoint", "EndpointName"),
    "Model": _Searchable(lifecycle.MODEL.kind, "DescribeModel", "ModelName", inner="Model"),
    "ModelPackageGroup": _Searchable(
        lifecycle.MODEL_PACKAGE_GROUP.kind, "DescribeModelPackageGroup", "ModelPackageGroupName"
    ),
    "ModelPackage": _Searchable(
        lifecycle.MODEL_PACKAGE.kind, "DescribeModelPackage", "ModelPackageName", by_arn=True
    ),
    "Pipeline": _Searchable(lifecycle.PIPELINE.kind, "DescribePipeline", "PipelineName"),
    "PipelineExecution": _Searchable(
        lifecycle.PIPELINE_EXECUTION.kind,
        "DescribePipelineExecution",
        "PipelineExecutionArn",
        by_arn=True,
    ),
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


def _nested_holds(record: dict[str, Any], nested: dict[str, Any]) -> bool:
    """Whether one element of the list ``NestedPropertyName`` names meets every filter
    (their names are dotted from the record's top, ``Metrics.MetricName``)."""
    path = nested["NestedPropertyName"]
    elements = _lookup(record, path)
    if not isinstance(elements, list):
        return False
    for element in elements:
        scope: dict[str, Any] = element
        for part in reversed(path.split(".")):
            scope = {part: scope}
        if all(_holds(scope, test) for test in nested["Filters"]):
            return True
    return False


def _matches(record: dict[str, Any], expression: dict[str, Any]) -> bool:
    """Whether ``record`` meets a SearchExpression: its filters, nested filters and
    sub-expressions, joined by ``Operator`` (``And`` unless ``Or``)."""
    filters = expression.get("Filters") or []
    nested = expression.get("NestedFilters") or []
    subs = expression.get("SubExpressions") or []
    if not (filters or nested or subs):
        return True
    outcomes = itertools.chain(
        (_holds(record, test) for test in filters),
        (_nested_holds(record, each) for each in nested),
        (_matches(record, sub) for sub in subs),
    )
    return any(outcomes) if expression.get("Operator") == "Or" else all(outcomes)


def _record(world: World, how: _Searchable, job: Job, members: list[str]) -> dict[str, Any]:
    answer = world.emulator.read(world, how.describe, {how.member: how.key(job)})
    record = {name: answer[name] for name in members if name in answer}
    if "Tags" in members:
        record["Tags"] = [{"Key": k, "Value": v} for k, v in job.tags.items()]
    return record


def search(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """Search: the records of one resource type the expression selects, newest first
    (``SortOrder`` Ascending: oldest first), paged."""
    resource = request["Resource"]
    how = _SEARCHABLE.get(resource)
    expression = request.get("SearchExpression") or {}
    hits: list[tuple[int, dict[str, Any]]] = []
    if how is not None:
        shape = dict(spec.shape("SearchRecord")["members"])[resource]
        members = [name for name, _ in spec.shape(shape)["members"]]
        if how.inner:  # the Describe answer is one member of the record
            members = [name for name, _ in spec.shape(how.inner)["members"]]
        for job in list(world.table(how.kind).values()):
            record = _record(world, how, job, members)
            if how.inner:
                record = {how.inner: record}
            if _matches(record, expression):
                hits.append((job.seq, record))
    hits.sort(key=lambda hit: hit[0], reverse=request.get("SortOrder") != "Ascending")
    records, token = page([record for _, record in hits], request, _DEFAULT_MAX)
    response: dict[str, Any] = {"Results": [{resource: record} for record in records]}
    if token is not None:
        response["NextToken"] = token
    return response
