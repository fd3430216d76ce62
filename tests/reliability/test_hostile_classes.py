"""Reliability: one regression test per class of hostile input (issue 14, bugs 2, 3, 5, 8).

Each runs through the direct client and through boto3 under ``mock_sagemaker()``:
the two must fail (or succeed) the same way, a failed call must change nothing,
and whatever is stored must survive a JSON snapshot.
"""

from __future__ import annotations

import copy
import decimal
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import boto3
import pytest
from botocore import xform_name
from factories import training_request, tuning_request

from sagemaker_lite import mock_sagemaker
from sagemaker_lite.contract.errors import ClientError, ParamValidationError
from sagemaker_lite.engine.snapshot import SnapshotError, encode
from sagemaker_lite.surfaces.emulator import Emulator

from .hostile import LyingDict, LyingFloat, LyingInt, LyingList, LyingStr

Call = Callable[..., dict[str, Any]]


class Path:
    """One way of calling: ``path.call("CreateTrainingJob", request)``."""

    def __init__(self, emulator: Emulator, call: Call) -> None:
        self.emulator = emulator
        self.call = call

    def state(self) -> str:
        state = self.emulator.snapshot()
        del state["request_ids"]
        return json.dumps(state)


@pytest.fixture(params=["direct", "boto3"])
def path(request: pytest.FixtureRequest) -> Iterator[Path]:
    with mock_sagemaker() as emulator:
        if request.param == "direct":
            served = Path(emulator, emulator.client().call)
        else:
            boto = boto3.client("sagemaker", region_name="us-east-1")
            served = Path(emulator, lambda op, params: getattr(boto, xform_name(op))(**params))
        served.call("ListTrainingJobs", {})  # the world exists before any call is judged
        yield served


def _fails(path: Path, operation: str, request: dict[str, Any]) -> BaseException:
    before = path.state()
    with pytest.raises(Exception) as caught:
        path.call(operation, request)
    assert path.state() == before, "a failed call changed the emulator"
    return caught.value


def _round_trip(emulator: Emulator) -> Emulator:
    text = json.dumps(emulator.snapshot())
    restored = Emulator.from_snapshot(json.loads(text))
    assert json.dumps(restored.snapshot()) == text
    return restored


# --- bug 2: integers beyond the wire types ------------------------------------------


@pytest.mark.parametrize(
    ("member", "value", "java"),
    [
        ("StoppingCondition.MaxRuntimeInSeconds", 2**1100, "int"),
        ("StoppingCondition.MaxRuntimeInSeconds", 2**31, "int"),
        ("ResourceConfig.VolumeSizeInGB", 2**63, "int"),
        ("InputDataConfig.0.ShuffleConfig.Seed", 2**63, "long"),
        ("InputDataConfig.0.ShuffleConfig.Seed", -(2**63) - 1, "long"),
    ],
)
def test_integers_beyond_the_java_type_are_a_serialization_error(
    path: Path, member: str, value: int, java: str
) -> None:
    """botocore sends them (its validator has no upper bound); the service cannot read them."""
    request = _with(training_request("big"), member, value)
    error = _fails(path, "CreateTrainingJob", request)
    assert isinstance(error, ClientError)
    assert error.response["Error"]["Code"] == "SerializationException"
    assert error.response["Error"]["Message"] == f"NUMBER_VALUE out of range of {java}"


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("StoppingCondition.MaxRuntimeInSeconds", 2**31 - 1),
        ("InputDataConfig.0.ShuffleConfig.Seed", 2**63 - 1),
        ("InputDataConfig.0.ShuffleConfig.Seed", -(2**63)),
    ],
)
def test_integers_at_the_java_limits_are_accepted_and_run(
    path: Path, member: str, value: int
) -> None:
    """The largest values the types hold are stored, run to the end and snapshot."""
    path.call("CreateTrainingJob", _with(training_request("edge"), member, value))
    path.emulator.run_until_idle()
    assert [job.status for job in path.emulator.jobs()] == ["Completed"]
    _round_trip(path.emulator)


