"""Manifest inputs and checkpoints, read and written through moto's S3 (issue 21).

Under the default ``mock_sagemaker()`` with moto's ``mock_aws()`` stacked, as users
write it: manifests (training channels, batch transform and processing inputs) are
read when the job downloads its data, checkpoints are written under
CheckpointConfig.S3Uri as it trains and restored when it starts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import factories
import pytest
from factories import processing_request, training_request, transform_request

from sagemaker_lite import Emulator, mock_sagemaker

moto = pytest.importorskip("moto")

MANIFEST = "s3://bucket/manifests/train.manifest"
# Default phases: Starting 120 s, Downloading 30 s, Training 600 s.
DOWNLOAD_ENDS = 150


@pytest.fixture
def world() -> Iterator[tuple[Emulator, Any, Any]]:
    with moto.mock_aws(), mock_sagemaker() as emulator:
        s3 = boto3.client("s3", region_name="us-east-1")
        factories.seed_inputs(s3, "bucket")
        yield emulator, boto3.client("sagemaker", region_name="us-east-1"), s3


def put(s3: Any, uri: str, body: str | bytes) -> None:
    bucket, key = uri.removeprefix("s3://").split("/", 1)
    s3.put_object(Bucket=bucket, Key=key, Body=body)


def keys(s3: Any, prefix: str) -> list[str]:
    found = s3.list_objects_v2(Bucket="bucket", Prefix=prefix).get("Contents", [])
    return [item["Key"] for item in found]


def manifest_request(name: str, data_type: str = "ManifestFile", **source: Any) -> dict[str, Any]:
    request = training_request(name)
    request["InputDataConfig"][0]["DataSource"]["S3DataSource"] = {
        "S3DataType": data_type,
        "S3Uri": MANIFEST,
        **source,
    }
    return request


def outcome(sm: Any, name: str) -> tuple[str, str | None, list[str]]:
    job = sm.describe_training_job(TrainingJobName=name)
    phases = [t["Status"] for t in job["SecondaryStatusTransitions"]]
    return job["TrainingJobStatus"], job.get("FailureReason"), phases


MANIFEST_ARRAY = json.dumps([{"prefix": "s3://bucket/"}, "train/part-0.csv", "raw/data.csv"])


@pytest.mark.parametrize(
    "body",
    [
        MANIFEST_ARRAY,  # the API reference's form
        '{"prefix": "s3://bucket/"}\n"train/part-0.csv"\n"raw/data.csv"\n',  # JSON lines
    ],
)
def test_a_manifest_whose_objects_all_exist_trains(
    world: tuple[Emulator, Any, Any], body: str
) -> None:
    emulator, sm, s3 = world
    put(s3, MANIFEST, body)
    sm.create_training_job(**manifest_request("ok"))
    emulator.run_until_idle()
    assert outcome(sm, "ok")[:2] == ("Completed", None)


def test_a_missing_manifest_is_accepted_and_fails_the_job_as_it_downloads(
    world: tuple[Emulator, Any, Any],
) -> None:
    emulator, sm, _ = world
    sm.create_training_job(**manifest_request("gone"))  # not looked up at create
    emulator.advance(DOWNLOAD_ENDS - 1)
    assert outcome(sm, "gone")[0] == "InProgress"
    emulator.advance(1)
    assert outcome(sm, "gone") == (
        "Failed",
        f"ClientError: Data download failed: the manifest file {MANIFEST} of channel "
        "'train' does not exist.",
        ["Starting", "Downloading", "Failed"],
    )


def test_an_object_the_manifest_lists_that_does_not_exist_fails_the_job(
    world: tuple[Emulator, Any, Any],
) -> None:
    emulator, sm, s3 = world
    put(s3, MANIFEST, json.dumps([{"prefix": "s3://bucket/train/"}, "part-0.csv", "part-9.csv"]))
    sm.create_training_job(**manifest_request("partial"))
    emulator.run_until_idle()
    assert outcome(sm, "partial")[:2] == (
        "Failed",
        "ClientError: Data download failed: S3 object does not exist. Bucket: bucket, "
        "Key: train/part-9.csv (listed in the manifest of channel 'train').",
    )
    assert s3.list_objects_v2(Bucket="bucket", Prefix="output/")["KeyCount"] == 0


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ("not json", "it is not JSON"),
        (json.dumps(["train/part-0.csv"]), 'its first element is not {"prefix": "s3://..."}'),
        (json.dumps({"prefix": "s3://bucket/"}), "it is not a JSON array"),
    ],
)
def test_a_manifest_that_cannot_be_read_fails_the_job(
    world: tuple[Emulator, Any, Any], body: str, detail: str
) -> None:
    emulator, sm, s3 = world
    put(s3, MANIFEST, body)
    sm.create_training_job(**manifest_request("bad"))
    emulator.run_until_idle()
    status, reason, _ = outcome(sm, "bad")
    assert status == "Failed"
    assert reason is not None
    assert reason.startswith(
        f"ClientError: Data download failed: the manifest file {MANIFEST} of channel "
        f"'train' is not valid: {detail}"
    )


def augmented_request(name: str) -> dict[str, Any]:
    request = manifest_request(
        name, "AugmentedManifestFile", AttributeNames=["source-ref", "class"]
    )
    request["InputDataConfig"][0]["InputMode"] = "Pipe"  # augmented manifests need Pipe
    request["AlgorithmSpecification"]["TrainingInputMode"] = "Pipe"
    return request


def test_an_augmented_manifest_has_each_ref_attribute_looked_up(
    world: tuple[Emulator, Any, Any],
) -> None:
    emulator, sm, s3 = world
    lines = [
        {"source-ref": "s3://bucket/train/part-0.csv", "class": "s3://not/looked/up"},
        {"source-ref": "s3://bucket/raw/data.csv", "class": "0"},
    ]
    put(s3, MANIFEST, "\n".join(json.dumps(line) for line in lines))
    sm.create_training_job(**augmented_request("aug"))
    emulator.run_until_idle()
    assert outcome(sm, "aug")[:2] == ("Completed", None)

    lines.append({"source-ref": "s3://other-bucket/img.jpg", "class": "1"})
    put(s3, MANIFEST, "\n".join(json.dumps(line) for line in lines))
    sm.create_training_job(**augmented_request("aug-missing"))
    emulator.advance(120)  # Pipe mode: no Downloading; the pipe opens as training starts
    assert outcome(sm, "aug-missing") == (
        "Failed",
        "ClientError: Data download failed: S3 object does not exist. Bucket: other-bucket, "
        "Key: img.jpg (listed in the manifest of channel 'train').",
        ["Starting", "Training", "Failed"],
    )


def test_without_s3_served_manifests_are_not_read() -> None:
    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**manifest_request("t"))
        emulator.run_until_idle()
        assert outcome(sm, "t")[:2] == ("Completed", None)


# --- batch transform and processing inputs ------------------------------------------

INPUT_MANIFEST = "s3://bucket/manifests/inputs.manifest"
# Default phases: a transform starts for 240 s, a processing job for 180 s; their
# inputs are read as the work begins.
TRANSFORM_STARTS = 240
PROCESSING_STARTS = 180


def manifest_transform(sm: Any, name: str) -> None:
    request = transform_request(name, model="m")
    request["TransformInput"]["DataSource"]["S3DataSource"] = {
        "S3DataType": "ManifestFile",
        "S3Uri": INPUT_MANIFEST,
    }
    sm.create_transform_job(**request)


def transform_outcome(sm: Any, name: str) -> tuple[str, str | None]:
    job = sm.describe_transform_job(TransformJobName=name)
    return job["TransformJobStatus"], job.get("FailureReason")


@pytest.fixture
def scored(world: tuple[Emulator, Any, Any]) -> tuple[Emulator, Any, Any]:
    """The world with model ``m`` answering each object with its length."""
    emulator, sm, _ = world
    emulator.script_model("m", respond=lambda body, _: str(len(body)))
    sm.create_model(**factories.model_request("m"))
    return world


def test_a_transform_writes_one_out_object_per_object_its_manifest_lists(
    scored: tuple[Emulator, Any, Any],
) -> None:
    emulator, sm, s3 = scored
    put(s3, "s3://bucket/batch/more/part-2.csv", b"5,6\n7,8\n")
    listed = [{"prefix": "s3://bucket/batch/"}, "records.csv", "more/part-2.csv"]
    put(s3, INPUT_MANIFEST, json.dumps(listed))
    manifest_transform(sm, "tr")
    emulator.run_until_idle()
    assert transform_outcome(sm, "tr") == ("Completed", None)
    # Named after each listed object's key relative to the manifest's prefix, as an
    # S3Prefix input's are relative to the prefix.
    assert keys(s3, "scored/") == ["scored/more/part-2.csv.out", "scored/records.csv.out"]
    body = s3.get_object(Bucket="bucket", Key="scored/more/part-2.csv.out")["Body"].read()
    assert body == b"8"
    assert s3.get_object(Bucket="bucket", Key="scored/records.csv.out")["Body"].read() == b"6"


def test_a_transform_whose_manifest_lists_a_missing_object_fails_and_writes_nothing(
    scored: tuple[Emulator, Any, Any],
) -> None:
    emulator, sm, s3 = scored
    put(s3, INPUT_MANIFEST, json.dumps([{"prefix": "s3://bucket/batch/"}, "records.csv", "x.csv"]))
    manifest_transform(sm, "tr")
    emulator.advance(TRANSFORM_STARTS - 1)
    assert transform_outcome(sm, "tr")[0] == "InProgress"
    emulator.advance(1)  # the transform reads its inputs as it begins
    assert transform_outcome(sm, "tr") == (
        "Failed",
        "ClientError: S3 object does not exist. Bucket: bucket, Key: batch/x.csv (listed in "
        f"the manifest {INPUT_MANIFEST} given in input data source).",
    )
    emulator.run_until_idle()
    assert keys(s3, "scored/") == []


def test_a_transform_whose_manifest_is_missing_is_accepted_and_fails(
    scored: tuple[Emulator, Any, Any],
) -> None:
    emulator, sm, _ = scored
    manifest_transform(sm, "tr")  # not looked up at create, unlike an S3Prefix
    emulator.run_until_idle()
    assert transform_outcome(sm, "tr") == (
        "Failed",
        f"ClientError: The manifest file {INPUT_MANIFEST} given in input data source "
        "does not exist.",
    )


def manifest_processing(sm: Any, name: str) -> None:
    request = processing_request(name)
    request["ProcessingInputs"][0]["S3Input"].update(
        S3DataType="ManifestFile", S3Uri=INPUT_MANIFEST
    )
    sm.create_processing_job(**request)


def processing_outcome(sm: Any, name: str) -> tuple[str, str | None]:
    job = sm.describe_processing_job(ProcessingJobName=name)
    return job["ProcessingJobStatus"], job.get("FailureReason")


@pytest.mark.parametrize(
    ("manifest", "reason"),
    [
        (
            None,
            f"ClientError: Failed to download data. The manifest file {INPUT_MANIFEST} of "
            "input 'raw' does not exist.",
        ),
        (
            [{"prefix": "s3://bucket/raw/"}, "data.csv", "gone.csv"],
            "ClientError: Failed to download data. S3 object does not exist. Bucket: bucket, "
            "Key: raw/gone.csv (listed in the manifest of input 'raw').",
        ),
    ],
)
def test_processing_whose_manifest_or_a_listed_object_is_missing_fails(
    world: tuple[Emulator, Any, Any], manifest: list[Any] | None, reason: str
) -> None:
    emulator, sm, s3 = world
    emulator.script_processing(outputs={"train": {"train.csv": "1,2\n"}})
    if manifest is not None:
        put(s3, INPUT_MANIFEST, json.dumps(manifest))
    manifest_processing(sm, "prep")  # not looked up at create
    emulator.advance(PROCESSING_STARTS - 1)
    assert processing_outcome(sm, "prep") == ("InProgress", None)
    emulator.advance(1)  # its inputs are downloaded before its container runs
    assert processing_outcome(sm, "prep") == ("Failed", reason)
    emulator.run_until_idle()
    assert keys(s3, "prepared/") == []


def test_processing_whose_manifest_objects_all_exist_completes(
    world: tuple[Emulator, Any, Any],
) -> None:
    emulator, sm, s3 = world
    emulator.script_processing(outputs={"train": {"train.csv": "1,2\n"}})
    put(s3, INPUT_MANIFEST, json.dumps([{"prefix": "s3://bucket/"}, "raw/data.csv"]))
    manifest_processing(sm, "prep")
    emulator.run_until_idle()
    assert processing_outcome(sm, "prep") == ("Completed", None)
    assert keys(s3, "prepared/") == ["prepared/train.csv"]


# --- checkpoints --------------------------------------------------------------------


def checkpoint_request(name: str, uri: str = "s3://bucket/checkpoints/run-1") -> dict[str, Any]:
    return training_request(name, CheckpointConfig={"S3Uri": uri})


def test_scripted_checkpoints_appear_under_the_s3_uri_as_the_job_trains(
    world: tuple[Emulator, Any, Any],
) -> None:
    emulator, sm, s3 = world
    emulator.script_training(
        checkpoint_files={"epoch-1.pt": b"\x01", "state/opt.json": lambda hp: hp["epochs"]},
        fail_at="Training",
    )
    sm.create_training_job(**checkpoint_request("ckpt"))
    sm.create_training_job(**training_request("no-config"))  # no CheckpointConfig: nowhere
    emulator.advance(DOWNLOAD_ENDS - 1)
    assert keys(s3, "checkpoints/") == []
    emulator.advance(1)  # Training begins
    assert keys(s3, "checkpoints/") == [
        "checkpoints/run-1/epoch-1.pt",
        "checkpoints/run-1/state/opt.json",
    ]
    emulator.run_until_idle()  # the job fails: its checkpoints stay, as on AWS
    assert outcome(sm, "ckpt")[0] == "Failed"
    body = s3.get_object(Bucket="bucket", Key="checkpoints/run-1/state/opt.json")["Body"].read()
    assert body == b"10"
    assert len(keys(s3, "")) == len(factories.INPUT_OBJECTS) + 2


def test_a_job_started_with_checkpoints_present_restores_them(
    world: tuple[Emulator, Any, Any],
) -> None:
    emulator, sm, s3 = world
    put(s3, "s3://bucket/checkpoints/run-1/epoch-1.pt", b"\x01")
    put(s3, "s3://bucket/checkpoints/run-1/state/opt.json", b"{}")
    put(s3, "s3://bucket/checkpoints/run-10/other.pt", b"")  # another run's: not ours
    sm.create_training_job(**checkpoint_request("resume"))
    emulator.run_until_idle()
    logs = boto3.client("logs", region_name="us-east-1")
    events = logs.filter_log_events(
        logGroupName="/aws/sagemaker/TrainingJobs", logStreamNamePrefix="resume/"
    )["events"]
    restored = [e["message"] for e in events if e["message"].startswith("Restored")]
    assert restored == [
        "Restored 2 checkpoint file(s) from s3://bucket/checkpoints/run-1 to "
        "/opt/ml/checkpoints: epoch-1.pt, state/opt.json"
    ]
