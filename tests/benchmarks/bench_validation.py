"""Benchmark: cost of validating CreateTrainingJob requests, valid and invalid.

Run ``python tests/benchmarks/bench_validation.py``.  Prints, measured in the
same run:

* for a typical valid request, the cost of ``check_params`` + ``check_request``
  and of the fast path (``valid_copy``, what the client runs: target <= 5x)
  as ratios to ``copy.deepcopy`` of the same request;
* for invalid requests, the cost of ``check_request`` (the generated JSON Schema
  validator, its errors worded as AWS words them) as a ratio to the hand-written
  interpreter it replaced, loaded from git at :data:`BASELINE_COMMIT`.
"""

from __future__ import annotations

import copy
import functools
import subprocess
import sys
import timeit
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import sagemaker_lite
from sagemaker_lite.contract.errors import ApiError
from sagemaker_lite.contract.fastpath import valid_copy
from sagemaker_lite.contract.validation import check_params, check_request

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
ROOT = Path(__file__).resolve().parents[2]
#: The last commit whose service-side checks were the hand-written interpreter.
BASELINE_COMMIT = "8d1650fccbb85b96db0408d22996a5b5632ec59f"


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


def invalid_requests() -> dict[str, dict[str, Any]]:
    """Invalid variants of the typical request, from one violation to many."""
    one = create_training_job()
    one["TrainingJobName"] = "a_b"
    several = create_training_job()
    several["TrainingJobName"] = "_" * 64
    several["ResourceConfig"]["InstanceType"] = "ml.t2.nano"
    several["InputDataConfig"][1]["ChannelName"] = "bad name"
    del several["RoleArn"]
    tags = create_training_job()
    tags["Tags"] = [{"Key": f"k{i}", "Value": "a,b"} for i in range(50)]
    hyper = create_training_job()
    hyper["HyperParameters"] = {f"p{i}": "x" * 2600 for i in range(100)}
    wrong_type = create_training_job()
    wrong_type["ResourceConfig"]["InstanceCount"] = "1"
    return {
        "1 violation": one,
        "5 violations": several,
        "50 bad tags": tags,
        "100 bad map values": hyper,
        "wrong JSON type": wrong_type,
    }


def baseline_check_request() -> Callable[[str, dict[str, Any]], None] | None:
    """The replaced interpreter's ``check_request``, loaded from git (None without git)."""
    shown = subprocess.run(
        [
            "git",
            "-C",
            str(ROOT),
            "show",
            f"{BASELINE_COMMIT}:sagemaker_lite/contract/validation.py",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if shown.returncode != 0:
        return None
    module = types.ModuleType("baseline_validation")
    exec(compile(shown.stdout, "baseline_validation.py", "exec"), module.__dict__)
    check: Callable[[str, dict[str, Any]], None] = module.check_request
    return check


def _refusal(check: Callable[[str, dict[str, Any]], None], request: dict[str, Any]) -> str:
    try:
        check("CreateTrainingJob", request)
    except ApiError as error:
        return f"{error.code}: {error.message}"
    return ""


def compare_invalid(number: int = 200) -> None:
    """Print check_request's cost on invalid requests against the replaced interpreter's."""
    baseline = baseline_check_request()
    if baseline is None:
        print(f"(no git history: cannot load the baseline at {BASELINE_COMMIT[:7]})")
        return
    worst = 0.0
    for name, request in {"valid": create_training_job(), **invalid_requests()}.items():
        answer = _refusal(check_request, request)
        assert answer == _refusal(baseline, request), name  # the same answer
        assert bool(answer) == (name != "valid"), name
        new = _best(functools.partial(_refusal, check_request, request), number)
        old = _best(functools.partial(_refusal, baseline, request), number)
        worst = max(worst, new / old)
        print(
            f"check_request, {name + ':':20} jsonschema {new * 1e6:8.1f} us"
            f"  interpreter {old * 1e6:8.1f} us  = {new / old:5.1f}x"
        )
    print(f"check_request: jsonschema costs at most {worst:.1f}x the replaced interpreter")


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
    compare_invalid()


if __name__ == "__main__":
    main()
