"""CloudWatch Logs of processing and transform jobs, through real boto3 clients."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from factories import model_request, processing_request, transform_request

from sagemaker_lite import Emulator, mock_sagemaker

PROCESSING = "/aws/sagemaker/ProcessingJobs"
TRANSFORM = "/aws/sagemaker/TransformJobs"


@pytest.fixture
def aws() -> Iterator[tuple[Emulator, Any, Any]]:
    """The emulator and boto3 sagemaker and logs clients served by it."""
    with mock_sagemaker() as emulator:
        session = boto3.Session(region_name="us-east-1")
        yield emulator, session.client("sagemaker"), session.client("logs")


def streams(logs: Any, group: str, prefix: str) -> list[str]:
    found = logs.describe_log_streams(logGroupName=group, logStreamNamePrefix=prefix)
    return [s["logStreamName"] for s in found["logStreams"]]


def messages(logs: Any, group: str, stream: str) -> list[str]:
    events = logs.get_log_events(logGroupName=group, logStreamName=stream)["events"]
    return [e["message"] for e in events]


def test_processing_streams_appear_when_the_work_begins(aws: Any) -> None:
    emulator, sm, logs = aws
    emulator.script_processing(logs=lambda env: [f"reading {env['SOURCE']}", "wrote 42 rows"])
    request = processing_request("prep", Environment={"SOURCE": "s3://bucket/raw/"})
    request["ProcessingResources"]["ClusterConfig"]["InstanceCount"] = 2
    sm.create_processing_job(**request)
    with pytest.raises(ClientError) as info:
        streams(logs, PROCESSING, "prep/")
    assert info.value.response["Error"]["Code"] == "ResourceNotFoundException"
    emulator.advance(180)  # instances start in 180 s by default
    started = sm.describe_processing_job(ProcessingJobName="prep")["ProcessingStartTime"]
    second = int(started.timestamp())
    assert streams(logs, PROCESSING, "prep/") == [f"prep/algo-1-{second}", f"prep/algo-2-{second}"]
    emulator.run_until_idle()
    lines = messages(logs, PROCESSING, f"prep/algo-1-{second}")
    assert lines == [
        "Starting processing job prep on instance 1 of 2",
        "reading s3://bucket/raw/",
        "wrote 42 rows",
        "Processing job prep completed",
    ]
    assert messages(logs, PROCESSING, f"prep/algo-2-{second}") == [
        "Starting processing job prep on instance 2 of 2"
    ]


def test_a_failed_processing_job_logs_its_exit_message(aws: Any) -> None:
    emulator, sm, logs = aws
    emulator.script_processing(
        failure_reason="AlgorithmError: See job logs for more information",
        exit_message="KeyError: 'label'",
    )
    sm.create_processing_job(**processing_request("prep"))
    emulator.run_until_idle()
    (stream,) = streams(logs, PROCESSING, "prep/")
    assert messages(logs, PROCESSING, stream)[-1] == "KeyError: 'label'"


def test_transform_streams_are_named_after_their_instances(aws: Any) -> None:
    emulator, sm, logs = aws
    sm.create_model(**model_request())
    emulator.script_transform(logs=["scored batch 1", "scored batch 2"])
    sm.create_transform_job(**transform_request("nightly"))
    emulator.run_until_idle()
    (stream,) = streams(logs, TRANSFORM, "nightly/")
    assert stream.startswith("nightly/i-")
    assert messages(logs, TRANSFORM, stream) == [
        "Starting transform job nightly on instance 1 of 1",
        "scored batch 1",
        "scored batch 2",
        "Transform job nightly completed",
    ]
    # Events carry their virtual times: the lines spread over the Transforming phase.
    events = logs.get_log_events(logGroupName=TRANSFORM, logStreamName=stream)["events"]
    times = [e["timestamp"] for e in events]
    assert times == sorted(times) and times[-1] - times[0] == 180_000


def test_sdk_processor_run_with_logs_prints_the_jobs_lines(
    aws: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
    sagemaker = pytest.importorskip("sagemaker")
    from sagemaker.processing import Processor

    emulator, _, _ = aws
    emulator.script_processing(logs=["hello from the container"])
    session = sagemaker.Session(boto_session=boto3.Session(region_name="us-east-1"))
    processor = Processor(
        image_uri=processing_request()["AppSpecification"]["ImageUri"],
        role=processing_request()["RoleArn"],
        instance_count=1,
        instance_type="ml.m5.xlarge",
        sagemaker_session=session,
    )
    processor.run(wait=True, logs=True)
    assert "hello from the container" in capsys.readouterr().out
