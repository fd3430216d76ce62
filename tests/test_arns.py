"""ARN case per job family and per operation, and tagging by ARN (docs/fidelity.md, "ARNs")."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError
from factories import (
    compilation_request,
    model_request,
    processing_request,
    training_request,
    transform_request,
    tuning_request,
)

import sagemaker_lite
from sagemaker_lite.engine.world import CASE_PRESERVING_KINDS
from sagemaker_lite.surfaces.client import Client

PREFIX = "arn:aws:sagemaker:us-east-1:123456789012:"


@pytest.fixture
def client() -> Client:
    return sagemaker_lite.client()


def test_training_job_arns_keep_the_name_case_everywhere(client: Client) -> None:
    arn = client.create_training_job(**training_request("My-Job"))["TrainingJobArn"]
    assert arn == f"{PREFIX}training-job/My-Job"
    assert client.describe_training_job(TrainingJobName="my-job")["TrainingJobArn"] == arn
    (summary,) = client.list_training_jobs()["TrainingJobSummaries"]
    assert summary["TrainingJobArn"] == arn


def test_tags_work_on_the_arn_describe_gives_and_not_on_another_case(client: Client) -> None:
    client.create_training_job(**training_request("My-Job"))
    arn = client.describe_training_job(TrainingJobName="My-Job")["TrainingJobArn"]
    client.add_tags(ResourceArn=arn, Tags=[{"Key": "team", "Value": "ml"}])
    assert client.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "ml"}]
    with pytest.raises(ClientError) as info:
        client.list_tags(ResourceArn=arn.lower())
    assert info.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": "Resource does not exist",
    }


def test_tuning_job_list_gives_the_arn_lower_cased_and_tags_on_it_fail(client: Client) -> None:
    # boto/boto3#4606: describe keeps the case, the list lower-cases it, ListTags on
    # the listed ARN answers "Resource does not exist".
    created = client.create_hyper_parameter_tuning_job(**tuning_request("Tune-Me"))
    arn = created["HyperParameterTuningJobArn"]
    assert arn == f"{PREFIX}hyper-parameter-tuning-job/Tune-Me"
    described = client.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName="Tune-Me")
    assert described["HyperParameterTuningJobArn"] == arn
    (summary,) = client.list_hyper_parameter_tuning_jobs()["HyperParameterTuningJobSummaries"]
    assert summary["HyperParameterTuningJobArn"] == arn.lower()
    assert client.list_tags(ResourceArn=arn)["Tags"] == []
    with pytest.raises(ClientError, match="Resource does not exist"):
        client.list_tags(ResourceArn=summary["HyperParameterTuningJobArn"])


def test_tuning_children_point_at_the_parent_arn_describe_gives(client: Client) -> None:
    arn = client.create_hyper_parameter_tuning_job(**tuning_request("Tune-Me"))[
        "HyperParameterTuningJobArn"
    ]
    children = client.list_training_jobs_for_hyper_parameter_tuning_job(
        HyperParameterTuningJobName="Tune-Me"
    )["TrainingJobSummaries"]
    child = client.describe_training_job(TrainingJobName=children[0]["TrainingJobName"])
    assert child["TuningJobArn"] == arn
    assert child["TrainingJobArn"].endswith(f"training-job/{children[0]['TrainingJobName']}")


def test_compilation_job_arns_carry_the_lower_cased_name(client: Client) -> None:
    arn = client.create_compilation_job(**compilation_request("ResNet-C5"))["CompilationJobArn"]
    assert arn == f"{PREFIX}compilation-job/resnet-c5"
    client.add_tags(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
    assert client.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "k", "Value": "v"}]


def test_processing_job_arns_keep_the_name_case(client: Client) -> None:
    # aws/sagemaker-experiments#187: a mixed-case processing job name reaches its ARN.
    arn = client.create_processing_job(**processing_request("My-Proc"))["ProcessingJobArn"]
    assert arn == f"{PREFIX}processing-job/My-Proc"
    assert client.describe_processing_job(ProcessingJobName="My-Proc")["ProcessingJobArn"] == arn
    (summary,) = client.list_processing_jobs()["ProcessingJobSummaries"]
    assert summary["ProcessingJobArn"] == arn
    client.add_tags(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
    assert client.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "k", "Value": "v"}]


def test_model_and_transform_job_arns_carry_the_lower_cased_name(client: Client) -> None:
    model_arn = client.create_model(**model_request("My-Model"))["ModelArn"]
    assert model_arn == f"{PREFIX}model/my-model"
    assert client.describe_model(ModelName="My-Model")["ModelArn"] == model_arn
    created = client.create_transform_job(**transform_request("My-Batch", model="My-Model"))
    assert created["TransformJobArn"] == f"{PREFIX}transform-job/my-batch"
    described = client.describe_transform_job(TransformJobName="My-Batch")
    assert described["TransformJobArn"] == created["TransformJobArn"]


def test_pipeline_arns_keep_the_name_case(client: Client) -> None:
    # A public DescribePipelineExecution answer: pipeline/SimpleXGBoostPipeline/execution/...
    steps = [{"Name": "Stop", "Type": "Fail", "Arguments": {"ErrorMessage": "no"}}]
    definition = json.dumps({"Version": "2020-12-01", "Steps": steps})
    arn = client.create_pipeline(
        PipelineName="My-Pipeline",
        PipelineDefinition=definition,
        RoleArn="arn:aws:iam::123456789012:role/SageMakerRole",
    )["PipelineArn"]
    assert arn == f"{PREFIX}pipeline/My-Pipeline"
    assert client.describe_pipeline(PipelineName="My-Pipeline")["PipelineArn"] == arn


def test_every_kind_has_its_case_rule_stated() -> None:
    # The table and these tests agree: a kind added to the table needs a test above.
    assert {
        "training-job",
        "hyper-parameter-tuning-job",
        "processing-job",
        "pipeline",
    } == CASE_PRESERVING_KINDS
