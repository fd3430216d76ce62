"""Processing and batch transform jobs, through the direct client and through boto3."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any

import attrs
import pytest
from botocore.exceptions import ClientError, WaiterError
from factories import model_request, processing_request, transform_request
from hypothesis import given, settings
from hypothesis import strategies as st

from sagemaker_lite import Emulator
from sagemaker_lite.contract import messages, spec
from sagemaker_lite.engine.behaviour import DEFAULT_DURATIONS, DEFAULT_FAILURE_REASON, STOP_SECONDS
from sagemaker_lite.engine.world import CASE_PRESERVING_KINDS


@attrs.frozen
class Kind:
    """What the shared tests need to know of one job kind."""

    noun: str  # "processing job": the resource in error texts
    kind: str
    member: str  # the name member: ProcessingJobName
    working: str  # the phase whose start is the job's StartTime
    start_member: str
    end_member: str
    script: str  # the emulator's scripting method

    def request(self, name: str) -> dict[str, Any]:
        if self.kind == "processing-job":
            return processing_request(name)
        return transform_request(name)

    def op(self, verb: str) -> str:
        """``create_processing_job``, ``list_transform_jobs``..."""
        suffix = "s" if verb == "list" else ""
        return f"{verb}_{self.kind.replace('-', '_')}{suffix}"

    @property
    def status(self) -> str:
        return self.member.replace("Name", "Status")


PROCESSING = Kind(
    "processing job",
    "processing-job",
    "ProcessingJobName",
    "Processing",
    "ProcessingStartTime",
    "ProcessingEndTime",
    "script_processing",
)
TRANSFORM = Kind(
    "transform job",
    "transform-job",
    "TransformJobName",
    "Transforming",
    "TransformStartTime",
    "TransformEndTime",
    "script_transform",
)
KINDS = pytest.mark.parametrize("kind", [PROCESSING, TRANSFORM], ids=["processing", "transform"])


@pytest.fixture
def world(world: tuple[Emulator, Any]) -> tuple[Emulator, Any]:
    """Both paths (tests/conftest.py), with the model the batch jobs use."""
    world[1].create_model(**model_request())
    return world


def call(client: Any, kind: Kind, verb: str, name: str | None = None, **params: Any) -> Any:
    if name is not None:
        params[kind.member] = name
    response = getattr(client, kind.op(verb))(**params)
    response.pop("ResponseMetadata", None)
    return response


def error_of(client: Any, kind: Kind, verb: str, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as info:
        call(client, kind, verb, **params)
    error = info.value.response["Error"]
    return error["Code"], error["Message"]


def required(operation: str) -> set[str]:
    output = spec.operation(operation)["output"]
    return set(spec.shape(output).get("required", ()))


# --- the lifecycle on the virtual clock ----------------------------------------


@KINDS
def test_a_job_runs_through_its_plan_on_the_virtual_clock(
    world: tuple[Emulator, Any], kind: Kind
) -> None:
    emulator, client = world
    arn = call(client, kind, "create", **kind.request("job-A"))[kind.member.replace("Name", "Arn")]
    name = "job-A" if kind.kind in CASE_PRESERVING_KINDS else "job-a"
    assert arn == f"arn:aws:sagemaker:us-east-1:123456789012:{kind.kind}/{name}"
    durations = DEFAULT_DURATIONS[kind.kind]
    created = call(client, kind, "describe", "job-a")
    assert created[kind.status] == "InProgress"
    assert kind.start_member not in created and kind.end_member not in created
    emulator.advance(durations["Starting"])
    running = call(client, kind, "describe", "job-a")
    assert running[kind.status] == "InProgress"
    start = running[kind.start_member]
    assert start - running["CreationTime"] == timedelta(seconds=durations["Starting"])
    emulator.advance(durations[kind.working])
    done = call(client, kind, "describe", "job-a")
    assert done[kind.status] == "Completed"
    assert done[kind.end_member] - start == timedelta(seconds=durations[kind.working])
    assert "FailureReason" not in done
    describe_op = "Describe" + kind.op("describe").split("_", 1)[1].title().replace("_", "")
    assert required(describe_op) <= set(done)


@KINDS
def test_scripted_failure_with_its_reason(world: tuple[Emulator, Any], kind: Kind) -> None:
    emulator, client = world
    getattr(emulator, kind.script)("doomed", failure_reason="ClientError: bad input")
    call(client, kind, "create", **kind.request("doomed"))
    call(client, kind, "create", **kind.request("fine"))
    emulator.run_until_idle()
    failed = call(client, kind, "describe", "doomed")
    assert failed[kind.status] == "Failed"
    assert failed["FailureReason"] == "ClientError: bad input"
    assert kind.start_member in failed  # it failed while working, not while starting
    assert call(client, kind, "describe", "fine")[kind.status] == "Completed"


@KINDS
def test_failing_while_starting_never_starts(world: tuple[Emulator, Any], kind: Kind) -> None:
    emulator, client = world
    getattr(emulator, kind.script)(fail_at="Starting", durations={"Starting": 42})
    call(client, kind, "create", **kind.request("j"))
    emulator.run_until_idle()
    failed = call(client, kind, "describe", "j")
    assert failed[kind.status] == "Failed"
    assert kind.start_member not in failed
    assert failed[kind.end_member] - failed["CreationTime"] == timedelta(seconds=42)
    assert failed["FailureReason"] == DEFAULT_FAILURE_REASON[kind.kind]


@KINDS
def test_unknown_phases_are_refused_when_scripting(world: tuple[Emulator, Any], kind: Kind) -> None:
    emulator, _ = world
    with pytest.raises(ValueError, match="unknown phase"):
        getattr(emulator, kind.script)(fail_at="Training")


@KINDS
def test_stop_moves_through_stopping_to_stopped(world: tuple[Emulator, Any], kind: Kind) -> None:
    emulator, client = world
    call(client, kind, "create", **kind.request("j"))
    emulator.advance(10)
    call(client, kind, "stop", "j")
    assert call(client, kind, "describe", "j")[kind.status] == "Stopping"
    emulator.advance(STOP_SECONDS)
    stopped = call(client, kind, "describe", "j")
    assert stopped[kind.status] == "Stopped"
    emulator.run_until_idle()  # the rest of the plan never happens
    assert call(client, kind, "describe", "j")[kind.status] == "Stopped"
    code, message = error_of(client, kind, "stop", **{kind.member: "j"})
    assert (code, message) == (
        "ValidationException",
        f"The request was rejected because the {kind.noun} is in status Stopped.",
    )


@KINDS
def test_missing_and_duplicate_names(world: tuple[Emulator, Any], kind: Kind) -> None:
    _, client = world
    for verb in ("describe", "stop"):
        assert error_of(client, kind, verb, **{kind.member: "ghost"}) == (
            "ValidationException",
            "Could not find requested job with name ghost",
        )
    call(client, kind, "create", **kind.request("twin"))
    code, message = error_of(client, kind, "create", **kind.request("TWIN"))
    # The ARN the refused request would have had (as for training jobs).
    twin = "TWIN" if kind.kind in CASE_PRESERVING_KINDS else "twin"
    arn = f"arn:aws:sagemaker:us-east-1:123456789012:{kind.kind}/{twin}"
    assert (code, message) == ("ResourceInUse", messages.job_exists(arn))


@KINDS
def test_waiter_and_paginator_from_botocores_data(world: tuple[Emulator, Any], kind: Kind) -> None:
    emulator, client = world
    for i in range(5):
        call(client, kind, "create", **kind.request(f"job-{i}"))
    getattr(emulator, kind.script)("bad", fail_at=kind.working)
    call(client, kind, "create", **kind.request("bad"))
    emulator.auto_advance = True
    waiter = client.get_waiter(f"{kind.kind.replace('-', '_')}_completed_or_stopped")
    waiter.wait(**{kind.member: "job-0"}, WaiterConfig={"Delay": 0})
    assert call(client, kind, "describe", "job-0")[kind.status] == "Completed"
    with pytest.raises(WaiterError):
        waiter.wait(**{kind.member: "bad"}, WaiterConfig={"Delay": 0})
    summaries_key = kind.member.replace("Name", "Summaries")
    pages = client.get_paginator(kind.op("list")).paginate(PaginationConfig={"PageSize": 2})
    names = [s[kind.member] for page in pages for s in page[summaries_key]]
    oldest_first = ["job-0", "job-1", "job-2", "job-3", "job-4", "bad"]
    # The default orders the member docs give: processing oldest first, transform newest.
    assert names == (oldest_first if kind is PROCESSING else oldest_first[::-1])
    failed = call(client, kind, "list", StatusEquals="Failed")[summaries_key]
    assert [s[kind.member] for s in failed] == ["bad"]


@KINDS
def test_tags_on_the_new_arns(world: tuple[Emulator, Any], kind: Kind) -> None:
    _, client = world
    request = kind.request("tagged")
    request["Tags"] = [{"Key": "team", "Value": "ml"}]
    arn = call(client, kind, "create", **request)[kind.member.replace("Name", "Arn")]
    client.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "prod"}])
    tags = client.list_tags(ResourceArn=arn)["Tags"]
    assert tags == [{"Key": "team", "Value": "ml"}, {"Key": "stage", "Value": "prod"}]
    assert "Tags" not in call(client, kind, "describe", "tagged")


@KINDS
def test_snapshot_restores_a_job_in_flight(world: tuple[Emulator, Any], kind: Kind) -> None:
    emulator, client = world
    getattr(emulator, kind.script)(failure_reason="AlgorithmError: later")
    call(client, kind, "create", **kind.request("j"))
    emulator.advance(1)
    state = emulator.snapshot()
    emulator.run_until_idle()
    finished = call(client, kind, "describe", "j")
    emulator.restore(state)
    assert call(client, kind, "describe", "j")[kind.status] == "InProgress"
    emulator.run_until_idle()
    assert call(client, kind, "describe", "j") == finished


# --- processing specifics --------------------------------------------------------


def test_processing_echoes_inputs_and_outputs_with_awss_defaults(
    world: tuple[Emulator, Any],
) -> None:
    _, client = world
    client.create_processing_job(**processing_request("p"))
    described = client.describe_processing_job(ProcessingJobName="p")
    assert described["ProcessingInputs"] == [
        {
            "InputName": "raw",
            "AppManaged": False,
            "S3Input": {
                "S3Uri": "s3://bucket/raw/",
                "LocalPath": "/opt/ml/processing/input",
                "S3DataType": "S3Prefix",
                "S3InputMode": "File",
                "S3DataDistributionType": "FullyReplicated",
            },
        }
    ]
    assert described["ProcessingOutputConfig"]["Outputs"][0]["AppManaged"] is False
    assert described["AppSpecification"] == processing_request()["AppSpecification"]
    assert described["ProcessingResources"] == processing_request()["ProcessingResources"]


def test_processing_max_runtime_stops_the_job(world: tuple[Emulator, Any]) -> None:
    emulator, client = world
    emulator.script_processing("slow", durations={"Processing": 600})  # longer than allowed
    client.create_processing_job(
        **processing_request("slow", StoppingCondition={"MaxRuntimeInSeconds": 60})
    )
    emulator.run_until_idle()
    described = client.describe_processing_job(ProcessingJobName="slow")
    assert described["ProcessingJobStatus"] == "Stopped"
    assert described["ProcessingEndTime"] - described["ProcessingStartTime"] == timedelta(
        seconds=60
    )
    assert described["StoppingCondition"] == {"MaxRuntimeInSeconds": 60}


def test_processing_default_plan_fits_a_short_limit(world: tuple[Emulator, Any]) -> None:
    # Unscripted, a job never runs into its own StoppingCondition.
    emulator, client = world
    client.create_processing_job(
        **processing_request("quick", StoppingCondition={"MaxRuntimeInSeconds": 60})
    )
    emulator.run_until_idle()
    described = client.describe_processing_job(ProcessingJobName="quick")
    assert described["ProcessingJobStatus"] == "Completed"
    took = described["ProcessingEndTime"] - described["ProcessingStartTime"]
    assert took <= timedelta(seconds=60)


def test_processing_exit_message_once_finished(world: tuple[Emulator, Any]) -> None:
    emulator, client = world
    emulator.script_processing(
        failure_reason="AlgorithmError: See job logs for more information",
        exit_message="Traceback: KeyError: 'label'",
    )
    client.create_processing_job(**processing_request("p"))
    assert "ExitMessage" not in client.describe_processing_job(ProcessingJobName="p")
    emulator.run_until_idle()
    described = client.describe_processing_job(ProcessingJobName="p")
    assert described["ExitMessage"] == "Traceback: KeyError: 'label'"
    (summary,) = client.list_processing_jobs()["ProcessingJobSummaries"]
    assert summary["ExitMessage"] == described["ExitMessage"]
    assert summary["FailureReason"] == described["FailureReason"]


# --- transform specifics ---------------------------------------------------------


def test_transform_needs_an_existing_model(world: tuple[Emulator, Any]) -> None:
    _, client = world
    with pytest.raises(ClientError) as info:
        client.create_transform_job(**transform_request("t", model="Gone"))
    assert info.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": 'Could not find model "arn:aws:sagemaker:us-east-1:123456789012:model/gone".',
    }
    assert client.list_transform_jobs()["TransformJobSummaries"] == []  # nothing changed


def test_transform_echoes_its_request_with_awss_defaults(world: tuple[Emulator, Any]) -> None:
    _, client = world
    client.create_transform_job(**transform_request("t"))
    described = client.describe_transform_job(TransformJobName="t")
    assert described["ModelName"] == "model-1"
    assert described["TransformInput"] == {
        **transform_request()["TransformInput"],
        "CompressionType": "None",
        "SplitType": "None",
    }
    assert described["TransformOutput"] == {"S3OutputPath": "s3://bucket/scored/", "KmsKeyId": ""}
    assert "MaxPayloadInMB" not in described and "MaxConcurrentTransforms" not in described
    assert described["DataProcessing"] == {
        "InputFilter": "$",
        "OutputFilter": "$",
        "JoinSource": "None",
    }
    client.create_transform_job(
        **transform_request(
            "given",
            BatchStrategy="MultiRecord",
            MaxPayloadInMB=20,
            MaxConcurrentTransforms=4,
            DataProcessing={"JoinSource": "Input"},
        )
    )
    given = client.describe_transform_job(TransformJobName="given")
    assert (given["BatchStrategy"], given["MaxPayloadInMB"], given["MaxConcurrentTransforms"]) == (
        "MultiRecord",
        20,
        4,
    )
    assert given["DataProcessing"]["JoinSource"] == "Input"


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ({"MaxPayloadInMB": 101}, messages.transform_payload_too_large(101)),
        (
            {"MaxPayloadInMB": 30, "MaxConcurrentTransforms": 4},
            messages.transform_concurrency_too_large(4, 30),
        ),
    ],
)
def test_transform_payload_limits(
    world: tuple[Emulator, Any], limits: dict[str, Any], message: str
) -> None:
    _, client = world
    with pytest.raises(ClientError) as info:
        client.create_transform_job(**transform_request("t", **limits))
    assert info.value.response["Error"]["Message"] == message
    # At the limit is fine, as is a zero (chunked) payload.
    client.create_transform_job(
        **transform_request("ok", MaxPayloadInMB=25, MaxConcurrentTransforms=4)
    )
    client.create_transform_job(**transform_request("chunked", MaxPayloadInMB=0))
    # The product is bounded only when both are given (no evidence for the default's).
    client.create_transform_job(**transform_request("many", MaxConcurrentTransforms=17))


def test_a_transform_keeps_running_when_its_model_is_deleted(world: tuple[Emulator, Any]) -> None:
    emulator, client = world
    client.create_transform_job(**transform_request("t"))
    client.delete_model(ModelName="model-1")
    emulator.run_until_idle()
    assert client.describe_transform_job(TransformJobName="t")["TransformJobStatus"] == "Completed"


def test_the_pytest_fixtures_serve_the_new_kinds(
    sagemaker_client: Any, boto3_sagemaker: Any, sagemaker_emulator: Emulator
) -> None:
    boto3_sagemaker.create_model(**model_request("m"))
    sagemaker_client.create_transform_job(**transform_request("t", model="m"))
    boto3_sagemaker.create_processing_job(**processing_request("p"))
    sagemaker_emulator.run_until_idle()
    processed = sagemaker_client.describe_processing_job(ProcessingJobName="p")
    transformed = boto3_sagemaker.describe_transform_job(TransformJobName="t")
    assert (processed["ProcessingJobStatus"], transformed["TransformJobStatus"]) == (
        "Completed",
        "Completed",
    )


# --- random event sequences --------------------------------------------------------

_ACTIONS = st.lists(
    st.one_of(
        st.tuples(
            st.just("create"),
            st.sampled_from(["a", "b"]),
            st.sampled_from([None, "Starting", "work"]),
            st.one_of(st.none(), st.integers(1, 400)),
        ),
        st.tuples(st.just("advance"), st.integers(0, 600)),
        st.tuples(st.just("stop"), st.sampled_from(["a", "b"])),
    ),
    max_size=20,
)


@KINDS
@settings(max_examples=40)
@given(actions=_ACTIONS)
def test_random_runs_keep_times_ordered_and_terminal_states_final(
    kind: Kind, actions: list[tuple[Any, ...]]
) -> None:
    emulator = Emulator()
    client = emulator.client()
    client.create_model(**model_request())
    finished: dict[str, dict[str, Any]] = {}
    for action in actions:
        if action[0] == "create":
            _, name, fail_at, runtime = action
            if fail_at is not None:
                phase = kind.working if fail_at == "work" else fail_at
                getattr(emulator, kind.script)(name, fail_at=phase)
            request = kind.request(name)
            if runtime is not None and kind is PROCESSING:
                request["StoppingCondition"] = {"MaxRuntimeInSeconds": runtime}
            with contextlib.suppress(ClientError):
                call(client, kind, "create", **request)
        elif action[0] == "advance":
            emulator.advance(action[1])
        else:
            with contextlib.suppress(ClientError):
                call(client, kind, "stop", action[1])
        now = emulator.clock.now()
        for summary in call(client, kind, "list")[kind.member.replace("Name", "Summaries")]:
            name = summary[kind.member]
            described = call(client, kind, "describe", name)
            assert described[kind.status] == summary[kind.status]
            times = [described["CreationTime"]]
            times += [described[m] for m in (kind.start_member, kind.end_member) if m in described]
            assert times == sorted(times) and times[-1] <= now
            if name in finished:
                assert described == finished[name]  # a finished job never changes
            elif described[kind.status] in ("Completed", "Failed", "Stopped"):
                finished[name] = described
                assert (kind.end_member in described) and (
                    described[kind.status] != "Failed" or "FailureReason" in described
                )
