"""mock_sagemaker(): real boto3 clients served by the emulator, with botocore's own errors."""

from __future__ import annotations

import json
import os
from typing import Any, Literal

import boto3
import botocore.client
import botocore.session
import botocore.utils
import factories
import pytest
from botocore.exceptions import ClientError, ParamValidationError
from botocore.parsers import create_parser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sagemaker_lite
from sagemaker_lite import Emulator, mock_sagemaker
from sagemaker_lite.contract.operations import OPERATIONS, SPEC_OPERATIONS
from sagemaker_lite.surfaces.boto3_adapter import active_emulator, attach

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"


def training_request(name: str = "job-1", **extra: Any) -> dict[str, Any]:
    """A valid CreateTrainingJob request, tagged."""
    return factories.training_request(name, Tags=[{"Key": "team", "Value": "search"}], **extra)


def test_boto3_client_is_served_in_its_region_and_configured_account() -> None:
    with mock_sagemaker(account_id="111122223333") as emulator:
        sm = boto3.client("sagemaker", region_name="eu-west-1")
        arn = sm.create_training_job(**training_request())["TrainingJobArn"]
        assert arn == "arn:aws:sagemaker:eu-west-1:111122223333:training-job/job-1"
        assert emulator.world("111122223333", "eu-west-1").get("training-job", "job-1")
        # Another region of the same account is another world.
        other = boto3.Session(region_name="us-west-2").client("sagemaker")
        assert other.list_training_jobs()["TrainingJobSummaries"] == []


def test_session_clients_and_direct_clients_share_the_emulator() -> None:
    with mock_sagemaker() as emulator:
        sm = boto3.Session(region_name="us-east-1").client("sagemaker")
        sm.create_training_job(**training_request())
        direct = emulator.client("us-east-1")
        assert direct.describe_training_job(TrainingJobName="job-1")["TrainingJobStatus"] == (
            "InProgress"
        )
        assert active_emulator() is emulator
    assert active_emulator() is None


def test_emulator_controls_move_what_boto3_sees() -> None:
    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        emulator.run_until_idle()
        job = sm.describe_training_job(TrainingJobName="job-1")
        assert job["TrainingJobStatus"] == "Completed"
        assert job["SecondaryStatus"] == "Completed"
        assert job["CreationTime"] < job["TrainingEndTime"]


def test_scripted_failure_is_seen_through_boto3() -> None:
    with mock_sagemaker() as emulator:
        emulator.script_training(fail_at="Training", failure_reason="AlgorithmError: boom")
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        emulator.run_until_idle()
        job = sm.describe_training_job(TrainingJobName="job-1")
        assert (job["TrainingJobStatus"], job["FailureReason"]) == (
            "Failed",
            "AlgorithmError: boom",
        )


def test_timestamps_are_botocore_datetimes() -> None:
    with mock_sagemaker():
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        created = sm.describe_training_job(TrainingJobName="job-1")["CreationTime"]
    expected = botocore.utils.parse_timestamp(created.timestamp())  # what botocore's parser gives
    assert created == expected and type(created.tzinfo) is type(expected.tzinfo)


# --- errors are botocore's -------------------------------------------------------------------


def test_modeled_error_is_the_clients_exception_class() -> None:
    with mock_sagemaker():
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        with pytest.raises(sm.exceptions.ResourceInUse) as caught:
            sm.create_training_job(**training_request())
    error = caught.value.response
    assert error["Error"]["Code"] == "ResourceInUse"
    assert error["Message"] == error["Error"]["Message"]  # modeled members at the top
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "training-job/job-1" in error["Error"]["Message"]


def test_validation_exception_is_a_plain_client_error_with_aws_text() -> None:
    with mock_sagemaker():
        sm = boto3.client("sagemaker", region_name="us-east-1")
        with pytest.raises(ClientError) as missing:
            sm.describe_training_job(TrainingJobName="nope")
        with pytest.raises(ClientError) as bad:
            sm.describe_training_job(TrainingJobName="a_b")
    assert type(missing.value) is ClientError
    assert missing.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": "Requested resource not found.",
    }
    assert str(missing.value) == (
        "An error occurred (ValidationException) when calling the DescribeTrainingJob "
        "operation: Requested resource not found."
    )
    assert bad.value.response["Error"]["Message"].startswith(
        "1 validation error detected: Value 'a_b' at 'trainingJobName' failed to satisfy"
    )


