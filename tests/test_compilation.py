"""Compilation jobs end to end through ``sagemaker_lite.client()``: API, lifecycle, errors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError
from factories import compilation_request
from hypothesis import given, settings
from hypothesis import strategies as st

import sagemaker_lite
from sagemaker_lite.contract import messages, spec
from sagemaker_lite.engine.behaviour import STOP_SECONDS
from sagemaker_lite.engine.jobs import Job
from sagemaker_lite.engine.lifecycle import COMPILATION
from sagemaker_lite.families.compilation import rules as rules
from sagemaker_lite.surfaces.client import Client

ROLE = "arn:aws:iam::123456789012:role/Neo"
RESNET = "s3://my-bucket/models/resnet.tar.gz"
PACKAGE = "arn:aws:sagemaker:us-east-1:123456789012:model-package/resnet/3"
STARTING, INPROGRESS = 30.0, 240.0  # the default plan's phase durations
MODEL = spec.load_model()


def request(name: str = "resnet-c5", **overrides: Any) -> dict[str, Any]:
    """A valid CreateCompilationJob request; a top-level ``None`` override removes the member."""
    return compilation_request(name, **{"InputConfig.S3Uri": RESNET, **overrides})


@pytest.fixture
def client() -> Client:
    return sagemaker_lite.client()


def describe(client: Client, name: str = "resnet-c5") -> dict[str, Any]:
    response = client.describe_compilation_job(CompilationJobName=name)
    response.pop("ResponseMetadata")
    return response


def error_of(call: Any, **params: Any) -> tuple[str, str, str]:
    """(exception class name, error code, message) of a call that must fail."""
    with pytest.raises(ClientError) as info:
        call(**params)
    error = info.value.response["Error"]
    return type(info.value).__name__, error["Code"], error["Message"]


def members(shape: str) -> set[str]:
    return {name for name, _ in MODEL["shapes"][shape]["members"]}


DESCRIBE_MEMBERS = members(MODEL["operations"]["DescribeCompilationJob"]["output"])


# --- create and describe ---------------------------------------------------------


def test_create_answers_the_arn_with_the_lower_cased_name(client: Client) -> None:
    response = client.create_compilation_job(**request("ResNet-C5"))
    assert response["CompilationJobArn"] == (
        "arn:aws:sagemaker:us-east-1:123456789012:compilation-job/resnet-c5"
    )
    assert describe(client, "resnet-c5")["CompilationJobName"] == "ResNet-C5"


def test_a_new_job_is_starting_and_echoes_its_request(client: Client) -> None:
    body = request(VpcConfig={"SecurityGroupIds": ["sg-12345678"], "Subnets": ["subnet-1234abcd"]})
    client.create_compilation_job(**body)
    created = client.emulator.clock.now()
    job = describe(client)
    assert job["CompilationJobStatus"] == "STARTING"
    assert job["CreationTime"] == job["LastModifiedTime"] == created
    for member in ("RoleArn", "InputConfig", "OutputConfig", "StoppingCondition", "VpcConfig"):
        assert job[member] == body[member]
    # Nothing a running job has not produced yet; the model's required members are
    # there: the artifact's location and an empty FailureReason.
    for absent in ("CompilationStartTime", "CompilationEndTime", "ModelDigests", "InferenceImage"):
        assert absent not in job
    assert job["FailureReason"] == ""
    assert job["ModelArtifacts"] == {
        "S3ModelArtifacts": "s3://my-bucket/compiled/resnet-ml_c5.tar.gz"
    }
    assert set(job) <= DESCRIBE_MEMBERS


def test_lifecycle_follows_the_plan_on_the_virtual_clock(client: Client) -> None:
    client.create_compilation_job(**request())
    created = client.emulator.clock.now()
    client.emulator.advance(STARTING - 1)
    assert describe(client)["CompilationJobStatus"] == "STARTING"
    client.emulator.advance(1)
    job = describe(client)
    assert job["CompilationJobStatus"] == "INPROGRESS"
    assert (
        job["CompilationStartTime"]
        == job["LastModifiedTime"]
        == created + timedelta(seconds=STARTING)
    )
    assert "CompilationEndTime" not in job
    client.emulator.advance(INPROGRESS - 1)
    assert describe(client)["CompilationJobStatus"] == "INPROGRESS"
    client.emulator.advance(1)
    job = describe(client)
    end = created + timedelta(seconds=STARTING + INPROGRESS)
    assert job["CompilationJobStatus"] == "COMPLETED"
    assert job["CompilationEndTime"] == job["LastModifiedTime"] == end
    assert job["ModelArtifacts"] == {
        "S3ModelArtifacts": "s3://my-bucket/compiled/resnet-ml_c5.tar.gz"
    }
    assert job["ModelDigests"]["ArtifactDigest"]
    assert job["InferenceImage"].startswith("785573368785.dkr.ecr.us-east-1.amazonaws.com/")
    assert job["FailureReason"] == ""
    assert set(job) <= DESCRIBE_MEMBERS


def test_the_same_request_compiles_to_the_same_digest() -> None:
    digests = []
    for _ in range(2):
        client = sagemaker_lite.client()
        client.create_compilation_job(**request())
        client.emulator.run_until_idle()
        digests.append(describe(client)["ModelDigests"])
    assert digests[0] == digests[1]


def test_a_model_package_job_echoes_its_arn_and_names_the_artifact_model(client: Client) -> None:
    client.create_compilation_job(**request(InputConfig=None, ModelPackageVersionArn=PACKAGE))
    client.emulator.run_until_idle()
    job = describe(client)
    assert job["ModelPackageVersionArn"] == PACKAGE
    # Required in the model; read from the package, which is not emulated.
    assert set(job["InputConfig"]) == {"S3Uri", "Framework"}
    assert job["ModelArtifacts"]["S3ModelArtifacts"] == "s3://my-bucket/compiled/model-ml_c5.tar.gz"


def test_describe_answers_fresh_data(client: Client) -> None:
    client.create_compilation_job(**request())
    describe(client)["InputConfig"]["Framework"] = "PYTORCH"
    assert describe(client)["InputConfig"]["Framework"] == "MXNET"


def test_auto_advance_lets_a_polling_loop_finish() -> None:
    client = sagemaker_lite.client(auto_advance=True)
    client.create_compilation_job(**request())
    seen: list[str] = []
    while not seen or seen[-1] not in COMPILATION.terminal:
        seen.append(describe(client)["CompilationJobStatus"])
    assert seen == ["STARTING", "INPROGRESS", "COMPLETED"]


# --- failures --------------------------------------------------------------------


@pytest.mark.parametrize("phase", ["STARTING", "INPROGRESS"])
def test_scripted_failure_at_either_phase(client: Client, phase: str) -> None:
    reason = "ClientError: InputConfiguration: Incompatible Tensorflow model"
    client.emulator.script_compilation("resnet-c5", fail_at=phase, failure_reason=reason)
    client.create_compilation_job(**request())
    created = client.emulator.clock.now()
    client.emulator.run_until_idle()
    job = describe(client)
    assert job["CompilationJobStatus"] == "FAILED"
    assert job["FailureReason"] == reason
    assert "ModelDigests" not in job
    failed_after = STARTING if phase == "STARTING" else STARTING + INPROGRESS
    assert job["CompilationEndTime"] == created + timedelta(seconds=failed_after)
    assert ("CompilationStartTime" in job) == (phase == "INPROGRESS")


def test_scripts_apply_only_to_the_jobs_they_match(client: Client) -> None:
    client.emulator.script_compilation("other", fail_at="STARTING")
    client.emulator.script_compilation(
        lambda req: req["OutputConfig"].get("TargetDevice") == "jetson_nano",
        durations={"INPROGRESS": 10},
    )
    client.create_compilation_job(**request())
    client.create_compilation_job(
        **request(
            "nano",
            OutputConfig={"S3OutputLocation": "s3://my-bucket/c", "TargetDevice": "jetson_nano"},
        )
    )
    client.emulator.advance(STARTING + 10)
    assert describe(client, "nano")["CompilationJobStatus"] == "COMPLETED"
    assert describe(client)["CompilationJobStatus"] == "INPROGRESS"


def test_max_runtime_fails_the_job_with_a_timeout(client: Client) -> None:
    client.emulator.script_compilation(durations={"INPROGRESS": 600})  # longer than allowed
    client.create_compilation_job(**request(StoppingCondition={"MaxRuntimeInSeconds": 60}))
    created = client.emulator.clock.now()
    client.emulator.advance(STARTING + 59)
    assert describe(client)["CompilationJobStatus"] == "INPROGRESS"
    client.emulator.advance(1)
    job = describe(client)
    assert job["CompilationJobStatus"] == "FAILED"
    assert job["FailureReason"] == messages.COMPILATION_FAILURE_REASONS["timeout"].format(
        seconds=60
    )
    assert job["CompilationEndTime"] == created + timedelta(seconds=STARTING + 60)
    assert "ModelDigests" not in job


def test_a_default_plan_finishes_within_a_short_limit(client: Client) -> None:
    # Unscripted, a compilation takes at most half of the limit it is given.
    client.create_compilation_job(**request(StoppingCondition={"MaxRuntimeInSeconds": 60}))
    client.emulator.run_until_idle()
    job = describe(client)
    assert job["CompilationJobStatus"] == "COMPLETED"
    assert (job["CompilationEndTime"] - job["CompilationStartTime"]).total_seconds() <= 60


def test_max_runtime_defaults_to_900_seconds(client: Client) -> None:
    client.emulator.script_compilation(durations={"INPROGRESS": 901})
    client.create_compilation_job(**request(StoppingCondition={}))
    client.emulator.advance(STARTING + 899)
    assert describe(client)["CompilationJobStatus"] == "INPROGRESS"
    client.emulator.advance(1)
    job = describe(client)
    assert job["CompilationJobStatus"] == "FAILED"
    assert "TimeOut" in job["FailureReason"]
    assert job["StoppingCondition"] == {}


def test_a_compilation_that_ends_exactly_at_max_runtime_completes(client: Client) -> None:
    client.create_compilation_job(
        **request(StoppingCondition={"MaxRuntimeInSeconds": int(INPROGRESS)})
    )
    client.emulator.run_until_idle()
    assert describe(client)["CompilationJobStatus"] == "COMPLETED"


# --- errors ------------------------------------------------------------------------


def test_duplicate_names_are_resource_in_use_regardless_of_case(client: Client) -> None:
    client.create_compilation_job(**request("resnet-c5"))
    assert error_of(client.create_compilation_job, **request("RESNET-c5")) == (
        "ResourceInUse",
        "ResourceInUse",
        messages.compilation_job_exists("RESNET-c5"),
    )


@pytest.mark.parametrize(
    "operation", ["DescribeCompilationJob", "StopCompilationJob", "DeleteCompilationJob"]
)
def test_missing_jobs(client: Client, operation: str) -> None:
    code, template = messages.MISSING_COMPILATION_JOB[operation]
    method = getattr(client, sagemaker_lite.contract.operations.OPERATIONS[operation].python_name)
    cls, got_code, message = error_of(method, CompilationJobName="nope")
    assert (got_code, message) == (code, template.format(name="nope"))
    assert cls == code  # ResourceNotFound is a modeled class


def test_semantic_rules_run_on_create(client: Client) -> None:
    body = request(ModelPackageVersionArn=PACKAGE)
    assert error_of(client.create_compilation_job, **body) == (
        "ClientError",
        "ValidationException",
        messages.COMPILATION_INPUT_AND_MODEL_PACKAGE,
    )
    assert error_of(client.describe_compilation_job, CompilationJobName="resnet-c5")[1] == (
        "ResourceNotFound"
    )


def test_schema_errors_come_before_anything_else(client: Client) -> None:
    cls, code, message = error_of(client.create_compilation_job, **request("bad_name"))
    assert (cls, code) == ("ClientError", "ValidationException")
    assert message.startswith(
        "1 validation error detected: Value 'bad_name' at 'compilationJobName'"
    )


# --- stop ------------------------------------------------------------------------


@pytest.mark.parametrize("after", [0.0, STARTING + 5])
def test_stop_moves_through_stopping_to_stopped(client: Client, after: float) -> None:
    client.create_compilation_job(**request())
    created = client.emulator.clock.now()
    client.emulator.advance(after)
    assert client.stop_compilation_job(CompilationJobName="resnet-c5")["ResponseMetadata"]
    job = describe(client)
    assert job["CompilationJobStatus"] == "STOPPING"
    assert job["LastModifiedTime"] == created + timedelta(seconds=after)
    client.emulator.advance(STOP_SECONDS)
    job = describe(client)
    assert job["CompilationJobStatus"] == "STOPPED"
    assert job["CompilationEndTime"] == created + timedelta(seconds=after + STOP_SECONDS)
    assert "ModelDigests" not in job and job["FailureReason"] == ""
    client.emulator.run_until_idle()  # the dropped plan never completes the job
    assert describe(client)["CompilationJobStatus"] == "STOPPED"


@pytest.mark.parametrize("status", ["STOPPING", "STOPPED", "COMPLETED", "FAILED"])
def test_only_starting_or_inprogress_jobs_stop(client: Client, status: str) -> None:
    if status == "FAILED":
        client.emulator.script_compilation(fail_at="INPROGRESS")
    client.create_compilation_job(**request())
    if status.startswith("STOP"):
        client.stop_compilation_job(CompilationJobName="resnet-c5")
    if status != "STOPPING":
        client.emulator.run_until_idle()
    assert describe(client)["CompilationJobStatus"] == status
    assert error_of(client.stop_compilation_job, CompilationJobName="resnet-c5") == (
        "ClientError",
        "ValidationException",
        messages.compilation_job_not_stoppable("resnet-c5", status),
    )


# --- delete -------------------------------------------------------------------------


@pytest.mark.parametrize("wait", [0.0, STARTING])
def test_unfinished_jobs_cannot_be_deleted(client: Client, wait: float) -> None:
    client.create_compilation_job(**request())
    client.emulator.advance(wait)
    status = describe(client)["CompilationJobStatus"]
    assert error_of(client.delete_compilation_job, CompilationJobName="resnet-c5") == (
        "ClientError",
        "ValidationException",
        messages.compilation_job_not_deletable("resnet-c5", status),
    )
    client.stop_compilation_job(CompilationJobName="resnet-c5")
    assert error_of(client.delete_compilation_job, CompilationJobName="resnet-c5")[2] == (
        messages.compilation_job_not_deletable("resnet-c5", "STOPPING")
    )


@pytest.mark.parametrize("ending", ["complete", "fail", "stop"])
def test_finished_jobs_are_deleted_and_the_name_freed(client: Client, ending: str) -> None:
    if ending == "fail":
        client.emulator.script_compilation(fail_at="STARTING")
    client.create_compilation_job(**request(Tags=[{"Key": "team", "Value": "vision"}]))
    arn = describe(client)["CompilationJobArn"]
    if ending == "stop":
        client.stop_compilation_job(CompilationJobName="resnet-c5")
    client.emulator.run_until_idle()
    client.delete_compilation_job(CompilationJobName="resnet-c5")
    assert error_of(client.describe_compilation_job, CompilationJobName="resnet-c5")[1] == (
        "ResourceNotFound"
    )
    assert client.list_compilation_jobs()["CompilationJobSummaries"] == []
    assert error_of(client.list_tags, ResourceArn=arn)[1] == "ValidationException"
    client.emulator.behaviour.clear()
    client.create_compilation_job(**request())  # the name is free again, with no old tags
    assert client.list_tags(ResourceArn=arn)["Tags"] == []


# --- tags --------------------------------------------------------------------------


def test_tags_on_compilation_arns(client: Client) -> None:
    arn = client.create_compilation_job(**request(Tags=[{"Key": "team", "Value": "vision"}]))[
        "CompilationJobArn"
    ]
    assert client.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "vision"}]
    client.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "dev"}])
    client.delete_tags(ResourceArn=arn, TagKeys=["team"])
    assert client.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "stage", "Value": "dev"}]
    assert "Tags" not in describe(client)


# --- list ------------------------------------------------------------------------


def _populate(client: Client) -> None:
    """alpha (t=0, COMPLETED at 270), beta (t=60, FAILED at 90), gamma (t=120, STOPPED at 210),
    delta (t=780, STARTING, a TargetPlatform job)."""
    client.emulator.script_compilation("beta", fail_at="STARTING")
    for name in ("alpha", "beta", "gamma"):
        client.create_compilation_job(**request(name))
        client.emulator.advance(60)
    client.stop_compilation_job(CompilationJobName="gamma")
    client.emulator.advance(600)
    client.create_compilation_job(
        **request(
            "delta",
            OutputConfig={
                "S3OutputLocation": "s3://my-bucket/c",
                "TargetPlatform": {"Os": "LINUX", "Arch": "ARM64", "Accelerator": "NVIDIA"},
                "CompilerOptions": '{"gpu-code": "sm_72", "trt-ver": "8.0.1", "cuda-ver": "10.2"}',
            },
        )
    )


def names(response: dict[str, Any]) -> list[str]:
    return [s["CompilationJobName"] for s in response["CompilationJobSummaries"]]


def test_list_defaults_to_oldest_first_with_summaries(client: Client) -> None:
    """ListCompilationJobs's member docs: SortBy CreationTime, SortOrder Ascending."""
    _populate(client)
    response = client.list_compilation_jobs()
    assert names(response) == ["alpha", "beta", "gamma", "delta"]
    summaries = {s["CompilationJobName"]: s for s in response["CompilationJobSummaries"]}
    assert summaries["delta"]["CompilationTargetPlatformOs"] == "LINUX"
    assert summaries["delta"]["CompilationTargetPlatformArch"] == "ARM64"
    assert summaries["delta"]["CompilationTargetPlatformAccelerator"] == "NVIDIA"
    assert "CompilationTargetDevice" not in summaries["delta"]
    assert summaries["alpha"]["CompilationTargetDevice"] == "ml_c5"
    alpha = describe(client, "alpha")
    for key in (
        "CreationTime",
        "CompilationStartTime",
        "CompilationEndTime",
        "LastModifiedTime",
        "CompilationJobArn",
    ):
        assert summaries["alpha"][key] == alpha[key]
    assert summaries["alpha"]["CompilationJobStatus"] == "COMPLETED"
    assert {s["CompilationJobStatus"] for s in summaries.values()} == {
        "COMPLETED",
        "FAILED",
        "STOPPED",
        "STARTING",
    }
    allowed = members("CompilationJobSummary")
    assert all(set(s) <= allowed for s in summaries.values())


