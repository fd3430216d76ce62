"""The model registry: groups, versioned and unversioned packages, CreateModel from a
package, Search, through the direct client and boto3."""

from __future__ import annotations

from typing import Any

import pytest
from factories import api_error as error
from factories import model_request

from sagemaker_lite import Emulator

PREFIX = "arn:aws:sagemaker:us-east-1:123456789012:"
SPEC = {
    "Containers": [{"Image": "img:1", "ModelDataUrl": "s3://bucket/model.tar.gz"}],
    "SupportedContentTypes": ["text/csv"],
    "SupportedResponseMIMETypes": ["text/csv"],
}


def version(client: Any, group: str = "Churn", **extra: Any) -> str:
    arn: str = client.create_model_package(
        ModelPackageGroupName=group, InferenceSpecification=SPEC, **extra
    )["ModelPackageArn"]
    return arn


def test_a_group_and_its_versions_move_pending_in_progress_completed(
    world: tuple[Emulator, Any],
) -> None:
    emulator, client = world
    arn = client.create_model_package_group(
        ModelPackageGroupName="Churn", ModelPackageGroupDescription="churn models"
    )["ModelPackageGroupArn"]
    assert arn == f"{PREFIX}model-package-group/churn"
    first, second = version(client), version(client, ModelApprovalStatus="Approved")
    assert (first, second) == (f"{PREFIX}model-package/churn/1", f"{PREFIX}model-package/churn/2")
    seen = set()
    for _ in range(4):
        group = client.describe_model_package_group(ModelPackageGroupName="churn")
        package = client.describe_model_package(ModelPackageName=first)
        seen.add((group["ModelPackageGroupStatus"], package["ModelPackageStatus"]))
        emulator.advance(1)
    assert seen == {(s, s) for s in ("Pending", "InProgress", "Completed")}
    assert group["ModelPackageGroupName"] == "Churn"
    assert group["ModelPackageGroupDescription"] == "churn models"
    assert package["ModelPackageName"] == package["ModelPackageGroupName"] == "Churn"
    assert package["ModelPackageVersion"] == 1
    assert package["InferenceSpecification"] == SPEC
    assert package["ModelApprovalStatus"] == "PendingManualApproval"  # a version's default
    details = package["ModelPackageStatusDetails"]
    assert details == {"ValidationStatuses": [], "ImageScanStatuses": []}


def test_versions_are_never_given_twice(world: tuple[Emulator, Any]) -> None:
    _, client = world
    client.create_model_package_group(ModelPackageGroupName="g")
    first = version(client, "g")
    client.delete_model_package(ModelPackageName=first)
    assert version(client, f"{PREFIX}model-package-group/g").endswith("/g/2")  # by ARN too
    assert (
        "does not exist" in error(client.describe_model_package, ModelPackageName=first)["Message"]
    )


def test_an_unversioned_package_lives_outside_groups(world: tuple[Emulator, Any]) -> None:
    _, client = world
    arn = client.create_model_package(ModelPackageName="Solo", InferenceSpecification=SPEC)[
        "ModelPackageArn"
    ]
    assert arn == f"{PREFIX}model-package/solo"
    described = client.describe_model_package(ModelPackageName="Solo")
    assert described["ModelPackageName"] == "Solo"
    assert "ModelPackageGroupName" not in described and "ModelApprovalStatus" not in described
    assert client.describe_model_package(ModelPackageName=arn)["ModelPackageArn"] == arn
    again = error(client.create_model_package, ModelPackageName="solo")
    assert again["Code"] == "ValidationException" and "already exists" in again["Message"]


def test_create_model_package_errors_are_awss(world: tuple[Emulator, Any]) -> None:
    _, client = world
    both = error(client.create_model_package, ModelPackageName="a", ModelPackageGroupName="b")
    assert both == {
        "Code": "ValidationException",
        "Message": "Both ModelPackageName and ModelPackageGroupName are provided in the input. "
        "Cannot determine which one to use.",
    }
    assert error(client.create_model_package)["Message"] == "Missing ARN."
    missing = error(client.create_model_package, ModelPackageGroupName="nope")
    group_arn = f"{PREFIX}model-package-group/nope"
    assert missing["Message"] == f"ModelPackageGroup {group_arn} does not exist."
    client.create_model_package_group(ModelPackageGroupName="g")
    twice = error(client.create_model_package_group, ModelPackageGroupName="G")
    assert twice == {
        "Code": "ValidationException",
        "Message": f"Model Package Group already exists: {PREFIX}model-package-group/g",
    }
    assert client.list_model_packages(ModelPackageType="Both")["ModelPackageSummaryList"] == []


