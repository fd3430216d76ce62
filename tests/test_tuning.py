"""Hyperparameter tuning jobs that really run their search, through the client."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from typing import Any

import pytest
from factories import training_request, tuning_request

import sagemaker_lite
from sagemaker_lite.contract.errors import ClientError
from sagemaker_lite.engine.behaviour import DEFAULT_DURATIONS


def bowl(hp: Mapping[str, str]) -> dict[str, float]:
    """A scripted objective with its minimum at learning_rate=1e-2, depth=4."""
    import math

    lr = math.log10(float(hp["learning_rate"]))
    depth = float(hp.get("depth", 4))
    return {"validation:loss": (lr + 2) ** 2 + 0.1 * (depth - 4) ** 2}


@pytest.fixture
def sm() -> sagemaker_lite.Client:
    client = sagemaker_lite.client()
    client.emulator.script_training(metrics=bowl)
    return client


def describe(sm: sagemaker_lite.Client, name: str = "tune-1") -> dict[str, Any]:
    return sm.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=name)


def children(sm: sagemaker_lite.Client, name: str = "tune-1") -> list[dict[str, Any]]:
    pages = sm.get_paginator("list_training_jobs_for_hyper_parameter_tuning_job").paginate(
        HyperParameterTuningJobName=name
    )
    return [s for page in pages for s in page["TrainingJobSummaries"]]


def test_create_and_duplicate(sm: sagemaker_lite.Client) -> None:
    arn = sm.create_hyper_parameter_tuning_job(**tuning_request())["HyperParameterTuningJobArn"]
    assert arn == "arn:aws:sagemaker:us-east-1:123456789012:hyper-parameter-tuning-job/tune-1"
    with pytest.raises(sm.exceptions.ResourceInUse) as info:
        sm.create_hyper_parameter_tuning_job(**tuning_request())
    assert info.value.response["Error"]["Message"] == (
        "A hyperparameter tuning job with the name, tune-1, already exists. "
        "Choose a different name."
    )


def test_a_rejected_create_launches_nothing(sm: sagemaker_lite.Client) -> None:
    with pytest.raises(ClientError) as info:
        sm.create_hyper_parameter_tuning_job(**tuning_request(max_jobs=2, parallel=3))
    assert info.value.response["Error"]["Code"] == "ValidationException"
    assert sm.list_training_jobs()["TrainingJobSummaries"] == []
    assert sm.list_hyper_parameter_tuning_jobs()["HyperParameterTuningJobSummaries"] == []


def test_children_are_real_training_jobs_never_more_than_parallel(
    sm: sagemaker_lite.Client,
) -> None:
    sm.create_hyper_parameter_tuning_job(**tuning_request(max_jobs=7, parallel=3))
    peak = 0
    while describe(sm)["HyperParameterTuningJobStatus"] == "InProgress":
        running = describe(sm)["TrainingJobStatusCounters"]["InProgress"]
        peak = max(peak, running)
        assert running <= 3
        sm.emulator.advance(60)
    assert peak == 3
    kids = children(sm)
    assert len(kids) == 7
    tuning_arn = describe(sm)["HyperParameterTuningJobArn"]
    for kid in kids:
        assert re.fullmatch(r"tune-1-00[1-7]-[0-9a-f]{8}", kid["TrainingJobName"])
        job = sm.describe_training_job(TrainingJobName=kid["TrainingJobName"])
        assert job["TuningJobArn"] == tuning_arn
        assert job["HyperParameters"] == {
            "epochs": "10",
            **kid["TunedHyperParameters"],
            "_tuning_objective_metric": "validation:loss",
        }
        assert set(kid["TunedHyperParameters"]) == {"learning_rate", "depth"}


def test_describe_is_computed_from_the_children(sm: sagemaker_lite.Client) -> None:
    sm.create_hyper_parameter_tuning_job(**tuning_request(max_jobs=8, parallel=2))
    sm.emulator.run_until_idle()
    d = describe(sm)
    kids = children(sm)
    values = {
        k["TrainingJobName"]: k["FinalHyperParameterTuningJobObjectiveMetric"]["Value"]
        for k in kids
    }
    assert d["HyperParameterTuningJobStatus"] == "Completed"
    assert d["TrainingJobStatusCounters"] == {
        "Completed": 8,
        "InProgress": 0,
        "RetryableError": 0,
        "NonRetryableError": 0,
        "Stopped": 0,
    }
    assert d["ObjectiveStatusCounters"] == {"Succeeded": 8, "Pending": 0, "Failed": 0}
    best = d["BestTrainingJob"]
    assert best["TrainingJobName"] == min(values, key=values.__getitem__)
    assert best["FinalHyperParameterTuningJobObjectiveMetric"]["Value"] == min(values.values())
    assert best["FinalHyperParameterTuningJobObjectiveMetric"]["MetricName"] == "validation:loss"
    assert best["TunedHyperParameters"] == next(
        k["TunedHyperParameters"] for k in kids if k["TrainingJobName"] == best["TrainingJobName"]
    )
    last_end = max(k["TrainingEndTime"] for k in kids)
    assert d["HyperParameterTuningEndTime"] == last_end
    assert d["ConsumedResources"]["RuntimeInSeconds"] == int(
        (last_end - d["CreationTime"]).total_seconds()
    )
    ranked = sm.list_training_jobs_for_hyper_parameter_tuning_job(
        HyperParameterTuningJobName="tune-1",
        SortBy="FinalObjectiveMetricValue",
        SortOrder="Ascending",
        MaxResults=3,
    )["TrainingJobSummaries"]
    assert [r["TrainingJobName"] for r in ranked] == sorted(values, key=values.__getitem__)[:3]


def test_bayesian_search_is_deterministic_for_a_seed() -> None:
    def run() -> list[dict[str, str]]:
        sm = sagemaker_lite.client()
        sm.emulator.script_training(metrics=bowl)
        sm.create_hyper_parameter_tuning_job(**tuning_request(max_jobs=6, RandomSeed=7))
        sm.emulator.run_until_idle()
        return [k["TunedHyperParameters"] for k in children(sm)]

    assert run() == run()


def test_grid_runs_every_combination_once(sm: sagemaker_lite.Client) -> None:
    request = tuning_request(strategy="Grid", max_jobs=6, parallel=4)
    config = request["HyperParameterTuningJobConfig"]
    config["ParameterRanges"] = {
        "CategoricalParameterRanges": [
            {"Name": "learning_rate", "Values": ["0.1", "0.01", "0.001"]},
            {"Name": "depth", "Values": ["2", "4"]},
        ]
    }
    del config["ResourceLimits"]["MaxNumberOfTrainingJobs"]
    sm.create_hyper_parameter_tuning_job(**request)
    sm.emulator.run_until_idle()
    seen = sorted(
        (k["TunedHyperParameters"]["learning_rate"], k["TunedHyperParameters"]["depth"])
        for k in children(sm)
    )
    assert seen == sorted(itertools.product(["0.1", "0.01", "0.001"], ["2", "4"]))
    assert describe(sm)["BestTrainingJob"]["TunedHyperParameters"] == {
        "learning_rate": "0.01",
        "depth": "4",
    }


def test_stop_stops_running_children_then_the_job(sm: sagemaker_lite.Client) -> None:
    sm.create_hyper_parameter_tuning_job(**tuning_request(max_jobs=10, parallel=3))
    sm.emulator.advance(300)
    sm.stop_hyper_parameter_tuning_job(HyperParameterTuningJobName="tune-1")
    assert describe(sm)["HyperParameterTuningJobStatus"] == "Stopping"
    sm.emulator.run_until_idle()
    d = describe(sm)
    assert d["HyperParameterTuningJobStatus"] == "Stopped"
    assert d["TrainingJobStatusCounters"]["Stopped"] == 3
    assert len(children(sm)) == 3
    with pytest.raises(ClientError) as info:
        sm.stop_hyper_parameter_tuning_job(HyperParameterTuningJobName="tune-1")
    assert info.value.response["Error"]["Code"] == "ValidationException"


def test_max_runtime_stops_the_tuning_job(sm: sagemaker_lite.Client) -> None:
    # Scripted durations (the default ones, as a script) run into the limit as given;
    # a default plan would be fitted to it (tests/test_default_plans.py).
    sm.emulator.script_training(durations=dict(DEFAULT_DURATIONS["training-job"]))
    request = tuning_request(max_jobs=20, parallel=2)
    request["HyperParameterTuningJobConfig"]["ResourceLimits"]["MaxRuntimeInSeconds"] = 1800
    sm.create_hyper_parameter_tuning_job(**request)
    sm.emulator.run_until_idle()
    d = describe(sm)
    assert d["HyperParameterTuningJobStatus"] == "Stopped"
    # The two children running at the limit are stopped; those before it completed.
    counters = d["TrainingJobStatusCounters"]
    assert counters["Stopped"] == 2
    assert 0 < counters["Completed"] == len(children(sm)) - 2 < 18


def test_target_objective_ends_the_search_early(sm: sagemaker_lite.Client) -> None:
    request = tuning_request(
        max_jobs=30, parallel=1, TuningJobCompletionCriteria={"TargetObjectiveMetricValue": 0.5}
    )
    sm.create_hyper_parameter_tuning_job(**request)
    sm.emulator.run_until_idle()
    d = describe(sm)
    assert d["HyperParameterTuningJobStatus"] == "Completed"
    assert d["BestTrainingJob"]["FinalHyperParameterTuningJobObjectiveMetric"]["Value"] <= 0.5
    assert len(children(sm)) < 30


def test_best_objective_not_improving(sm: sagemaker_lite.Client) -> None:
    criteria = {"BestObjectiveNotImproving": {"MaxNumberOfTrainingJobsNotImproving": 3}}
    sm.create_hyper_parameter_tuning_job(
        **tuning_request(
            strategy="Random", max_jobs=50, parallel=1, TuningJobCompletionCriteria=criteria
        )
    )
    sm.emulator.run_until_idle()
    d = describe(sm)
    assert d["HyperParameterTuningJobStatus"] == "Completed"
    assert d["TuningJobCompletionDetails"]["NumberOfTrainingJobsObjectiveNotImproving"] == 3
    assert len(children(sm)) < 50


def test_failing_children_fail_the_tuning_job() -> None:
    sm = sagemaker_lite.client()
    sm.emulator.script_training(fail_at="Training", failure_reason="AlgorithmError: boom")
    sm.create_hyper_parameter_tuning_job(**tuning_request(max_jobs=10, parallel=2))
    sm.emulator.run_until_idle()
    d = describe(sm)
    assert d["HyperParameterTuningJobStatus"] == "Failed"
    assert d["FailureReason"].startswith("No training job succeeded after 5 attempts.")
    # the fifth failure ends the search; the child still running then is stopped
    assert d["TrainingJobStatusCounters"]["NonRetryableError"] == 5
    assert d["TrainingJobStatusCounters"]["Stopped"] == 1
    assert d["ObjectiveStatusCounters"]["Failed"] == 5
    # only the stopped child reported an objective before it ended
    assert d["BestTrainingJob"]["TrainingJobStatus"] == "Stopped"


def test_auto_early_stopping_stops_worse_than_median_children() -> None:
    sm = sagemaker_lite.client()
    request = tuning_request(
        strategy="Random", max_jobs=12, parallel=2, TrainingJobEarlyStoppingType="Auto"
    )
    sm.create_hyper_parameter_tuning_job(**request)
    sm.emulator.run_until_idle()
    d = describe(sm)
    assert d["HyperParameterTuningJobStatus"] == "Completed"
    stopped = d["TrainingJobStatusCounters"]["Stopped"]
    assert 0 < stopped < 12
    assert d["ObjectiveStatusCounters"]["Succeeded"] == 12  # stopped ones report their last value


def test_hyperband_stops_children_at_rungs() -> None:
    sm = sagemaker_lite.client()
    request = tuning_request(
        strategy="Hyperband",
        max_jobs=20,
        parallel=4,
        StrategyConfig={"HyperbandStrategyConfig": {"MinResource": 1, "MaxResource": 9}},
    )
    sm.create_hyper_parameter_tuning_job(**request)
    sm.emulator.run_until_idle()
    d = describe(sm)
    assert d["HyperParameterTuningJobStatus"] == "Completed"
    assert d["TrainingJobStatusCounters"]["Stopped"] > 0
    assert d["TrainingJobStatusCounters"]["Completed"] > 0


def test_warm_start_needs_terminal_parents_and_reports_overall_best(
    sm: sagemaker_lite.Client,
) -> None:
    warm = {
        "ParentHyperParameterTuningJobs": [{"HyperParameterTuningJobName": "tune-1"}],
        "WarmStartType": "IdenticalDataAndAlgorithm",
    }
    child = {**tuning_request("tune-2", max_jobs=3), "WarmStartConfig": warm}
    with pytest.raises(ClientError) as info:
        sm.create_hyper_parameter_tuning_job(**child)
    assert info.value.response["Error"]["Code"] == "ValidationException"
    sm.create_hyper_parameter_tuning_job(**tuning_request(max_jobs=6))
    with pytest.raises(ClientError):
        sm.create_hyper_parameter_tuning_job(**child)  # parent still InProgress
    sm.emulator.run_until_idle()
    sm.create_hyper_parameter_tuning_job(**child)
    sm.emulator.run_until_idle()
    d = describe(sm, "tune-2")
    every = children(sm) + children(sm, "tune-2")
    best = min(k["FinalHyperParameterTuningJobObjectiveMetric"]["Value"] for k in every)
    assert (
        d["OverallBestTrainingJob"]["FinalHyperParameterTuningJobObjectiveMetric"]["Value"] == best
    )


def test_list_tuning_jobs_defaults_to_name_ascending(sm: sagemaker_lite.Client) -> None:
    for name in ("tune-b", "tune-a", "other"):
        sm.create_hyper_parameter_tuning_job(**tuning_request(name, max_jobs=2))
    listed = sm.list_hyper_parameter_tuning_jobs()["HyperParameterTuningJobSummaries"]
    assert [s["HyperParameterTuningJobName"] for s in listed] == ["other", "tune-a", "tune-b"]
    named = sm.list_hyper_parameter_tuning_jobs(NameContains="tune", SortOrder="Descending")
    assert [
        s["HyperParameterTuningJobName"] for s in named["HyperParameterTuningJobSummaries"]
    ] == ["tune-b", "tune-a"]
    summary = listed[0]
    assert summary["Strategy"] == "Bayesian"
    assert summary["ResourceLimits"] == {"MaxNumberOfTrainingJobs": 2, "MaxParallelTrainingJobs": 2}
    assert summary["TrainingJobStatusCounters"]["InProgress"] == 2


def test_missing_tuning_job_and_delete_rules(sm: sagemaker_lite.Client) -> None:
    with pytest.raises(sm.exceptions.ResourceNotFound) as info:
        describe(sm, "nope")
    assert info.value.response["Error"]["Message"] == (
        "Amazon SageMaker can't find a tuning job called nope. Type another name."
    )
    sm.create_hyper_parameter_tuning_job(**tuning_request(max_jobs=2))
    with pytest.raises(ClientError):
        sm.delete_hyper_parameter_tuning_job(HyperParameterTuningJobName="tune-1")
    sm.emulator.run_until_idle()
    kid = children(sm)[0]["TrainingJobName"]
    sm.delete_hyper_parameter_tuning_job(HyperParameterTuningJobName="tune-1")
    assert sm.describe_training_job(TrainingJobName=kid)["TrainingJobStatus"] == "Completed"


def test_tags_on_tuning_jobs(sm: sagemaker_lite.Client) -> None:
    request = {**tuning_request(max_jobs=2), "Tags": [{"Key": "team", "Value": "ml"}]}
    arn = sm.create_hyper_parameter_tuning_job(**request)["HyperParameterTuningJobArn"]
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "dev"}])
    assert [t["Key"] for t in sm.list_tags(ResourceArn=arn)["Tags"]] == ["team", "stage"]


def test_plain_training_jobs_are_not_affected(sm: sagemaker_lite.Client) -> None:
    sm.create_training_job(**training_request("solo"))
    sm.create_hyper_parameter_tuning_job(**tuning_request(max_jobs=2))
    sm.emulator.run_until_idle()
    solo = sm.describe_training_job(TrainingJobName="solo")
    assert "TuningJobArn" not in solo
    assert solo["TrainingJobStatus"] == "Completed"


def test_legacy_describe_tuning_job_view(sm: sagemaker_lite.Client) -> None:
    sm.create_hyper_parameter_tuning_job(**tuning_request(max_jobs=4))
    # Until the first two children (two run at a time) have completed.
    while describe(sm)["TrainingJobStatusCounters"]["Completed"] < 2:
        sm.emulator.advance(10)
    sm.emulator.advance(DEFAULT_DURATIONS["training-job"]["Starting"])  # the next two start
    running = sm.describe_tuning_job(TuningJobName="tune-1")
    assert running["TuningJobStatus"] == "InProgress"
    assert "TuningJobEndTime" not in running
    assert running["ResourcesStats"]["ConsumedResources"]["Jobs"] == {
        "Completed": 2,
        "Failed": 0,
        "Pending": 0,
        "Running": 2,
    }
    sm.emulator.run_until_idle()
    legacy = sm.describe_tuning_job(TuningJobName="tune-1")
    current = describe(sm)
    best = current["BestTrainingJob"]
    assert legacy["BestTrainingJob"]["TrainingJobName"] == best["TrainingJobName"]
    assert legacy["BestTrainingJob"]["FinalTuningJobObjectiveMetric"] == {
        "MetricName": "validation:loss",
        "Value": best["FinalHyperParameterTuningJobObjectiveMetric"]["Value"],
    }
    assert legacy["ParameterRanges"]["IntegerParameterRanges"] == [
        {"Name": "depth", "MinValue": "1", "MaxValue": "10", "Type": "Integer"}
    ]
    assert legacy["TuningJobStartTime"] == current["CreationTime"]
    assert legacy["TuningJobEndTime"] == current["HyperParameterTuningEndTime"]
    assert (legacy["TuningJobStatus"], legacy["Strategy"]) == ("Completed", "Bayesian")
    with pytest.raises(sm.exceptions.ResourceNotFound):
        sm.describe_tuning_job(TuningJobName="nope")


def test_convergence_detected_ends_the_search_and_is_reported() -> None:
    sm = sagemaker_lite.client()
    sm.emulator.script_training(metrics={"validation:loss": 0.25})  # a flat objective
    criteria = {"ConvergenceDetected": {"CompleteOnConvergence": "Enabled"}}
    sm.create_hyper_parameter_tuning_job(
        **tuning_request(
            strategy="Random", max_jobs=100, parallel=2, TuningJobCompletionCriteria=criteria
        )
    )
    sm.emulator.run_until_idle()
    d = describe(sm)
    assert d["HyperParameterTuningJobStatus"] == "Completed"
    assert len(children(sm)) < 100
    assert (
        d["TuningJobCompletionDetails"]["ConvergenceDetectedTime"]
        <= d["HyperParameterTuningEndTime"]
    )


def test_service_side_child_failures_count_as_retryable() -> None:
    sm = sagemaker_lite.client()
    sm.emulator.script_training(
        lambda request: request["TrainingJobName"].startswith("tune-1-001"),
        fail_at="Starting",
        failure_reason="InternalServerError: We encountered an internal error. Please try again.",
    )
    sm.create_hyper_parameter_tuning_job(**tuning_request(max_jobs=3, parallel=1))
    sm.emulator.run_until_idle()
    counters = describe(sm)["TrainingJobStatusCounters"]
    assert counters["RetryableError"] == 1
    assert counters["NonRetryableError"] == 0
    assert counters["Completed"] == 2