def test_botocore_validates_parameters_before_the_emulator() -> None:
    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        with pytest.raises(ParamValidationError, match="Missing required parameter"):
            sm.create_training_job(TrainingJobName="x")
        assert list(emulator.jobs()) == []


def test_operations_we_do_not_emulate_never_reach_the_network() -> None:
    with mock_sagemaker():
        sm = boto3.client("sagemaker", region_name="us-east-1")
        with pytest.raises(NotImplementedError, match="ListExperiments"):
            sm.list_experiments()


# --- scope -----------------------------------------------------------------------------------


def test_other_services_are_untouched_and_combine_with_moto() -> None:
    from moto import mock_aws

    with mock_aws(), mock_sagemaker() as emulator:
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="bucket")
        s3.put_object(Bucket="bucket", Key="train/a.csv", Body=b"1,2\n")
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        emulator.run_until_idle()
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket="bucket")["Contents"]]
        assert keys == [
            "output/job-1/output/model.tar.gz",  # the job's artifacts, through moto's S3
            "output/job-1/output/output.tar.gz",
            "train/a.csv",
        ]
        assert sm.list_training_jobs()["TrainingJobSummaries"][0]["TrainingJobStatus"] == (
            "Completed"
        )


def test_dummy_credentials_only_inside_and_only_when_none(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
    with mock_sagemaker():
        assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
        assert boto3.client("sagemaker").meta.region_name == "us-east-1"
    assert "AWS_ACCESS_KEY_ID" not in os.environ and "AWS_DEFAULT_REGION" not in os.environ
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "mine")
    with mock_sagemaker():
        assert os.environ["AWS_ACCESS_KEY_ID"] == "mine"
    assert os.environ["AWS_ACCESS_KEY_ID"] == "mine"


def test_decorator_gives_each_call_a_fresh_emulator() -> None:
    seen: list[int] = []

    @mock_sagemaker()
    def run() -> None:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        seen.append(len(sm.list_training_jobs()["TrainingJobSummaries"]))
        sm.create_training_job(**training_request())

    run()
    run()
    assert seen == [0, 0]


def test_nested_mocks_innermost_serves_and_outer_resumes() -> None:
    outer_emulator, inner_emulator = Emulator(), Emulator()
    with mock_sagemaker(outer_emulator):
        sm = boto3.client("sagemaker", region_name="us-east-1")
        with mock_sagemaker(inner_emulator):
            sm.create_training_job(**training_request("inner"))
        sm.create_training_job(**training_request("outer"))
    assert [j.name for j in inner_emulator.jobs()] == ["inner"]
    assert [j.name for j in outer_emulator.jobs()] == ["outer"]