def test_listing_versions_and_unversioned_packages(world: tuple[Emulator, Any]) -> None:
    _, client = world
    for group in ("alpha", "beta"):
        client.create_model_package_group(ModelPackageGroupName=group)
    a1, a2 = version(client, "alpha"), version(client, "alpha", ModelApprovalStatus="Approved")
    version(client, "beta")
    client.create_model_package(ModelPackageName="solo", InferenceSpecification=SPEC)

    def arns(**params: Any) -> list[str]:
        paginator = client.get_paginator("list_model_packages")
        pages = paginator.paginate(**params, PaginationConfig={"PageSize": 1})
        return [s["ModelPackageArn"] for p in pages for s in p["ModelPackageSummaryList"]]

    assert arns(ModelPackageGroupName="alpha") == [a1, a2]
    assert arns(ModelPackageGroupName="alpha", SortOrder="Descending") == [a2, a1]
    assert arns(ModelPackageGroupName="alpha", ModelApprovalStatus="Approved") == [a2]
    assert arns() == [f"{PREFIX}model-package/solo"]  # Unversioned by default
    assert len(arns(ModelPackageType="Versioned")) == 3
    assert len(arns(ModelPackageType="Both")) == 4
    summary = client.list_model_packages(ModelPackageGroupName="alpha")["ModelPackageSummaryList"]
    assert "ModelPackageName" not in summary[0]  # versions list no name (sdk#5606)
    assert summary[0]["ModelPackageGroupName"] == "alpha"
    groups = client.list_model_package_groups(SortBy="Name", SortOrder="Descending")
    assert [g["ModelPackageGroupName"] for g in groups["ModelPackageGroupSummaryList"]] == [
        "beta",
        "alpha",
    ]
    pages = client.get_paginator("list_model_package_groups").paginate(NameContains="ALP")
    names = [g["ModelPackageGroupName"] for p in pages for g in p["ModelPackageGroupSummaryList"]]
    assert names == ["alpha"]


def test_update_model_package(world: tuple[Emulator, Any]) -> None:
    emulator, client = world
    client.create_model_package_group(ModelPackageGroupName="g")
    arn = version(client, "g", CustomerMetadataProperties={"a": "1", "b": "2"})
    emulator.advance(10)
    answer = client.update_model_package(
        ModelPackageArn=arn,
        ModelApprovalStatus="Approved",
        ApprovalDescription="good enough",
        CustomerMetadataProperties={"c": "3"},
        CustomerMetadataPropertiesToRemove=["a"],
        AdditionalInferenceSpecificationsToAdd=[{"Name": "gpu", **SPEC}],
    )
    assert answer["ModelPackageArn"] == arn
    described = client.describe_model_package(ModelPackageName=arn)
    assert described["ModelApprovalStatus"] == "Approved"
    assert described["ApprovalDescription"] == "good enough"
    assert described["CustomerMetadataProperties"] == {"b": "2", "c": "3"}
    assert described["AdditionalInferenceSpecifications"] == [{"Name": "gpu", **SPEC}]
    assert described["LastModifiedTime"] == emulator.clock.now()
    missing = error(client.update_model_package, ModelPackageArn=f"{PREFIX}model-package/g/9")
    assert missing["Message"] == f"ModelPackage {PREFIX}model-package/g/9 does not exist."


def test_a_group_with_versions_cannot_be_deleted(world: tuple[Emulator, Any]) -> None:
    _, client = world
    client.create_model_package_group(ModelPackageGroupName="g")
    arn = version(client, "g")
    assert error(client.delete_model_package_group, ModelPackageGroupName="g")["Code"] == (
        "ConflictException"
    )
    client.delete_model_package(ModelPackageName=arn)
    client.delete_model_package_group(ModelPackageGroupName="g")
    gone = error(client.describe_model_package_group, ModelPackageGroupName="g")
    assert gone["Code"] == "ValidationException" and "does not exist" in gone["Message"]


