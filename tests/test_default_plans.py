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