def test_a_client_made_before_the_context_can_be_attached() -> None:
    sm = boto3.client(
        "sagemaker", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    attach(sm)
    with mock_sagemaker() as emulator:
        sm.create_training_job(**training_request())
    assert len(list(emulator.jobs())) == 1


def test_client_creation_is_restored_on_exit() -> None:
    original = botocore.client.BaseClient.__init__
    with mock_sagemaker():
        assert botocore.client.BaseClient.__init__ is not original
    assert botocore.client.BaseClient.__init__ is original


# --- parse fidelity: our answers survive botocore's own parser unchanged ---------------------

_MODEL = botocore.session.get_session().get_service_model("sagemaker")
_PY_TYPES: dict[str, tuple[type, ...]] = {
    **factories.BOTOCORE_SCALAR_TYPES,
    "structure": (dict,),
    "list": (list,),
    "map": (dict,),
}


def mistyped(value: Any, shape: Any, path: str = "") -> list[str]:
    """Where ``value`` does not have the type botocore's ``shape`` says (or has unknown members)."""
    wanted = _PY_TYPES[shape.type_name]
    # bool is an int in Python, but not in the model
    if (type(value) is bool and shape.type_name != "boolean") or not isinstance(value, wanted):
        return [f"{path or '<root>'}: {type(value).__name__} is not {shape.type_name}"]
    data: Any = value
    if shape.type_name == "structure":
        out = [f"{path}.{k}: not in {shape.name}" for k in data if k not in shape.members]
        for key, item in data.items():
            if key in shape.members:
                out += mistyped(item, shape.members[key], f"{path}.{key}")
        return out
    if shape.type_name == "list":
        return [e for i, v in enumerate(data) for e in mistyped(v, shape.member, f"{path}[{i}]")]
    if shape.type_name == "map":
        return [e for k, v in data.items() for e in mistyped(v, shape.value, f"{path}.{k}")]
    return []


def check_fidelity(operation: str, response: dict[str, Any]) -> None:
    """Serialise as SageMaker does, parse with botocore, compare: nothing dropped or mistyped."""
    from sagemaker_lite.surfaces.boto3_adapter import _json_default

    body = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    shape = _MODEL.operation_model(operation).output_shape
    raw = {
        "body": json.dumps(body, default=_json_default).encode(),
        "headers": {},
        "status_code": 200,
    }
    parsed = create_parser("json").parse(raw, shape)
    parsed.pop("ResponseMetadata")
    assert parsed == body
    assert mistyped(body, shape) == [] if shape is not None else body == {}


def test_every_training_answer_parses_under_botocore_unchanged() -> None:
    sm = sagemaker_lite.client()
    sm.emulator.script_training("failing", fail_at="Training", failure_reason="AlgorithmError: x")
    check_fidelity("CreateTrainingJob", sm.create_training_job(**training_request()))
    sm.create_training_job(
        **training_request(
            "failing",
            ResourceConfig={
                "InstanceType": "ml.m5.xlarge",
                "InstanceCount": 1,
                "VolumeSizeInGB": 30,
                "KeepAlivePeriodInSeconds": 60,
            },
        )
    )
    for seconds in (0, 60, 400, 800, 5000):
        sm.emulator.advance(seconds)
        for name in ("job-1", "failing"):
            check_fidelity("DescribeTrainingJob", sm.describe_training_job(TrainingJobName=name))
        check_fidelity("ListTrainingJobs", sm.list_training_jobs(MaxResults=1))
    arn = sm.describe_training_job(TrainingJobName="job-1")["TrainingJobArn"]
    check_fidelity("ListTags", sm.list_tags(ResourceArn=arn))
    check_fidelity("AddTags", sm.add_tags(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}]))


def test_fast_and_botocore_parsing_give_the_same_answers() -> None:
    answers: dict[str, list[Any]] = {}
    modes: tuple[Literal["fast"], Literal["botocore"]] = ("fast", "botocore")
    for parse in modes:
        with mock_sagemaker(parse=parse) as emulator:
            sm = boto3.client("sagemaker", region_name="us-east-1")
            got = answers[parse] = []
            got.append(sm.create_training_job(**training_request()))
            for seconds in (0, 100, 1000):
                emulator.advance(seconds)
                got.append(sm.describe_training_job(TrainingJobName="job-1"))
                got.append(sm.list_training_jobs())
            for item in got:
                item["ResponseMetadata"].pop("HTTPHeaders")
    assert answers["fast"] == answers["botocore"]

    # Same types too (a datetime's repr names its tz); only key order may differ.
    def typed(value: Any) -> str:
        return json.dumps(value, sort_keys=True, default=repr)

    assert typed(answers["fast"]) == typed(answers["botocore"])


# --- parity: the direct client and boto3 under the mock answer alike -------------------------

_NAMES = st.sampled_from(["job-1", "job-2", "JOB-1", "a_b", "x" * 64])


