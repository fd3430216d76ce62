"""Benchmark: cost of validating a typical valid CreateTrainingJob request.

Run ``python tests/benchmarks/bench_validation.py``.  Prints the cost of
``check_params`` + ``check_request`` as a ratio to ``copy.deepcopy`` of the
same request measured in the same run (target: <= 5x).
"""

from __future__ import annotations

import copy
import sys
import timeit
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import sagemaker_lite
from sagemaker_lite.contract.fastpath import valid_copy
from sagemaker_lite.contract.validation import check_params, check_request

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"


def create_training_job() -> dict[str, Any]:
    """A typical valid CreateTrainingJob request (as the SageMaker Python SDK sends it)."""
    return {
        "TrainingJobName": "xgboost-2024-01-01-00-00-00-000",
        "AlgorithmSpecification": {
            "TrainingImage": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
            "TrainingInputMode": "File",
            "EnableSageMakerMetricsTimeSeries": False,
        },
        "RoleArn": ROLE,
        "HyperParameters": {
            "max_depth": "5",
            "eta": "0.2",
            "objective": "reg:squarederror",
            "num_round": "100",
        },
        "InputDataConfig": [
            {
                "ChannelName": "train",
                "DataSource": {
                    "S3DataSource": {
                        "S3DataType": "S3Prefix",
                        "S3Uri": "s3://my-bucket/data/train/",
                        "S3DataDistributionType": "FullyReplicated",
                    }
                },
                "ContentType": "text/csv",
            },
            {
                "ChannelName": "validation",
                "DataSource": {
                    "S3DataSource": {
                        "S3DataType": "S3Prefix",
                        "S3Uri": "s3://my-bucket/data/validation/",
                        "S3DataDistributionType": "FullyReplicated",
                    }
                },
                "ContentType": "text/csv",
            },
        ],
        "OutputDataConfig": {"S3OutputPath": "s3://my-bucket/output/"},
        "ResourceConfig": {
            "InstanceType": "ml.m5.xlarge",
            "InstanceCount": 1,
            "VolumeSizeInGB": 30,
        },
        "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
        "Tags": [{"Key": "project", "Value": "données ml"}, {"Key": "team", "Value": "search"}],
        "EnableNetworkIsolation": False,
    }


def _best(stmt: object, number: int) -> float:
    return min(timeit.repeat(stmt, number=number, repeat=7)) / number  # type: ignore[arg-type]


def main() -> None:
    """Measure and print the ratio."""
    request = create_training_job()

    def validate() -> None:
        check_params("CreateTrainingJob", request)
        check_request("CreateTrainingJob", request)

    validate()  # compile the closures and regexes outside the measurement
    number = 2000
    deep = _best(lambda: copy.deepcopy(request), number)
    both = _best(validate, number)
    params = _best(lambda: check_params("CreateTrainingJob", request), number)
    service = _best(lambda: check_request("CreateTrainingJob", request), number)
    print(f"deepcopy:                     {deep * 1e6:8.1f} us")
    print(f"check_params:                 {params * 1e6:8.1f} us")
    print(f"check_request:                {service * 1e6:8.1f} us")
    happy = _best(lambda: valid_copy("CreateTrainingJob", request), number)
    client = sagemaker_lite.client()
    overhead = _best(lambda: client.list_training_jobs(), number)
    print(f"check_params + check_request: {both * 1e6:8.1f} us  = {both / deep:.2f}x deepcopy")
    print(
        f"valid_copy (the client's path, check + private copy): {happy * 1e6:8.1f} us"
        f"  = {happy / deep:.2f}x deepcopy  (target <= 5x)"
    )
    print(
        f"client per-call overhead:     {overhead * 1e6:8.1f} us  = {overhead / deep:.2f}x deepcopy"
        "  (list_training_jobs on an empty world)"
    )


if __name__ == "__main__":
    main()