def test_a_negative_huge_integer_meets_botocores_range_check(path: Path) -> None:
    """A minimum in the model is checked client-side first, however far below it is."""
    request = _with(training_request("neg"), "StoppingCondition.MaxRuntimeInSeconds", -(2**1100))
    assert isinstance(_fails(path, "CreateTrainingJob", request), ParamValidationError)


def test_an_int_too_long_to_print_fails_as_botocore_fails(path: Path) -> None:
    """botocore's json.dumps raises ValueError (Python's 4300-digit limit) before sending."""
    request = _with(training_request("long"), "ResourceConfig.VolumeSizeInGB", 10**5000)
    error = _fails(path, "CreateTrainingJob", request)
    assert type(error) is ValueError and "4300 digits" in str(error)
    json.dumps(path.emulator.snapshot())


def test_an_int_too_large_for_a_float_member_fails_as_botocore_fails(path: Path) -> None:
    """botocore's float handling raises OverflowError for TargetObjectiveMetricValue=10**400."""
    request = tuning_request(
        "float", TuningJobCompletionCriteria={"TargetObjectiveMetricValue": 10**400}
    )
    error = _fails(path, "CreateHyperParameterTuningJob", request)
    assert type(error) is OverflowError


@pytest.mark.parametrize("value", ["0.5", "NaN", "1e400", "-0"])
def test_a_decimal_float_is_stored_as_the_float_botocore_sends(path: Path, value: str) -> None:
    """Decimal("NaN") as a tuning target once crashed the emulator's event loop later."""
    target = decimal.Decimal(value)
    request = tuning_request(
        "dec", TuningJobCompletionCriteria={"TargetObjectiveMetricValue": target}
    )
    path.call("CreateHyperParameterTuningJob", request)
    path.emulator.run_until_idle()
    job = next(job for job in path.emulator.jobs() if job.name == "dec")
    stored = job.request["HyperParameterTuningJobConfig"]["TuningJobCompletionCriteria"]
    assert type(stored["TargetObjectiveMetricValue"]) is float
    assert job.status == "Completed"
    _round_trip(path.emulator)


def test_a_signaling_nan_fails_as_botocore_fails(path: Path) -> None:
    """botocore's float(Decimal("sNaN")) raises ValueError before sending."""
    request = tuning_request(
        "snan", TuningJobCompletionCriteria={"TargetObjectiveMetricValue": decimal.Decimal("sNaN")}
    )
    error = _fails(path, "CreateHyperParameterTuningJob", request)
    assert type(error) is ValueError and "signaling NaN" in str(error)


# --- bug 3: lone surrogates -----------------------------------------------------------


def test_lone_surrogates_are_accepted_where_botocore_sends_them(path: Path) -> None:
    """In hyperparameter values and metric names: stored, echoed, run, snapshotted."""
    request = training_request(
        "sur",
        HyperParameters={"lr": "0.8\udc80", "k\ud800": "v"},
        AlgorithmSpecification={
            "TrainingImage": "1.dkr.ecr.us-east-1.amazonaws.com/x:1",
            "TrainingInputMode": "File",
            "MetricDefinitions": [{"Name": "loss\udc80", "Regex": "loss=([0-9.]+)"}],
        },
    )
    path.call("CreateTrainingJob", request)
    path.emulator.run_until_idle()
    described = path.call("DescribeTrainingJob", {"TrainingJobName": "sur"})
    assert described["HyperParameters"] == {"lr": "0.8\udc80", "k\ud800": "v"}
    assert [m["MetricName"] for m in described["FinalMetricDataList"]] == ["loss\udc80"]
    restored = _round_trip(path.emulator)
    assert restored.client().describe_training_job(TrainingJobName="sur")["HyperParameters"] == {
        "lr": "0.8\udc80",
        "k\ud800": "v",
    }