def test_list_filters(client: Client) -> None:
    _populate(client)
    start = describe(client, "alpha")["CreationTime"]
    cases: list[tuple[dict[str, Any], list[str]]] = [
        ({"StatusEquals": "FAILED"}, ["beta"]),
        ({"StatusEquals": "INPROGRESS"}, []),
        ({"NameContains": "TA"}, ["delta", "beta"]),  # case-insensitive
        ({"CreationTimeAfter": start}, ["delta", "gamma", "beta"]),
        ({"CreationTimeBefore": start + timedelta(seconds=61)}, ["beta", "alpha"]),
        ({"LastModifiedTimeAfter": start + timedelta(seconds=250)}, ["delta", "alpha"]),
        ({"LastModifiedTimeBefore": start + timedelta(seconds=100)}, ["beta"]),
        ({"NameContains": "a", "StatusEquals": "STOPPED"}, ["gamma"]),
    ]
    for filters, expected in cases:
        listed = client.list_compilation_jobs(SortOrder="Descending", **filters)
        assert names(listed) == expected, filters


def test_list_sorting(client: Client) -> None:
    _populate(client)
    by = client.list_compilation_jobs
    assert names(by(SortBy="Name", SortOrder="Ascending")) == ["alpha", "beta", "delta", "gamma"]
    assert names(by(SortBy="Name", SortOrder="Descending")) == ["gamma", "delta", "beta", "alpha"]
    assert names(by(SortBy="Name")) == ["alpha", "beta", "delta", "gamma"]  # Ascending by default
    assert names(by(SortBy="Status", SortOrder="Ascending")) == ["alpha", "beta", "delta", "gamma"]
    assert names(by(SortBy="CreationTime", SortOrder="Ascending")) == [
        "alpha",
        "beta",
        "gamma",
        "delta",
    ]


