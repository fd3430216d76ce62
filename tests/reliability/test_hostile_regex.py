"""Reliability: a hostile MetricDefinitions regex cannot hang the emulator.

Metric extraction from scripted logs does bounded work: at most
``MAX_LOG_LINES`` lines of at most ``MAX_LOG_LINE_LENGTH`` characters, and a
regex whose shape can backtrack catastrophically (``(a+)+$``) is not
evaluated, so its metric is simply not extracted.  Benign regexes extract.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

import sagemaker_lite
from sagemaker_lite.behaviour import MAX_LOG_LINE_LENGTH, is_safe_regex

_EVIL = ("(a+)+$", "(a|aa)+$", r"(\w*)*x", r"(a+)+(b)\1")


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
    """A long line of a's against (a+)+$ & co.: the job completes at once, metric skipped."""
    client = sagemaker_lite.client()
    client.emulator.script_training(logs=["a" * 50_000 + "!"] * 1_000 + ["loss=0.25"])
    started = time.perf_counter()
    client.create_training_job(
        **_request(
            "evil", [{"Name": "evil", "Regex": regex}, {"Name": "loss", "Regex": r"loss=([0-9.]+)"}]
        )
    )
    metrics = _final(client, "evil")
    assert time.perf_counter() - started < 2.0
    assert "evil" not in metrics
    assert metrics["loss"] == 0.25  # the benign definition still extracts
    assert not is_safe_regex(regex)


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
