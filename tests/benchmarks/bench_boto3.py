"""Benchmark: create + describe throughput of boto3 under ``mock_sagemaker`` vs moto.

Run ``python tests/benchmarks/bench_boto3.py [N]``.  In one run it measures,
per (CreateTrainingJob + DescribeTrainingJob) pair through a real boto3 client:

* floor: botocore's own per-call work (param validation, serialisation,
  events) with the answer short-circuited by a ``before-call`` handler that
  returns a canned parsed response, as botocore's Stubber does;
* sagemaker_lite: ``mock_sagemaker()``;
* moto: moto 5 ``mock_aws``.

Target: sagemaker_lite >= 5x moto's throughput.  Prints how far above the floor
we are.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

for _name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
    os.environ.setdefault(_name, "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import boto3  # noqa: E402
from botocore.awsrequest import AWSResponse  # noqa: E402

from sagemaker_lite import mock_sagemaker  # noqa: E402


def create_training_job() -> dict[str, Any]:
    """A typical CreateTrainingJob request, as the SageMaker Python SDK sends it."""
    channel = {
        "DataSource": {
            "S3DataSource": {"S3DataType": "S3Prefix", "S3DataDistributionType": "FullyReplicated"}
        },
        "ContentType": "text/csv",
    }
    return {
        "TrainingJobName": "xgboost",
        "AlgorithmSpecification": {
            "TrainingImage": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
            "TrainingInputMode": "File",
        },
        "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
        "HyperParameters": {"max_depth": "5", "eta": "0.2", "num_round": "100"},
        "InputDataConfig": [
            {
                **channel,
                "ChannelName": name,
                "DataSource": {
                    "S3DataSource": {
                        **channel["DataSource"]["S3DataSource"],  # type: ignore[index]
                        "S3Uri": f"s3://my-bucket/data/{name}/",
                    }
                },
            }
            for name in ("train", "validation")
        ],
        "OutputDataConfig": {"S3OutputPath": "s3://my-bucket/output/"},
        "ResourceConfig": {
            "InstanceType": "ml.m5.xlarge",
            "InstanceCount": 1,
            "VolumeSizeInGB": 30,
        },
        "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
        "Tags": [{"Key": "team", "Value": "search"}],
    }


def _pairs(client: Any, n: int, prefix: str) -> float:
    """Seconds per create+describe pair over ``n`` pairs (after a warm-up pair)."""
    request = create_training_job()
    request["TrainingJobName"] = f"{prefix}-warm"
    client.create_training_job(**request)
    client.describe_training_job(TrainingJobName=request["TrainingJobName"])
    start = time.perf_counter()
    for i in range(n):
        request["TrainingJobName"] = f"{prefix}-{i}"
        client.create_training_job(**request)
        client.describe_training_job(TrainingJobName=request["TrainingJobName"])
    return (time.perf_counter() - start) / n


def floor(n: int) -> float:
    """botocore's own cost: every step but the answer, which a handler returns canned."""
    client = boto3.client("sagemaker", region_name="us-east-1")
    canned = {"ResponseMetadata": {"HTTPStatusCode": 200, "RequestId": "x", "HTTPHeaders": {}}}

    def answer(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        return AWSResponse("https://x", 200, {}, None), dict(canned)

    client.meta.events.register("before-call.sagemaker", answer)
    return _pairs(client, n, "floor")


def ours(n: int) -> float:
    """boto3 under mock_sagemaker."""
    with mock_sagemaker():
        client = boto3.client("sagemaker", region_name="us-east-1")
        return _pairs(client, n, "lite")


def moto(n: int) -> float:
    """boto3 under moto 5's mock_aws."""
    from moto import mock_aws

    with mock_aws():
        client = boto3.client("sagemaker", region_name="us-east-1")
        return _pairs(client, n, "moto")


def measure(n: int = 300) -> dict[str, float]:
    """Seconds per create+describe pair for each of floor, sagemaker_lite, moto."""
    runs: dict[str, Callable[[int], float]] = {"floor": floor, "sagemaker_lite": ours, "moto": moto}
    return {name: min(run(n) for _ in range(3)) for name, run in runs.items()}


def main() -> None:
    """Measure and print throughput and ratios."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    times = measure(n)
    for name, seconds in times.items():
        print(f"{name:15s} {seconds * 1e6:9.1f} us/pair  {1 / seconds:8.0f} pairs/s")
    print(
        f"sagemaker_lite vs moto:  {times['moto'] / times['sagemaker_lite']:.1f}x faster "
        "(target >= 5x)"
    )
    print(
        f"sagemaker_lite vs floor: {times['sagemaker_lite'] / times['floor']:.2f}x botocore's "
        "own per-call cost"
    )


if __name__ == "__main__":
    main()