def test_list_pages(client: Client) -> None:
    _populate(client)
    seen: list[str] = []
    token, pages = None, 0
    while True:
        params: dict[str, Any] = {"MaxResults": 3, "SortBy": "Name", "SortOrder": "Ascending"}
        if token:
            params["NextToken"] = token
        page = client.list_compilation_jobs(**params)
        seen += names(page)
        pages += 1
        token = page.get("NextToken")
        if not token:
            break
    assert (seen, pages) == (["alpha", "beta", "delta", "gamma"], 2)
    assert error_of(client.list_compilation_jobs, NextToken="not-a-token") == (
        "ClientError",
        "ValidationException",
        messages.INVALID_NEXT_TOKEN,
    )


def test_jobs_are_per_account_and_region() -> None:
    emulator = sagemaker_lite.Emulator()
    east, west = emulator.client("us-east-1"), emulator.client("us-west-2")
    east.create_compilation_job(**request())
    assert west.list_compilation_jobs()["CompilationJobSummaries"] == []
    west.create_compilation_job(**request())  # the same name is free in another region
    emulator.run_until_idle()
    image = describe(west)["InferenceImage"]
    assert ".us-west-2." in image


# --- the lifecycle invariants, over random sequences --------------------------------

NAMES = ("a", "b", "c")
_create = st.tuples(
    st.just("create"),
    st.sampled_from(NAMES),
    st.sampled_from([None, "STARTING", "INPROGRESS"]),
    st.sampled_from([None, 30, 600]),
)
_advance = st.tuples(st.just("advance"), st.sampled_from([0, 1, 15, 30, 120, 300]))
_stop = st.tuples(st.just("stop"), st.sampled_from(NAMES))
_delete = st.tuples(st.just("delete"), st.sampled_from(NAMES))
STEPS = st.lists(st.one_of(_create, _advance, _stop, _delete), max_size=25)
LEGAL = COMPILATION.legal_states()