def test_batch_describe_answers_found_and_missing(world: tuple[Emulator, Any]) -> None:
    _, client = world
    client.create_model_package_group(ModelPackageGroupName="g")
    arn = version(client, "g", ModelPackageDescription="first")
    missing = f"{PREFIX}model-package/g/7"
    answer = client.batch_describe_model_package(ModelPackageArnList=[arn, missing])
    summary = answer["ModelPackageSummaries"][arn]
    assert summary["InferenceSpecification"] == SPEC
    assert summary["ModelPackageDescription"] == "first"
    assert answer["BatchDescribeModelPackageErrorMap"][missing]["ErrorCode"] == (
        "ValidationException"
    )


def test_tags_on_groups_and_packages(world: tuple[Emulator, Any]) -> None:
    _, client = world
    group = client.create_model_package_group(
        ModelPackageGroupName="g", Tags=[{"Key": "team", "Value": "ml"}]
    )["ModelPackageGroupArn"]
    arn = version(client, "g", Tags=[{"Key": "stage", "Value": "dev"}])
    client.add_tags(ResourceArn=arn, Tags=[{"Key": "owner", "Value": "me"}])
    assert client.list_tags(ResourceArn=group)["Tags"] == [{"Key": "team", "Value": "ml"}]
    assert {t["Key"] for t in client.list_tags(ResourceArn=arn)["Tags"]} == {"stage", "owner"}


def test_create_model_from_a_package(world: tuple[Emulator, Any]) -> None:
    _, client = world
    client.create_model_package_group(ModelPackageGroupName="g")
    arn = version(client, "g")
    request = model_request("from-registry", PrimaryContainer={"ModelPackageName": arn})
    client.create_model(**request)
    described = client.describe_model(ModelName="from-registry")
    assert described["PrimaryContainer"] == {"ModelPackageName": arn}
    missing = model_request("m2", PrimaryContainer={"ModelPackageName": arn[:-1] + "5"})
    assert "does not exist" in error(client.create_model, **missing)["Message"]
    assert "m2" not in [m["ModelName"] for m in client.list_models()["Models"]]


def test_search_groups_packages_and_training_jobs(world: tuple[Emulator, Any]) -> None:
    from factories import training_request

    emulator, client = world
    for name in ("g1", "g2"):
        client.create_model_package_group(ModelPackageGroupName=name)
    version(client, "g1")
    client.create_training_job(**training_request("t1"))
    emulator.run_until_idle()
    by_name = {"Filters": [{"Name": "ModelPackageGroupName", "Operator": "Equals", "Value": "g2"}]}
    results = client.search(Resource="ModelPackageGroup", SearchExpression=by_name)["Results"]
    assert [r["ModelPackageGroup"]["ModelPackageGroupName"] for r in results] == ["g2"]
    assert (
        client.search(Resource="ModelPackage")["Results"][0]["ModelPackage"]["ModelPackageVersion"]
        == 1
    )
    artifact = client.describe_training_job(TrainingJobName="t1")["ModelArtifacts"]
    nested = {
        "Filters": [
            {
                "Name": "ModelArtifacts.S3ModelArtifacts",
                "Operator": "Equals",
                "Value": artifact["S3ModelArtifacts"],
            }
        ]
    }
    found = client.search(Resource="TrainingJob", SearchExpression=nested)["Results"]
    assert [r["TrainingJob"]["TrainingJobName"] for r in found] == ["t1"]
    pages = client.get_paginator("search").paginate(
        Resource="ModelPackageGroup", PaginationConfig={"PageSize": 1}
    )
    assert sum(len(p["Results"]) for p in pages) == 2


def test_snapshot_keeps_groups_versions_and_counters() -> None:
    emulator = Emulator()
    client = emulator.client()
    client.create_model_package_group(ModelPackageGroupName="g")
    version(client, "g")
    restored = Emulator.from_snapshot(emulator.snapshot())
    again = restored.client()
    assert version(again, "g").endswith("/g/2")
    restored.advance(5)
    summaries = again.list_model_packages(ModelPackageGroupName="g")["ModelPackageSummaryList"]
    assert [s["ModelPackageStatus"] for s in summaries] == ["Completed", "Completed"]


