"""SageMaker Python SDK v3's ``sagemaker.core`` resources host a model under the
default mock: ``Model.create``, ``EndpointConfig.create``, ``Endpoint.create``,
``wait_for_status``, ``invoke`` (with v3's serializers too), ``invoke_async``,
``update``, ``update_weights_and_capacities``, ``delete`` and ``wait_for_delete``.

Skipped where v3 is not installed; CI runs them in v3's own virtualenv (``.ci/run``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import factories
import pytest

from sagemaker_lite import Emulator

os.environ["SAGEMAKER_VALIDATE_ROLE"] = "false"
resources: Any = pytest.importorskip("sagemaker.core.resources", reason="SDK v3 not installed")
shapes: Any = pytest.importorskip("sagemaker.core.shapes")
session_helper: Any = pytest.importorskip("sagemaker.core.helper.session_helper")
serializers: Any = pytest.importorskip("sagemaker.core.serializers")
deserializers: Any = pytest.importorskip("sagemaker.core.deserializers")
pytest.importorskip("moto")

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = factories.SDK_IMAGE
BUCKET = "my-bucket"


@pytest.fixture
def world() -> Iterator[tuple[Emulator, Any]]:
    """The default mock serving SageMaker and its runtime; moto serving S3."""
    with factories.sdk_world(session_helper.Session, BUCKET) as world:
        # CreateModel looks its model data up where S3 is served, as AWS does.
        world[1].boto_session.client("s3").put_object(
            Bucket=BUCKET, Key="output/model.tar.gz", Body=b"model"
        )
        yield world


def _sums(body: bytes, content_type: str) -> tuple[bytes, str]:
    """A fake model: the sum of each JSON row."""
    return json.dumps({"sums": [sum(r) for r in json.loads(body)]}).encode(), "application/json"


def _model(boto_session: Any, name: str = "model-1") -> Any:
    return resources.Model.create(
        model_name=name,
        primary_container=shapes.ContainerDefinition(
            image=IMAGE, model_data_url=f"s3://{BUCKET}/output/model.tar.gz"
        ),
        execution_role_arn=ROLE,
        session=boto_session,
    )


def _config(boto_session: Any, name: str, model: str, count: int = 1, **extra: Any) -> Any:
    return resources.EndpointConfig.create(
        endpoint_config_name=name,
        production_variants=[
            shapes.ProductionVariant(
                variant_name="AllTraffic",
                model_name=model,
                instance_type="ml.m5.large",
                initial_instance_count=count,
            )
        ],
        session=boto_session,
        **extra,
    )


def test_create_wait_invoke_update_and_delete(
    world: tuple[Emulator, Any], real_sleeps: list[float]
) -> None:
    emulator, session = world
    boto_session = session.boto_session
    emulator.script_model(IMAGE, respond=_sums)
    model = _model(boto_session)
    config = _config(boto_session, "config-1", model.model_name)
    assert config.production_variants[0].model_name == "model-1"
    endpoint = resources.Endpoint.create(
        endpoint_name="endpoint-1",
        endpoint_config_name=config.endpoint_config_name,
        session=boto_session,
    )
    assert endpoint.endpoint_status == "Creating"
    endpoint.wait_for_status("InService")
    variant = endpoint.production_variants[0]
    assert variant.current_instance_count == 1
    assert variant.deployed_images[0].specified_image == IMAGE

    answer = endpoint.invoke(body=json.dumps([[1, 2], [3, 4]]), content_type="application/json")
    assert answer.content_type == "application/json"
    assert json.loads(answer.body.read()) == {"sums": [3, 7]}
    assert answer.invoked_production_variant == "AllTraffic"

    bigger = _config(boto_session, "config-2", model.model_name, count=2)
    endpoint.endpoint_config_name = bigger.endpoint_config_name
    endpoint.update()
    assert endpoint.endpoint_status == "Updating"
    endpoint.wait_for_status("InService")
    assert endpoint.endpoint_config_name == "config-2"
    assert endpoint.production_variants[0].current_instance_count == 2

    endpoint.delete()
    endpoint.wait_for_delete()
    config.delete()
    bigger.delete()
    model.delete()
    assert list(resources.Endpoint.get_all(session=boto_session)) == []
    assert list(resources.EndpointConfig.get_all(session=boto_session)) == []
    assert real_sleeps == []


def test_a_scripted_failure_raises_with_its_reason(world: tuple[Emulator, Any]) -> None:
    emulator, session = world
    boto_session = session.boto_session
    emulator.script_endpoint(fail_at="Creating")
    model = _model(boto_session)
    config = _config(boto_session, "config-1", model.model_name)
    endpoint = resources.Endpoint.create(
        endpoint_name="endpoint-1",
        endpoint_config_name=config.endpoint_config_name,
        session=boto_session,
    )
    with pytest.raises(Exception, match="ping health check") as raised:
        endpoint.wait_for_status("InService")
    assert type(raised.value).__name__ == "FailedStatusError"


def test_serializers_async_inference_model_errors_and_weights(world: tuple[Emulator, Any]) -> None:
    emulator, session = world
    boto_session = session.boto_session
    emulator.script_model(IMAGE, respond=_sums)
    model = _model(boto_session)
    output = shapes.AsyncInferenceOutputConfig(s3_output_path=f"s3://{BUCKET}/async-out")
    config = _config(
        boto_session,
        "config-1",
        model.model_name,
        async_inference_config=shapes.AsyncInferenceConfig(output_config=output),
    )
    got = resources.EndpointConfig.get("config-1", session=boto_session)
    assert got.async_inference_config.output_config.s3_output_path == f"s3://{BUCKET}/async-out"
    endpoint = resources.Endpoint.create(
        endpoint_name="endpoint-1",
        endpoint_config_name=config.endpoint_config_name,
        session=boto_session,
    )
    endpoint.wait_for_status("InService")

    endpoint.serializer = serializers.JSONSerializer()
    endpoint.deserializer = deserializers.JSONDeserializer()
    assert endpoint.invoke(body=[[1, 2, 3]], content_type="application/json").body == {"sums": [6]}

    s3 = boto_session.client("s3")
    s3.put_object(Bucket=BUCKET, Key="async-in/request.json", Body=b"[[5, 6]]")
    queued = endpoint.invoke_async(
        input_location=f"s3://{BUCKET}/async-in/request.json", content_type="application/json"
    )
    key = queued.output_location.removeprefix(f"s3://{BUCKET}/")
    assert key == f"async-out/{queued.inference_id}.out"
    assert json.loads(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()) == {"sums": [11]}

    def broken(body: bytes, content_type: str) -> bytes:
        raise ValueError("bad input")

    emulator.script_model(IMAGE, respond=broken)
    endpoint.serializer = endpoint.deserializer = None
    with pytest.raises(Exception, match=r"Received server error \(500\) from primary") as raised:
        endpoint.invoke(body=b"1,2", content_type="text/csv")
    assert raised.value.response["Error"]["Code"] == "ModelError"

    endpoint.update_weights_and_capacities(
        desired_weights_and_capacities=[
            shapes.DesiredWeightAndCapacity(variant_name="AllTraffic", desired_instance_count=3)
        ]
    )
    endpoint.wait_for_status("InService")
    assert endpoint.production_variants[0].current_instance_count == 3
    listed = list(resources.Endpoint.get_all(session=boto_session))
    assert [(e.endpoint_name, e.endpoint_status) for e in listed] == [("endpoint-1", "InService")]


def test_serverless_capture_and_a_pending_deployment_read_back(world: tuple[Emulator, Any]) -> None:
    """What v3 parses out of DescribeEndpoint for a serverless variant with data capture,
    and while an update is pending.  The config is made through boto3: sagemaker-core
    2.27 sends ``ProductionVariantServerlessConfig`` as ``MemorySizeInMb``, which
    botocore refuses before any request (against AWS as here)."""
    _, session = world
    boto_session = session.boto_session
    model = _model(boto_session)
    boto_session.client("sagemaker").create_endpoint_config(
        EndpointConfigName="serverless",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": model.model_name,
                "ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 5},
            }
        ],
        DataCaptureConfig={
            "InitialSamplingPercentage": 50,
            "DestinationS3Uri": f"s3://{BUCKET}/capture",
            "CaptureOptions": [{"CaptureMode": "Input"}],
        },
    )
    config = resources.EndpointConfig.get("serverless", session=boto_session)
    assert config.production_variants[0].serverless_config.memory_size_in_mb == 2048
    instances = _config(boto_session, "instances", model.model_name)
    endpoint = resources.Endpoint.create(
        endpoint_name="endpoint-1",
        endpoint_config_name=instances.endpoint_config_name,
        session=boto_session,
    )
    endpoint.wait_for_status("InService")
    endpoint.endpoint_config_name = "serverless"
    endpoint.update()
    pending = endpoint.pending_deployment_summary
    assert pending.endpoint_config_name == "serverless"
    assert pending.production_variants[0].desired_serverless_config.max_concurrency == 5
    endpoint.wait_for_status("InService")
    variant = endpoint.production_variants[0]
    assert variant.current_serverless_config.memory_size_in_mb == 2048
    assert endpoint.data_capture_config.current_sampling_percentage == 50
    assert endpoint.invoke(body=b"1,2", content_type="text/csv").content_type == "text/csv"
