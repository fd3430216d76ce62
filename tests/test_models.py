"""Models: create, describe, list, delete, tags, through the direct client and boto3."""

from __future__ import annotations

from typing import Any

from factories import api_error as error
from factories import model_request, training_request

from sagemaker_lite import Emulator

ARN = "arn:aws:sagemaker:us-east-1:123456789012:model/{}"


def test_create_and_describe_echo_the_containers(world: tuple[Emulator, Any]) -> None:
    emulator, client = world
    arn = client.create_model(**model_request("Scorer"))["ModelArn"]
    assert arn == ARN.format("scorer")
    described = client.describe_model(ModelName="scorer")
    assert described["ModelName"] == "Scorer"
    assert described["ModelArn"] == arn
    assert described["PrimaryContainer"] == model_request()["PrimaryContainer"]
    assert described["ExecutionRoleArn"] == model_request()["ExecutionRoleArn"]
    assert described["EnableNetworkIsolation"] is False  # answered even when not sent
    assert described["CreationTime"] == emulator.clock.now()


def test_an_inference_pipeline_keeps_its_containers_in_order(world: tuple[Emulator, Any]) -> None:
    _, client = world
    containers = [
        {"Image": "prep:1", "Environment": {"MODE": "csv"}},
        {"Image": "xgb:1", "ModelDataUrl": "s3://b/model.tar.gz"},
    ]
    request = model_request("pipe", Containers=containers, EnableNetworkIsolation=True)
    del request["PrimaryContainer"]
    client.create_model(**request)
    described = client.describe_model(ModelName="pipe")
    assert described["Containers"] == containers
    assert described["EnableNetworkIsolation"] is True
    assert "PrimaryContainer" not in described


def test_a_trained_models_data_is_the_training_jobs_artifact(world: tuple[Emulator, Any]) -> None:
    emulator, client = world
    client.create_training_job(**training_request("train-1"))
    emulator.run_until_idle()
    artifact = client.describe_training_job(TrainingJobName="train-1")["ModelArtifacts"]
    client.create_model(
        **model_request(
            "from-job",
            PrimaryContainer={"Image": "xgb:1", "ModelDataUrl": artifact["S3ModelArtifacts"]},
        )
    )
    described = client.describe_model(ModelName="from-job")["PrimaryContainer"]
    assert described["ModelDataUrl"] == "s3://bucket/output/train-1/output/model.tar.gz"


def test_duplicate_and_missing_models(world: tuple[Emulator, Any]) -> None:
    _, client = world
    client.create_model(**model_request("m"))
    assert error(client.create_model, **model_request("M")) == {
        "Code": "ValidationException",
        "Message": f'Cannot create already existing model "{ARN.format("m")}".',
    }
    for call in (client.describe_model, client.delete_model):
        assert error(call, ModelName="ghost") == {
            "Code": "ValidationException",
            "Message": f'Could not find model "{ARN.format("ghost")}".',
        }


def test_delete_frees_the_name(world: tuple[Emulator, Any]) -> None:
    _, client = world
    client.create_model(**model_request("m"))
    client.delete_model(ModelName="M")
    assert client.list_models()["Models"] == []
    client.create_model(**model_request("m"))
    assert [m["ModelName"] for m in client.list_models()["Models"]] == ["m"]


def test_list_filters_sorts_and_pages(world: tuple[Emulator, Any]) -> None:
    emulator, client = world
    for name in ("b-model", "a-model", "c-other"):
        client.create_model(**model_request(name))
        emulator.advance(60)
    newest_first = [m["ModelName"] for m in client.list_models()["Models"]]
    assert newest_first == ["c-other", "a-model", "b-model"]
    by_name = client.list_models(SortBy="Name", SortOrder="Ascending", NameContains="MODEL")
    assert [m["ModelName"] for m in by_name["Models"]] == ["a-model", "b-model"]
    pages = client.get_paginator("list_models").paginate(PaginationConfig={"PageSize": 1})
    assert [len(p["Models"]) for p in pages] == [1, 1, 1]
    (summary,) = client.list_models(NameContains="other")["Models"]
    assert set(summary) == {"ModelName", "ModelArn", "CreationTime"}


def test_tags_on_model_arns(world: tuple[Emulator, Any]) -> None:
    _, client = world
    arn = client.create_model(**model_request("m", Tags=[{"Key": "team", "Value": "ml"}]))[
        "ModelArn"
    ]
    client.delete_tags(ResourceArn=arn, TagKeys=["team"])
    client.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "prod"}])
    assert client.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "stage", "Value": "prod"}]
    client.delete_model(ModelName="m")
    assert error(client.list_tags, ResourceArn=arn)["Code"] == "ValidationException"