def test_estimator_register_under_the_default_mock(real_sleeps: list[float]) -> None:
    import os

    os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
    sagemaker = pytest.importorskip("sagemaker")
    pytest.importorskip("moto")
    import factories

    with factories.sdk_world(sagemaker.Session) as (_, session):
        estimator = factories.sdk_estimator(session)
        estimator.fit({"train": "s3://my-bucket/data"}, wait=True, logs=False)
        kwargs: dict[str, Any] = {
            "content_types": ["text/csv"],
            "response_types": ["text/csv"],
            "inference_instances": ["ml.m5.xlarge"],
            "transform_instances": ["ml.m5.xlarge"],
            "model_package_group_name": "churn",
        }
        first = estimator.register(**kwargs, approval_status="Approved")
        second = estimator.register(**kwargs)  # the group exists now: found by Search
        sm = session.sagemaker_client
        assert first.model_package_arn.endswith("/churn/1")
        assert second.model_package_arn.endswith("/churn/2")
        described = sm.describe_model_package(ModelPackageName=first.model_package_arn)
        assert described["ModelApprovalStatus"] == "Approved"
        container = described["InferenceSpecification"]["Containers"][0]
        assert container["ModelDataUrl"] == estimator.model_data
        assert "ModelCard" in described  # filled from the training job Search found
    assert real_sleeps == []
    assert described["InferenceSpecification"]["SupportedContentTypes"] == ["text/csv"]


def test_the_registry_and_shared_lookups_name_one_package_kind() -> None:
    from sagemaker_lite.engine.lifecycle import MODEL_PACKAGE
    from sagemaker_lite.families.shared.service import MODEL_PACKAGE_KIND

    assert MODEL_PACKAGE.kind == MODEL_PACKAGE_KIND


def test_search_reads_without_moving_the_clock() -> None:
    from factories import training_request

    emulator = Emulator(auto_advance=True)  # a describe of a running job would move time
    client = emulator.client()
    client.create_training_job(**training_request("t1"))
    before = emulator.clock.now()
    found = client.search(Resource="TrainingJob")["Results"]
    assert [r["TrainingJob"]["TrainingJobStatus"] for r in found] == ["InProgress"]
    assert emulator.clock.now() == before


def test_search_reaches_every_resource_the_emulator_holds(world: tuple[Emulator, Any]) -> None:
    from factories import training_request, tuning_request

    emulator, client = world
    client.create_model(**model_request("m1"), Tags=[{"Key": "team", "Value": "ml"}])
    client.create_model(**model_request("m2"))
    client.create_hyper_parameter_tuning_job(**tuning_request("tune-1"))
    client.create_training_job(**training_request("t1"))
    emulator.run_until_idle()
    models = client.search(Resource="Model")["Results"]
    assert [r["Model"]["Model"]["ModelName"] for r in models] == ["m2", "m1"]  # newest first
    by_name = {"Filters": [{"Name": "Model.ModelName", "Operator": "Equals", "Value": "m1"}]}
    found = client.search(Resource="Model", SearchExpression=by_name)["Results"]
    assert [r["Model"]["Model"]["Tags"] for r in found] == [[{"Key": "team", "Value": "ml"}]]
    tuned = client.search(Resource="HyperParameterTuningJob")["Results"]
    assert tuned[0]["HyperParameterTuningJob"]["HyperParameterTuningJobStatus"] == "Completed"
    # Resources nothing here creates answer no records, as an account holding none.
    for resource in ("Experiment", "ExperimentTrialComponent", "FeatureGroup", "Project"):
        assert client.search(Resource=resource)["Results"] == []


def test_search_joins_nested_filters_and_sub_expressions(world: tuple[Emulator, Any]) -> None:
    from factories import training_request

    emulator, client = world
    for name, team in (("a", "ml"), ("b", "ops"), ("c", "ml")):
        client.create_training_job(**training_request(name), Tags=[{"Key": "team", "Value": team}])
    emulator.run_until_idle()

    def names(expression: dict[str, Any]) -> list[str]:
        found = client.search(
            Resource="TrainingJob", SearchExpression=expression, SortOrder="Ascending"
        )["Results"]
        return [r["TrainingJob"]["TrainingJobName"] for r in found]

    team_ml = {
        "NestedPropertyName": "Tags",
        "Filters": [
            {"Name": "Tags.Key", "Operator": "Equals", "Value": "team"},
            {"Name": "Tags.Value", "Operator": "Equals", "Value": "ml"},
        ],
    }
    assert names({"NestedFilters": [team_ml]}) == ["a", "c"]
    named = [
        {"Filters": [{"Name": "TrainingJobName", "Operator": "Equals", "Value": n}]}
        for n in ("b", "c")
    ]
    assert names({"SubExpressions": named, "Operator": "Or"}) == ["b", "c"]
    assert names({"SubExpressions": named, "NestedFilters": [team_ml]}) == []
    assert names({"SubExpressions": named[1:], "NestedFilters": [team_ml]}) == ["c"]