def test_a_tuning_job_with_a_surrogate_static_hyperparameter_runs_to_the_end(path: Path) -> None:
    """Never stuck InProgress without children: it launches them and completes."""
    request = tuning_request("sur-tune", max_jobs=3, parallel=2)
    request["TrainingJobDefinition"]["StaticHyperParameters"] = {"momentum": "0.8\udc80"}
    path.call("CreateHyperParameterTuningJob", request)
    path.emulator.run_until_idle()
    described = path.call(
        "DescribeHyperParameterTuningJob", {"HyperParameterTuningJobName": "sur-tune"}
    )
    assert described["HyperParameterTuningJobStatus"] == "Completed"
    assert described["TrainingJobStatusCounters"]["Completed"] == 3
    _round_trip(path.emulator)


# --- bug 8: subclasses ----------------------------------------------------------------

_PLAIN = (str, int, float, bool, type(None))


def _plain_only(value: Any) -> None:
    if isinstance(value, dict):
        assert type(value) is dict
        for key, item in value.items():
            assert type(key) is str
            _plain_only(item)
    elif isinstance(value, list):
        assert type(value) is list
        for item in value:
            _plain_only(item)
    else:
        assert type(value) in _PLAIN, type(value)


def test_subclasses_are_stored_as_the_plain_values_botocore_sends(path: Path) -> None:
    """Lying str/int/float/dict/list subclasses: the job stores, lists, tags and snapshots
    plain values, and never calls the caller's methods."""
    request = training_request(
        LyingStr("sub"),
        HyperParameters=LyingDict({LyingStr("lr"): LyingStr("0.1")}),
        Tags=LyingList([LyingDict({"Key": LyingStr("team"), "Value": LyingStr("ml")})]),
        ResourceConfig=LyingDict(
            {"InstanceType": "ml.m5.large", "InstanceCount": LyingInt(2), "VolumeSizeInGB": 5}
        ),
    )
    tuning = tuning_request(
        LyingStr("sub-tune"),
        TuningJobCompletionCriteria={"TargetObjectiveMetricValue": LyingFloat(0.5)},
    )
    path.call("CreateTrainingJob", request)
    path.call("CreateHyperParameterTuningJob", tuning)
    for job in path.emulator.jobs():
        _plain_only(job.request)
    described = path.call("DescribeTrainingJob", {"TrainingJobName": "sub"})
    assert described["HyperParameters"] == {"lr": "0.1"}
    assert described["ResourceConfig"]["InstanceCount"] == 2
    listed = path.call("ListTrainingJobs", {"NameContains": "sub"})["TrainingJobSummaries"]
    assert {s["TrainingJobName"] for s in listed} >= {"sub"}
    tags = path.call("ListTags", {"ResourceArn": described["TrainingJobArn"]})["Tags"]
    assert tags == [{"Key": "team", "Value": "ml"}]
    path.emulator.run_until_idle()
    _round_trip(path.emulator)


# --- bug 5: snapshots -----------------------------------------------------------------

_TAG_LIKE = {
    "$tuple": "abc",
    "$datetime": "2026-01-01T00:00:00",
    "$bytes": "AAAA",
    "$decimal": "1.5",
    "$$tuple": "x",
    "$": "dollar",
}


@pytest.mark.parametrize(("key", "value"), sorted(_TAG_LIKE.items()))
def test_user_keys_that_look_like_snapshot_tags_keep_their_type(
    path: Path, key: str, value: str
) -> None:
    """A one-key hyperparameter map named like a tag comes back as that map of strings."""
    path.call("CreateTrainingJob", training_request("tagged", HyperParameters={key: value}))
    restored = _round_trip(path.emulator)
    described = restored.client().describe_training_job(TrainingJobName="tagged")
    assert described["HyperParameters"] == {key: value}


