"""Testing kit for pipelines: draw parameter sets, script what a step's job leaves.

* :func:`pipeline_parameters`: a Hypothesis strategy of overrides for a
  definition's ``Parameters`` (a dict the SDK's ``pipeline.start(parameters=...)``
  takes; ``as_request`` turns it into ``PipelineParameters``).
* :func:`script_step_output`: script the file a pipeline step's processing job
  leaves in one of its outputs (what a ``JsonGet`` over a ``PropertyFile`` reads).
* :func:`step_outcomes`: a strategy of what each job step does (:class:`StepOutcome`:
  attempts that fail, with which reason, then success; the files it leaves), and
  :func:`script_step_outcomes` / :class:`StepScripts` to script them.
* :func:`pipeline_definitions`: small definitions (job steps, DependsOn, retry
  policies, a Callback, a Condition routing to a Fail step) for state machines.

Guide: docs/testing.md ("Pipelines").
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import attrs
from hypothesis import strategies as st

from sagemaker_lite.engine.emulator import Engine
from sagemaker_lite.families.pipelines.definition import parse
from sagemaker_lite.families.pipelines.executor import step_fragment

__all__ = [
    "ALWAYS",
    "FAILURE_REASONS",
    "StepOutcome",
    "StepScripts",
    "as_request",
    "pipeline_definitions",
    "pipeline_parameters",
    "script_step_outcomes",
    "script_step_output",
    "scripted_steps",
    "step_outcomes",
]


def _value_strategy(parameter: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    """Values of a parameter's Type near its default (EnumValues when it has them)."""
    kind, default = parameter.get("Type", "String"), parameter.get("DefaultValue")
    if parameter.get("EnumValues"):
        return st.sampled_from(list(parameter["EnumValues"]))
    if kind == "Boolean":
        return st.booleans()
    if kind == "Integer":
        return st.integers(min_value=0, max_value=max(10, 2 * abs(int(default or 0))))
    if kind == "Float":
        start = float(default or 0.0)
        ceiling = 1.0 if 0.0 <= start <= 1.0 else 2 * abs(start) + 1.0
        return st.floats(min_value=0.0, max_value=ceiling, allow_nan=False)
    alphabet = st.characters(whitelist_categories=("Ll", "Lu", "Nd"))
    text = st.text(alphabet, min_size=1, max_size=16)
    return text if default is None else st.one_of(st.just(str(default)), text)


