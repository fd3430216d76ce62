"""Describe answers stay valid under botocore's output shapes for requests that omit
every optional member (issue 24.3, 24.4), and rule evaluation jobs get valid names.

A request carrying only its required members must still describe with every
member the output requires (AWS fills in defaults: ``StoppingCondition`` is one
day), in every status the job passes through.
"""

from __future__ import annotations

from typing import Any

import pytest
from factories import (
    compilation_request,
    model_request,
    processing_request,
    training_request,
    transform_request,
    tuning_request,
)
from test_output_shapes import MODEL, problems_of

import sagemaker_lite
from sagemaker_lite.contract import messages
from sagemaker_lite.contract.errors import ClientError
from sagemaker_lite.contract.patterns import full_match


def _required_only(shape: Any, value: Any) -> Any:
    """``value`` with every member its shape does not require left out, at every depth."""
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        return {
            name: _required_only(shape.members[name], value[name])
            for name in shape.required_members
            if name in value
        }
    if kind == "list" and isinstance(value, list):
        return [_required_only(shape.member, item) for item in value]
    if kind == "map" and isinstance(value, dict):
        return {key: _required_only(shape.value, item) for key, item in value.items()}
    return value


#: Create operation -> (a full request, its describe, the describe's name member).
CASES = {
    "CreateTrainingJob": (training_request, "DescribeTrainingJob", "TrainingJobName"),
    "CreateProcessingJob": (processing_request, "DescribeProcessingJob", "ProcessingJobName"),
    "CreateTransformJob": (transform_request, "DescribeTransformJob", "TransformJobName"),
    "CreateHyperParameterTuningJob": (
        tuning_request,
        "DescribeHyperParameterTuningJob",
        "HyperParameterTuningJobName",
    ),
    "CreateCompilationJob": (compilation_request, "DescribeCompilationJob", "CompilationJobName"),
}


#: Members AWS's rules ask for though the model leaves them optional ("Either InputConfig
#: or ModelPackageVersionArn must be specified.", "Exactly one of TrainingJobDefinition or
#: TrainingJobDefinitions must be specified."), kept whole.
ALSO_NEEDED = {
    "CreateCompilationJob": (("InputConfig",), ("OutputConfig", "TargetDevice")),
    "CreateHyperParameterTuningJob": (
        ("TrainingJobDefinition",),
        ("HyperParameterTuningJobConfig", "HyperParameterTuningJobObjective"),
        ("HyperParameterTuningJobConfig", "ParameterRanges"),  # our rule (issue 24.7)
        ("HyperParameterTuningJobConfig", "ResourceLimits"),  # MaxNumberOfTrainingJobs
    ),
}


@pytest.mark.parametrize("create", sorted(CASES))
def test_a_request_with_only_required_members_describes_validly(create: str) -> None:
    make, describe, member = CASES[create]
    shape = MODEL.operation_model(create).input_shape
    full = make()
    request = _required_only(shape, full)
    for path in ALSO_NEEDED.get(create, ()):
        inner, target = full, request
        for name in path[:-1]:
            inner, target = inner[name], target[name]
        target[path[-1]] = inner[path[-1]]
    client = sagemaker_lite.client()
    client.create_model(**model_request())  # what a transform job needs
    getattr(client, _snake(create))(**request)
    call = getattr(client, _snake(describe))
    seen = []
    for _ in range(3):  # created, under way, finished
        answer = call(**{member: request[member]})
        assert problems_of(describe, answer) == [], answer
        seen.append(answer)
        client.emulator.run_until_idle() if len(seen) == 2 else client.emulator.advance(60)
    if create in ("CreateTrainingJob", "CreateProcessingJob"):
        assert seen[-1]["StoppingCondition"] == {"MaxRuntimeInSeconds": 86400}


def _snake(operation: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in operation).lstrip("_")


@pytest.mark.parametrize(
    "rule",
    ["Loss Not_Decreasing", "İ" * 40, "x" * 200, "-leading", "名前のルール"],
)
def test_rule_evaluation_job_arns_fit_their_pattern(rule: str) -> None:
    """Whatever the rule's name, its processing job's ARN fits the model (<= 63 characters)."""
    client = sagemaker_lite.client()
    image = "503895931360.dkr.ecr.us-east-1.amazonaws.com/sagemaker-debugger-rules:latest"
    request = training_request(
        "a" * 63,
        DebugRuleConfigurations=[{"RuleConfigurationName": rule, "RuleEvaluatorImage": image}],
    )
    client.create_training_job(**request)
    client.emulator.run_until_idle()
    answer = client.describe_training_job(TrainingJobName="a" * 63)
    assert problems_of("DescribeTrainingJob", answer) == []
    arn = answer["DebugRuleEvaluationStatuses"][0]["RuleEvaluationJobArn"]
    pattern = MODEL.shape_for("ProcessingJobArn").metadata["pattern"]
    assert full_match(pattern, arn) and len(arn.rpartition("/")[2]) <= 63


def test_deleting_a_running_tuning_job_says_not_in_a_terminal_state() -> None:
    """Clients (the Terraform provider) match this phrase to stop the job and retry."""
    client = sagemaker_lite.client()
    client.create_hyper_parameter_tuning_job(**tuning_request())
    with pytest.raises(ClientError) as caught:
        client.delete_hyper_parameter_tuning_job(HyperParameterTuningJobName="tune-1")
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    assert "not in a terminal state" in caught.value.response["Error"]["Message"]
    assert caught.value.response["Error"]["Message"] == messages.tuning_job_not_deletable(
        "tune-1", "InProgress"
    )
