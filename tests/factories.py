"""Valid requests for the tests, each a fresh dict the test may change."""

from __future__ import annotations

import contextlib
import datetime as _dt
from collections.abc import Callable, Iterator
from typing import Any

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-algo:latest"


def training_request(name: str = "job-1", **overrides: Any) -> dict[str, Any]:
    """A typical CreateTrainingJob request (File mode, one channel, a metric)."""
    request: dict[str, Any] = {
        "TrainingJobName": name,
        "RoleArn": ROLE,
        "AlgorithmSpecification": {
            "TrainingImage": IMAGE,
            "TrainingInputMode": "File",
            "MetricDefinitions": [{"Name": "validation:loss", "Regex": "val_loss=([0-9.]+)"}],
        },
        "HyperParameters": {"learning_rate": "0.01", "epochs": "10"},
        "InputDataConfig": [
            {
                "ChannelName": "train",
                "DataSource": {
                    "S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://bucket/train/"}
                },
            }
        ],
        "OutputDataConfig": {"S3OutputPath": "s3://bucket/output"},
        "ResourceConfig": {
            "InstanceType": "ml.m5.xlarge",
            "InstanceCount": 1,
            "VolumeSizeInGB": 30,
        },
        "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
    }
    request.update(overrides)
    return request


def tuning_request(
    name: str = "tune-1",
    *,
    strategy: str = "Bayesian",
    max_jobs: int = 6,
    parallel: int = 2,
    **config: Any,
) -> dict[str, Any]:
    """A CreateHyperParameterTuningJob request over two ranges of a custom image."""
    return {
        "HyperParameterTuningJobName": name,
        "HyperParameterTuningJobConfig": {
            "Strategy": strategy,
            "HyperParameterTuningJobObjective": {
                "Type": "Minimize",
                "MetricName": "validation:loss",
            },
            "ResourceLimits": {
                "MaxNumberOfTrainingJobs": max_jobs,
                "MaxParallelTrainingJobs": parallel,
            },
            "ParameterRanges": {
                "ContinuousParameterRanges": [
                    {
                        "Name": "learning_rate",
                        "MinValue": "0.0001",
                        "MaxValue": "1",
                        "ScalingType": "Logarithmic",
                    }
                ],
                "IntegerParameterRanges": [{"Name": "depth", "MinValue": "1", "MaxValue": "10"}],
            },
            **config,
        },
        "TrainingJobDefinition": {
            "AlgorithmSpecification": {
                "TrainingImage": IMAGE,
                "TrainingInputMode": "File",
                "MetricDefinitions": [{"Name": "validation:loss", "Regex": "val_loss=([0-9.]+)"}],
            },
            "RoleArn": ROLE,
            "StaticHyperParameters": {"epochs": "10"},
            "OutputDataConfig": {"S3OutputPath": "s3://bucket/tuning"},
            "ResourceConfig": {
                "InstanceType": "ml.m5.xlarge",
                "InstanceCount": 1,
                "VolumeSizeInGB": 30,
            },
            "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
        },
    }


def compilation_request(name: str = "resnet-c5", **overrides: Any) -> dict[str, Any]:
    """A valid CreateCompilationJob request (MXNet for ml_c5).

    ``overrides`` name members by dotted path (``"InputConfig.Framework"``); a
    value of ``None`` removes the member.
    """
    request: dict[str, Any] = {
        "CompilationJobName": name,
        "RoleArn": "arn:aws:iam::123456789012:role/Neo",
        "InputConfig": {
            "S3Uri": "s3://my-bucket/models/model.tar.gz",
            "DataInputConfig": '{"data": [1, 3, 224, 224]}',
            "Framework": "MXNET",
        },
        "OutputConfig": {"S3OutputLocation": "s3://my-bucket/compiled", "TargetDevice": "ml_c5"},
        "StoppingCondition": {"MaxRuntimeInSeconds": 900},
    }
    for path, value in overrides.items():
        *parents, leaf = path.split(".")
        node = request
        for part in parents:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(leaf, None)
        else:
            node[leaf] = value
    return request


#: Objects every S3-served test world starts with: AWS refuses a training or transform
#: job whose input S3Uri has no object under it (docs/fidelity.md, "S3 inputs").
#: The model data :func:`model_request` names (CreateModel looks it up when S3 is served).
MODEL_DATA = "model-data/model.tar.gz"
INPUT_OBJECTS = (
    "data/train/part-0.csv",
    "train/part-0.csv",
    "batch/records.csv",
    "raw/data.csv",
    MODEL_DATA,
)


def seed_inputs(s3: Any, bucket: str) -> None:
    """Create ``bucket`` in moto's S3 with the :data:`INPUT_OBJECTS` jobs read."""
    s3.create_bucket(Bucket=bucket)
    for key in INPUT_OBJECTS:
        s3.put_object(Bucket=bucket, Key=key, Body=b"1,2,3\n")


