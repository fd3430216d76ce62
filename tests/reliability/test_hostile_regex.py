"""Reliability: a hostile MetricDefinitions regex cannot hang the emulator.

Metric extraction from scripted logs does bounded work whatever the pattern:
at most ``MAX_LOG_LINES`` lines of at most ``MAX_LOG_LINE_LENGTH`` characters,
matched in linear time (a Pike VM, ``sagemaker_lite.contract.linear_regex``), with a
step budget per definition.  Patterns that make ``re`` backtrack for minutes
extract in milliseconds, with ``re``'s answer; constructs that need
backtracking (backreferences, lookaround) extract nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

import sagemaker_lite
from sagemaker_lite.engine.behaviour import MAX_LOG_LINE_LENGTH

from .growth import assert_linear

# The bypasses of the old shape-based guard, and the classic forms.
_EVIL = (
    "((a+))+$",
    "((a)+)+$",
    "a*a*a*a*a*b",
    r"\s*\s*\s*\s*x",
    "(a+)+$",
    "(a|aa)+$",
    r"(\w*)*x",
    r"(a+)+(b)\1",
)


def _request(name: str, definitions: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "TrainingJobName": name,
        "AlgorithmSpecification": {
            "TrainingImage": "1.dkr.ecr.us-east-1.amazonaws.com/x:1",
            "TrainingInputMode": "File",
            "MetricDefinitions": definitions,
        },
        "RoleArn": "arn:aws:iam::123456789012:role/R",
        "OutputDataConfig": {"S3OutputPath": "s3://bucket/out"},
        "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    }


def _final(client: Any, name: str) -> dict[str, float]:
    client.emulator.run_until_idle()
    described = client.describe_training_job(TrainingJobName=name)
    return {m["MetricName"]: m["Value"] for m in described.get("FinalMetricDataList", [])}


@pytest.mark.parametrize("regex", _EVIL)
def test_catastrophic_regex_is_bounded(regex: str) -> None:
    """Long lines of a's and spaces against (a+)+$ & co.: the job completes, at a cost
    linear in the lines' length."""
    definitions = [{"Name": "evil", "Regex": regex}, {"Name": "loss", "Regex": r"loss=([0-9.]+)"}]

    def train(size: int) -> dict[str, float]:
        client = sagemaker_lite.client()
        hostile = ["a" * size + "!", " " * 40 + "!", "a" * 40 + "!"]
        client.emulator.script_training(logs=hostile * 100 + ["loss=0.25"])
        client.create_training_job(**_request("evil", definitions))
        return _final(client, "evil")

    metrics = train(50_000)
    assert_linear(train, 5_000, 50_000, runs=2)
    assert "evil" not in metrics  # none of these lines matches (nor has a number)
    assert metrics["loss"] == 0.25  # the benign definition still extracts


@pytest.mark.parametrize(
    ("regex", "line", "value"),
    [
        (r"(?:(?:\d+))+x=([0-9.]+)$", "123x=0.5", 0.5),
        (r"a*a*a*a*a*b=([0-9.]+)", "aaab=2.5", 2.5),
        (r"(?:\s*)*loss:\s*([0-9.]+)", "   loss: 7", 7.0),
        (r"(\d+\.\d+|\d+)+", "epoch 12.5", 12.5),
    ],
)
def test_costly_shapes_still_extract_what_matches(regex: str, line: str, value: float) -> None:
    """Nested and adjacent quantifiers are not refused: a line that matches gives its value."""
    client = sagemaker_lite.client()
    client.emulator.script_training(logs=["a" * 512, line])
    client.create_training_job(**_request("shape", [{"Name": "m", "Regex": regex}]))
    assert _final(client, "shape") == {"m": value}


def test_a_regex_needing_backtracking_extracts_nothing() -> None:
    """Backreferences and lookaround are not run: the metric is missing, the job completes."""
    client = sagemaker_lite.client()
    client.emulator.script_training(logs=["x=1 x=1", "loss=0.5"])
    definitions = [
        {"Name": "backref", "Regex": r"x=(\d) x=\1"},
        {"Name": "lookahead", "Regex": r"x=(?=1)(\d)"},
        {"Name": "loss", "Regex": r"loss=([0-9.]+)"},
    ]
    client.create_training_job(**_request("refused", definitions))
    assert _final(client, "refused") == {"loss": 0.5}


def test_benign_regexes_extract_the_last_value() -> None:
    """The final value is the last match, read from the first group, as SageMaker does."""
    client = sagemaker_lite.client()
    client.emulator.script_training(
        logs=[
            "epoch 1 train_loss=0.9 val_acc=0.51",
            "epoch 2 train_loss=0.5 val_acc=0.74",
            "noise without metrics",
            "epoch 3 train_loss=0.3 val_acc=0.81",
        ]
    )
    client.create_training_job(
        **_request(
            "good",
            [
                {"Name": "train:loss", "Regex": r"train_loss=([0-9\.]+)"},
                {"Name": "validation:accuracy", "Regex": r"val_acc=(\d+\.\d+)"},
            ],
        )
    )
    assert _final(client, "good") == {"train:loss": 0.3, "validation:accuracy": 0.81}


def test_overlong_lines_are_cut_before_matching() -> None:
    """A value past MAX_LOG_LINE_LENGTH characters into a line is not seen."""
    client = sagemaker_lite.client()
    client.emulator.script_training(logs=["loss=0.5", "x" * MAX_LOG_LINE_LENGTH + "loss=1.5"])
    client.create_training_job(**_request("cut", [{"Name": "loss", "Regex": r"loss=([0-9.]+)"}]))
    assert _final(client, "cut") == {"loss": 0.5}