def _check_invariants(client: Client, final: dict[Job, str]) -> None:
    for job in client.emulator.jobs():
        assert job.state in LEGAL
        times = [at for _, at in job.history]
        assert times == sorted(times) and times[0] == job.created
        assert job.modified == times[-1]
        if job in final:  # terminal states are final
            assert job.status == final[job]
        elif job.terminal:
            final[job] = job.status
        shown = describe(client, job.name)
        assert shown["CompilationJobStatus"] == job.status
        start, end = shown.get("CompilationStartTime"), shown.get("CompilationEndTime")
        assert shown["CreationTime"] <= (start or shown["CreationTime"])
        assert (start or shown["CreationTime"]) <= (end or shown["LastModifiedTime"])
        assert (end is not None) == job.terminal
        assert ("ModelDigests" in shown) == (job.status == "COMPLETED")
        assert (shown["FailureReason"] != "") == (job.status == "FAILED")


@settings(max_examples=60, deadline=None)
@given(STEPS)
def test_lifecycle_invariants_hold_for_any_sequence(steps: list[tuple[Any, ...]]) -> None:
    client = sagemaker_lite.client()
    emulator = client.emulator
    final: dict[Job, str] = {}
    for step in steps:
        action, *args = step
        job = client.world.get(COMPILATION.kind, args[0]) if action != "advance" else None
        if action == "create":
            name, fail_at, runtime = args
            emulator.behaviour.clear()
            if fail_at:
                emulator.script_compilation(name, fail_at=fail_at)
            stopping = {} if runtime is None else {"MaxRuntimeInSeconds": runtime}
            if job is None:
                client.create_compilation_job(**request(name, StoppingCondition=stopping))
            else:
                assert error_of(client.create_compilation_job, **request(name))[1] == (
                    "ResourceInUse"
                )
        elif action == "advance":
            emulator.advance(args[0])
        elif action == "stop":
            if job is not None and job.status in rules.STOPPABLE_STATUSES:
                client.stop_compilation_job(CompilationJobName=args[0])
                assert job.status == "STOPPING"
            else:
                code = error_of(client.stop_compilation_job, CompilationJobName=args[0])[1]
                assert code == ("ResourceNotFound" if job is None else "ValidationException")
        else:
            if job is not None and job.terminal:
                client.delete_compilation_job(CompilationJobName=args[0])
                assert client.world.get(COMPILATION.kind, args[0]) is None
            else:
                code = error_of(client.delete_compilation_job, CompilationJobName=args[0])[1]
                assert code == ("ResourceNotFound" if job is None else "ValidationException")
        _check_invariants(client, final)
    emulator.run_until_idle()
    _check_invariants(client, final)
    assert all(job.terminal for job in emulator.jobs())  # nothing is left hanging


def test_the_list_paginator_walks_every_page(client: Client) -> None:
    _populate(client)
    paginator = client.get_paginator("list_compilation_jobs")
    pages = list(paginator.paginate(SortBy="Name", PaginationConfig={"PageSize": 3}))
    assert [names(page) for page in pages] == [["alpha", "beta", "delta"], ["gamma"]]
