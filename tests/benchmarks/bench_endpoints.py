"""Benchmark: endpoints through boto3 under ``mock_sagemaker`` vs moto, in one run.

Run ``python tests/benchmarks/bench_endpoints.py [N]``.  It measures

* create-to-InService: CreateModel + CreateEndpointConfig + CreateEndpoint, then
  botocore's ``endpoint_in_service`` waiter (virtual time here; moto's endpoints are
  InService at once), per endpoint;
* InvokeEndpoint through a real ``sagemaker-runtime`` client, per call: botocore's own
  floor (the answer short-circuited by a ``before-call`` handler with a canned parsed
  response), sagemaker_lite (the default model answering a CSV row) and moto (its
  canned body).

Target: InvokeEndpoint within 2x of botocore's floor.
"""

from __future__ import annotations

import io
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
from botocore.response import StreamingBody  # noqa: E402

from sagemaker_lite import mock_sagemaker  # noqa: E402

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"


def _deploy(sm: Any, name: str) -> None:
    sm.create_model(
        ModelName=name,
        ExecutionRoleArn=ROLE,
        PrimaryContainer={"Image": IMAGE, "ModelDataUrl": "s3://my-bucket/model.tar.gz"},
    )
    sm.create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": name,
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 1,
            }
        ],
    )
    sm.create_endpoint(EndpointName=name, EndpointConfigName=name)
    sm.get_waiter("endpoint_in_service").wait(EndpointName=name)


def _deploys(n: int) -> float:
    sm = boto3.client("sagemaker", region_name="us-east-1")
    _deploy(sm, "warm")
    start = time.perf_counter()
    for i in range(n):
        _deploy(sm, f"ep-{i}")
    return (time.perf_counter() - start) / n


def _invokes(runtime: Any, n: int) -> float:
    runtime.invoke_endpoint(EndpointName="warm", Body=b"1,2,3", ContentType="text/csv")
    start = time.perf_counter()
    for _ in range(n):
        runtime.invoke_endpoint(EndpointName="warm", Body=b"1,2,3", ContentType="text/csv")[
            "Body"
        ].read()
    return (time.perf_counter() - start) / n


def deploy_ours(n: int) -> float:
    """Seconds per endpoint, create to InService, under mock_sagemaker."""
    with mock_sagemaker():
        return _deploys(n)


def deploy_moto(n: int) -> float:
    """Seconds per endpoint, create to InService, under moto's mock_aws."""
    from moto import mock_aws

    with mock_aws():
        return _deploys(n)


def invoke_floor(n: int) -> float:
    """botocore's own cost of an InvokeEndpoint call, the answer canned."""
    runtime = boto3.client("sagemaker-runtime", region_name="us-east-1")

    def answer(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        body = StreamingBody(io.BytesIO(b"0.5\n"), 4)
        meta = {"HTTPStatusCode": 200, "RequestId": "x", "HTTPHeaders": {}}
        parsed = {"Body": body, "ContentType": "text/csv", "ResponseMetadata": meta}
        return AWSResponse("https://x", 200, {}, None), parsed

    runtime.meta.events.register("before-call.sagemaker-runtime", answer)
    return _invokes(runtime, n)


def invoke_ours(n: int) -> float:
    """Seconds per InvokeEndpoint under mock_sagemaker (the default model answers)."""
    with mock_sagemaker():
        _deploy(boto3.client("sagemaker", region_name="us-east-1"), "warm")
        return _invokes(boto3.client("sagemaker-runtime", region_name="us-east-1"), n)


def invoke_moto(n: int) -> float:
    """Seconds per InvokeEndpoint under moto's mock_aws (its canned answer)."""
    from moto import mock_aws

    with mock_aws():
        _deploy(boto3.client("sagemaker", region_name="us-east-1"), "warm")
        return _invokes(boto3.client("sagemaker-runtime", region_name="us-east-1"), n)


def measure(n: int = 300) -> dict[str, float]:
    """Seconds per operation of each run (best of three)."""
    runs: dict[str, Callable[[int], float]] = {
        "deploy sagemaker_lite": deploy_ours,
        "deploy moto": deploy_moto,
        "invoke floor": invoke_floor,
        "invoke sagemaker_lite": invoke_ours,
        "invoke moto": invoke_moto,
    }
    return {
        name: min(run(n if name.startswith("invoke") else max(1, n // 10)) for _ in range(3))
        for name, run in runs.items()
    }


def main() -> None:
    """Measure and print times and ratios."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    times = measure(n)
    for name, seconds in times.items():
        print(f"{name:22s} {seconds * 1e6:10.1f} us/op  {1 / seconds:8.0f} ops/s")
    print(
        f"create-to-InService vs moto: {times['deploy moto'] / times['deploy sagemaker_lite']:.1f}x"
    )
    print(
        f"InvokeEndpoint vs moto: {times['invoke moto'] / times['invoke sagemaker_lite']:.1f}x "
        f"faster; vs floor: {times['invoke sagemaker_lite'] / times['invoke floor']:.2f}x "
        "botocore's own per-call cost (target <= 2x)"
    )


if __name__ == "__main__":
    main()
