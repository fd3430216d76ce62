"""Default plans look like a small real job and never run into the job's own limits (issue 24.8).

Only a script runs a job into its StoppingCondition; an unscripted job whose limit is
shorter than the default plan has its plan shrunk to fit (docs/scripting.md).  A tuning
job's children fit its ResourceLimits too: the expected waves of children end within
its MaxRuntimeInSeconds.
"""

from __future__ import annotations

from typing import Any

import pytest
from factories import compilation_request, processing_request, training_request, tuning_request
from hypothesis import given, settings
from hypothesis import strategies as st

import sagemaker_lite
from sagemaker_lite.engine.behaviour import (
    DEFAULT_DURATIONS,
    FITTED_SHARE,
    STOP_SECONDS,
    Behaviour,
    Script,
    fit_limits,
    stop_seconds,
)


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


# --- a tuning job's limits ------------------------------------------------------------


def _tune(
    sm: Any, limit: int, max_jobs: int, parallel: int, strategy: str = "Bayesian", **config: Any
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    request = tuning_request(max_jobs=max_jobs, parallel=parallel, strategy=strategy, **config)
    request["HyperParameterTuningJobConfig"]["ResourceLimits"]["MaxRuntimeInSeconds"] = limit
    if strategy == "Hyperband":  # its MaxResource, read from an epochs-like hyperparameter
        request["TrainingJobDefinition"]["StaticHyperParameters"] = {"epochs": "20"}
    sm.create_hyper_parameter_tuning_job(**request)
    sm.emulator.run_until_idle()
    tuning = sm.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName="tune-1")
    pages = sm.get_paginator("list_training_jobs_for_hyper_parameter_tuning_job").paginate(
        HyperParameterTuningJobName="tune-1"
    )
    return tuning, [child for page in pages for child in page["TrainingJobSummaries"]]


NOT_IMPROVING = {"BestObjectiveNotImproving": {"MaxNumberOfTrainingJobsNotImproving": 3}}


def test_a_tuning_job_with_a_short_limit_completes_every_child() -> None:
    # 10 children, 2 at a time: 5 waves, each given 600 / 5 = 120 s; the default
    # plan (with the 30 s a stop takes) is shrunk to half of that.
    sm = sagemaker_lite.client()
    tuning, children = _tune(sm, limit=600, max_jobs=10, parallel=2)
    assert tuning["HyperParameterTuningJobStatus"] == "Completed"
    assert len(children) == 10
    assert {child["TrainingJobStatus"] for child in children} == {"Completed"}
    assert tuning["TrainingJobStatusCounters"]["Completed"] == 10
    assert tuning["ConsumedResources"]["RuntimeInSeconds"] <= 600 * FITTED_SHARE
    for child in children:
        job = sm.describe_training_job(TrainingJobName=child["TrainingJobName"])
        assert (job["TrainingEndTime"] - job["CreationTime"]).total_seconds() <= 60


#: (Strategy, config, whether the tuning job itself stops children before they end).
SEARCHES = [
    ("Bayesian", {}, False),
    ("Random", {"TrainingJobEarlyStoppingType": "Auto"}, True),
    ("Hyperband", {}, True),
    ("Random", {"TuningJobCompletionCriteria": NOT_IMPROVING}, True),
]


@settings(max_examples=20, deadline=None)
@given(
    limit=st.integers(120, 3600),
    max_jobs=st.integers(1, 30),
    parallel=st.integers(1, 10),
    search=st.sampled_from(SEARCHES),
)
def test_an_unscripted_tuning_job_ends_within_its_own_limit(
    limit: int, max_jobs: int, parallel: int, search: tuple[str, dict[str, Any], bool]
) -> None:
    # Whatever the strategy, and though early stopping or completion criteria stop
    # children (a stop takes time too), the limit never stops the tuning job.
    strategy, config, stops_children = search
    tuning, children = _tune(
        sagemaker_lite.client(), limit, max_jobs, min(parallel, max_jobs), strategy, **config
    )
    assert tuning["HyperParameterTuningJobStatus"] == "Completed"
    assert tuning["ConsumedResources"]["RuntimeInSeconds"] <= limit
    statuses = {child["TrainingJobStatus"] for child in children}
    if "TuningJobCompletionCriteria" not in config:
        assert len(children) == max_jobs
    assert statuses <= ({"Completed", "Stopped"} if stops_children else {"Completed"})


