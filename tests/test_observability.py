"""CloudWatch Logs and metrics of training jobs through real boto3 clients inside mock_sagemaker."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from typing import Any

import boto3
import factories
import pytest
from botocore.exceptions import ClientError

from sagemaker_lite import Emulator, mock_sagemaker
from sagemaker_lite.engine.behaviour import DEFAULT_DURATIONS
from sagemaker_lite.views.job_output import metric_line

GROUP = "/aws/sagemaker/TrainingJobs"
NAMESPACE = "/aws/sagemaker/TrainingJobs"
START = _dt.datetime(2026, 1, 1, tzinfo=_dt.timezone.utc)


@pytest.fixture
def aws() -> Iterator[tuple[Emulator, Any, Any, Any]]:
    """The emulator and boto3 sagemaker, logs and cloudwatch clients served by it."""
    with mock_sagemaker() as emulator:
        session = boto3.Session(region_name="us-east-1")
        yield (
            emulator,
            session.client("sagemaker"),
            session.client("logs"),
            session.client("cloudwatch"),
        )


def error(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    return exc.value.response["Error"]["Code"], exc.value.response["Error"]["Message"]


def stream_names(logs: Any, prefix: str) -> list[str]:
    found = logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix=prefix)
    return [s["logStreamName"] for s in found["logStreams"]]


def messages(logs: Any, stream: str, **extra: Any) -> list[str]:
    events = logs.get_log_events(logGroupName=GROUP, logStreamName=stream, **extra)["events"]
    return [e["message"] for e in events]


def test_the_log_group_appears_when_the_first_instance_starts(aws: Any) -> None:
    emulator, sm, logs, _ = aws
    sm.create_training_job(**factories.training_request())
    with pytest.raises(ClientError) as exc:
        logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix="job-1/")
    assert error(exc) == ("ResourceNotFoundException", "The specified log group does not exist.")
    assert exc.value.__class__ is logs.exceptions.ResourceNotFoundException
    emulator.advance(120)  # Starting takes 120 s by default
    started = sm.describe_training_job(TrainingJobName="job-1")["TrainingStartTime"]
    assert stream_names(logs, "job-1/") == [f"job-1/algo-1-{int(started.timestamp())}"]


def test_one_stream_per_instance_named_as_aws_names_them(aws: Any) -> None:
    emulator, sm, logs, _ = aws
    resources = {"InstanceType": "ml.m5.xlarge", "InstanceCount": 3, "VolumeSizeInGB": 30}
    sm.create_training_job(**factories.training_request(ResourceConfig=resources))
    emulator.run_until_idle()
    start = int(sm.describe_training_job(TrainingJobName="job-1")["TrainingStartTime"].timestamp())
    names = stream_names(logs, "job-1/")
    assert names == [f"job-1/algo-{n}-{start}" for n in (1, 2, 3)]
    # The SDK asks for at most instance_count streams and loops while nextToken is present.
    page = logs.describe_log_streams(
        logGroupName=GROUP, logStreamNamePrefix="job-1/", orderBy="LogStreamName", limit=3
    )
    assert "nextToken" not in page
    two = logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix="job-1/", limit=2)
    rest = logs.describe_log_streams(
        logGroupName=GROUP, logStreamNamePrefix="job-1/", nextToken=two["nextToken"]
    )
    assert [s["logStreamName"] for s in two["logStreams"] + rest["logStreams"]] == names
    # A group named by its ARN (logGroupIdentifier) is the same group.
    arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/TrainingJobs"
    by_arn = logs.describe_log_streams(logGroupIdentifier=arn, logStreamNamePrefix="job-1/")
    assert [s["logStreamName"] for s in by_arn["logStreams"]] == names
    assert by_arn["logStreams"][0]["arn"] == f"{arn}:log-stream:{names[0]}"


def test_events_appear_as_virtual_time_passes_and_carry_the_metric_values(aws: Any) -> None:
    emulator, sm, logs, _ = aws
    sm.create_training_job(**factories.training_request())
    default = DEFAULT_DURATIONS["training-job"]
    emulator.advance(default["Starting"] + default["Downloading"] + default["Training"] / 2)
    (stream,) = stream_names(logs, "job-1/")
    halfway = messages(logs, stream, startFromHead=True)
    emulator.run_until_idle()
    finished = messages(logs, stream, startFromHead=True)
    assert finished[: len(halfway)] == halfway and len(finished) > len(halfway)
    losses = [float(m.split("=")[1]) for m in finished if m.startswith("val_loss=")]
    final = sm.describe_training_job(TrainingJobName="job-1")["FinalMetricDataList"][0]
    assert losses[-1] == final["Value"]
    assert finished[-1] == "Training complete; uploading the model artifacts."


def test_get_log_events_tokens_page_forward_and_backward_as_the_sdks_expect(aws: Any) -> None:
    emulator, sm, logs, _ = aws
    sm.create_training_job(**factories.training_request())
    emulator.run_until_idle()
    (stream,) = stream_names(logs, "job-1/")
    everything = messages(logs, stream, startFromHead=True)
    # Forward, 5 at a time, until an empty page gives back the same token (SDK v2's loop).
    read: list[str] = []
    token = None
    while True:
        extra = {"nextToken": token} if token else {"startFromHead": True}
        page = logs.get_log_events(logGroupName=GROUP, logStreamName=stream, limit=5, **extra)
        read += [e["message"] for e in page["events"]]
        if not page["events"]:
            assert page["nextForwardToken"] == token
            break
        token = page["nextForwardToken"]
    assert read == everything
    # Backward from the tail until the token stops changing (SDK v3's loop).
    backward: list[str] = []
    token = None
    while True:
        extra = {"nextToken": token} if token else {}
        page = logs.get_log_events(logGroupName=GROUP, logStreamName=stream, limit=4, **extra)
        backward = [e["message"] for e in page["events"]] + backward
        if page["nextBackwardToken"] == token:
            break
        token = page["nextBackwardToken"]
    assert backward == everything
    with pytest.raises(ClientError) as exc:
        logs.get_log_events(logGroupName=GROUP, logStreamName=stream, nextToken="nonsense")
    assert error(exc) == ("InvalidParameterException", "The specified nextToken is invalid.")


def test_time_filters_and_missing_streams(aws: Any) -> None:
    emulator, sm, logs, _ = aws
    sm.create_training_job(**factories.training_request())
    emulator.run_until_idle()
    (stream,) = stream_names(logs, "job-1/")
    events = logs.get_log_events(logGroupName=GROUP, logStreamName=stream, startFromHead=True)
    stamps = [e["timestamp"] for e in events["events"]]
    middle = stamps[len(stamps) // 2]
    later = logs.get_log_events(
        logGroupName=GROUP, logStreamName=stream, startTime=middle, startFromHead=True
    )["events"]
    assert [e["timestamp"] for e in later] == [t for t in stamps if t >= middle]
    earlier = logs.get_log_events(
        logGroupName=GROUP, logStreamName=stream, endTime=middle, startFromHead=True
    )["events"]
    assert [e["timestamp"] for e in earlier] == [t for t in stamps if t < middle]
    with pytest.raises(ClientError) as exc:
        logs.get_log_events(logGroupName=GROUP, logStreamName="job-1/algo-9-1")
    assert error(exc) == ("ResourceNotFoundException", "The specified log stream does not exist.")
    with pytest.raises(ClientError) as exc:
        logs.describe_log_streams(logGroupName=GROUP, limit=51)
    assert error(exc) == (
        "InvalidParameterException",
        "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: "
        "Member must have value less than or equal to 50",
    )


def test_scripted_lines_are_the_logs_and_a_wrong_regex_misses_its_metric(aws: Any) -> None:
    emulator, sm, logs, _ = aws
    lines = ["epoch 1 val_loss=0.9", "noise", "epoch 2 val_loss=0.25"]
    emulator.script_training(logs=lines)
    sm.create_training_job(**factories.training_request("right"))
    wrong = factories.training_request("wrong")
    wrong["AlgorithmSpecification"]["MetricDefinitions"] = [
        {"Name": "validation:loss", "Regex": "validation_loss: ([0-9.]+)"}
    ]
    sm.create_training_job(**wrong)
    emulator.run_until_idle()
    for name in ("right", "wrong"):
        (stream,) = stream_names(logs, f"{name}/")
        assert [m for m in messages(logs, stream, startFromHead=True) if m in lines] == lines
    right = sm.describe_training_job(TrainingJobName="right")["FinalMetricDataList"]
    assert [(m["MetricName"], m["Value"]) for m in right] == [("validation:loss", 0.25)]
    assert "FinalMetricDataList" not in sm.describe_training_job(TrainingJobName="wrong")


def test_filter_log_events_across_streams_with_a_pattern(aws: Any) -> None:
    emulator, sm, logs, _ = aws
    sm.create_training_job(**factories.training_request("a"))
    sm.create_training_job(**factories.training_request("b"))
    emulator.run_until_idle()
    found = logs.filter_log_events(logGroupName=GROUP, filterPattern="val_loss")["events"]
    assert {e["logStreamName"].split("/")[0] for e in found} == {"a", "b"}
    assert all("val_loss" in e["message"] for e in found)
    assert [e["timestamp"] for e in found] == sorted(e["timestamp"] for e in found)
    only_a = logs.filter_log_events(
        logGroupName=GROUP, logStreamNamePrefix="a/", filterPattern='"Training complete"'
    )["events"]
    assert [e["message"] for e in only_a] == ["Training complete; uploading the model artifacts."]
    excluded = logs.filter_log_events(
        logGroupName=GROUP, logStreamNamePrefix="a/", filterPattern="?Starting ?Hyperparameters"
    )["events"]
    assert len(excluded) == 2
    first = logs.filter_log_events(logGroupName=GROUP, limit=3)
    second = logs.filter_log_events(logGroupName=GROUP, nextToken=first["nextToken"])
    everything = logs.filter_log_events(logGroupName=GROUP)["events"]
    assert first["events"] + second["events"] == everything
    with pytest.raises(ClientError) as exc:
        logs.filter_log_events(logGroupName=GROUP, nextToken="nonsense")
    assert error(exc) == ("InvalidParameterException", "The specified nextToken is invalid.")


def test_other_log_groups_and_namespaces_go_where_they_went_before() -> None:
    moto = pytest.importorskip("moto")
    with moto.mock_aws(), mock_sagemaker():
        logs = boto3.client("logs", region_name="us-east-1")
        logs.create_log_group(logGroupName="/my/app")  # moto serves it
        logs.create_log_stream(logGroupName="/my/app", logStreamName="s")
        streams = logs.describe_log_streams(logGroupName="/my/app")["logStreams"]
        assert [s["logStreamName"] for s in streams] == ["s"]
        with pytest.raises(ClientError) as exc:  # moto's answer, not ours
            logs.get_log_events(logGroupName="/my/app", logStreamName="missing")
        assert exc.value.response["Error"]["Code"] == "ResourceNotFoundException"
        cw = boto3.client("cloudwatch", region_name="us-east-1")
        cw.put_metric_data(Namespace="Mine", MetricData=[{"MetricName": "m", "Value": 1.0}])
        assert [m["MetricName"] for m in cw.list_metrics(Namespace="Mine")["Metrics"]] == ["m"]


def test_metrics_are_the_jobs_series_under_host_and_job_name(aws: Any) -> None:
    emulator, sm, _, cw = aws
    emulator.script_training(durations={"Training": 600})  # ten epochs, one a minute
    sm.create_training_job(**factories.training_request())
    emulator.run_until_idle()
    described = sm.describe_training_job(TrainingJobName="job-1")
    listed = cw.list_metrics(Namespace=NAMESPACE)["Metrics"]
    assert sorted((m["MetricName"], m["Dimensions"][0]["Name"]) for m in listed) == [
        ("validation:loss", "Host"),
        ("validation:loss", "TrainingJobName"),
    ]
    host = [{"Name": "Host", "Value": "job-1/algo-1"}]
    stats = cw.get_metric_statistics(
        Namespace=NAMESPACE,
        MetricName="validation:loss",
        Dimensions=host,
        StartTime=described["TrainingStartTime"],
        EndTime=described["TrainingEndTime"] + _dt.timedelta(minutes=1),
        Period=60,
        Statistics=["Average", "SampleCount"],
    )["Datapoints"]
    assert len(stats) == 10 and all(p["SampleCount"] == 1.0 for p in stats)
    assert stats[-1]["Average"] == described["FinalMetricDataList"][0]["Value"]
    data = cw.get_metric_data(
        MetricDataQueries=[
            {
                "Id": "loss",
                "MetricStat": {
                    "Metric": {
                        "Namespace": NAMESPACE,
                        "MetricName": "validation:loss",
                        "Dimensions": host,
                    },
                    "Period": 60,
                    "Stat": "Minimum",
                },
            }
        ],
        StartTime=START,
        EndTime=START + _dt.timedelta(days=1),
        ScanBy="TimestampAscending",
    )["MetricDataResults"][0]
    assert data["Values"] == [p["Average"] for p in stats]
    assert data["StatusCode"] == "Complete"
    with pytest.raises(ClientError) as exc:
        cw.get_metric_statistics(
            Namespace=NAMESPACE,
            MetricName="validation:loss",
            StartTime=START,
            EndTime=START,
            Period=60,
            Statistics=["Average"],
        )
    assert error(exc)[0] == "InvalidParameterValue"


def test_a_job_stopped_midway_publishes_only_what_it_emitted(aws: Any) -> None:
    emulator, sm, logs, cw = aws
    emulator.script_training(durations={"Training": 600})  # ten epochs, one a minute
    sm.create_training_job(**factories.training_request())
    default = DEFAULT_DURATIONS["training-job"]
    emulator.advance(default["Starting"] + default["Downloading"] + 200)
    sm.stop_training_job(TrainingJobName="job-1")
    emulator.run_until_idle()
    (stream,) = stream_names(logs, "job-1/")
    losses = [m for m in messages(logs, stream, startFromHead=True) if m.startswith("val_loss")]
    stats = cw.get_metric_statistics(
        Namespace=NAMESPACE,
        MetricName="validation:loss",
        Dimensions=[{"Name": "TrainingJobName", "Value": "job-1"}],
        StartTime=START,
        EndTime=START + _dt.timedelta(days=1),
        Period=60,
        Statistics=["Maximum"],
    )["Datapoints"]
    assert 0 < len(losses) == len(stats) < 10


@pytest.mark.parametrize(
    "regex",
    [
        "val_loss=([0-9.]+)",
        "validation:loss: ([0-9\\.]+)",
        ".*\\[[0-9]+\\].*#011validation-loss:([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?).*",
        "loss = (\\S+)",
        "Validation Loss \\| value=(\\d+\\.\\d+)",
    ],
)
def test_default_metric_lines_are_read_back_by_the_jobs_regex(regex: str) -> None:
    import re

    line = metric_line("validation:loss", 0.4375, regex)
    match = re.search(regex, line)
    assert match is not None and float(match.group(1)) == 0.4375


def test_async_clients_read_the_same_logs_and_metrics() -> None:
    aiobotocore_session = pytest.importorskip("aiobotocore.session")
    import asyncio

    async def read(emulator: Emulator) -> tuple[list[str], int]:
        session = aiobotocore_session.get_session()
        async with (
            session.create_client("sagemaker", region_name="us-east-1") as sm,
            session.create_client("logs", region_name="us-east-1") as logs,
            session.create_client("cloudwatch", region_name="us-east-1") as cw,
        ):
            await sm.create_training_job(**factories.training_request())
            emulator.run_until_idle()
            streams = await logs.describe_log_streams(logGroupName=GROUP)
            metrics = await cw.list_metrics(Namespace=NAMESPACE)
            return [s["logStreamName"] for s in streams["logStreams"]], len(metrics["Metrics"])

    with mock_sagemaker() as emulator:
        names, metric_count = asyncio.run(read(emulator))
    assert len(names) == 1 and names[0].startswith("job-1/algo-1-")
    assert metric_count == 2  # validation:loss under Host and under TrainingJobName


@pytest.mark.parametrize(
    ("phase", "completes_training"), [("Training", False), ("Uploading", True)]
)
def test_a_failed_job_prints_its_failure_reason_last(
    aws: Any, phase: str, completes_training: bool
) -> None:
    emulator, sm, logs, _ = aws
    emulator.script_training(fail_at=phase, failure_reason="ClientError: bad input")
    sm.create_training_job(**factories.training_request())
    emulator.run_until_idle()
    (stream,) = stream_names(logs, "job-1/")
    printed = messages(logs, stream, startFromHead=True)
    assert printed[-1] == "ClientError: bad input"
    assert ("Training complete; uploading the model artifacts." in printed) == completes_training
