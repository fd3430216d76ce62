"""Reliability: snapshot and restore give back an identical world, in-flight jobs included."""

from __future__ import annotations

import json
from typing import Any

import pytest
from factories import training_request
from hypothesis import given, settings
from hypothesis import strategies as st

import sagemaker_lite
from sagemaker_lite.surfaces.client import Client
from sagemaker_lite.surfaces.emulator import Emulator
from sagemaker_lite.testing import strategies as sms
from sagemaker_lite.testing.stateful import list_all

_LISTS = (
    ("ListTrainingJobs", "TrainingJobSummaries", "DescribeTrainingJob", "TrainingJobName"),
    (
        "ListHyperParameterTuningJobs",
        "HyperParameterTuningJobSummaries",
        "DescribeHyperParameterTuningJob",
        "HyperParameterTuningJobName",
    ),
    (
        "ListCompilationJobs",
        "CompilationJobSummaries",
        "DescribeCompilationJob",
        "CompilationJobName",
    ),
)


def view(client: Client) -> dict[str, Any]:
    """Everything a caller can read: every listing, every describe, every job's tags."""
    seen: dict[str, Any] = {}
    for list_op, key, describe_op, member in _LISTS:
        summaries = list_all(client, list_op, key)
        seen[list_op] = summaries
        for summary in summaries:
            described = client.call(describe_op, {member: summary[member]})
            described.pop("ResponseMetadata")
            seen[f"{describe_op}:{summary[member]}"] = described
    for job in client.world.by_arn.values():
        seen[f"tags:{job.arn}"] = client.list_tags(ResourceArn=job.arn)["Tags"]
    return seen


def busy_client(requests: list[tuple[str, dict[str, Any]]], stops: int) -> Client:
    """A client with jobs of every kind, some finished, some stopped, most in flight."""
    client = sagemaker_lite.client()
    client.emulator.script_training(
        "failing", fail_at="Training", failure_reason="AlgorithmError: boom"
    )
    for index, (operation, request) in enumerate(requests):
        client.call(operation, request)
        client.emulator.advance(97.0 * index)
    names = [job.name for job in client.world.table("training-job").values()]
    for name in names[:stops]:
        if client.world.get("training-job", name).status == "InProgress":  # type: ignore[union-attr]
            client.stop_training_job(TrainingJobName=name)
    return client


def _requests() -> st.SearchStrategy[list[tuple[str, dict[str, Any]]]]:
    def named(op: str, member: str, name: str) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
        return sms.valid_requests(op).map(lambda r: (op, {**r, member: name}))

    return st.tuples(
        named("CreateTrainingJob", "TrainingJobName", "failing"),
        named("CreateTrainingJob", "TrainingJobName", "train-a"),
        named("CreateTrainingJob", "TrainingJobName", "train-b"),
        named("CreateHyperParameterTuningJob", "HyperParameterTuningJobName", "tune-a"),
        named("CreateCompilationJob", "CompilationJobName", "neo-a"),
    ).map(list)


@settings(max_examples=10)
@given(requests=_requests(), stops=st.integers(0, 3), later=st.floats(0, 5000))
def test_restore_gives_an_identical_world_now_and_later(
    requests: list[tuple[str, dict[str, Any]]], stops: int, later: float
) -> None:
    """Same answers right after restore and after the same time passes on both."""
    original = busy_client(requests, stops)
    state = json.loads(json.dumps(original.emulator.snapshot()))  # JSON-serialisable
    restored = Emulator.from_snapshot(state).client()
    assert view(restored) == view(original)
    for emulator in (original.emulator, restored.emulator):
        emulator.advance(later)
    assert view(restored) == view(original)
    for emulator in (original.emulator, restored.emulator):
        emulator.run_until_idle()
    assert view(restored) == view(original)
    # The random state is captured: the next request ids match.
    assert original.emulator.request_id() == restored.emulator.request_id()


def test_restore_in_place_rewinds_and_keeps_clients_working() -> None:
    """emulator.restore() puts back jobs, schedules and clock; existing clients see it."""
    client = sagemaker_lite.client()
    client.create_training_job(**_one_training_request("keep"))
    state = client.emulator.snapshot()
    before = view(client)
    client.emulator.advance(5000)
    client.create_training_job(**_one_training_request("later"))
    client.delete_training_job(TrainingJobName="keep")
    client.emulator.restore(state)
    assert view(client) == before
    assert client.emulator.now() == state["clock"]
    client.emulator.run_until_idle()
    assert client.describe_training_job(TrainingJobName="keep")["TrainingJobStatus"] == "Completed"


def test_snapshot_keeps_worlds_apart() -> None:
    """Jobs of other accounts and regions come back in their own worlds."""
    emulator = Emulator()
    emulator.client("eu-west-1", "111111111111").create_training_job(
        **_one_training_request("eu-job")
    )
    emulator.client().create_training_job(**_one_training_request("us-job"))
    restored = Emulator.from_snapshot(json.loads(json.dumps(emulator.snapshot())))
    eu = restored.client("eu-west-1", "111111111111")
    assert [s["TrainingJobName"] for s in eu.list_training_jobs()["TrainingJobSummaries"]] == [
        "eu-job"
    ]
    assert [
        s["TrainingJobName"] for s in restored.client().list_training_jobs()["TrainingJobSummaries"]
    ] == ["us-job"]


def test_unknown_format_is_refused() -> None:
    """A snapshot of another format version is not silently misread."""
    state = Emulator().snapshot()
    state["format"] = 999
    with pytest.raises(ValueError, match="format"):
        Emulator().restore(state)


def _one_training_request(name: str) -> dict[str, Any]:
    return training_request(name, Tags=[{"Key": "team", "Value": "ml"}])