@st.composite
def calls(draw: st.DrawFn) -> list[tuple[str, dict[str, Any]]]:
    """A short sequence of training and tag calls, plus time steps (``advance``)."""
    steps: list[tuple[str, dict[str, Any]]] = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(
            st.sampled_from(
                ["create", "describe", "list", "stop", "delete", "advance", "tags", "update"]
            )
        )
        name = draw(_NAMES)
        if kind == "create":
            steps.append(("CreateTrainingJob", training_request(name)))
        elif kind == "describe":
            steps.append(("DescribeTrainingJob", {"TrainingJobName": name}))
        elif kind == "list":
            steps.append(
                (
                    "ListTrainingJobs",
                    draw(
                        st.fixed_dictionaries(
                            {},
                            optional={
                                "MaxResults": st.integers(1, 3),
                                "SortBy": st.sampled_from(["Name", "CreationTime", "Status"]),
                                "SortOrder": st.sampled_from(["Ascending", "Descending"]),
                                "StatusEquals": st.sampled_from(
                                    ["InProgress", "Completed", "Stopped"]
                                ),
                                "NameContains": st.sampled_from(["job", "1", "zz"]),
                            },
                        )
                    ),
                )
            )
        elif kind == "stop":
            steps.append(("StopTrainingJob", {"TrainingJobName": name}))
        elif kind == "delete":
            steps.append(("DeleteTrainingJob", {"TrainingJobName": name}))
        elif kind == "update":
            steps.append(
                (
                    "UpdateTrainingJob",
                    {
                        "TrainingJobName": name,
                        "ResourceConfig": {"KeepAlivePeriodInSeconds": draw(st.integers(0, 3600))},
                    },
                )
            )
        elif kind == "tags":
            arn = f"arn:aws:sagemaker:us-east-1:123456789012:training-job/{name}"
            steps.append(("ListTags", {"ResourceArn": arn}))
        else:
            steps.append(("advance", {"seconds": draw(st.sampled_from([1, 60, 150, 900]))}))
    return steps


def outcome(call: Any) -> Any:
    """A call's result with ResponseMetadata dropped, or its error's class, code and message."""
    try:
        result = call()
    except ClientError as error:
        return (
            "error",
            type(error).__name__,
            error.response["Error"],
            error.response.get("Message"),
        )
    except (ParamValidationError, NotImplementedError) as error:
        return ("error", type(error).__name__, str(error))
    result.pop("ResponseMetadata", None)
    return result


def run_direct(steps: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    sm = sagemaker_lite.client()
    return [
        sm.emulator.advance(p["seconds"])
        if op == "advance"
        else outcome(lambda op=op, p=p: getattr(sm, OPERATIONS[op].python_name)(**p))
        for op, p in steps
    ]


def run_boto3(steps: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        return [
            emulator.advance(p["seconds"])
            if op == "advance"
            else outcome(lambda op=op, p=p: getattr(sm, OPERATIONS[op].python_name)(**p))
            for op, p in steps
        ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calls())
def test_direct_client_and_boto3_give_equal_answers_and_errors(
    steps: list[tuple[str, dict[str, Any]]],
) -> None:
    assert run_direct(steps) == run_boto3(steps)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(st.data())
def test_schema_valid_requests_answer_alike(data: st.DataObject) -> None:
    from sagemaker_lite.testing.schema_strategies import request_strategy

    op = data.draw(st.sampled_from(SPEC_OPERATIONS))
    request = data.draw(request_strategy(op))
    steps = [(op, request), ("ListTrainingJobs", {})]
    assert run_direct(steps) == run_boto3(steps)


def test_a_client_without_botocore_validation_gets_the_services_answers() -> None:
    # Config(parameter_validation=False): botocore sends what it would have refused,
    # and the service answers it, in its own words (docs/fidelity.md).
    import boto3
    from botocore.config import Config

    with sagemaker_lite.mock_sagemaker():
        sm = boto3.client(
            "sagemaker", region_name="us-east-1", config=Config(parameter_validation=False)
        )
        answers: dict[str, tuple[Any, dict[str, Any]]] = {
            "required": (sm.describe_training_job, {}),
            "min length": (sm.describe_training_job, {"TrainingJobName": ""}),
            "min value": (sm.list_training_jobs, {"MaxResults": 0}),
            "type": (sm.list_training_jobs, {"MaxResults": "5"}),
        }
        errors = {}
        for check, (method, params) in answers.items():
            with pytest.raises(ClientError) as info:
                method(**params)
            errors[check] = info.value.response["Error"]
    assert errors["required"] == {
        "Code": "ValidationException",
        "Message": "1 validation error detected: Value null at 'trainingJobName' failed to "
        "satisfy constraint: Member must not be null",
    }
    assert errors["min length"]["Message"].startswith(
        "2 validation errors detected: Value '' at 'trainingJobName' failed to satisfy "
        "constraint: Member must have length greater than or equal to 1; "
    )
    assert errors["min value"]["Message"] == (
        "1 validation error detected: Value '0' at 'maxResults' failed to satisfy "
        "constraint: Member must have value greater than or equal to 1"
    )
    assert errors["type"]["Code"] == "SerializationException"
