"""Training jobs end to end: create, lifecycle, list, stop, update, delete, tags."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

import pytest
from factories import training_request

import sagemaker_lite
from sagemaker_lite.contract.errors import ClientError
from sagemaker_lite.engine.behaviour import DEFAULT_DURATIONS, TRAINING_PHASES

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
DEFAULTS = DEFAULT_DURATIONS["training-job"]


@pytest.fixture
def sm() -> sagemaker_lite.Client:
    return sagemaker_lite.client()


def status(sm: sagemaker_lite.Client, name: str = "job-1") -> tuple[str, str]:
    d = sm.describe_training_job(TrainingJobName=name)
    return d["TrainingJobStatus"], d["SecondaryStatus"]


def error_of(call, **kwargs) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    return info.value.response["Error"]["Code"], info.value.response["Error"]["Message"]


# --- create -----------------------------------------------------------------------


def test_every_answer_carries_a_fresh_uuid4_shaped_request_id(sm: sagemaker_lite.Client) -> None:
    import uuid

    ids = [sm.create_training_job(**training_request("job-1"))["ResponseMetadata"]["RequestId"]]
    with pytest.raises(ClientError) as info:
        sm.create_training_job(**training_request("job-1"))
    ids.append(info.value.response["ResponseMetadata"]["RequestId"])
    ids += [sm.list_training_jobs()["ResponseMetadata"]["RequestId"] for _ in range(3)]
    assert len(set(ids)) == len(ids)
    assert all(uuid.UUID(i).version == 4 and str(uuid.UUID(i)) == i for i in ids)
    assert all(uuid.UUID(i).variant == uuid.RFC_4122 for i in ids)
    # deterministic: a second emulator answers the same ids
    again = sagemaker_lite.client()
    assert again.list_training_jobs()["ResponseMetadata"]["RequestId"] == ids[0]


def test_create_returns_arn_of_the_clients_account_and_region() -> None:
    sm = sagemaker_lite.client(region_name="eu-west-1", account_id="111122223333")
    arn = sm.create_training_job(**training_request("My-Job"))["TrainingJobArn"]
    assert arn == "arn:aws:sagemaker:eu-west-1:111122223333:training-job/My-Job"


def test_duplicate_name_is_resource_in_use(sm: sagemaker_lite.Client) -> None:
    sm.create_training_job(**training_request())
    with pytest.raises(sm.exceptions.ResourceInUse) as info:
        sm.create_training_job(**training_request())
    assert info.value.response["Error"]["Message"] == (
        "Training job names must be unique within an AWS account and region, and a training "
        "job with this name already exists "
        "(arn:aws:sagemaker:us-east-1:123456789012:training-job/job-1)"
    )
    assert str(info.value).startswith(
        "An error occurred (ResourceInUse) when calling the CreateTrainingJob operation: "
    )


def test_failed_create_changes_nothing(sm: sagemaker_lite.Client) -> None:
    bad = training_request(
        StoppingCondition={"MaxRuntimeInSeconds": 60, "MaxWaitTimeInSeconds": 90}
    )
    with pytest.raises(ClientError):
        sm.create_training_job(**bad)
    assert sm.list_training_jobs()["TrainingJobSummaries"] == []
    sm.create_training_job(**training_request())  # the name is still free


def test_worlds_are_isolated_by_account_and_region() -> None:
    emulator = sagemaker_lite.Emulator()
    us = emulator.client("us-east-1", "123456789012")
    eu = emulator.client("eu-west-1", "123456789012")
    other = emulator.client("us-east-1", "210987654321")
    us.create_training_job(**training_request())
    assert eu.list_training_jobs()["TrainingJobSummaries"] == []
    assert other.list_training_jobs()["TrainingJobSummaries"] == []
    eu.create_training_job(**training_request())  # same name, other world
    code, message = error_of(other.describe_training_job, TrainingJobName="job-1")
    assert (code, message) == ("ValidationException", "Requested resource not found.")


def test_caller_mutating_its_request_or_a_response_changes_nothing(
    sm: sagemaker_lite.Client,
) -> None:
    request = training_request()
    sm.create_training_job(**request)
    request["HyperParameters"]["learning_rate"] = "99"
    described = sm.describe_training_job(TrainingJobName="job-1")
    described["HyperParameters"]["learning_rate"] = "42"
    again = sm.describe_training_job(TrainingJobName="job-1")
    assert again["HyperParameters"]["learning_rate"] == "0.01"


# --- lifecycle --------------------------------------------------------------------


def test_file_mode_walks_through_every_secondary_status(sm: sagemaker_lite.Client) -> None:
    sm.create_training_job(**training_request())
    seen = [status(sm)]
    for phase in TRAINING_PHASES:  # each phase of the default plan, one after another
        sm.emulator.advance(DEFAULTS[phase])
        seen.append(status(sm))
    assert seen == [
        ("InProgress", "Starting"),
        ("InProgress", "Downloading"),
        ("InProgress", "Training"),
        ("InProgress", "Uploading"),
        ("Completed", "Completed"),
    ]


def test_pipe_mode_has_no_downloading(sm: sagemaker_lite.Client) -> None:
    request = training_request()
    request["AlgorithmSpecification"]["TrainingInputMode"] = "Pipe"
    sm.create_training_job(**request)
    sm.emulator.run_until_idle()
    statuses = [
        t["Status"]
        for t in sm.describe_training_job(TrainingJobName="job-1")["SecondaryStatusTransitions"]
    ]
    assert statuses == ["Starting", "Training", "Uploading", "Completed"]


def test_completed_job_times_artifacts_and_transitions(sm: sagemaker_lite.Client) -> None:
    sm.create_training_job(**training_request())
    sm.emulator.run_until_idle()
    d = sm.describe_training_job(TrainingJobName="job-1")
    assert d["CreationTime"] == START
    assert d["TrainingStartTime"] == START + timedelta(seconds=DEFAULTS["Starting"])
    assert d["TrainingEndTime"] == d["LastModifiedTime"]
    seconds = (d["TrainingEndTime"] - d["TrainingStartTime"]).total_seconds()
    assert d["TrainingTimeInSeconds"] == d["BillableTimeInSeconds"] == seconds
    assert 60 <= seconds <= 600  # a small job: minutes
    assert d["ModelArtifacts"] == {
        "S3ModelArtifacts": "s3://bucket/output/job-1/output/model.tar.gz"
    }
    transitions = d["SecondaryStatusTransitions"]
    for before, after in itertools.pairwise(transitions):
        assert before["EndTime"] == after["StartTime"]
    assert transitions[-1]["StartTime"] == transitions[-1]["EndTime"]
    assert transitions[-1]["StatusMessage"] == "Training job completed"
    assert all(t["StartTime"].tzinfo is not None for t in transitions)
    assert [m["MetricName"] for m in d["FinalMetricDataList"]] == ["validation:loss"]


def test_max_runtime_stops_the_job(sm: sagemaker_lite.Client) -> None:
    sm.emulator.script_training(durations={"Training": 3600})
    sm.create_training_job(**training_request(StoppingCondition={"MaxRuntimeInSeconds": 300}))
    sm.emulator.run_until_idle()
    d = sm.describe_training_job(TrainingJobName="job-1")
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("Stopped", "MaxRuntimeExceeded")
    assert d["TrainingTimeInSeconds"] == 300


def test_spot_billable_time_shows_the_savings(sm: sagemaker_lite.Client) -> None:
    spot = {"MaxRuntimeInSeconds": 3600, "MaxWaitTimeInSeconds": 3600}
    sm.create_training_job(
        **training_request(EnableManagedSpotTraining=True, StoppingCondition=spot)
    )
    sm.emulator.run_until_idle()
    d = sm.describe_training_job(TrainingJobName="job-1")
    assert d["BillableTimeInSeconds"] < d["TrainingTimeInSeconds"]
    assert d["BillableTimeInSeconds"] == round(d["TrainingTimeInSeconds"] * 0.3)  # 70 % saved


def test_spot_max_wait_exceeded() -> None:
    sm = sagemaker_lite.client()
    sm.emulator.script_training(durations={"Training": 7200})
    spot = {"MaxRuntimeInSeconds": 7200, "MaxWaitTimeInSeconds": 7200}
    sm.create_training_job(
        **training_request(EnableManagedSpotTraining=True, StoppingCondition=spot)
    )
    sm.emulator.run_until_idle()
    assert status(sm) == ("Stopped", "MaxWaitTimeExceeded")


def test_scripted_failure_with_reason() -> None:
    sm = sagemaker_lite.client()
    sm.emulator.script_training(
        "job-1", fail_at="Training", failure_reason="AlgorithmError: out of memory"
    )
    sm.create_training_job(**training_request())
    sm.create_training_job(**training_request("job-2"))
    sm.emulator.run_until_idle()
    d = sm.describe_training_job(TrainingJobName="job-1")
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("Failed", "Failed")
    assert d["FailureReason"] == "AlgorithmError: out of memory"
    # Required in the model: the configured location, even though nothing was uploaded.
    assert d["ModelArtifacts"] == {
        "S3ModelArtifacts": "s3://bucket/output/job-1/output/model.tar.gz"
    }
    assert status(sm, "job-2") == ("Completed", "Completed")


def test_scripted_metrics_as_a_function_of_hyperparameters() -> None:
    sm = sagemaker_lite.client()
    sm.emulator.script_training(
        metrics=lambda hp: {"validation:loss": (float(hp["learning_rate"]) - 0.1) ** 2}
    )
    sm.create_training_job(**training_request(HyperParameters={"learning_rate": "0.3"}))
    sm.emulator.run_until_idle()
    metrics = sm.describe_training_job(TrainingJobName="job-1")["FinalMetricDataList"]
    assert metrics[0]["MetricName"] == "validation:loss"
    assert metrics[0]["Value"] == pytest.approx(0.04)


def test_metrics_from_log_lines_via_metric_definitions() -> None:
    sm = sagemaker_lite.client()
    sm.emulator.script_training(logs=["epoch 1 val_loss=0.9", "noise", "epoch 2 val_loss=0.25"])
    sm.create_training_job(**training_request())
    sm.emulator.run_until_idle()
    metrics = sm.describe_training_job(TrainingJobName="job-1")["FinalMetricDataList"]
    assert [(m["MetricName"], m["Value"]) for m in metrics] == [("validation:loss", 0.25)]


def test_default_metrics_vary_smoothly_with_hyperparameters(sm: sagemaker_lite.Client) -> None:
    values = []
    for i, lr in enumerate(("0.001", "0.0011", "0.5")):
        sm.create_training_job(**training_request(f"j{i}", HyperParameters={"learning_rate": lr}))
    sm.emulator.run_until_idle()
    for i in range(3):
        d = sm.describe_training_job(TrainingJobName=f"j{i}")
        values.append(d["FinalMetricDataList"][0]["Value"])
    assert abs(values[0] - values[1]) < abs(values[0] - values[2])


def test_a_script_governs_only_its_jobs_whatever_was_created_before_or_after(
    sm: sagemaker_lite.Client,
) -> None:
    # Unscripted jobs with equal inputs share their plan: a script must never leak into it.
    def final_loss(name: str) -> float:
        described = sm.describe_training_job(TrainingJobName=name)
        return float(described["FinalMetricDataList"][0]["Value"])

    sm.create_training_job(**training_request("before"))
    sm.emulator.script_training("scripted", metrics={"validation:loss": 0.5}, fail_at="Training")
    sm.create_training_job(**training_request("scripted"))
    sm.create_training_job(**training_request("after"))
    sm.emulator.run_until_idle()
    assert status(sm, "scripted") == ("Failed", "Failed")
    assert status(sm, "before") == status(sm, "after") == ("Completed", "Completed")
    assert final_loss("before") == final_loss("after") != 0.5


def test_metrics_appear_while_training(sm: sagemaker_lite.Client) -> None:
    sm.create_training_job(**training_request())
    # Halfway through the default Training phase.
    sm.emulator.advance(DEFAULTS["Starting"] + DEFAULTS["Downloading"] + DEFAULTS["Training"] / 2)
    d = sm.describe_training_job(TrainingJobName="job-1")
    assert d["SecondaryStatus"] == "Training"
    assert d["FinalMetricDataList"][0]["Timestamp"] <= sm.emulator.clock.now()


# --- stop, update, delete ---------------------------------------------------------


def test_stop_goes_through_stopping_to_stopped(sm: sagemaker_lite.Client) -> None:
    sm.create_training_job(**training_request())
    sm.emulator.advance(200)
    sm.stop_training_job(TrainingJobName="job-1")
    assert status(sm) == ("Stopping", "Stopping")
    sm.emulator.run_until_idle()
    d = sm.describe_training_job(TrainingJobName="job-1")
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("Stopped", "Stopped")
    assert [t["Status"] for t in d["SecondaryStatusTransitions"]][-2:] == ["Stopping", "Stopped"]
    assert d["TrainingEndTime"] == START + timedelta(seconds=230)


def test_stop_of_a_finished_job_is_rejected(sm: sagemaker_lite.Client) -> None:
    sm.create_training_job(**training_request())
    sm.emulator.run_until_idle()
    assert error_of(sm.stop_training_job, TrainingJobName="job-1") == (
        "ValidationException",
        "The request was rejected because the training job is in status Completed.",
    )
    assert error_of(sm.stop_training_job, TrainingJobName="nope") == (
        "ValidationException",
        "Requested resource not found.",
    )


def test_delete_only_terminal_jobs(sm: sagemaker_lite.Client) -> None:
    sm.create_training_job(**training_request())
    code, _ = error_of(sm.delete_training_job, TrainingJobName="job-1")
    assert code == "ResourceInUse"
    sm.emulator.run_until_idle()
    sm.delete_training_job(TrainingJobName="job-1")
    assert error_of(sm.describe_training_job, TrainingJobName="job-1") == (
        "ValidationException",
        "Requested resource not found.",
    )
    sm.create_training_job(**training_request())  # the name is free again


def test_update_profiler_while_in_progress_only(sm: sagemaker_lite.Client) -> None:
    sm.create_training_job(**training_request())
    config = {"ProfilingIntervalInMilliseconds": 500}
    arn = sm.update_training_job(TrainingJobName="job-1", ProfilerConfig=config)["TrainingJobArn"]
    assert arn.endswith("training-job/job-1")
    described = sm.describe_training_job(TrainingJobName="job-1")
    assert described["ProfilerConfig"]["ProfilingIntervalInMilliseconds"] == 500
    sm.emulator.run_until_idle()
    code, _ = error_of(sm.update_training_job, TrainingJobName="job-1", ProfilerConfig=config)
    assert code == "ValidationException"


def test_warm_pool_keep_alive_is_available_then_terminated(sm: sagemaker_lite.Client) -> None:
    resources = {
        "InstanceType": "ml.m5.xlarge",
        "InstanceCount": 1,
        "VolumeSizeInGB": 30,
        "KeepAlivePeriodInSeconds": 600,
    }
    sm.create_training_job(**training_request(ResourceConfig=resources))
    sm.emulator.run_until_idle()
    assert (
        sm.describe_training_job(TrainingJobName="job-1")["WarmPoolStatus"]["Status"] == "Available"
    )
    assert error_of(sm.delete_training_job, TrainingJobName="job-1")[0] == "ResourceInUse"
    listed = sm.list_training_jobs(WarmPoolStatusEquals="Available")["TrainingJobSummaries"]
    assert [s["TrainingJobName"] for s in listed] == ["job-1"]
    sm.emulator.advance(600)
    assert (
        sm.describe_training_job(TrainingJobName="job-1")["WarmPoolStatus"]["Status"]
        == "Terminated"
    )
    sm.delete_training_job(TrainingJobName="job-1")


# --- list -------------------------------------------------------------------------


def make_jobs(sm: sagemaker_lite.Client, names: list[str]) -> None:
    for name in names:
        sm.create_training_job(**training_request(name))
        sm.emulator.advance(10)


def test_list_defaults_newest_first_and_pages(sm: sagemaker_lite.Client) -> None:
    names = [f"job-{i:02d}" for i in range(25)]
    make_jobs(sm, names)
    seen, token = [], None
    while True:
        page = sm.list_training_jobs(**({"NextToken": token} if token else {}))
        assert len(page["TrainingJobSummaries"]) <= 10
        seen += [s["TrainingJobName"] for s in page["TrainingJobSummaries"]]
        token = page.get("NextToken")
        if not token:
            break
    assert seen == names[::-1]


def test_list_filters_and_sorting(sm: sagemaker_lite.Client) -> None:
    make_jobs(sm, ["b-train", "a-train", "c-eval"])
    sm.stop_training_job(TrainingJobName="a-train")
    by_name = sm.list_training_jobs(SortBy="Name", SortOrder="Ascending")["TrainingJobSummaries"]
    assert [s["TrainingJobName"] for s in by_name] == ["a-train", "b-train", "c-eval"]
    contains = sm.list_training_jobs(NameContains="TRAIN")["TrainingJobSummaries"]
    assert [s["TrainingJobName"] for s in contains] == ["a-train", "b-train"]
    stopping = sm.list_training_jobs(StatusEquals="Stopping")["TrainingJobSummaries"]
    assert [s["TrainingJobName"] for s in stopping] == ["a-train"]
    after = sm.list_training_jobs(
        CreationTimeAfter=START + timedelta(seconds=5), CreationTimeBefore="2026-01-01T00:00:15Z"
    )
    assert [s["TrainingJobName"] for s in after["TrainingJobSummaries"]] == ["a-train"]
    modified = sm.list_training_jobs(LastModifiedTimeAfter=START + timedelta(seconds=25))
    assert [s["TrainingJobName"] for s in modified["TrainingJobSummaries"]] == ["a-train"]
    summary = by_name[0]
    assert set(summary) == {
        "TrainingJobName",
        "TrainingJobArn",
        "CreationTime",
        "LastModifiedTime",
        "TrainingJobStatus",
        "SecondaryStatus",
    }


def test_list_rejects_a_token_it_did_not_issue(sm: sagemaker_lite.Client) -> None:
    code, _ = error_of(sm.list_training_jobs, NextToken="not-a-token")
    assert code == "ValidationException"


# --- tags -------------------------------------------------------------------------


def test_tags_on_create_and_through_the_tag_operations(sm: sagemaker_lite.Client) -> None:
    arn = sm.create_training_job(**training_request(Tags=[{"Key": "team", "Value": "données ml"}]))[
        "TrainingJobArn"
    ]
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "dev"}])
    tags = sm.list_tags(ResourceArn=arn)["Tags"]
    assert tags == [{"Key": "team", "Value": "données ml"}, {"Key": "stage", "Value": "dev"}]
    sm.delete_tags(ResourceArn=arn, TagKeys=["team"])
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "stage", "Value": "dev"}]


def test_tag_limit_and_unknown_arn(sm: sagemaker_lite.Client) -> None:
    arn = sm.create_training_job(**training_request())["TrainingJobArn"]
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
    code, _ = error_of(sm.add_tags, ResourceArn=arn, Tags=[{"Key": "one-more", "Value": "v"}])
    assert code == "ValidationException"
    assert len(sm.list_tags(ResourceArn=arn, MaxResults=100)["Tags"]) == 50
    missing = arn.replace("job-1", "nope")
    assert error_of(sm.list_tags, ResourceArn=missing)[0] == "ValidationException"


# --- time -------------------------------------------------------------------------


def test_auto_advance_lets_a_polling_loop_see_every_status() -> None:
    sm = sagemaker_lite.client(auto_advance=True)
    sm.create_training_job(**training_request())
    seen = []
    while True:
        d = sm.describe_training_job(TrainingJobName="job-1")
        seen.append(d["SecondaryStatus"])
        if d["TrainingJobStatus"] != "InProgress":
            break
    assert seen == ["Starting", "Downloading", "Training", "Uploading", "Completed"]


def test_patch_sleep_turns_sleeps_into_virtual_time() -> None:
    import time

    sm = sagemaker_lite.client()
    sm.create_training_job(**training_request())
    wall = time.perf_counter()
    with sm.emulator.patch_sleep():
        while status(sm)[0] == "InProgress":
            time.sleep(60)
    assert time.perf_counter() - wall < 5
    # The first whole minute after the job's end: sleeping moved the virtual clock only.
    ended = sm.describe_training_job(TrainingJobName="job-1")["TrainingEndTime"]
    assert timedelta(0) <= sm.emulator.clock.now() - ended < timedelta(seconds=60)
    assert (sm.emulator.clock.now() - START).total_seconds() % 60 == 0
    assert time.sleep is not None and sm.emulator.clock.now() >= START
