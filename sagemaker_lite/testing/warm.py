"""Paying for first use before anything is timed: Hypothesis deadlines and health checks.

The first call of an operation in a process loads and compiles what it needs
(the validators, the service module), a few tenths of a second: more than
Hypothesis's default 200 ms deadline.  The kit serves one sample request of
each operation in a throwaway emulator before Hypothesis starts timing (when
a strategy is validated, when a fixture is set up), so users' tests pass the
default deadline in a fresh process, however fast the first use gets.
Hypothesis is not needed here.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from sagemaker_lite.errors import ClientError, ParamValidationError

Request = dict[str, Any]
DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"
METRIC_NAME = "validation:loss"
METRIC_REGEX = r"validation loss: ([0-9\.]+)"

_lock = threading.Lock()
_warm: set[str] = set()


def sample_training(account_id: str, region: str) -> Request:
    return {
        "TrainingJobName": "warm-up",
        "AlgorithmSpecification": {
            "TrainingImage": f"{account_id}.dkr.ecr.{region}.amazonaws.com/my-trainer:1.0",
            "TrainingInputMode": "File",
            "MetricDefinitions": [{"Name": METRIC_NAME, "Regex": METRIC_REGEX}],
        },
        "RoleArn": f"arn:aws:iam::{account_id}:role/SageMakerRole",
        "OutputDataConfig": {"S3OutputPath": "s3://my-bucket/output"},
        "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        "Tags": [{"Key": "team", "Value": "ml"}],
    }


def sample_tuning(account_id: str, region: str) -> Request:
    definition = sample_training(account_id, region)
    for member in ("TrainingJobName", "Tags"):
        del definition[member]
    return {
        "HyperParameterTuningJobName": "warm-up",
        "HyperParameterTuningJobConfig": {
            "Strategy": "Bayesian",
            "HyperParameterTuningJobObjective": {"Type": "Minimize", "MetricName": METRIC_NAME},
            "ResourceLimits": {"MaxNumberOfTrainingJobs": 2, "MaxParallelTrainingJobs": 1},
            "ParameterRanges": {
                "ContinuousParameterRanges": [{"Name": "eta", "MinValue": "0.1", "MaxValue": "1"}]
            },
        },
        "TrainingJobDefinition": definition,
        "Tags": [{"Key": "team", "Value": "ml"}],
    }


def sample_compilation(account_id: str, region: str) -> Request:
    return {
        "CompilationJobName": "warm-up",
        "RoleArn": f"arn:aws:iam::{account_id}:role/SageMakerRole",
        "InputConfig": {"S3Uri": "s3://my-bucket/model.tar.gz", "Framework": "XGBOOST"},
        "OutputConfig": {"S3OutputLocation": "s3://my-bucket/out", "TargetDevice": "ml_c5"},
        "StoppingCondition": {"MaxRuntimeInSeconds": 900},
        "Tags": [{"Key": "team", "Value": "ml"}],
    }


def sample_processing(account_id: str, region: str) -> Request:
    return {
        "ProcessingJobName": "warm-up",
        "RoleArn": f"arn:aws:iam::{account_id}:role/SageMakerRole",
        "AppSpecification": {"ImageUri": f"{account_id}.dkr.ecr.{region}.amazonaws.com/prep:1"},
        "ProcessingResources": {
            "ClusterConfig": {
                "InstanceCount": 1,
                "InstanceType": "ml.m5.xlarge",
                "VolumeSizeInGB": 30,
            }
        },
        "Tags": [{"Key": "team", "Value": "ml"}],
    }


def sample_model(account_id: str, region: str) -> Request:
    return {
        "ModelName": "warm-up",
        "PrimaryContainer": {"Image": f"{account_id}.dkr.ecr.{region}.amazonaws.com/xgb:1"},
        "ExecutionRoleArn": f"arn:aws:iam::{account_id}:role/SageMakerRole",
    }


#: One valid request per create operation.
SAMPLES = {
    "CreateTrainingJob": sample_training,
    "CreateHyperParameterTuningJob": sample_tuning,
    "CreateCompilationJob": sample_compilation,
    "CreateProcessingJob": sample_processing,
    "CreateModel": sample_model,
}


def warm_up(
    operation: str,
    request: Request,
    account_id: str = DEFAULT_ACCOUNT,
    region: str = DEFAULT_REGION,
) -> None:
    """Serve ``request`` in a throwaway emulator, once per operation and process."""
    with _lock:
        if operation in _warm:
            return
        _warm.add(operation)
    from sagemaker_lite import client

    sm = client(region_name=region, account_id=account_id)
    with contextlib.suppress(ClientError, ParamValidationError):
        sm.call(operation, request)
        sm.emulator.run_until_idle()


def warm_up_all(account_id: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION) -> None:
    """Warm every create operation (and, through them, the describes and lists)."""
    for operation, sample in SAMPLES.items():
        warm_up(operation, sample(account_id, region), account_id, region)


def warm_up_boto3(region: str = DEFAULT_REGION) -> None:
    """Load botocore's SageMaker model and serve one call through ``mock_sagemaker``, once."""
    with _lock:
        if "boto3" in _warm:
            return
        _warm.add("boto3")
    import boto3

    from sagemaker_lite.boto3_adapter import mock_sagemaker

    with mock_sagemaker():
        client = boto3.client("sagemaker", region_name=region)
        client.create_training_job(**sample_training(DEFAULT_ACCOUNT, region))
        client.describe_training_job(TrainingJobName="warm-up")


__all__ = ["SAMPLES", "warm_up", "warm_up_all", "warm_up_boto3"]