def _malformed(state: dict[str, Any]) -> Iterator[dict[str, Any]]:
    def edited(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
        copied = copy.deepcopy(state)
        change(copied)
        return copied

    def job(s: dict[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = s["worlds"][0]["tables"]["training-job"][0]
        return found

    yield edited(lambda s: s.pop("worlds"))
    yield edited(lambda s: s.update(worlds="x"))
    yield edited(lambda s: s.update(format=1))
    yield edited(lambda s: s.update(random=[3, [1, 2], None]))
    yield edited(lambda s: s.update(pending=[[0, ["no", "such", "job", "ref"], "train"]]))
    yield edited(lambda s: job(s).update(kind="no-such-kind"))
    yield edited(lambda s: job(s).update(created="soon"))
    yield edited(lambda s: job(s).update(data={"$bytes": "@@"}))
    yield edited(lambda s: job(s).update(data={"$decimal": "one"}))
    yield edited(lambda s: job(s).update(data={"$datetime": 5}))
    yield edited(lambda s: job(s).update(data={"$tuple": "abc"}))
    yield edited(lambda s: job(s).update(data={"$unknown": 1, "b": 2}))


def test_a_malformed_snapshot_raises_snapshot_error_and_changes_nothing() -> None:
    """One documented error for every unreadable snapshot; the emulator keeps its state."""
    emulator = Emulator()
    emulator.client().create_training_job(**training_request("keep"))
    state = json.loads(json.dumps(emulator.snapshot()))
    unreadable: list[Any] = [None, [], "x", *_malformed(state)]
    for bad in unreadable:
        before = json.dumps(emulator.snapshot())
        with pytest.raises(SnapshotError):
            emulator.restore(bad)
        assert json.dumps(emulator.snapshot()) == before
        with pytest.raises(SnapshotError):
            Emulator.from_snapshot(bad)


def test_format_2_snapshots_are_still_read() -> None:
    """The previous format (user keys not escaped) restores as it always did."""
    emulator = Emulator()
    emulator.client().create_training_job(
        **training_request("old", HyperParameters={"lr": "0.1"}, Environment={"A": "b"})
    )
    state = json.loads(json.dumps(emulator.snapshot()))
    state["format"] = 2  # format 2 wrote no "$" key this job holds differently
    restored = Emulator.from_snapshot(state)
    assert restored.client().describe_training_job(TrainingJobName="old")["HyperParameters"] == {
        "lr": "0.1"
    }


def test_encode_escapes_every_dollar_key_once() -> None:
    """The escaping rule itself: a leading "$" gains one more; other keys are unchanged."""
    assert encode({"$tuple": 1, "$$x": 2, "a$": 3, "$": 4}) == {
        "$$tuple": 1,
        "$$$x": 2,
        "a$": 3,
        "$$": 4,
    }


# --- helpers ------------------------------------------------------------------------


def _with(request: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    """``request`` with the member at ``dotted`` (``A.0.B``: list index 0) set to ``value``."""
    node: Any = request
    *parents, leaf = dotted.split(".")
    for part in parents:
        node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
    node[leaf] = value
    return request


def test_a_tuning_create_whose_children_cannot_launch_changes_nothing(path: Path) -> None:
    """A script raising for the second child: the caller sees its exception, and neither
    the tuning job nor the first child stays behind (nothing stuck InProgress)."""
    launched: list[str] = []

    def metrics(hyperparameters: Mapping[str, str]) -> dict[str, float]:
        launched.append("child")
        if len(launched) > 1:
            raise ZeroDivisionError("the user's script")
        return {"validation:loss": 0.5}

    path.emulator.script_training(metrics=metrics)
    before = path.state()
    with pytest.raises(ZeroDivisionError):
        path.call("CreateHyperParameterTuningJob", tuning_request("broken", parallel=2))
    assert path.state() == before
    assert list(path.emulator.jobs()) == []
