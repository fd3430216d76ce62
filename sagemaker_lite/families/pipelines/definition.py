"""A pipeline definition: read and checked once, then a graph of steps.

The definition is the JSON the SageMaker SDK sends (``pipeline.definition()``):
``Parameters``, ``Steps`` (a Condition step's ``IfSteps``/``ElseSteps`` nest
more steps), optional ``PipelineExperimentConfig``.  :func:`parse` answers
AWS's ValidationException for what the service refuses at create time and
returns a :class:`Graph`: every step by name (nested ones too), what each
depends on (``DependsOn``, every ``Get: Steps.X...`` in it, and the Condition
whose branch holds it) and the branch it needs.  Graphs are cached by text:
an execution re-reads its definition on every step of the interpreter.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from typing import Any

import attrs

from sagemaker_lite.contract import messages, spec
from sagemaker_lite.contract.errors import validation_error

#: Step types that start a job, with the create operation their Arguments are a
#: request of, and the request member the service names (left out of Arguments).
JOB_STEP_REQUESTS: dict[str, tuple[str, str | None]] = {
    "Training": ("CreateTrainingJob", "TrainingJobName"),
    "Processing": ("CreateProcessingJob", "ProcessingJobName"),
    "Transform": ("CreateTransformJob", "TransformJobName"),
    "Tuning": ("CreateHyperParameterTuningJob", "HyperParameterTuningJobName"),
    "Model": ("CreateModel", "ModelName"),
    "RegisterModel": ("CreateModelPackage", "ModelPackageName"),
    "QualityCheck": ("CreateProcessingJob", "ProcessingJobName"),
    "ClarifyCheck": ("CreateProcessingJob", "ProcessingJobName"),
}
#: Step types run without a job; and those the emulator knows but cannot run.
OTHER_STEP_TYPES = frozenset({"Condition", "Fail", "Callback", "Lambda"})
NOT_RUN_STEP_TYPES = frozenset({"EMR", "AutoML", "NotebookJob", "EMRServerless"})
STEP_TYPES = frozenset(JOB_STEP_REQUESTS) | OTHER_STEP_TYPES | NOT_RUN_STEP_TYPES
#: Keys of a JSON object that make it an expression rather than data.
EXPRESSIONS = frozenset({"Get", "Std:Join", "Std:JsonGet"})
_STEP_REFERENCE = re.compile(r"Steps\.([A-Za-z0-9\-_]+)")


@attrs.frozen
class Graph:
    """A checked definition: steps by name, top-level order, dependencies, branches."""

    document: dict[str, Any]
    steps: dict[str, dict[str, Any]]
    order: tuple[str, ...]
    depends: dict[str, frozenset[str]]
    #: nested step -> (Condition step, outcome that runs it: True for IfSteps)
    branch: dict[str, tuple[str, bool]]

    def parameters(self) -> list[dict[str, Any]]:
        """The definition's Parameters."""
        found: list[dict[str, Any]] = self.document.get("Parameters") or []
        return found


def _invalid(detail: str) -> Exception:
    return validation_error(messages.pipeline_definition_invalid(detail))


def references(value: Any) -> Iterator[str]:
    """The names of the steps ``value`` (any JSON) reads through ``Get``."""
    if isinstance(value, dict):
        get = value.get("Get")
        if isinstance(get, str):
            match = _STEP_REFERENCE.match(get)
            if match:
                yield match.group(1)
        for item in value.values():
            yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def _check_enums(value: Any, shape_name: str) -> None:
    """Literal values of ``value`` against the enums of ``shape_name``'s members."""
    shape = spec.shape(shape_name)
    kind = shape["type"]
    if isinstance(value, dict) and EXPRESSIONS & value.keys():
        return  # resolved at run time
    if kind == "structure" and isinstance(value, dict):
        members = dict(shape.get("members", ()))
        for name, item in value.items():
            if name in members:
                _check_enums(item, members[name])
    elif kind == "list" and isinstance(value, list):
        for item in value:
            _check_enums(item, shape["member"])
    elif kind == "map" and isinstance(value, dict):
        for item in value.values():
            _check_enums(item, shape["value"])
    elif "enum" in shape and isinstance(value, str) and value not in shape["enum"]:
        raise _invalid(messages.enum_member_invalid(value, shape_name, shape["enum"]))


def _check_arguments(step: dict[str, Any]) -> None:
    operation, named = JOB_STEP_REQUESTS[step["Type"]]
    arguments = step.get("Arguments")
    if not isinstance(arguments, dict):
        raise _invalid(messages.EXPECTING_OBJECT)
    input_shape = spec.operation(operation)["input"]
    members = {name for name, _ in spec.shape(input_shape)["members"]} - {named}
    for member in arguments:
        if member not in members:
            raise _invalid(messages.unknown_argument_member(member))
    _check_enums(arguments, input_shape)


def _collect(
    steps: Any,
    graph_steps: dict[str, dict[str, Any]],
    branch: dict[str, tuple[str, bool]],
    parent: tuple[str, bool] | None,
) -> list[str]:
    if not isinstance(steps, list):
        raise _invalid(messages.EXPECTING_ARRAY)
    names = []
    for step in steps:
        if not isinstance(step, dict) or not isinstance(step.get("Name"), str):
            raise _invalid(messages.EXPECTING_OBJECT)
        name, kind = step["Name"], step.get("Type")
        if kind not in STEP_TYPES:
            raise _invalid(messages.unknown_step_type(str(kind)))
        if name in graph_steps:
            raise _invalid(messages.duplicate_step_name(name))
        if kind in JOB_STEP_REQUESTS:
            _check_arguments(step)
        graph_steps[name] = step
        names.append(name)
        if parent is not None:
            branch[name] = parent
        if kind == "Condition":
            arguments = step.get("Arguments") or {}
            _collect(arguments.get("IfSteps") or [], graph_steps, branch, (name, True))
            _collect(arguments.get("ElseSteps") or [], graph_steps, branch, (name, False))
    return names


@functools.lru_cache(maxsize=256)
def parse(text: str) -> Graph:
    """The graph of a definition, or the ValidationException AWS answers for it."""
    try:
        document = json.loads(text)
    except ValueError:
        raise _invalid(messages.EXPECTING_OBJECT) from None
    if not isinstance(document, dict):
        raise _invalid(messages.EXPECTING_OBJECT)
    parameters = document.get("Parameters") or []
    if not isinstance(parameters, list):
        raise _invalid(messages.EXPECTING_ARRAY)
    steps: dict[str, dict[str, Any]] = {}
    branch: dict[str, tuple[str, bool]] = {}
    order = _collect(document.get("Steps") or [], steps, branch, None)
    depends: dict[str, frozenset[str]] = {}
    for name, step in steps.items():
        needed = set(step.get("DependsOn") or ())
        body = {k: v for k, v in step.items() if k not in ("Name", "DependsOn")}
        if step["Type"] == "Condition":  # its branches' references are theirs, not its
            arguments = step.get("Arguments") or {}
            body = {"Conditions": arguments.get("Conditions")}
        needed.update(references(body))
        if name in branch:
            needed.add(branch[name][0])
        needed.discard(name)
        for other in needed:
            if other in steps and steps[other]["Type"] == "Fail":
                raise _invalid(messages.depends_on_fail_step(name, other))
        depends[name] = frozenset(n for n in needed if n in steps)
    return Graph(document, steps, tuple(order), depends, branch)