@contextlib.contextmanager
def sdk_world(
    make_session: Callable[..., Any], bucket: str = "my-bucket"
) -> Iterator[tuple[Any, Any]]:
    """(emulator, SDK session): the default ``mock_sagemaker()`` with moto serving S3.

    ``make_session`` is the SDK's session class (v2 ``sagemaker.Session`` or v3's
    ``sagemaker.core.helper.session_helper.Session``); ``bucket`` exists in moto.
    """
    import boto3
    import moto

    from sagemaker_lite import mock_sagemaker

    with moto.mock_aws(), mock_sagemaker() as emulator:
        boto_session = boto3.Session(region_name="us-east-1")
        seed_inputs(boto_session.client("s3"), bucket)
        yield emulator, make_session(boto_session=boto_session, default_bucket=bucket)


SDK_IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"


def sdk_estimator(session: Any, bucket: str = "my-bucket", **extra: Any) -> Any:
    """An SDK v2 ``Estimator`` on one ml.m5.xlarge writing under ``s3://{bucket}/output``.

    ``extra`` adds or replaces the SDK's keyword arguments.
    """
    from sagemaker.estimator import Estimator

    arguments: dict[str, Any] = {
        "image_uri": SDK_IMAGE,
        "role": ROLE,
        "instance_count": 1,
        "instance_type": "ml.m5.xlarge",
        "sagemaker_session": session,
        "output_path": f"s3://{bucket}/output",
    }
    return Estimator(**{**arguments, **extra})


def model_request(name: str = "model-1", **overrides: Any) -> dict[str, Any]:
    """A CreateModel request: one container with its model data."""
    request: dict[str, Any] = {
        "ModelName": name,
        "PrimaryContainer": {"Image": IMAGE, "ModelDataUrl": f"s3://bucket/{MODEL_DATA}"},
        "ExecutionRoleArn": ROLE,
    }
    request.update(overrides)
    return request


def endpoint_config_request(
    name: str = "config-1", model: str = "model-1", **overrides: Any
) -> dict[str, Any]:
    """A CreateEndpointConfig request: one instance-backed variant of ``model``."""
    request: dict[str, Any] = {
        "EndpointConfigName": name,
        "ProductionVariants": [
            {
                "VariantName": "AllTraffic",
                "ModelName": model,
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 1,
            }
        ],
    }
    request.update(overrides)
    return request


def processing_request(name: str = "proc-1", **overrides: Any) -> dict[str, Any]:
    """A CreateProcessingJob request: one S3 input, one S3 output, a script to run."""
    request: dict[str, Any] = {
        "ProcessingJobName": name,
        "RoleArn": ROLE,
        "AppSpecification": {
            "ImageUri": IMAGE,
            "ContainerEntrypoint": ["python3", "/opt/ml/processing/input/code/prep.py"],
        },
        "ProcessingResources": {
            "ClusterConfig": {
                "InstanceCount": 1,
                "InstanceType": "ml.m5.xlarge",
                "VolumeSizeInGB": 30,
            }
        },
        "ProcessingInputs": [
            {
                "InputName": "raw",
                "S3Input": {
                    "S3Uri": "s3://bucket/raw/",
                    "LocalPath": "/opt/ml/processing/input",
                    "S3DataType": "S3Prefix",
                },
            }
        ],
        "ProcessingOutputConfig": {
            "Outputs": [
                {
                    "OutputName": "train",
                    "S3Output": {
                        "S3Uri": "s3://bucket/prepared/",
                        "LocalPath": "/opt/ml/processing/output",
                        "S3UploadMode": "EndOfJob",
                    },
                }
            ]
        },
    }
    request.update(overrides)
    return request


def transform_request(
    name: str = "transform-1", model: str = "model-1", **overrides: Any
) -> dict[str, Any]:
    """A CreateTransformJob request scoring CSV lines with ``model``."""
    request: dict[str, Any] = {
        "TransformJobName": name,
        "ModelName": model,
        "TransformInput": {
            "DataSource": {
                "S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://bucket/batch/"}
            },
            "ContentType": "text/csv",
        },
        "TransformOutput": {"S3OutputPath": "s3://bucket/scored/"},
        "TransformResources": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1},
    }
    request.update(overrides)
    return request


#: The Python types botocore's parser gives each scalar shape type (numbers
#: written without a fraction parse as int even in float members).
BOTOCORE_SCALAR_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "long": (int,),
    "float": (float, int),
    "double": (float, int),
    "timestamp": (_dt.datetime,),
    "blob": (bytes,),
}


def api_error(call: Any, **params: Any) -> dict[str, str]:
    """The ``Error`` of the ClientError that ``call(**params)`` raises."""
    import pytest

    # botocore's class when it is installed, the package's look-alike when not.
    from sagemaker_lite.contract.errors import ClientError

    with pytest.raises(ClientError) as info:
        call(**params)
    return dict(info.value.response["Error"])
