"""CloudWatch Logs clean-up on SageMaker's log groups (issue 21, item 4)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from factories import processing_request, training_request

from sagemaker_lite import mock_sagemaker

GROUP = "/aws/sagemaker/TrainingJobs"


def purge_logs(logs: Any, test_logs: list[tuple[str, str]]) -> None:
    """Airflow's system-test clean-up (``purge_logs``), as it calls CloudWatch Logs."""
    for group, prefix in test_logs:
        streams = logs.describe_log_streams(logGroupName=group, logStreamNamePrefix=prefix)
        for stream in streams["logStreams"]:
            logs.delete_log_stream(logGroupName=group, logStreamName=stream["logStreamName"])
        if not logs.describe_log_streams(logGroupName=group)["logStreams"]:
            logs.delete_log_group(logGroupName=group)


def names(logs: Any, group: str) -> list[str]:
    return [s["logStreamName"] for s in logs.describe_log_streams(logGroupName=group)["logStreams"]]


def test_airflows_clean_up_deletes_the_streams_then_the_group() -> None:
    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request("env1-train"))
        sm.create_training_job(**training_request("other"))
        sm.create_processing_job(**processing_request("env1-prep"))
        emulator.run_until_idle()
        logs: Any = boto3.client("logs", region_name="us-east-1")
        purge_logs(logs, [(GROUP, "env1"), ("/aws/sagemaker/ProcessingJobs", "env1")])
        assert [n.split("/")[0] for n in names(logs, GROUP)] == ["other"]  # group kept
        with pytest.raises(logs.exceptions.ResourceNotFoundException):
            logs.describe_log_streams(logGroupName="/aws/sagemaker/ProcessingJobs")
        groups = logs.describe_log_groups(logGroupNamePrefix="/aws/sagemaker/")["logGroups"]
        assert [g["logGroupName"] for g in groups] == [GROUP]
        with pytest.raises(logs.exceptions.ResourceNotFoundException):
            logs.delete_log_stream(logGroupName=GROUP, logStreamName="env1-train/algo-1-1")


def test_a_deleted_group_comes_back_with_what_is_written_after() -> None:
    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request("first"))
        emulator.run_until_idle()
        logs: Any = boto3.client("logs", region_name="us-east-1")
        logs.put_retention_policy(logGroupName=GROUP, retentionInDays=7)
        group = logs.describe_log_groups(logGroupNamePrefix=GROUP)["logGroups"][0]
        assert group["retentionInDays"] == 7 and group["arn"].endswith(f"{GROUP}:*")
        logs.delete_log_group(logGroupName=GROUP)
        assert logs.describe_log_groups(logGroupNamePrefix=GROUP)["logGroups"] == []
        sm.create_training_job(**training_request("second"))
        emulator.run_until_idle()
        assert [n.split("/")[0] for n in names(logs, GROUP)] == ["second"]
        assert (
            "retentionInDays"
            not in logs.describe_log_groups(logGroupNamePrefix=GROUP)["logGroups"][0]
        )


def test_other_groups_still_go_on_to_moto() -> None:
    moto = pytest.importorskip("moto")
    with moto.mock_aws(), mock_sagemaker():
        logs: Any = boto3.client("logs", region_name="us-east-1")
        logs.create_log_group(logGroupName="/my/app")
        assert [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]] == ["/my/app"]
        logs.delete_log_group(logGroupName="/my/app")
        assert logs.describe_log_groups(logGroupNamePrefix="/my")["logGroups"] == []
