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
from collections.abc import Callable, Iterable
from typing import Any

from sagemaker_lite.contract.errors import ClientError, ParamValidationError
from sagemaker_lite.contract.operations import OPERATIONS

Request = dict[str, Any]
#: A request to make before another can succeed: (operation, request).
Need = tuple[str, Request]
#: What a request needs: ``needs(request, account_id, region)``, in the order to make them.
Needs = Callable[[Request, str, str], list[Need]]
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


def sample_transform(account_id: str, region: str) -> Request:
    # Its model is one of the state machine's model names, so the machine's model
    # rules (create, delete) and its transform jobs meet.
    return {
        "TransformJobName": "warm-up",
        "ModelName": "model-0",
        "TransformInput": {
            "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://my-bucket/in"}}
        },
        "TransformOutput": {"S3OutputPath": "s3://my-bucket/scored"},
        "TransformResources": {"InstanceType": "ml.m5.large", "InstanceCount": 1},
        "Tags": [{"Key": "team", "Value": "ml"}],
    }


def sample_endpoint_config(account_id: str, region: str) -> Request:
    # Its model is one of the state machine's model names, as the transform sample's.
    return {
        "EndpointConfigName": "warm-up",
        "ProductionVariants": [
            {
                "VariantName": "AllTraffic",
                "ModelName": "model-0",
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 1,
            }
        ],
        "Tags": [{"Key": "team", "Value": "ml"}],
    }


def sample_endpoint(account_id: str, region: str) -> Request:
    # Its configuration is one of the state machine's configuration names.
    return {
        "EndpointName": "warm-up",
        "EndpointConfigName": "config-0",
        "Tags": [{"Key": "team", "Value": "ml"}],
    }


def _model_needed(name: str, account_id: str, region: str) -> Need:
    return ("CreateModel", {**sample_model(account_id, region), "ModelName": name})


def transform_needs(request: Request, account_id: str, region: str) -> list[Need]:
    """A transform job runs a model that must exist: CreateModel of its ModelName."""
    return [_model_needed(request["ModelName"], account_id, region)]


def endpoint_config_needs(request: Request, account_id: str, region: str) -> list[Need]:
    """Every model a configuration's variants name must exist: CreateModel of each."""
    names = [
        variant["ModelName"]
        for variant in (
            *request.get("ProductionVariants", ()),
            *request.get("ShadowProductionVariants", ()),
        )
        if "ModelName" in variant
    ]
    return [_model_needed(name, account_id, region) for name in dict.fromkeys(names)]


def endpoint_needs(request: Request, account_id: str, region: str) -> list[Need]:
    """An endpoint deploys a configuration that must exist (the sample one, with its model)."""
    config = {
        **sample_endpoint_config(account_id, region),
        "EndpointConfigName": request["EndpointConfigName"],
    }
    return [
        *endpoint_config_needs(config, account_id, region),
        ("CreateEndpointConfig", config),
    ]


#: What a create request needs made first, per operation (none for the others); the
#: ``needs`` column of the kit's ``REQUEST_KINDS``, here for the Hypothesis-free warm-up.
NEEDS: dict[str, Needs] = {
    "CreateTransformJob": transform_needs,
    "CreateEndpointConfig": endpoint_config_needs,
    "CreateEndpoint": endpoint_needs,
}


def set_up(client: Any, needs: Iterable[Need]) -> None:
    """Make each needed resource through ``client`` (this package's or boto3's) unless it exists.

    SageMaker's naming finds it: ``Create{Noun}`` is checked with ``Describe{Noun}``
    of its ``{Noun}Name``, so calling this twice, or for a resource made
    another way, creates nothing twice.
    """
    for operation, request in needs:
        noun = operation.removeprefix("Create")
        member = f"{noun}Name"
        describe = getattr(client, OPERATIONS[f"Describe{noun}"].python_name)
        try:
            describe(**{member: request[member]})
        except ClientError:
            getattr(client, OPERATIONS[operation].python_name)(**request)


#: One valid request per create operation.
SAMPLES = {
    "CreateTrainingJob": sample_training,
    "CreateHyperParameterTuningJob": sample_tuning,
    "CreateCompilationJob": sample_compilation,
    "CreateProcessingJob": sample_processing,
    "CreateModel": sample_model,
    "CreateTransformJob": sample_transform,
    "CreateEndpointConfig": sample_endpoint_config,
    "CreateEndpoint": sample_endpoint,
}


def warm_up(
    operation: str,
    request: Request,
    account_id: str = DEFAULT_ACCOUNT,
    region: str = DEFAULT_REGION,
    needs: Needs | None = None,
) -> None:
    """Serve ``request`` (after what it ``needs``) in a throwaway emulator, once per operation."""
    with _lock:
        if operation in _warm:
            return
        _warm.add(operation)
    from sagemaker_lite.surfaces.emulator import Emulator

    sm = Emulator().client(region_name=region, account_id=account_id)
    with contextlib.suppress(ClientError, ParamValidationError):
        if needs is not None:
            set_up(sm, needs(request, account_id, region))
        sm.call(operation, request)
        sm.emulator.run_until_idle()


def warm_up_all(account_id: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION) -> None:
    """Warm every create operation (and, through them, the describes and lists)."""
    for operation, sample in SAMPLES.items():
        warm_up(operation, sample(account_id, region), account_id, region, NEEDS.get(operation))


def warm_up_boto3(region: str = DEFAULT_REGION) -> None:
    """Load botocore's SageMaker model and serve one call through ``mock_sagemaker``, once."""
    with _lock:
        if "boto3" in _warm:
            return
        _warm.add("boto3")
    import boto3

    from sagemaker_lite.surfaces.boto3_adapter import mock_sagemaker

    with mock_sagemaker():
        client = boto3.client("sagemaker", region_name=region)
        client.create_training_job(**sample_training(DEFAULT_ACCOUNT, region))
        client.describe_training_job(TrainingJobName="warm-up")


__all__ = ["NEEDS", "SAMPLES", "Need", "Needs", "set_up", "warm_up", "warm_up_all", "warm_up_boto3"]