def test_a_long_limit_leaves_the_children_default_plan_alone() -> None:
    sm = sagemaker_lite.client()
    tuning, children = _tune(sm, limit=7200, max_jobs=4, parallel=2)
    assert tuning["HyperParameterTuningJobStatus"] == "Completed"
    job = sm.describe_training_job(TrainingJobName=children[0]["TrainingJobName"])
    took = (job["TrainingEndTime"] - job["TrainingStartTime"]).total_seconds()
    default = DEFAULT_DURATIONS["training-job"]
    assert took == default["Training"] + default["Uploading"]  # no File channel: no download


def test_a_scripted_plan_still_runs_a_tuning_job_into_its_limit() -> None:
    sm = sagemaker_lite.client()
    sm.emulator.script_training(durations={"Training": 3600})
    tuning, children = _tune(sm, limit=600, max_jobs=10, parallel=2)
    assert tuning["HyperParameterTuningJobStatus"] == "Stopped"
    # The first wave was still training at the limit: stopped there, in the usual 30 s.
    assert [c["TrainingJobStatus"] for c in children] == ["Stopped", "Stopped"]
    assert tuning["ConsumedResources"]["RuntimeInSeconds"] == 600 + STOP_SECONDS


def test_a_child_fits_its_own_stopping_condition_and_the_tuning_limit() -> None:
    # The definition's MaxRuntimeInSeconds (60 s from the end of Starting) shrinks the
    # phases after Starting to 30 s; the tuning job's share (600 s / 5 waves) then
    # shrinks the whole plan, its stop included, to 60 s.
    sm = sagemaker_lite.client()
    request = tuning_request(max_jobs=10, parallel=2)
    request["TrainingJobDefinition"]["StoppingCondition"] = {"MaxRuntimeInSeconds": 60}
    request["HyperParameterTuningJobConfig"]["ResourceLimits"]["MaxRuntimeInSeconds"] = 600
    sm.create_hyper_parameter_tuning_job(**request)
    sm.emulator.run_until_idle()
    tuning = sm.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName="tune-1")
    assert tuning["HyperParameterTuningJobStatus"] == "Completed"
    assert tuning["TrainingJobStatusCounters"]["Completed"] == 10
    child = sm.list_training_jobs_for_hyper_parameter_tuning_job(
        HyperParameterTuningJobName="tune-1"
    )["TrainingJobSummaries"][0]
    job = sm.describe_training_job(TrainingJobName=child["TrainingJobName"])
    assert (job["TrainingEndTime"] - job["TrainingStartTime"]).total_seconds() <= 60 / 2
    assert (job["TrainingEndTime"] - job["CreationTime"]).total_seconds() <= 600 / 5 / 2


def test_fit_limits_takes_a_budget_for_the_whole_plan_and_its_stop() -> None:
    request = training_request()  # a day's MaxRuntimeInSeconds: no limit of its own reached
    plan = Behaviour().plan("training-job", "j", request, {})
    fitted = fit_limits("training-job", plan, request, budget=100.0)
    total = sum(fitted["durations"].values()) + stop_seconds(fitted)
    assert total == pytest.approx(100.0 * FITTED_SHARE)
    assert stop_seconds(fitted) < STOP_SECONDS == stop_seconds(plan)
    ratios = {fitted["durations"][p] / plan["durations"][p] for p in plan["durations"]}
    assert max(ratios) == pytest.approx(min(ratios))  # every phase shrunk alike
    # A budget the plan fits leaves it (shared) as it is.
    assert fit_limits("training-job", plan, request, budget=1000.0) is plan


def test_a_budget_never_changes_scripted_durations() -> None:
    behaviour = Behaviour()
    behaviour.add(Script(match=None, kind="training-job", durations={"Training": 3600}))
    plan = behaviour.plan("training-job", "j", training_request(), {}, budget=10.0)
    assert plan["durations"]["Training"] == 3600
    assert stop_seconds(plan) == STOP_SECONDS
