"""Semantic rules of CreateCompilationJob and the values Neo derives for a job."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from factories import compilation_request
from hypothesis import given, settings
from hypothesis import strategies as st

from sagemaker_lite.contract import messages
from sagemaker_lite.contract.errors import ApiError
from sagemaker_lite.families.compilation import neo_targets as neo
from sagemaker_lite.families.compilation import rules as rules


def make_request(**overrides: Any) -> dict[str, Any]:
    """A valid CreateCompilationJob request; ``overrides`` use dotted member paths."""
    return compilation_request(**overrides)


def rejection(request: dict[str, Any]) -> ApiError:
    with pytest.raises(ApiError) as info:
        rules.check_create_compilation_job(request)
    return info.value


def assert_rejected(request: dict[str, Any], message: str) -> None:
    error = rejection(request)
    assert (error.code, error.message) == ("ValidationException", message)


def platform(os_: str, arch: str, accelerator: str | None = None, **options: Any) -> dict[str, Any]:
    target: dict[str, Any] = {"Os": os_, "Arch": arch}
    if accelerator:
        target["Accelerator"] = accelerator
    return make_request(
        **{
            "OutputConfig.TargetDevice": None,
            "OutputConfig.TargetPlatform": target,
            "OutputConfig.CompilerOptions": json.dumps(options) if options else None,
        }
    )


def test_valid_request_passes() -> None:
    rules.check_create_compilation_job(make_request())


def test_request_is_not_mutated() -> None:
    request = make_request()
    before = copy.deepcopy(request)
    rules.check_create_compilation_job(request)
    assert request == before


# --- model source ----------------------------------------------------------------

PACKAGE = "arn:aws:sagemaker:us-east-1:123456789012:model-package/resnet/1"


def test_input_config_and_model_package_are_exclusive() -> None:
    assert_rejected(
        make_request(ModelPackageVersionArn=PACKAGE),
        "InputConfig and ModelPackageVersionArn cannot be specified at the same time.",
    )


def test_one_model_source_is_required() -> None:
    assert_rejected(
        make_request(InputConfig=None),
        "Either InputConfig or ModelPackageVersionArn must be specified.",
    )


def test_model_package_alone_passes() -> None:
    rules.check_create_compilation_job(
        make_request(InputConfig=None, ModelPackageVersionArn=PACKAGE)
    )


# --- target ----------------------------------------------------------------------


def test_target_device_and_platform_are_exclusive() -> None:
    request = make_request(**{"OutputConfig.TargetPlatform": {"Os": "LINUX", "Arch": "X86_64"}})
    assert_rejected(request, messages.COMPILATION_TARGET_DEVICE_AND_PLATFORM)


def test_a_target_is_required() -> None:
    assert_rejected(
        make_request(**{"OutputConfig.TargetDevice": None}),
        messages.COMPILATION_TARGET_DEVICE_OR_PLATFORM_REQUIRED,
    )


@pytest.mark.parametrize(
    ("os_", "arch", "accelerator", "options"),
    [
        ("LINUX", "X86_64", None, {"mcpu": "skylake-avx512"}),
        ("LINUX", "ARM_EABIHF", None, {"mattr": ["+neon"]}),
        ("LINUX", "ARM64", "NVIDIA", {"gpu-code": "sm_62", "trt-ver": "6.0.1", "cuda-ver": "10.0"}),
        ("LINUX", "ARM64", "MALI", {}),
        ("ANDROID", "ARM_EABI", None, {"ANDROID_PLATFORM": 25, "mattr": ["+neon"]}),
        ("ANDROID", "ARM64", None, {"ANDROID_PLATFORM": 29}),
    ],
)
def test_documented_platforms_pass(
    os_: str, arch: str, accelerator: str | None, options: dict[str, Any]
) -> None:
    rules.check_create_compilation_job(platform(os_, arch, accelerator, **options))


# No public source shows AWS refusing these at creation (docs/fidelity.md, "Rules without
# evidence"): the request is accepted and the job fails later with an AWS-style reason.
UNSUPPORTED_TARGET = "ClientError: CompilationError: Unable to compile model for {target}:"


def deferred(request: dict[str, Any]) -> tuple[str, str] | None:
    rules.check_create_compilation_job(request)  # accepted
    return rules.deferred_failure(request)


@pytest.mark.parametrize(
    ("os_", "arch", "accelerator"),
    [("ANDROID", "ARM64", "NVIDIA"), ("LINUX", "ARM_EABI", None), ("ANDROID", "ARM_EABIHF", None)],
)
def test_undocumented_platform_combinations_fail_the_job_while_compiling(
    os_: str, arch: str, accelerator: str | None
) -> None:
    target = "_".join(p for p in (os_, arch, accelerator) if p)
    assert deferred(platform(os_, arch, accelerator)) == (
        "INPROGRESS",
        UNSUPPORTED_TARGET.format(target=target),
    )


def test_the_references_m5_2xlarge_example_is_accepted() -> None:
    # OutputConfig.TargetPlatform's own example: NVIDIA with only mcpu.
    request = platform("LINUX", "X86_64", "NVIDIA", mcpu="skylake-avx512")
    assert deferred(request) == (
        "INPROGRESS",
        UNSUPPORTED_TARGET.format(target="LINUX_X86_64_NVIDIA"),
    )


def test_platform_table_covers_every_os_and_documented_accelerators() -> None:
    assert {os_ for os_, _ in neo.PLATFORM_ACCELERATORS} == {"LINUX", "ANDROID"}
    assert "NVIDIA" in neo.PLATFORM_ACCELERATORS[("LINUX", "ARM64")]
    assert neo.PLATFORM_ACCELERATORS[("ANDROID", "ARM64")] == frozenset({None})


# --- S3 URIs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "bucket", "key"),
    [
        (
            "https://my-bucket.s3.amazonaws.com/model.tar.gz",
            "my-bucket.s3.amazonaws.com",
            "model.tar.gz",
        ),
        ("s3://My_Bucket/model.tar.gz", "My_Bucket", "model.tar.gz"),
        ("s3://MyBucket/models/model.tar.gz", "MyBucket", "models/model.tar.gz"),
    ],
)
def test_an_input_uri_naming_no_valid_bucket_fails_the_job_while_starting(
    value: str, bucket: str, key: str
) -> None:
    assert deferred(make_request(**{"InputConfig.S3Uri": value})) == (
        "STARTING",
        f"ClientError: InputConfiguration: S3 object does not exist. Bucket: {bucket}, Key: {key}",
    )


def test_an_output_location_naming_no_valid_bucket_fails_the_job_at_upload() -> None:
    assert deferred(make_request(**{"OutputConfig.S3OutputLocation": "s3://ab/out"})) == (
        "INPROGRESS",
        "ClientError: OutputConfiguration: Unable to upload the compiled model to s3://ab/out",
    )


def test_bucket_only_output_location_passes() -> None:
    rules.check_create_compilation_job(
        make_request(**{"OutputConfig.S3OutputLocation": "s3://abc"})
    )


# --- CompilerOptions ---------------------------------------------------------------


def test_nvidia_platform_without_gpu_options_fails_the_job_while_compiling() -> None:
    for options in ({"gpu-code": "sm_62"}, {}):
        assert deferred(platform("LINUX", "ARM64", "NVIDIA", **options)) == (
            "INPROGRESS",
            UNSUPPORTED_TARGET.format(target="LINUX_ARM64_NVIDIA"),
        )


def test_python_literal_compiler_options_pass() -> None:
    # The API reference writes CompilerOptions with single quotes.
    request = platform("LINUX", "ARM64", "NVIDIA")
    request["OutputConfig"]["CompilerOptions"] = (
        "{'gpu-code': 'sm_72', 'trt-ver': '6.0.1', 'cuda-ver': '10.1'}"
    )
    rules.check_create_compilation_job(request)


@pytest.mark.parametrize("options", ["{mcpu: skylake", "not json", "{'a': }"])
def test_compiler_options_that_do_not_parse_are_accepted_and_fail_the_job(options: str) -> None:
    request = make_request(**{"OutputConfig.CompilerOptions": options})
    rules.check_create_compilation_job(request)
    assert rules.deferred_failure(request) == (
        "INPROGRESS",
        f"ClientError: OutputConfiguration: CompilerOptions '{options}' is not a valid JSON "
        "string.",
    )


def test_compiler_options_must_be_a_dictionary_off_neuron() -> None:
    request = make_request(**{"OutputConfig.CompilerOptions": '"-O2"'})
    assert_rejected(request, messages.compilation_compiler_options_not_object('"-O2"'))


def test_neuron_targets_take_a_compiler_command_line() -> None:
    request = make_request(
        **{
            "OutputConfig.TargetDevice": "ml_inf1",
            "OutputConfig.CompilerOptions": '"--verbose 1 --num-neuroncores 2 -O2"',
        }
    )
    rules.check_create_compilation_job(request)


@pytest.mark.parametrize(
    ("option", "bad", "good"),
    [
        ("ANDROID_PLATFORM", 30, 21),
        ("ANDROID_PLATFORM", "28", 28),
        ("mattr", ["neon"], ["+neon", "+vfpv4"]),
        ("dtype", "float16", "int64"),
        ("gpu-code", "72", "sm_72"),
        ("trt-ver", "6.0", "6.0.1"),
        ("cuda-ver", "10", "10.2"),
    ],
)
def test_documented_option_values(option: str, bad: Any, good: Any) -> None:
    bad_request = make_request(**{"OutputConfig.CompilerOptions": json.dumps({option: bad})})
    error = rejection(bad_request)
    assert error.code == "ValidationException"
    assert error.message.startswith(f"Invalid value {bad!r} for compiler option {option}: ")
    good_request = make_request(**{"OutputConfig.CompilerOptions": json.dumps({option: good})})
    rules.check_create_compilation_job(good_request)


# --- FrameworkVersion ----------------------------------------------------------------


def test_framework_version_on_unsupported_target_uses_aws_text() -> None:
    request = make_request(
        **{"InputConfig.FrameworkVersion": "1.8", "OutputConfig.TargetDevice": "coreml"}
    )
    error = rejection(request)
    assert error.message.startswith(
        "Unsupported framework version field for target. Framework version is supported for "
        "Target Platform configuration and only part of target devices. \nFramework version is "
        "only supported for ml_c4, ml_c5, ml_m4, ml_m5, ml_p2, ml_p3, ml_g4dn cloud targetsand "
        "lambda, jetson_tx1, jetson_nano, jetson_tx2, jetson_xavier, deeplens, rasp3b, rasp4b, "
        "imx8qm, rk3288, rk3399, aisage, sbe_"
    )


@pytest.mark.parametrize("target", ["ml_c5", "jetson_nano", "ml_inf1", "lambda"])
def test_framework_version_on_supported_targets_passes(target: str) -> None:
    request = make_request(
        **{"InputConfig.FrameworkVersion": "1.8", "OutputConfig.TargetDevice": target}
    )
    rules.check_create_compilation_job(request)


def test_framework_version_with_target_platform_passes() -> None:
    request = platform("LINUX", "X86_64")
    request["InputConfig"]["FrameworkVersion"] = "1.8"
    rules.check_create_compilation_job(request)


def test_framework_version_only_for_versioned_frameworks() -> None:
    request = make_request(
        **{"InputConfig.Framework": "ONNX", "InputConfig.FrameworkVersion": "1.7"}
    )
    assert_rejected(
        request,
        "FrameworkVersion is not supported for framework ONNX. It is only supported for the "
        "MXNET, PYTORCH, TENSORFLOW, TFLITE frameworks.",
    )


@pytest.mark.parametrize(
    ("framework", "version", "ok"),
    [
        ("TENSORFLOW", "1.15.3", True),
        ("TENSORFLOW", "2.9", True),
        ("TENSORFLOW", "2.12", False),
        ("PYTORCH", "1.13", True),
        ("PYTORCH", "2.0", True),
        ("PYTORCH", "1.10", False),
        ("MXNET", "1.8", True),
        ("MXNET", "1.9", False),
    ],
)
def test_supported_framework_versions(framework: str, version: str, ok: bool) -> None:
    request = make_request(
        **{
            "InputConfig.Framework": framework,
            "InputConfig.FrameworkVersion": version,
            "InputConfig.DataInputConfig": '{"input0": [1, 3, 224, 224]}',
        }
    )
    if ok:
        rules.check_create_compilation_job(request)
    else:
        assert_rejected(
            request,
            messages.compilation_framework_version_unsupported(
                framework, version, neo.SUPPORTED_FRAMEWORK_VERSIONS[framework]
            ),
        )


# --- DataInputConfig -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("framework", "config"),
    [
        ("TENSORFLOW", '{"input":[1,1024,1024,3]}'),
        ("TENSORFLOW", '{"data1": [1,28,28,1], "data2":[1,28,28,1]}'),
        ("KERAS", '{"input_1":[1,3,224,224]}'),
        ("MXNET", "{'data': [1,3,1024,1024]}"),  # the CLI guide's own quoting
        ("ONNX", '{"var1": [1,1,28,28], "var2":[1,1,28,28]}'),
        ("DARKNET", '{"data":[1,3,416,416]}'),
        ("PYTORCH", '{"input0":[1,3,224,224]}'),
        ("PYTORCH", "[[1,3,224,224], [1,3,224,224]]"),
        ("TFLITE", '{"input":[1,224,224,3]}'),
        ("TENSORFLOW", '{"input_tensor:0": [1, 224, 224, 3]}'),
    ],
)
def test_documented_data_input_forms_pass(framework: str, config: str) -> None:
    request = make_request(
        **{"InputConfig.Framework": framework, "InputConfig.DataInputConfig": config}
    )
    rules.check_create_compilation_job(request)


def test_data_input_config_must_parse() -> None:
    request = make_request(**{"InputConfig.DataInputConfig": '{"data": [1,3,224,224]'})
    assert_rejected(
        request, """DataInputConfig '{"data": [1,3,224,224]' is not a valid JSON string."""
    )


@pytest.mark.parametrize(
    ("framework", "config"),
    [
        ("MXNET", "[[1,3,224,224]]"),  # the list form is PyTorch's only
        ("KERAS", "{}"),
        ("TENSORFLOW", '"input"'),
        ("PYTORCH", "[]"),
    ],
)
def test_wrong_data_input_form_is_rejected(framework: str, config: str) -> None:
    request = make_request(
        **{"InputConfig.Framework": framework, "InputConfig.DataInputConfig": config}
    )
    assert_rejected(
        request,
        f"Invalid DataInputConfig for framework {framework}. Specify the name and shape of each "
        f"expected data input, for example {neo.DATA_INPUT_EXAMPLES[framework]}.",
    )


@pytest.mark.parametrize(
    ("config", "name", "shape"),
    [
        ('{"data": [1, 3, 0, 224]}', "data", [1, 3, 0, 224]),
        ('{"data": [1, 3, -1, 224]}', "data", [1, 3, -1, 224]),
        ('{"data": [1, 3, null, 224]}', "data", [1, 3, None, 224]),
        ('{"data": [1.0, 3, 224, 224]}', "data", [1.0, 3, 224, 224]),
        ('{"data": []}', "data", []),
        ('{"data": "1,3,224,224"}', "data", "1,3,224,224"),
    ],
)
def test_shapes_must_be_positive_integers(config: str, name: str, shape: Any) -> None:
    request = make_request(**{"InputConfig.DataInputConfig": config})
    assert_rejected(
        request,
        f"Invalid shape {shape!r} for input '{name}' in DataInputConfig. "
        "A shape must be a non-empty list of positive integers.",
    )


def test_pytorch_list_shapes_are_named_by_position() -> None:
    request = make_request(
        **{"InputConfig.Framework": "PYTORCH", "InputConfig.DataInputConfig": "[[1,3,224,224],[0]]"}
    )
    assert_rejected(request, messages.compilation_data_input_config_shape("input1", [0]))


@pytest.mark.parametrize("framework", ["TENSORFLOW", "KERAS", "MXNET", "ONNX", "DARKNET", "TFLITE"])
def test_data_input_config_required_for_shaped_frameworks(framework: str) -> None:
    request = make_request(
        **{"InputConfig.Framework": framework, "InputConfig.DataInputConfig": None}
    )
    assert_rejected(request, f"DataInputConfig is required for framework {framework}.")


@pytest.mark.parametrize("framework", ["XGBOOST", "SKLEARN"])
def test_frameworks_without_input_shapes_need_none(framework: str) -> None:
    request = make_request(
        **{"InputConfig.Framework": framework, "InputConfig.DataInputConfig": None}
    )
    rules.check_create_compilation_job(request)


def test_pytorch_2_on_cloud_may_omit_data_input_config() -> None:
    base = {
        "InputConfig.Framework": "PYTORCH",
        "InputConfig.DataInputConfig": None,
        "InputConfig.FrameworkVersion": "2.0",
    }
    rules.check_create_compilation_job(make_request(**base))
    # Not for edge devices, and not for older PyTorch.
    assert_rejected(
        make_request(**base, **{"OutputConfig.TargetDevice": "jetson_nano"}),
        "DataInputConfig is required for framework PYTORCH.",
    )
    assert_rejected(
        make_request(**{**base, "InputConfig.FrameworkVersion": "1.13"}),
        "DataInputConfig is required for framework PYTORCH.",
    )


@pytest.mark.parametrize(
    ("framework", "config"),
    [
        ("TENSORFLOW", '{"input_1": {"shape": [[1,224,224,3], [1,160,160,3]], '
         '"default_shape": [1,224,224,3]}}'),
        ("TENSORFLOW", '{"input_1": {"shape": ["1..10", 224, 224, 3]}}'),
        ("PYTORCH", '[{"shape": [[1,3,224,224], [1,3,160,160]], "default_shape": [1,3,224,224], '
         '"type": "Image", "bias": [-1,-1,-1], "scale": 0.007843137255}]'),
    ],
)  # fmt: skip
def test_coreml_input_forms_pass(framework: str, config: str) -> None:
    request = make_request(
        **{
            "InputConfig.Framework": framework,
            "InputConfig.DataInputConfig": config,
            "OutputConfig.TargetDevice": "coreml",
            "OutputConfig.CompilerOptions": '{"class_labels": "imagenet_labels_1000.txt"}',
        }
    )
    rules.check_create_compilation_job(request)


def test_coreml_rejects_bad_range_and_other_frameworks() -> None:
    request = make_request(
        **{
            "InputConfig.Framework": "TENSORFLOW",
            "InputConfig.DataInputConfig": '{"input_1": {"shape": ["1-10", 224]}}',
            "OutputConfig.TargetDevice": "coreml",
        }
    )
    assert_rejected(request, messages.compilation_data_input_config_shape("input_1", ["1-10", 224]))
    assert_rejected(
        make_request(**{"OutputConfig.TargetDevice": "coreml"}),
        "Framework MXNET is not supported for TargetDevice coreml. "
        "CoreML compilation supports TENSORFLOW and PYTORCH models.",
    )


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1, max_size=8),
        st.lists(st.integers(min_value=1, max_value=4096), min_size=1, max_size=5),
        min_size=1,
        max_size=4,
    )
)
def test_any_dictionary_of_positive_shapes_passes(shapes: dict[str, list[int]]) -> None:
    request = make_request(**{"InputConfig.DataInputConfig": json.dumps(shapes)})
    rules.check_create_compilation_job(request)


# --- StoppingCondition ---------------------------------------------------------------


def test_max_runtime_limit_is_28_days() -> None:
    rules.check_create_compilation_job(
        make_request(**{"StoppingCondition.MaxRuntimeInSeconds": 2419200})
    )
    assert_rejected(
        make_request(**{"StoppingCondition.MaxRuntimeInSeconds": 2419201}),
        "StoppingCondition.MaxRuntimeInSeconds 2419201 exceeds the maximum of 2419200 seconds.",
    )


def test_first_violated_rule_wins() -> None:
    request = make_request(
        ModelPackageVersionArn=PACKAGE, **{"InputConfig.DataInputConfig": "not json"}
    )
    assert rejection(request).message == messages.COMPILATION_INPUT_AND_MODEL_PACKAGE


# --- other operations ------------------------------------------------------------------


@pytest.mark.parametrize(
    "operation", ["DescribeCompilationJob", "StopCompilationJob", "DeleteCompilationJob"]
)
def test_missing_job_errors(operation: str) -> None:
    error = rules.missing_compilation_job(operation, "nope")
    assert (error.code, error.message) == (
        "ResourceNotFound",
        "Could not find compilation job 'nope'.",
    )


def test_duplicate_name_is_resource_in_use() -> None:
    error = rules.duplicate_compilation_job("resnet-c5")
    assert error.code == "ResourceInUse"
    assert "resnet-c5" in error.message


@pytest.mark.parametrize("status", ["STARTING", "INPROGRESS"])
def test_running_jobs_may_be_stopped(status: str) -> None:
    rules.check_stop_compilation_job("job", status)


@pytest.mark.parametrize("status", ["STOPPING", "STOPPED", "COMPLETED", "FAILED"])
def test_other_jobs_may_not_be_stopped(status: str) -> None:
    with pytest.raises(ApiError) as info:
        rules.check_stop_compilation_job("job", status)
    assert info.value.code == "ValidationException"
    assert info.value.message == messages.compilation_job_not_stoppable("job", status)


@pytest.mark.parametrize("status", ["COMPLETED", "FAILED", "STOPPED"])
def test_finished_jobs_may_be_deleted(status: str) -> None:
    rules.check_delete_compilation_job("job", status)


@pytest.mark.parametrize("status", ["STARTING", "INPROGRESS", "STOPPING"])
def test_unfinished_jobs_may_not_be_deleted(status: str) -> None:
    with pytest.raises(ApiError) as info:
        rules.check_delete_compilation_job("job", status)
    assert (info.value.code, info.value.message) == (
        "ValidationException",
        messages.compilation_job_not_deletable("job", status),
    )


# --- derived values ----------------------------------------------------------------------


def test_artifact_name_follows_neo() -> None:
    assert rules.model_artifact_uri(make_request()) == "s3://my-bucket/compiled/model-ml_c5.tar.gz"
    trailing = make_request(**{"OutputConfig.S3OutputLocation": "s3://my-bucket/compiled/"})
    assert rules.model_artifact_uri(trailing) == "s3://my-bucket/compiled/model-ml_c5.tar.gz"
    nvidia = platform("LINUX", "ARM64", "NVIDIA")
    nvidia["InputConfig"]["S3Uri"] = "s3://b/resnet18_model.tar.gz"
    assert rules.model_artifact_uri(nvidia) == (
        "s3://my-bucket/compiled/resnet18_model-LINUX_ARM64_NVIDIA.tar.gz"
    )
    package = make_request(InputConfig=None, ModelPackageVersionArn=PACKAGE)
    assert rules.model_artifact_uri(package).endswith("/model-ml_c5.tar.gz")


def test_derived_fields_for_cloud_target() -> None:
    fields = rules.derived_fields(make_request(), region="us-west-2")
    digest = fields["ModelDigests"]["ArtifactDigest"]
    assert re.fullmatch(r"[0-9a-f]{128}", digest)  # BLAKE2b, matching [\w:]+
    assert fields["InferenceImage"] == (
        "301217895009.dkr.ecr.us-west-2.amazonaws.com/sagemaker-inference-mxnet:1.8.0-cpu-py3"
    )
    assert "DerivedInformation" not in fields
    assert rules.derived_fields(make_request(), region="us-west-2") == fields


def test_derived_fields_vary_with_the_job_and_the_target() -> None:
    gpu = make_request(
        **{
            "InputConfig.Framework": "PYTORCH",
            "InputConfig.FrameworkVersion": "2.0",
            "InputConfig.DataInputConfig": None,
            "OutputConfig.TargetDevice": "ml_g4dn",
        }
    )
    fields = rules.derived_fields(gpu)
    assert fields["InferenceImage"].endswith("/sagemaker-inference-pytorch:2.0-gpu-py3")
    assert fields["DerivedInformation"] == {"DerivedDataInputConfig": rules.DERIVED_PYTORCH_INPUT}
    assert fields["ModelDigests"] != rules.derived_fields(make_request())["ModelDigests"]
    edge = rules.derived_fields(make_request(**{"OutputConfig.TargetDevice": "rasp3b"}))
    assert set(edge) == {"ModelDigests"}


def test_failure_reasons_fill_in_the_job() -> None:
    request = make_request(**{"InputConfig.Framework": "TENSORFLOW"})
    assert rules.failure_reason("s3_object_missing", request) == (
        "ClientError: InputConfiguration: S3 object does not exist. "
        "Bucket: my-bucket, Key: models/model.tar.gz"
    )
    assert rules.failure_reason("incompatible_model", request) == (
        "ClientError: InputConfiguration: Incompatible Tensorflow model"
    )
    assert "900 seconds" in rules.failure_reason("timeout", request)
    for kind in messages.COMPILATION_FAILURE_REASONS:
        assert len(rules.failure_reason(kind, request)) <= 1024  # FailureReason max length


def test_a_job_reading_from_an_invalid_bucket_is_created_and_fails_while_starting() -> None:
    import sagemaker_lite

    sm = sagemaker_lite.client()
    sm.create_compilation_job(**make_request(**{"InputConfig.S3Uri": "s3://MyBucket/m.tar.gz"}))
    assert (
        sm.describe_compilation_job(CompilationJobName="resnet-c5")["CompilationJobStatus"]
        == "STARTING"
    )
    sm.emulator.run_until_idle()
    job = sm.describe_compilation_job(CompilationJobName="resnet-c5")
    assert job["CompilationJobStatus"] == "FAILED"
    assert job["FailureReason"] == (
        "ClientError: InputConfiguration: S3 object does not exist. Bucket: MyBucket, Key: m.tar.gz"
    )
    assert "CompilationStartTime" not in job
