"""Training-job semantic rules: each rule broken (exact code and message) and just kept."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from factories import training_request
from hypothesis import given, settings
from hypothesis import strategies as st

from sagemaker_lite.contract import messages
from sagemaker_lite.contract.errors import ApiError
from sagemaker_lite.families.shared import training_rules as rules

ARN = "arn:aws:sagemaker:us-east-1:123456789012:training-job/job-1"


def valid_request(**overrides: Any) -> dict[str, Any]:
    """A schema-valid CreateTrainingJob request that breaks no semantic rule."""
    return training_request(**overrides)


def channel(name: str, groups: list[str] | None = None) -> dict[str, Any]:
    s3: dict[str, Any] = {"S3DataType": "S3Prefix", "S3Uri": f"s3://bucket/{name}"}
    if groups is not None:
        s3["InstanceGroupNames"] = groups
    return {"ChannelName": name, "DataSource": {"S3DataSource": s3}}


def group(name: str, instance_type: str = "ml.m5.large") -> dict[str, Any]:
    return {"InstanceGroupName": name, "InstanceType": instance_type, "InstanceCount": 1}


def heterogeneous(*groups: dict[str, Any]) -> dict[str, Any]:
    return {"InstanceGroups": list(groups), "VolumeSizeInGB": 10}


def rejects(request: dict[str, Any], message: str, code: str = "ValidationException") -> None:
    """The request is refused with exactly this code and message, and left unchanged."""
    before = copy.deepcopy(request)
    with pytest.raises(ApiError) as caught:
        rules.check_create_training_job(request)
    assert (caught.value.code, caught.value.message) == (code, message)
    assert request == before


def accepts(request: dict[str, Any]) -> None:
    rules.check_create_training_job(request)


def test_valid_request_passes() -> None:
    accepts(valid_request())


# --- Algorithm source --------------------------------------------------------


def test_training_image_and_algorithm_name_together_are_rejected() -> None:
    spec = {"TrainingImage": "img", "AlgorithmName": "my-algo", "TrainingInputMode": "File"}
    rejects(valid_request(AlgorithmSpecification=spec), messages.ALGORITHM_SOURCE_BOTH)


def test_neither_training_image_nor_algorithm_name_is_rejected() -> None:
    spec = {"TrainingInputMode": "File"}
    rejects(valid_request(AlgorithmSpecification=spec), messages.ALGORITHM_SOURCE_MISSING)


def test_empty_training_image_names_no_image() -> None:
    spec = {"TrainingImage": "", "TrainingInputMode": "File"}
    rejects(valid_request(AlgorithmSpecification=spec), messages.ALGORITHM_SOURCE_MISSING)


def test_algorithm_name_alone_passes() -> None:
    accepts(
        valid_request(AlgorithmSpecification={"AlgorithmName": "a", "TrainingInputMode": "File"})
    )


# --- Spot training and stopping condition ---------------------------------


def test_max_wait_without_spot_has_aws_wording() -> None:
    stopping = {"MaxRuntimeInSeconds": 3600, "MaxWaitTimeInSeconds": 7200}
    rejects(valid_request(StoppingCondition=stopping), messages.MAX_WAIT_WITHOUT_SPOT)
    assert messages.MAX_WAIT_WITHOUT_SPOT == (
        "Invalid MaxWaitTimeInSeconds. It is only supported when "
        "EnableManagedSpotTraining is set to true"
    )


def test_max_wait_with_spot_false_is_rejected() -> None:
    stopping = {"MaxRuntimeInSeconds": 3600, "MaxWaitTimeInSeconds": 7200}
    request = valid_request(StoppingCondition=stopping, EnableManagedSpotTraining=False)
    rejects(request, messages.MAX_WAIT_WITHOUT_SPOT)


def test_spot_without_max_wait_is_accepted() -> None:
    # No public source shows AWS refusing it (docs/fidelity.md, "Rules without evidence").
    accepts(valid_request(EnableManagedSpotTraining=True))


def test_max_wait_below_max_runtime_is_rejected() -> None:
    stopping = {"MaxRuntimeInSeconds": 3600, "MaxWaitTimeInSeconds": 3599}
    request = valid_request(StoppingCondition=stopping, EnableManagedSpotTraining=True)
    rejects(request, messages.max_wait_below_max_runtime(3599, 3600))


def test_max_wait_equal_to_max_runtime_passes() -> None:
    stopping = {"MaxRuntimeInSeconds": 3600, "MaxWaitTimeInSeconds": 3600}
    accepts(valid_request(StoppingCondition=stopping, EnableManagedSpotTraining=True))


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 2_419_200), st.integers(1, 2_419_200))
def test_spot_accepts_exactly_max_wait_at_least_max_runtime(runtime: int, wait: int) -> None:
    stopping = {"MaxRuntimeInSeconds": runtime, "MaxWaitTimeInSeconds": wait}
    request = valid_request(StoppingCondition=stopping, EnableManagedSpotTraining=True)
    error = rules.first_violation(rules.CREATE_RULES, request)
    if wait >= runtime:
        assert error is None
    else:
        assert error is not None
        assert error.message == messages.max_wait_below_max_runtime(wait, runtime)


def test_max_wait_without_max_runtime_passes_with_spot() -> None:
    stopping = {"MaxWaitTimeInSeconds": 60}
    accepts(valid_request(StoppingCondition=stopping, EnableManagedSpotTraining=True))


# --- Channels ------------------------------------------------------------------


def test_duplicate_channel_names_are_rejected() -> None:
    request = valid_request(InputDataConfig=[channel("train"), channel("test"), channel("train")])
    rejects(request, messages.duplicate_channel_name("train"))


def test_channel_names_differing_in_case_pass() -> None:
    accepts(valid_request(InputDataConfig=[channel("train"), channel("Train")]))


def test_no_input_channels_pass() -> None:
    request = valid_request()
    del request["InputDataConfig"]
    accepts(request)


# --- Instance layout ----------------------------------------------------------


@pytest.mark.parametrize("extra", [{"InstanceType": "ml.m5.large"}, {"InstanceCount": 1}])
def test_instance_groups_with_type_or_count_have_aws_wording(extra: dict[str, Any]) -> None:
    resources = {**heterogeneous(group("a")), **extra}
    rejects(valid_request(ResourceConfig=resources), messages.INSTANCE_GROUPS_WITH_TYPE_OR_COUNT)
    assert messages.INSTANCE_GROUPS_WITH_TYPE_OR_COUNT == (
        "InstanceType or InstanceCount cannot be specified with InstanceGroups"
    )


def test_instance_groups_alone_pass() -> None:
    accepts(valid_request(ResourceConfig=heterogeneous(group("a"), group("b"))))


def test_duplicate_instance_group_names_are_rejected() -> None:
    resources = heterogeneous(group("a"), group("a", "ml.c5.xlarge"))
    rejects(valid_request(ResourceConfig=resources), messages.duplicate_instance_group_name("a"))


@pytest.mark.parametrize("missing", ["InstanceType", "InstanceCount"])
def test_homogeneous_cluster_needs_type_and_count(missing: str) -> None:
    resources = {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10}
    del resources[missing]
    rejects(valid_request(ResourceConfig=resources), messages.INSTANCE_TYPE_REQUIRED)


def test_channel_naming_an_undefined_group_is_rejected() -> None:
    request = valid_request(
        ResourceConfig=heterogeneous(group("a")), InputDataConfig=[channel("train", ["b"])]
    )
    rejects(request, messages.unknown_instance_group("train", "b"))


def test_channel_naming_groups_without_any_groups_is_rejected() -> None:
    rejects(
        valid_request(InputDataConfig=[channel("train", ["a"])]),
        messages.unknown_instance_group("train", "a"),
    )


def test_channels_partially_assigned_have_aws_wording() -> None:
    request = valid_request(
        ResourceConfig=heterogeneous(group("a"), group("b")),
        InputDataConfig=[channel("test", ["a"]), channel("code"), channel("train", ["b"])],
    )
    rejects(
        request,
        "Some channels have assigned instance groups: [test, train] while others not: [code]",
    )


def test_every_channel_assigned_to_groups_passes() -> None:
    request = valid_request(
        ResourceConfig=heterogeneous(group("a"), group("b")),
        InputDataConfig=[channel("test", ["a"]), channel("train", ["a", "b"])],
    )
    accepts(request)


def test_no_channel_assigned_with_groups_passes() -> None:
    request = valid_request(
        ResourceConfig=heterogeneous(group("a")), InputDataConfig=[channel("x")]
    )
    accepts(request)


# --- Volume KMS key ---------------------------------------------------------


@pytest.mark.parametrize("instance_type", ["ml.g5.xlarge", "ml.p4d.24xlarge", "ml.g4dn.xlarge"])
def test_volume_kms_key_on_local_storage_instance_is_rejected(instance_type: str) -> None:
    resources = {"InstanceType": instance_type, "InstanceCount": 1, "VolumeKmsKeyId": "key-1"}
    rejects(
        valid_request(ResourceConfig=resources),
        messages.volume_kms_key_not_supported(instance_type),
    )


def test_volume_kms_key_on_group_with_local_storage_is_rejected() -> None:
    resources = {**heterogeneous(group("a"), group("b", "ml.g5.2xlarge")), "VolumeKmsKeyId": "k"}
    rejects(
        valid_request(ResourceConfig=resources),
        messages.volume_kms_key_not_supported("ml.g5.2xlarge"),
    )


def test_volume_kms_key_on_ebs_instance_passes() -> None:
    resources = {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeKmsKeyId": "key-1"}
    accepts(valid_request(ResourceConfig=resources))


def test_empty_volume_kms_key_on_local_storage_instance_passes() -> None:
    resources = {"InstanceType": "ml.g5.xlarge", "InstanceCount": 1, "VolumeKmsKeyId": ""}
    accepts(valid_request(ResourceConfig=resources))


def test_instance_family_parses_prefixed_and_bare_types() -> None:
    assert rules.instance_family("ml.p4de.24xlarge") == "p4de"
    assert rules.instance_family("g5.xlarge") == "g5"


# --- Order ---------------------------------------------------------------------


def test_only_the_first_violation_is_reported() -> None:
    request = valid_request(
        AlgorithmSpecification={"TrainingInputMode": "File"},
        StoppingCondition={"MaxRuntimeInSeconds": 60, "MaxWaitTimeInSeconds": 120},
        InputDataConfig=[channel("x"), channel("x")],
    )
    rejects(request, messages.ALGORITHM_SOURCE_MISSING)
    request["AlgorithmSpecification"] = {"TrainingImage": "img", "TrainingInputMode": "File"}
    rejects(request, messages.MAX_WAIT_WITHOUT_SPOT)


def test_serverless_request_without_algorithm_or_resources_passes() -> None:
    request = valid_request()
    del request["AlgorithmSpecification"], request["ResourceConfig"]
    accepts(request)


# --- UpdateTrainingJob ---------------------------------------------------------


def running(secondary: str = "Training", keep_alive: int | None = None) -> dict[str, Any]:
    resources: dict[str, Any] = {"InstanceType": "ml.m5.large", "InstanceCount": 1}
    if keep_alive is not None:
        resources["KeepAlivePeriodInSeconds"] = keep_alive
    return {"SecondaryStatus": secondary, "ResourceConfig": resources}


def update_error(request: dict[str, Any], status: str, current: dict[str, Any]) -> ApiError:
    with pytest.raises(ApiError) as caught:
        rules.check_update_training_job(request, status, current)
    assert caught.value.code == "ValidationException"
    return caught.value


def test_update_with_nothing_to_update_is_accepted() -> None:
    rules.check_update_training_job({"TrainingJobName": "job-1"}, "InProgress", running())


def test_profiler_update_while_in_progress_passes() -> None:
    request = {"TrainingJobName": "job-1", "ProfilerConfig": {"DisableProfiler": True}}
    rules.check_update_training_job(request, "InProgress", running())


@pytest.mark.parametrize("member", ["ProfilerConfig", "ProfilerRuleConfigurations"])
def test_profiler_update_after_completion_is_rejected(member: str) -> None:
    request = {"TrainingJobName": "job-1", member: {} if member == "ProfilerConfig" else []}
    error = update_error(request, "Completed", running("Completed"))
    assert error.message == messages.update_profiler_not_in_progress("Completed")


@pytest.mark.parametrize("secondary", ["Downloading", "Training"])
def test_remote_debug_update_while_downloading_or_training_passes(secondary: str) -> None:
    request = {"TrainingJobName": "job-1", "RemoteDebugConfig": {"EnableRemoteDebug": True}}
    rules.check_update_training_job(request, "InProgress", running(secondary))


@pytest.mark.parametrize("secondary", ["Starting", "Uploading"])
def test_remote_debug_update_in_other_secondary_status_is_rejected(secondary: str) -> None:
    request = {"TrainingJobName": "job-1", "RemoteDebugConfig": {"EnableRemoteDebug": False}}
    error = update_error(request, "InProgress", running(secondary))
    assert error.message == messages.update_remote_debug_wrong_secondary_status(secondary)


def test_keep_alive_update_without_warm_pool_is_accepted() -> None:
    request = {"TrainingJobName": "job-1", "ResourceConfig": {"KeepAlivePeriodInSeconds": 60}}
    rules.check_update_training_job(request, "InProgress", running())


def test_keep_alive_update_with_available_warm_pool_passes() -> None:
    request = {"TrainingJobName": "job-1", "ResourceConfig": {"KeepAlivePeriodInSeconds": 0}}
    current = {**running("Completed", keep_alive=600), "WarmPoolStatus": {"Status": "Available"}}
    rules.check_update_training_job(request, "Completed", current)


def test_keep_alive_update_with_terminated_warm_pool_is_rejected() -> None:
    request = {"TrainingJobName": "job-1", "ResourceConfig": {"KeepAlivePeriodInSeconds": 60}}
    current = {**running("Completed", keep_alive=600), "WarmPoolStatus": {"Status": "Terminated"}}
    error = update_error(request, "Completed", current)
    assert error.message == messages.update_keep_alive_warm_pool_not_available("Terminated")


# --- Stop, delete, missing job -----------------------------------------------


@pytest.mark.parametrize("status", ["Completed", "Failed", "Stopped", "Stopping"])
def test_stop_outside_in_progress_has_aws_wording(status: str) -> None:
    with pytest.raises(ApiError) as caught:
        rules.check_stop_training_job(ARN, status)
    assert caught.value.code == "ValidationException"
    assert caught.value.message == (
        f"The request was rejected because the training job is in status {status}."
    )


def test_stop_in_progress_passes() -> None:
    rules.check_stop_training_job(ARN, "InProgress")


@pytest.mark.parametrize("status", sorted(rules.DELETABLE_STATUSES))
def test_delete_terminal_job_passes(status: str) -> None:
    rules.check_delete_training_job("job-1", status, warm_pool_status="Terminated")


@pytest.mark.parametrize("status", ["InProgress", "Stopping", "Deleting"])
def test_delete_non_terminal_job_is_rejected(status: str) -> None:
    with pytest.raises(ApiError) as caught:
        rules.check_delete_training_job("job-1", status)
    assert caught.value.code == messages.TRAINING_JOB_NOT_DELETABLE_CODE
    assert caught.value.message == messages.training_job_not_deletable("job-1", status)


def test_delete_with_available_warm_pool_is_rejected() -> None:
    with pytest.raises(ApiError) as caught:
        rules.check_delete_training_job("job-1", "Completed", warm_pool_status="Available")
    assert caught.value.message == messages.training_job_warm_pool_retained("job-1")


@pytest.mark.parametrize(
    "operation",
    ["DescribeTrainingJob", "StopTrainingJob", "DeleteTrainingJob", "UpdateTrainingJob"],
)
def test_missing_job_answers_validation_exception(operation: str) -> None:
    error = rules.missing_training_job(operation)
    assert (error.code, error.message) == ("ValidationException", "Requested resource not found.")


# --- Catalogue texts users match on ----------------------------------------------


def test_duplicate_name_message_matches_aws() -> None:
    assert messages.training_job_exists(ARN) == (
        "Training job names must be unique within an AWS account and region, and a training "
        f"job with this name already exists ({ARN})"
    )


def test_secondary_status_messages_end_each_sequence() -> None:
    for status, sequence in messages.SECONDARY_STATUS_MESSAGE_SEQUENCES.items():
        assert messages.SECONDARY_STATUS_MESSAGES[status] == sequence[-1]


def test_failure_reason_prefixes() -> None:
    assert messages.algorithm_error("ExecuteUserScriptError") == (
        "AlgorithmError: ExecuteUserScriptError"
    )
    assert messages.client_error("Data download failed").startswith("ClientError: ")


# --- accepted without evidence, end to end ------------------------------------------


def test_a_spot_job_without_max_wait_runs_to_completion() -> None:
    import sagemaker_lite

    sm = sagemaker_lite.client()
    sm.create_training_job(**training_request(EnableManagedSpotTraining=True))
    sm.emulator.run_until_idle()
    job = sm.describe_training_job(TrainingJobName="job-1")
    assert (job["TrainingJobStatus"], job["SecondaryStatus"]) == ("Completed", "Completed")
    assert job["BillableTimeInSeconds"] < job["TrainingTimeInSeconds"]


def test_updates_changing_nothing_or_adding_a_warm_pool_are_served() -> None:
    import sagemaker_lite

    sm = sagemaker_lite.client()
    arn = sm.create_training_job(**training_request())["TrainingJobArn"]
    assert sm.update_training_job(TrainingJobName="job-1")["TrainingJobArn"] == arn
    sm.update_training_job(
        TrainingJobName="job-1", ResourceConfig={"KeepAlivePeriodInSeconds": 600}
    )
    sm.emulator.run_until_idle()
    job = sm.describe_training_job(TrainingJobName="job-1")
    assert job["ResourceConfig"]["KeepAlivePeriodInSeconds"] == 600
    assert job["WarmPoolStatus"]["Status"] == "Available"


def test_a_keep_alive_update_after_a_job_ended_without_a_pool_changes_nothing() -> None:
    import sagemaker_lite

    sm = sagemaker_lite.client()
    sm.create_training_job(**training_request())
    sm.emulator.run_until_idle()
    before = sm.describe_training_job(TrainingJobName="job-1")
    sm.emulator.advance(60)
    sm.update_training_job(TrainingJobName="job-1", ResourceConfig={"KeepAlivePeriodInSeconds": 60})
    after = sm.describe_training_job(TrainingJobName="job-1")
    assert after == {**before, "ResponseMetadata": after["ResponseMetadata"]}
