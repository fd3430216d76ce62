"""Default plans look like a small real job and never run into the job's own limits (issue 24.8).

Only a script runs a job into its StoppingCondition; an unscripted job whose limit is
shorter than the default plan has its plan shrunk to fit (docs/scripting.md).
"""

from __future__ import annotations

from typing import Any

import pytest
from factories import compilation_request, processing_request, training_request
from hypothesis import given, settings
from hypothesis import strategies as st

import sagemaker_lite
from sagemaker_lite.engine.behaviour import DEFAULT_DURATIONS


def _training(sm: Any, limit: int, spot: bool) -> tuple[str, float]:
    stopping = {"MaxRuntimeInSeconds": limit}
    extra: dict[str, Any] = {}
    if spot:  # MaxWait counts from creation, Starting included; it is at least MaxRuntime
        stopping["MaxWaitTimeInSeconds"] = limit
        extra["EnableManagedSpotTraining"] = True
    sm.create_training_job(**training_request("j", StoppingCondition=stopping, **extra))
    sm.emulator.run_until_idle()
    job = sm.describe_training_job(TrainingJobName="j")
    counted_from = job["CreationTime"] if spot else job["TrainingStartTime"]
    return job["TrainingJobStatus"], (job["TrainingEndTime"] - counted_from).total_seconds()


def _processing(sm: Any, limit: int, spot: bool) -> tuple[str, float]:
    stopping = {"MaxRuntimeInSeconds": limit}
    sm.create_processing_job(**processing_request("p", StoppingCondition=stopping))
    sm.emulator.run_until_idle()
    job = sm.describe_processing_job(ProcessingJobName="p")
    took = job["ProcessingEndTime"] - job["ProcessingStartTime"]
    return job["ProcessingJobStatus"], took.total_seconds()


def _compilation(sm: Any, limit: int, spot: bool) -> tuple[str, float]:
    sm.create_compilation_job(
        **compilation_request("d", StoppingCondition={"MaxRuntimeInSeconds": limit})
    )
    sm.emulator.run_until_idle()
    job = sm.describe_compilation_job(CompilationJobName="d")
    took = job["CompilationEndTime"] - job["CompilationStartTime"]
    return job["CompilationJobStatus"].title(), took.total_seconds()


KINDS = {
    "training": (_training, False),
    "spot-training": (_training, True),
    "processing": (_processing, False),
    "compilation": (_compilation, False),
}


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=15, deadline=None)
@given(limit=st.integers(1, 3600))
def test_an_unscripted_job_completes_within_its_own_limit(kind: str, limit: int) -> None:
    create, spot = KINDS[kind]
    status, took = create(sagemaker_lite.client(), limit, spot)
    assert status == "Completed"
    assert took <= limit


def test_the_default_training_job_takes_minutes() -> None:
    # A small real job: a few minutes in all, most of it provisioning and training.
    total = sum(DEFAULT_DURATIONS["training-job"].values())
    assert 120 <= total <= 900


def test_a_scripted_plan_still_runs_into_the_limit() -> None:
    sm = sagemaker_lite.client()
    sm.emulator.script_training(durations={"Training": 3600})
    sm.create_training_job(**training_request(StoppingCondition={"MaxRuntimeInSeconds": 600}))
    sm.emulator.run_until_idle()
    job = sm.describe_training_job(TrainingJobName="job-1")
    assert (job["TrainingJobStatus"], job["SecondaryStatus"]) == ("Stopped", "MaxRuntimeExceeded")


def test_scripted_metric_points_shrink_with_the_plan() -> None:
    # A script that times nothing leaves the plan to fit the limit; its points follow,
    # so every line the job prints is printed while it trains.
    boto3 = pytest.importorskip("boto3")
    from sagemaker_lite import mock_sagemaker

    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        logs = boto3.client("logs", region_name="us-east-1")
        emulator.script_training(metric_series={"validation:loss": [(0, 1.0), (170, 0.5)]})
        sm.create_training_job(**training_request(StoppingCondition={"MaxRuntimeInSeconds": 60}))
        emulator.run_until_idle()
        job = sm.describe_training_job(TrainingJobName="job-1")
        group = "/aws/sagemaker/TrainingJobs"
        (stream,) = logs.describe_log_streams(logGroupName=group)["logStreams"]
        events = logs.get_log_events(
            logGroupName=group, logStreamName=stream["logStreamName"], startFromHead=True
        )["events"]
    assert job["TrainingJobStatus"] == "Completed"
    printed = [e["message"] for e in events]
    assert "val_loss=1.0" in printed and "val_loss=0.5" in printed
    end = job["TrainingEndTime"].timestamp() * 1000
    assert all(e["timestamp"] <= end for e in events)
