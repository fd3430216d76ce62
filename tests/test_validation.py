"""Service-side request validation: AWS's ValidationException wording, paths and values."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sagemaker_lite.contract import messages
from sagemaker_lite.contract.errors import ApiError, ParamValidationError
from sagemaker_lite.contract.fastpath import valid_copy
from sagemaker_lite.contract.spec import load_model
from sagemaker_lite.contract.validation import (
    aws_path,
    check_params,
    check_request,
    constraints_of,
    render_value,
)
from sagemaker_lite.testing.schema_strategies import present_members, request_strategy

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"


def _training_job(**overrides: Any) -> dict[str, Any]:
    request: dict[str, Any] = {
        "TrainingJobName": "my-job",
        "AlgorithmSpecification": {"TrainingImage": "img:1", "TrainingInputMode": "File"},
        "RoleArn": ROLE,
        "InputDataConfig": [
            {
                "ChannelName": "train",
                "DataSource": {
                    "S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://bucket/train/"}
                },
            }
        ],
        "OutputDataConfig": {"S3OutputPath": "s3://bucket/out/"},
        "ResourceConfig": {
            "InstanceType": "ml.m5.xlarge",
            "InstanceCount": 1,
            "VolumeSizeInGB": 30,
        },
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        "Tags": [{"Key": "a", "Value": "b"}, {"Key": "team", "Value": "données ml"}],
    }
    request.update(overrides)
    return request


def _message(op: str, request: dict[str, Any]) -> str:
    with pytest.raises(ApiError) as raised:
        check_request(op, request)
    assert raised.value.code == "ValidationException"
    return raised.value.message


def test_valid_request_passes_both_checks() -> None:
    check_params("CreateTrainingJob", _training_job())
    check_request("CreateTrainingJob", _training_job())


def test_one_violation_reads_like_aws() -> None:
    assert _message("CreateTrainingJob", _training_job(TrainingJobName="a_b")) == (
        "1 validation error detected: Value 'a_b' at 'trainingJobName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: "
        "[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"
    )


def test_several_violations_are_counted_and_joined_in_model_order() -> None:
    request = _training_job(TrainingJobName="a_b")
    request["ResourceConfig"]["InstanceType"] = "ml.t2.nano"
    message = _message("CreateTrainingJob", request)
    assert message.startswith("2 validation errors detected: Value 'a_b' at ")
    first, second = message.split(": ", 1)[1].split("; ")
    assert first.startswith("Value 'a_b' at 'trainingJobName' failed to satisfy constraint: ")
    assert second.startswith(
        "Value 'ml.t2.nano' at 'resourceConfig.instanceType' failed to satisfy constraint: "
        "Member must satisfy enum value set: [ml.m4.xlarge, "
    )


def test_one_value_breaking_two_constraints_gives_two_violations() -> None:
    message = _message("CreateTrainingJob", _training_job(TrainingJobName="_" * 64))
    assert message.startswith("2 validation errors detected: ")
    assert "Member must have length less than or equal to 63; " in message
    assert message.endswith(
        "Member must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"
    )


def test_list_members_are_numbered_from_one_with_member() -> None:
    request = _training_job()
    request["Tags"][1]["Value"] = "a,b"
    request["InputDataConfig"][0]["ChannelName"] = "bad name"
    message = _message("CreateTrainingJob", request)
    assert "Value 'bad name' at 'inputDataConfig.1.member.channelName' failed" in message
    assert "Value 'a,b' at 'tags.2.member.value' failed to satisfy constraint: " in message
    assert message.index("inputDataConfig") < message.index("tags.2")


def test_map_values_list_every_constraint_of_the_value_shape() -> None:
    hyper = {"epochs": "10", "labels": "x" * 2501}
    message = _message("CreateTrainingJob", _training_job(HyperParameters=hyper))
    value_shape = load_model()["shapes"]["HyperParameterValue"]
    assert message == (
        "1 validation error detected: Value '{epochs=10, labels="
        + "x" * 2501
        + "}' at 'hyperParameters' failed to satisfy constraint: Map value must satisfy "
        f"constraint: [Member must have length less than or equal to {value_shape['max']}, "
        f"Member must have length greater than or equal to {value_shape['min']}, "
        f"Member must satisfy regular expression pattern: {value_shape['pattern']}]"
    )


def test_map_keys_and_map_size() -> None:
    env = {"1BAD": "x"}
    message = _message("CreateTrainingJob", _training_job(Environment=env))
    assert message.startswith(
        "1 validation error detected: Value '{1BAD=x}' at 'environment' failed to satisfy "
        "constraint: Map keys must satisfy constraint: [Member must have length less than or "
        "equal to 512, Member must have length greater than or equal to 0, "
        "Member must satisfy regular expression pattern: [a-zA-Z_][a-zA-Z0-9_]*]"
    )
    big = {f"k{i}": "v" for i in range(101)}
    message = _message("CreateTrainingJob", _training_job(HyperParameters=big))
    assert message.endswith(
        "' at 'hyperParameters' failed to satisfy constraint: "
        "Member must have length less than or equal to 100"
    )


def test_numbers_and_list_lengths() -> None:
    assert _message("ListTrainingJobs", {"MaxResults": 101}) == (
        "1 validation error detected: Value '101' at 'maxResults' failed to satisfy "
        "constraint: Member must have value less than or equal to 100"
    )
    assert _message("ListTrainingJobs", {"MaxResults": 0}).endswith(
        "Member must have value greater than or equal to 1"
    )
    tags = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]
    message = _message("CreateTrainingJob", _training_job(Tags=tags))
    assert message.startswith("1 validation error detected: Value '[{Key=k0, Value=v}, ")
    assert message.endswith(
        "' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"
    )


def test_missing_required_member_is_null() -> None:
    request = _training_job()
    del request["RoleArn"]
    del request["OutputDataConfig"]["S3OutputPath"]
    assert _message("CreateTrainingJob", request) == (
        "2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: "
        "Member must not be null; Value null at 'outputDataConfig.s3OutputPath' failed to "
        "satisfy constraint: Member must not be null"
    )


def test_wrong_json_type_is_a_serialization_error() -> None:
    with pytest.raises(ApiError) as raised:
        check_request("CreateTrainingJob", _training_job(TrainingJobName=5))
    assert raised.value.code == "SerializationException"
    assert "can not be converted to an String" in raised.value.message


def test_check_params_raises_botocores_error() -> None:
    with pytest.raises(ParamValidationError) as raised:
        check_params("ListTrainingJobs", {"MaxResults": 0, "Nope": 1})
    assert str(raised.value) == (
        "Parameter validation failed:\n"
        'Unknown parameter in input: "Nope", must be one of: NextToken, MaxResults, '
        "CreationTimeAfter, CreationTimeBefore, LastModifiedTimeAfter, LastModifiedTimeBefore, "
        "NameContains, StatusEquals, SortBy, SortOrder, WarmPoolStatusEquals, "
        "TrainingPlanArnEquals\n"
        "Invalid value for parameter MaxResults, value: 0, valid min value: 1"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("s", "s"),
        (True, "true"),
        (12, "12"),
        (0.5, "0.5"),
        (100.0, "100.0"),
        (1e-06, "1.0E-6"),
        (1.5e10, "1.5E10"),
        (["a", 1], "[a, 1]"),
        ({"k": "v", "n": 2}, "{k=v, n=2}"),
    ],
)
def test_values_render_as_java_prints_them(value: Any, text: str) -> None:
    assert render_value(value) == text


def test_paths_are_lower_camel() -> None:
    assert aws_path(("ResourceConfig", "InstanceType")) == "resourceConfig.instanceType"
    assert aws_path(("Tags", 0, "Value")) == "tags.1.member.value"
    assert aws_path(("VpcConfig", "Subnets", 2)) == "vpcConfig.subnets.3.member"


# --- property: valid requests pass; one broken constraint is named exactly ---------

PROPERTY = settings(
    max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
_OPS = [
    "CreateTrainingJob",
    "CreateHyperParameterTuningJob",
    "CreateCompilationJob",
    "ListTrainingJobs",
    "AddTags",
    "UpdateTrainingJob",
]


def _breakers(shape: dict[str, Any], value: Any) -> list[tuple[Any, str]]:
    """(replacement value, expected constraint text) pairs, one per breakable constraint."""
    kind, lo, hi = shape["type"], shape.get("min"), shape.get("max")
    out: list[tuple[Any, str]] = []
    if kind == "string":
        if hi is not None:
            out.append(("a" * (hi + 1), messages.length_at_most(hi)))
        if lo:
            out.append(("", messages.length_at_least(lo)))
        if "enum" in shape:
            out.append(("not-an-enum-value", messages.enum_constraint(shape["enum"])))
        elif "pattern" in shape:
            for bad in ("\n", " ", "a_b", "!", "-a", "a\nb"):
                # breaks the pattern, and only the pattern
                if all(
                    breaks(bad) == ("pattern" in text) for breaks, text in constraints_of(shape)
                ):
                    out.append((bad, messages.pattern_constraint(shape["pattern"])))
                    break
    elif kind in ("integer", "long", "float", "double"):
        if hi is not None:
            out.append((hi + 1, messages.value_at_most(hi)))
        if lo is not None:
            out.append((lo - 1, messages.value_at_least(lo)))
    elif kind in ("list", "map") and value:
        if hi is not None and hi <= 200 and kind == "list":
            out.append(([value[0]] * (hi + 1), messages.length_at_most(hi)))
        if lo:
            out.append(([] if kind == "list" else {}, messages.length_at_least(lo)))
    return out


@pytest.mark.parametrize("op", _OPS)
@given(data=st.data())
@PROPERTY
def test_breaking_one_constraint_names_that_member_and_constraint(
    op: str, data: st.DataObject
) -> None:
    request = data.draw(request_strategy(op))
    check_params(op, request)
    check_request(op, request)
    shapes = load_model()["shapes"]
    root = load_model()["operations"][op]["input"]
    candidates = [
        (path, value, bad, text)
        for path, name, value in present_members(root, request)
        if path
        for bad, text in _breakers(shapes[name], value)
    ]
    for path, name, _ in present_members(root, request):
        for member in (
            shapes[name].get("required", ()) if shapes[name]["type"] == "structure" else ()
        ):
            candidates.append(((*path, member), None, None, messages.MEMBER_NOT_NULL))
    assume(candidates)
    path, _, bad, text = data.draw(st.sampled_from(candidates))
    broken = copy.deepcopy(request)
    target = broken
    for seg in path[:-1]:
        target = target[seg]
    if bad is None:
        del target[path[-1]]
    else:
        target[path[-1]] = bad
    assert valid_copy(op, broken) is None
    message = _message(op, broken)
    where = aws_path(path)
    violations = message.split(" detected: ", 1)[1].split("; Value ")
    assert any(f" at '{where}' failed to satisfy constraint: {text}" in v for v in violations)
    assert all(f" at '{where}' failed" in v for v in violations)


def test_checkers_compiled_concurrently_are_never_seen_half_built() -> None:
    import threading

    from sagemaker_lite.contract import fastpath, validation

    # Force the first use to happen in the threads below.
    for cache in (fastpath._ROOTS, validation._PARAM_CACHE, validation._SERVICE_CACHE):
        cache.clear()
    for generated in [name for name in fastpath._NAMESPACE if not name.startswith("_")]:
        del fastpath._NAMESPACE[generated]
    request = _training_job()
    failures: list[BaseException] = []
    start = threading.Barrier(8)

    def validate() -> None:
        start.wait()
        try:
            assert fastpath.valid_copy("CreateTrainingJob", request) == request
            check_params("CreateTrainingJob", request)
            check_request("CreateTrainingJob", request)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=validate) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