def pipeline_parameters(
    definition: str | Mapping[str, Any],
    overrides: Mapping[str, st.SearchStrategy[Any]] | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """Overrides for the ``Parameters`` of ``definition`` (its JSON text or document).

    Each parameter is left out (its default applies) or drawn as its Type says:
    Boolean, Integer and Float near the default, a String from its EnumValues or
    short text.  ``overrides`` gives a parameter a strategy of your own (an
    instance type from a list, a threshold in a range).  Parameters without a
    default are always drawn.
    """
    document = json.loads(definition) if isinstance(definition, str) else definition
    mine = dict(overrides or {})
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for parameter in document.get("Parameters") or ():
        name = parameter["Name"]
        strategy = mine[name] if name in mine else _value_strategy(parameter)
        (optional if "DefaultValue" in parameter else required)[name] = strategy
    return st.fixed_dictionaries(required, optional=optional)


def as_request(parameters: Mapping[str, Any]) -> list[dict[str, str]]:
    """``PipelineParameters`` for StartPipelineExecution, written as the SDK writes them."""
    return [{"Name": name, "Value": str(value)} for name, value in parameters.items()]


def script_step_output(
    emulator: Engine,
    step_name: str,
    output_name: str,
    path: str,
    content: str | bytes | Callable[[Mapping[str, str]], str | bytes],
) -> None:
    """Script the file ``path`` that the processing jobs of pipeline step ``step_name``
    leave in their output ``output_name`` (a ``PropertyFile``'s ``FilePath``).

    The jobs a step starts are named ``pipelines-<execution id>-<step>-<random>``;
    the match is on that name, so every execution's run of the step leaves it.
    """
    pattern = re.compile(
        rf"pipelines-[a-z0-9]{{12}}-{re.escape(step_fragment(step_name))}-[0-9a-f]{{10}}"
    )

    def match(request: Mapping[str, Any]) -> bool:
        return pattern.fullmatch(str(request.get("ProcessingJobName", ""))) is not None

    emulator.script_processing(match, outputs={output_name: {path: content}})


# --- scripted step outcomes -----------------------------------------------------------

#: Failure reasons a drawn outcome uses: one no RetryPolicy covers, and two that
#: ``SageMaker.JOB_INTERNAL_ERROR`` and ``SageMaker.CAPACITY_ERROR`` policies retry.
FAILURE_REASONS = (
    "AlgorithmError: scripted failure",
    "InternalServerError: scripted transient failure",
    "CapacityError: scripted: no capacity for the instance type",
)
#: ``StepOutcome.failures`` of a step that never succeeds, however often retried.
ALWAYS = 1_000_000
#: Step types whose outcome is scripted through the job they start, and its create's
#: name member and scripting method.
SCRIPTED_STEP_TYPES: dict[str, tuple[str, str]] = {
    "Training": ("TrainingJobName", "script_training"),
    "Processing": ("ProcessingJobName", "script_processing"),
    "QualityCheck": ("ProcessingJobName", "script_processing"),
    "ClarifyCheck": ("ProcessingJobName", "script_processing"),
    "Transform": ("TransformJobName", "script_transform"),
}
_STEP_JOB_NAME = re.compile(r"pipelines-([a-z0-9]{12})-(.+)-[0-9a-f]{10}")


@attrs.frozen
class StepOutcome:
    """What the job of one pipeline step does, attempt by attempt.

    The first ``failures`` attempts fail with ``failure_reason`` (a RetryPolicy
    covering it starts the next attempt; :data:`ALWAYS`: every attempt fails), then
    the job succeeds.  ``outputs`` (processing steps: ``{output name: {path:
    content}}``) are the files its jobs leave, what a ``JsonGet`` reads.
    """

    failures: int = 0
    failure_reason: str = FAILURE_REASONS[0]
    outputs: Mapping[str, Mapping[str, str | bytes]] | None = None

    def fails(self, attempt: int) -> bool:
        """Whether attempt number ``attempt`` (from 1) fails."""
        return attempt <= self.failures


Outcomes = Mapping[str, StepOutcome]


def scripted_steps(definition: str | Mapping[str, Any]) -> dict[str, str]:
    """The steps of ``definition`` (nested ones too) whose outcome can be scripted, by
    name, with their type."""
    text = definition if isinstance(definition, str) else json.dumps(definition)
    return {
        name: step["Type"]
        for name, step in parse(text).steps.items()
        if step["Type"] in SCRIPTED_STEP_TYPES
    }


def step_outcomes(
    definition: str | Mapping[str, Any],
    outputs: Mapping[str, st.SearchStrategy[Any]] | None = None,
    *,
    failing: bool = True,
) -> st.SearchStrategy[dict[str, StepOutcome]]:
    """Outcomes for the job steps of ``definition``: mostly success, now and then a
    failure (a lasting one, or a transient one a RetryPolicy may cover).

    ``outputs`` gives a processing step a strategy of the files its job leaves
    (``{output name: {path: content}}``); ``failing=False`` draws successes only.
    """
    mine = dict(outputs or {})
    failures = st.sampled_from((0, 0, 0, 1, 2, ALWAYS)) if failing else st.just(0)
    outcomes = {
        name: st.builds(
            StepOutcome,
            failures=failures,
            failure_reason=st.sampled_from(FAILURE_REASONS),
            outputs=mine.get(name, st.none()),
        )
        for name in scripted_steps(definition)
    }
    return st.fixed_dictionaries(outcomes)


class StepScripts:
    """Scripted step outcomes, execution by execution.

    :meth:`next` says what the steps of the executions started from now on do;
    :meth:`bind` ties an execution (by ARN) to the outcomes in force when it was
    started, so a later :meth:`next` changes nothing for it.  Executions never
    bound run with the outcomes in force when their first scripted job starts.
    Each outcome is scripted through the step's jobs (``script_training``,
    ``script_processing``, ``script_transform``), matched on the job names a
    pipeline gives (``pipelines-<execution id>-<step>-<random>``); attempts are
    counted per execution and step, so retries and RetryPipelineExecution see the
    next attempt's outcome.
    """

    def __init__(self, emulator: Engine) -> None:
        self.emulator = emulator
        self._pending: Outcomes = {}
        self._by_execution: dict[str, Outcomes] = {}
        self._attempts: dict[tuple[str, str], int] = {}
        #: job name -> (its execution's outcomes, its attempt number)
        self._jobs: dict[str, tuple[Outcomes, int]] = {}

    def next(self, outcomes: Outcomes) -> None:
        """The steps of executions started from now on end as ``outcomes`` say
        (steps not named succeed)."""
        outcomes = dict(outcomes)
        self._pending = outcomes
        for name, outcome in outcomes.items():
            self._script(name, outcome, outcomes)

    def bind(self, execution_arn: str) -> Outcomes:
        """Tie the execution ``execution_arn`` to the outcomes in force; answer them."""
        execution_id = execution_arn.rsplit("/", 1)[-1]
        return self._by_execution.setdefault(execution_id, self._pending)

    def outcomes_of(self, execution_arn: str) -> Outcomes:
        """The outcomes the execution runs with."""
        return self._by_execution.get(execution_arn.rsplit("/", 1)[-1], self._pending)

    def _job(self, job_name: str) -> tuple[Outcomes, int] | None:
        known = self._jobs.get(job_name)
        if known is not None:
            return known
        match = _STEP_JOB_NAME.fullmatch(job_name)
        if match is None:
            return None
        execution_id, fragment = match.groups()
        outcomes = self._by_execution.setdefault(execution_id, self._pending)
        attempt = self._attempts.get((execution_id, fragment), 0) + 1
        self._attempts[(execution_id, fragment)] = attempt
        self._jobs[job_name] = (outcomes, attempt)
        return outcomes, attempt

    def _script(self, step: str, outcome: StepOutcome, outcomes: Outcomes) -> None:
        fragment = step_fragment(step)
        kinds = {SCRIPTED_STEP_TYPES[t] for t in SCRIPTED_STEP_TYPES}

        def governs(request: Mapping[str, Any], member: str) -> tuple[bool, int]:
            name = str(request.get(member, ""))
            match = _STEP_JOB_NAME.fullmatch(name)
            if match is None or match.group(2) != fragment:
                return False, 0
            known = self._job(name)
            return (known is not None and known[0] is outcomes), (known or ({}, 0))[1]

        for member, method in sorted(kinds):

            def fails(request: Mapping[str, Any], member: str = member) -> bool:
                mine, attempt = governs(request, member)
                return mine and outcome.fails(attempt)

            script = getattr(self.emulator, method)
            if outcome.failures:
                script(fails, failure_reason=outcome.failure_reason)
            if outcome.outputs and method == "script_processing":
                script(lambda r, m=member: governs(r, m)[0], outputs=outcome.outputs)


def script_step_outcomes(emulator: Engine, outcomes: Outcomes) -> StepScripts:
    """Script every pipeline execution's job steps to end as ``outcomes`` say (see
    :class:`StepScripts` to give each execution its own)."""
    scripts = StepScripts(emulator)
    scripts.next(outcomes)
    return scripts


# --- drawn definitions ----------------------------------------------------------------

_ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com"
#: The parameters a drawn definition may declare, and a condition over each.
_PARAMETERS: tuple[tuple[dict[str, Any], dict[str, Any]], ...] = (
    (
        {"Name": "Epochs", "Type": "Integer", "DefaultValue": 3},
        {
            "Type": "GreaterThanOrEqualTo",
            "LeftValue": {"Get": "Parameters.Epochs"},
            "RightValue": 3,
        },
    ),
    (
        {"Name": "Threshold", "Type": "Float", "DefaultValue": 0.5},
        {"Type": "LessThan", "LeftValue": {"Get": "Parameters.Threshold"}, "RightValue": 0.7},
    ),
    (
        {"Name": "Mode", "Type": "String", "DefaultValue": "fast", "EnumValues": ["fast", "full"]},
        {"Type": "Equals", "LeftValue": {"Get": "Parameters.Mode"}, "RightValue": "fast"},
    ),
    (
        {"Name": "Approve", "Type": "Boolean", "DefaultValue": True},
        {"Type": "Equals", "LeftValue": {"Get": "Parameters.Approve"}, "RightValue": True},
    ),
)
#: A RetryPolicy covering both transient reasons of :data:`FAILURE_REASONS`.
RETRY_POLICY = {
    "ExceptionType": ["SageMaker.JOB_INTERNAL_ERROR", "SageMaker.CAPACITY_ERROR"],
    "IntervalSeconds": 1,
    "BackoffRate": 2.0,
    "MaxAttempts": 2,
}


def _step(kind: str, name: str) -> dict[str, Any]:
    if kind == "Training":
        arguments: dict[str, Any] = {
            "AlgorithmSpecification": {
                "TrainingImage": f"{_IMAGE}/my-trainer:1.0",
                "TrainingInputMode": "File",
            },
            "RoleArn": _ROLE,
            "OutputDataConfig": {"S3OutputPath": "s3://my-bucket/output"},
            "ResourceConfig": {
                "InstanceType": "ml.m5.large",
                "InstanceCount": 1,
                "VolumeSizeInGB": 1,
            },
            "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        }
    elif kind == "Processing":
        arguments = {
            "RoleArn": _ROLE,
            "AppSpecification": {"ImageUri": f"{_IMAGE}/prep:1"},
            "ProcessingResources": {
                "ClusterConfig": {
                    "InstanceCount": 1,
                    "InstanceType": "ml.m5.xlarge",
                    "VolumeSizeInGB": 30,
                }
            },
        }
    else:  # Callback
        return {
            "Name": name,
            "Type": "Callback",
            "Arguments": {"step": name},
            "SqsQueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
            "OutputParameters": [{"OutputName": "approved", "OutputType": "String"}],
        }
    return {"Name": name, "Type": kind, "Arguments": arguments}


@st.composite
def _definitions(draw: st.DrawFn, max_steps: int, callbacks: bool) -> str:
    chosen = draw(st.lists(st.sampled_from(range(len(_PARAMETERS))), unique=True, max_size=2))
    parameters = [_PARAMETERS[i] for i in sorted(chosen)]
    kinds = ("Training", "Processing", "Callback") if callbacks else ("Training", "Processing")
    steps: list[dict[str, Any]] = []
    for index in range(draw(st.integers(1, max_steps))):
        kind = draw(st.sampled_from(kinds))
        step = _step(kind, f"{kind}{index}")
        earlier = [s["Name"] for s in steps]
        if earlier:
            depends = draw(st.lists(st.sampled_from(earlier), unique=True, max_size=2))
            if depends:
                step["DependsOn"] = depends
        if kind != "Callback" and draw(st.booleans()):
            step["RetryPolicies"] = [dict(RETRY_POLICY)]
        steps.append(step)
    gated: bool = draw(st.booleans())
    if parameters and gated:
        _, gate = draw(st.sampled_from(parameters))
        stop = {
            "Name": "Refuse",
            "Type": "Fail",
            "Arguments": {
                "ErrorMessage": {"Std:Join": {"On": " ", "Values": ["refused by", "Check"]}}
            },
        }
        other = [_step("Processing", "Report")] if draw(st.booleans()) else []
        refuse_if = draw(st.booleans())
        check: dict[str, Any] = {
            "Name": "Check",
            "Type": "Condition",
            "Arguments": {
                "Conditions": [gate],
                "IfSteps": [stop] if refuse_if else other,
                "ElseSteps": other if refuse_if else [stop],
            },
        }
        after = draw(st.lists(st.sampled_from([s["Name"] for s in steps]), unique=True))
        if after:
            check["DependsOn"] = after
        steps.append(check)
    document = {
        "Version": "2020-12-01",
        "Metadata": {},
        "Parameters": [parameter for parameter, _ in parameters],
        "Steps": steps,
    }
    return json.dumps(document)


def pipeline_definitions(max_steps: int = 3, *, callbacks: bool = True) -> st.SearchStrategy[str]:
    """Small pipeline definitions (JSON text, as the SDK writes them): 1 to
    ``max_steps`` Training, Processing (and, with ``callbacks``, Callback) steps tied
    by ``DependsOn``, some with a :data:`RETRY_POLICY`; up to two Parameters, and now
    and then a Condition over one of them routing to a Fail step (the other branch
    empty or a Processing step)."""
    return _definitions(max_steps, callbacks)
