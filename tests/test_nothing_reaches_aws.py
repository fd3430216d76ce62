"""Whatever the client, nothing created inside ``mock_sagemaker()`` reaches AWS for SageMaker:
it is served, or it fails loudly (issue 12, item 6)."""

from __future__ import annotations

import asyncio
from typing import Any

import boto3
import pytest
from factories import training_request

from sagemaker_lite import mock_sagemaker

moto = pytest.importorskip("moto")
aiobotocore_session = pytest.importorskip("aiobotocore.session")


def test_a_sagemaker_client_made_inside_refuses_aws_after_the_mock() -> None:
    with mock_sagemaker():
        sm = boto3.client("sagemaker", region_name="us-east-1")
    with pytest.raises(RuntimeError, match="after the mock exited"):
        sm.list_training_jobs()


def test_sagemakers_other_services_fail_loudly_unless_someone_serves_them() -> None:
    record = {"FeatureGroupName": "g", "Record": [{"FeatureName": "f", "ValueAsString": "1"}]}
    with mock_sagemaker():
        store = boto3.client("sagemaker-featurestore-runtime", region_name="us-east-1")
        with pytest.raises(RuntimeError, match="does not emulate sagemaker-featurestore-runtime"):
            store.put_record(**record)
    # moto answers before the request would leave: it keeps serving what it serves.
    with moto.mock_aws(), mock_sagemaker():
        store = boto3.client("sagemaker-featurestore-runtime", region_name="us-east-1")
        with pytest.raises(Exception) as answered:
            store.put_record(**record)
        assert not isinstance(answered.value, RuntimeError)


def test_aiobotocore_clients_are_served_or_refused() -> None:
    async def run() -> tuple[str, str]:
        session = aiobotocore_session.get_session()
        async with session.create_client("sagemaker", region_name="us-east-1") as sm:
            arn = (await sm.create_training_job(**training_request()))["TrainingJobArn"]
        async with session.create_client(
            "sagemaker-featurestore-runtime", region_name="us-east-1"
        ) as store:
            try:
                await store.get_record(FeatureGroupName="g", RecordIdentifierValueAsString="1")
            except RuntimeError as error:
                return arn, str(error)
        raise AssertionError("the feature store call was sent")

    with mock_sagemaker() as emulator:
        arn, refused = asyncio.run(run())
    assert [job.arn for job in emulator.jobs()] == [arn]
    assert "does not emulate sagemaker-featurestore-runtime" in refused


def test_clients_of_other_services_are_left_alone() -> None:
    with moto.mock_aws(), mock_sagemaker():
        s3: Any = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="my-bucket")  # moto, untouched by us
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["my-bucket"]
