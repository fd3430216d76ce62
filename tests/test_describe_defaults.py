"""Members AWS fills into a describe where the request left them out (issue 24.4)."""

from __future__ import annotations

from typing import Any

import pytest
from factories import model_request, processing_request, training_request, transform_request

import sagemaker_lite


@pytest.mark.parametrize(
    ("sent", "described"),
    [
        (
            {"S3OutputPath": "s3://b/p"},
            {"S3OutputPath": "s3://b/p", "ProfilingIntervalInMilliseconds": 500},
        ),
        ({"S3OutputPath": "s3://b/p", "ProfilingIntervalInMilliseconds": 100}, None),
        ({"DisableProfiler": True}, None),
    ],
)
def test_profiler_config_gains_the_default_interval(
    sent: dict[str, Any], described: dict[str, Any] | None
) -> None:
    # A real describe-training-job of an SDK job: ProfilingIntervalInMilliseconds 500.
    sm = sagemaker_lite.client()
    sm.create_training_job(**training_request("prof-1", ProfilerConfig=sent))
    answer = sm.describe_training_job(TrainingJobName="prof-1")["ProfilerConfig"]
    assert answer == (described if described is not None else sent)


# Each case: a request leaving members out, and exactly what AWS answers in their place
# (docs/fidelity.md, "Round 3"): members AWS fills in appear, others stay absent.
RULE_IMAGE = "503895931360.dkr.ecr.us-east-1.amazonaws.com/sagemaker-debugger-rules:latest"


def _training(sm: Any) -> dict[str, Any]:
    custom = {"RuleConfigurationName": "Custom", "RuleEvaluatorImage": RULE_IMAGE}
    sm.create_training_job(
        **training_request(
            "rules-1",
            DebugRuleConfigurations=[
                {"RuleConfigurationName": "LossNotDecreasing", "RuleEvaluatorImage": RULE_IMAGE},
                {**custom, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 30},
            ],
            ProfilerRuleConfigurations=[
                {"RuleConfigurationName": "ProfilerReport", "RuleEvaluatorImage": RULE_IMAGE}
            ],
        )
    )
    answer = sm.describe_training_job(TrainingJobName="rules-1")
    return {
        "debug": [rule.get("VolumeSizeInGB") for rule in answer["DebugRuleConfigurations"]],
        "profiler": [rule.get("VolumeSizeInGB") for rule in answer["ProfilerRuleConfigurations"]],
    }


def _processing(sm: Any) -> dict[str, Any]:
    sm.create_processing_job(**processing_request("proc-1"))
    (item,) = sm.describe_processing_job(ProcessingJobName="proc-1")["ProcessingInputs"]
    return {"S3Input": sorted(item["S3Input"])}


def _transform(sm: Any) -> dict[str, Any]:
    sm.create_model(**model_request())
    sm.create_transform_job(**transform_request("t-1"))
    answer = sm.describe_transform_job(TransformJobName="t-1")
    return {
        "TransformOutput": answer["TransformOutput"],
        "limits": [m for m in ("MaxConcurrentTransforms", "MaxPayloadInMB") if m in answer],
    }


@pytest.mark.parametrize(
    ("describe", "expected"),
    [
        # Built-in rules read VolumeSizeInGB 0 back (the SDK's test_debugger.py); a custom
        # rule keeps its 30; profiler rules: no evidence of a default, nothing added.
        (_training, {"debug": [0, 30], "profiler": [None]}),
        # S3InputMode and S3DataDistributionType filled in; S3CompressionType not
        # (the SDK's test_processing.py, "s3_input_wo_defaults").
        (
            _processing,
            {
                "S3Input": sorted(
                    ["S3Uri", "LocalPath", "S3DataType", "S3InputMode", "S3DataDistributionType"]
                )
            },
        ),
        # KmsKeyId "" as for a training job's output; the limits are not invented.
        (
            _transform,
            {
                "TransformOutput": {"S3OutputPath": "s3://bucket/scored/", "KmsKeyId": ""},
                "limits": [],
            },
        ),
    ],
    ids=["training-rules", "processing-input", "transform"],
)
def test_members_left_out_are_answered_as_aws_answers_them(
    describe: Any, expected: dict[str, Any]
) -> None:
    assert describe(sagemaker_lite.client()) == expected
