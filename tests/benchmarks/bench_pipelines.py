"""Benchmark: an SDK v2 pipeline under sagemaker_lite vs moto, wall time.

Run ``python tests/benchmarks/bench_pipelines.py``.  The pipeline is the one of
``tests/test_sdk_pipelines.py`` (processing -> training -> evaluation with a
JsonGet -> condition -> register or fail); each run builds it, ``upsert``s it,
starts it, ``wait``s and lists its steps, in a fresh world (building the SDK's
objects is left out of the time: it is the same under both):

* under ``mock_aws()`` + the default ``mock_sagemaker()``: every step runs its
  job on the virtual clock (four jobs and a model package);
* under moto 5's ``mock_aws()`` alone, the alternative a user has today without
  Docker: its execution answers ``Succeeded`` at once and runs no step (and it
  has no ListPipelineExecutionSteps, so that call is left out of its time).

Printed: the median of ``RUNS`` runs of each, and sagemaker_lite's as a ratio of
moto's (both measured in this run).  Target (issue 22): well under 2 s.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
for _name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
    os.environ.setdefault(_name, "testing")
os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")

RUNS = 5


def _flow(emulated: bool) -> tuple[float, int]:
    """Seconds for upsert + start + wait + list_steps; the steps listed."""
    import boto3
    import moto
    from sagemaker.workflow.pipeline_context import PipelineSession
    from test_sdk_pipelines import BUCKET, ROLE, churn_pipeline

    from sagemaker_lite import mock_sagemaker

    with moto.mock_aws():
        boto_session = boto3.Session(region_name="us-east-1")
        boto_session.client("s3").create_bucket(Bucket=BUCKET)
        if emulated:
            context: Any = mock_sagemaker()
        else:
            import contextlib

            context = contextlib.nullcontext()
        with context as emulator:
            session = PipelineSession(boto_session=boto_session, default_bucket=BUCKET)
            session.sagemaker_client.create_model_package_group(ModelPackageGroupName="churn")
            if emulator is not None:
                # Prep leaves the data Train reads (an empty channel is refused at
                # CreateTrainingJob when S3 is served), as test_sdk_pipelines scripts it.
                emulator.script_processing(
                    lambda request: "-Prep-" in request["ProcessingJobName"],
                    outputs={"train": {"train.csv": "1,0.5\n"}},
                )
                report = json.dumps({"metrics": {"accuracy": {"value": 0.9}}})
                emulator.script_processing(
                    lambda request: "-Evaluate-" in request["ProcessingJobName"],
                    outputs={"evaluation": {"evaluation.json": report}},
                )
            pipeline = churn_pipeline(session)  # SDK objects only: the same either way
            began = time.perf_counter()
            pipeline.upsert(role_arn=ROLE)
            execution = pipeline.start()
            execution.wait(delay=30, max_attempts=200)
            try:
                steps = len(execution.list_steps())
            except NotImplementedError:  # moto lacks ListPipelineExecutionSteps
                steps = 0
            return time.perf_counter() - began, steps


def main() -> None:
    """Print both medians and their ratio."""
    warnings.simplefilter("ignore")
    _flow(True)  # warm-up: imports, botocore models
    _flow(False)
    lite = [_flow(True) for _ in range(RUNS)]
    plain = [_flow(False) for _ in range(RUNS)]
    lite_s = statistics.median(t for t, _ in lite)
    moto_s = statistics.median(t for t, _ in plain)
    print(f"sagemaker_lite: {lite_s * 1000:.0f} ms, {lite[0][1]} steps run")
    print(f"moto:           {moto_s * 1000:.0f} ms, no step run (no ListPipelineExecutionSteps)")
    print(f"ratio:          {lite_s / moto_s:.2f}x moto's wall time")


if __name__ == "__main__":
    main()
