"""Endpoint configurations and endpoints: lifecycle, updates, AWS's errors, both paths."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from factories import endpoint_config_request, model_request

import sagemaker_lite
from sagemaker_lite import Emulator, mock_sagemaker
from sagemaker_lite.contract.errors import ClientError

ARN = "arn:aws:sagemaker:us-east-1:123456789012"


def _deployed(sm: Any, endpoint: str = "ep", config: str = "config-1") -> None:
    sm.create_model(**model_request("model-1"))
    sm.create_endpoint_config(**endpoint_config_request(config))
    sm.create_endpoint(EndpointName=endpoint, EndpointConfigName=config)


def _error(call: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call(**params)
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


def _status(sm: Any, name: str = "ep") -> str:
    status: str = sm.describe_endpoint(EndpointName=name)["EndpointStatus"]
    return status


def test_create_to_in_service_then_update_then_delete() -> None:
    sm = sagemaker_lite.client()
    _deployed(sm)
    creating = sm.describe_endpoint(EndpointName="ep")
    assert creating["EndpointStatus"] == "Creating"
    assert creating["ProductionVariants"][0]["VariantStatus"][0]["Status"] == "Creating"
    assert "DeployedImages" not in creating["ProductionVariants"][0]
    sm.emulator.advance(299)
    assert _status(sm) == "Creating"
    sm.emulator.advance(1)
    live = sm.describe_endpoint(EndpointName="ep")["ProductionVariants"][0]
    assert "VariantStatus" not in live
    assert (live["CurrentWeight"], live["CurrentInstanceCount"]) == (1.0, 1)
    image = live["DeployedImages"][0]
    assert image["SpecifiedImage"].endswith("my-algo:latest")
    repository, _, digest = image["ResolvedImage"].partition("@sha256:")
    assert repository == image["SpecifiedImage"].removesuffix(":latest")
    assert len(digest) == 64 and int(digest, 16) >= 0

    sm.create_endpoint_config(
        **endpoint_config_request(
            "config-2", DataCaptureConfig={"InitialSamplingPercentage": 20,
                                           "DestinationS3Uri": "s3://b/c",
                                           "CaptureOptions": [{"CaptureMode": "Input"}]}
        )
    )  # fmt: skip
    sm.update_endpoint(EndpointName="ep", EndpointConfigName="config-2")
    updating = sm.describe_endpoint(EndpointName="ep")
    assert updating["EndpointStatus"] == "Updating"
    assert updating["EndpointConfigName"] == "config-1"  # the old one serves meanwhile
    assert updating["PendingDeploymentSummary"]["EndpointConfigName"] == "config-2"
    code, message = _error(sm.delete_endpoint, EndpointName="ep")
    assert (code, message) == (
        "ValidationException",
        f'Cannot update in-progress endpoint "{ARN}:endpoint/ep".',
    )
    sm.emulator.advance(300)
    done = sm.describe_endpoint(EndpointName="ep")
    assert done["EndpointConfigName"] == "config-2"
    assert "PendingDeploymentSummary" not in done
    assert done["DataCaptureConfig"]["CaptureStatus"] == "Started"

    sm.delete_endpoint(EndpointName="ep")
    assert _status(sm) == "Deleting"
    sm.emulator.advance(30)
    assert _error(sm.describe_endpoint, EndpointName="ep") == (
        "ValidationException",
        f'Could not find endpoint "{ARN}:endpoint/ep".',
    )
    assert sm.list_endpoints()["Endpoints"] == []


def test_awss_errors_for_missing_and_duplicate_resources() -> None:
    sm = sagemaker_lite.client()
    assert _error(sm.create_endpoint_config, **endpoint_config_request(model="nope")) == (
        "ValidationException",
        f'Could not find model "{ARN}:model/nope".',
    )
    assert sm.list_endpoint_configs()["EndpointConfigs"] == []  # the failed call left nothing
    assert _error(sm.create_endpoint, EndpointName="ep", EndpointConfigName="Missing") == (
        "ValidationException",
        f'Could not find endpoint configuration "{ARN}:endpoint-config/missing".',
    )
    _deployed(sm)
    assert _error(sm.create_endpoint_config, **endpoint_config_request()) == (
        "ValidationException",
        f'Cannot create already existing endpoint configuration "{ARN}:endpoint-config/config-1".',
    )
    assert _error(sm.create_endpoint, EndpointName="EP", EndpointConfigName="config-1") == (
        "ValidationException",
        f'Cannot create already existing endpoint "{ARN}:endpoint/ep".',
    )
    # Not InService yet: neither kind of update is accepted.
    in_progress = (
        "ValidationException",
        f'Cannot update in-progress endpoint "{ARN}:endpoint/ep".',
    )
    assert _error(sm.update_endpoint, EndpointName="ep", EndpointConfigName="config-1") == (
        in_progress
    )
    weights = [{"VariantName": "AllTraffic", "DesiredWeight": 2.0}]
    assert (
        _error(
            sm.update_endpoint_weights_and_capacities,
            EndpointName="ep",
            DesiredWeightsAndCapacities=weights,
        )
        == in_progress
    )
    assert _error(sm.delete_endpoint_config, EndpointConfigName="none")[0] == "ValidationException"


def test_a_deleted_config_and_model_leave_the_endpoint_serving() -> None:
    sm = sagemaker_lite.client()
    _deployed(sm)
    sm.delete_endpoint_config(EndpointConfigName="config-1")
    sm.delete_model(ModelName="model-1")
    sm.emulator.advance(300)
    described = sm.describe_endpoint(EndpointName="ep")
    assert described["EndpointStatus"] == "InService"
    assert described["EndpointConfigName"] == "config-1"


def test_scripted_failures_rollback_and_system_update() -> None:
    sm = sagemaker_lite.client()
    emulator = sm.emulator
    emulator.script_endpoint("broken", fail_at="Creating")
    emulator.script_endpoint("flaky", fail_at="Updating", durations={"RollingBack": 50})
    emulator.script_endpoint("patched", durations={"Creating": 10, "SystemUpdating": 40})
    sm.create_model(**model_request("model-1"))
    sm.create_endpoint_config(**endpoint_config_request("config-1"))
    for name in ("broken", "flaky", "patched"):
        sm.create_endpoint(EndpointName=name, EndpointConfigName="config-1")
    emulator.advance(11)
    assert _status(sm, "patched") == "SystemUpdating"
    emulator.advance(40)
    assert _status(sm, "patched") == "InService"
    emulator.advance(300)
    broken = sm.describe_endpoint(EndpointName="broken")
    assert broken["EndpointStatus"] == "Failed"
    assert broken["FailureReason"] == (
        "The primary container for production variant AllTraffic did not pass the ping "
        "health check. Please check CloudWatch logs for this endpoint."
    )
    sm.create_endpoint_config(**endpoint_config_request("config-2"))
    sm.update_endpoint(EndpointName="flaky", EndpointConfigName="config-2")
    emulator.advance(300)
    assert _status(sm, "flaky") == "RollingBack"
    emulator.advance(50)
    flaky = sm.describe_endpoint(EndpointName="flaky")
    assert (flaky["EndpointStatus"], flaky["EndpointConfigName"]) == ("InService", "config-1")
    assert "ping health check" in flaky["FailureReason"]
    sm.delete_endpoint(EndpointName="broken")  # a Failed endpoint can be deleted
    assert _status(sm, "broken") == "Deleting"


def test_weights_and_capacities_and_retained_properties() -> None:
    sm = sagemaker_lite.client()
    _deployed(sm)
    sm.emulator.advance(300)
    change = [{"VariantName": "AllTraffic", "DesiredWeight": 3.0, "DesiredInstanceCount": 4}]
    sm.update_endpoint_weights_and_capacities(EndpointName="ep", DesiredWeightsAndCapacities=change)
    variant = sm.describe_endpoint(EndpointName="ep")["ProductionVariants"][0]
    assert (variant["DesiredWeight"], variant["DesiredInstanceCount"]) == (3.0, 4)
    assert (variant["CurrentWeight"], variant["CurrentInstanceCount"]) == (1.0, 1)
    sm.emulator.advance(300)
    variant = sm.describe_endpoint(EndpointName="ep")["ProductionVariants"][0]
    assert (variant["CurrentWeight"], variant["CurrentInstanceCount"]) == (3.0, 4)
    sm.create_endpoint_config(**endpoint_config_request("config-2"))
    sm.update_endpoint(
        EndpointName="ep",
        EndpointConfigName="config-2",
        RetainAllVariantProperties=True,
        ExcludeRetainedVariantProperties=[{"VariantPropertyType": "DesiredWeight"}],
    )
    sm.emulator.advance(300)
    variant = sm.describe_endpoint(EndpointName="ep")["ProductionVariants"][0]
    assert (variant["CurrentWeight"], variant["CurrentInstanceCount"]) == (1.0, 4)
    unknown = [{"VariantName": "other", "DesiredWeight": 1.0}]
    code, _ = _error(
        sm.update_endpoint_weights_and_capacities,
        EndpointName="ep",
        DesiredWeightsAndCapacities=unknown,
    )
    assert code == "ValidationException"


def test_boto3_waiters_tags_and_monitoring_schedules() -> None:
    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        _deployed(sm)
        sm.get_waiter("endpoint_in_service").wait(
            EndpointName="ep", WaiterConfig={"Delay": 30, "MaxAttempts": 20}
        )
        arn = sm.describe_endpoint(EndpointName="ep")["EndpointArn"]
        sm.add_tags(ResourceArn=arn, Tags=[{"Key": "team", "Value": "ml"}])
        assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "ml"}]
        assert sm.list_monitoring_schedules(EndpointName="ep")["MonitoringScheduleSummaries"] == []
        pages = sm.get_paginator("list_endpoints").paginate(PaginationConfig={"PageSize": 1})
        assert [e["EndpointName"] for page in pages for e in page["Endpoints"]] == ["ep"]
        sm.delete_endpoint(EndpointName="ep")
        sm.get_waiter("endpoint_deleted").wait(
            EndpointName="ep", WaiterConfig={"Delay": 30, "MaxAttempts": 20}
        )
        assert emulator.now() >= 330


def test_snapshot_restores_an_endpoint_mid_update() -> None:
    sm = sagemaker_lite.client()
    _deployed(sm)
    sm.emulator.advance(300)
    sm.create_endpoint_config(**endpoint_config_request("config-2"))
    sm.update_endpoint(EndpointName="ep", EndpointConfigName="config-2")
    state = sm.emulator.snapshot()
    other = Emulator.from_snapshot(state)
    client = other.client()
    assert client.describe_endpoint(EndpointName="ep")["EndpointStatus"] == "Updating"
    other.advance(300)
    assert client.describe_endpoint(EndpointName="ep")["EndpointConfigName"] == "config-2"
