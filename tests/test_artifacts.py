"""A job's files are part of its plan (issue 21): scripted, stored, read without S3."""

from __future__ import annotations

from typing import Any

import pytest
from factories import training_request

import sagemaker_lite
from sagemaker_lite import Emulator
from sagemaker_lite.families.shared.artifacts import archive, scripted_files, scripted_output

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/prep:1"


def processing_request(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "ProcessingJobName": name,
        "RoleArn": ROLE,
        "AppSpecification": {"ImageUri": IMAGE},
        "ProcessingResources": {
            "ClusterConfig": {
                "InstanceCount": 1,
                "InstanceType": "ml.m5.xlarge",
                "VolumeSizeInGB": 30,
            }
        },
        "ProcessingOutputConfig": {
            "Outputs": [
                {
                    "OutputName": "evaluation",
                    "S3Output": {
                        "S3Uri": "s3://bucket/eval",
                        "LocalPath": "/opt/ml/processing/evaluation",
                        "S3UploadMode": "EndOfJob",
                    },
                }
            ]
        },
        **extra,
    }


def test_processing_outputs_are_in_the_plan_and_read_without_s3() -> None:
    sm = sagemaker_lite.client()
    sm.emulator.script_processing(
        "eval",
        outputs={
            "evaluation": {
                "evaluation.json": lambda env: f'{{"mse": {env["MSE"]}}}',
                "./plots//roc.png": b"\x89PNG",
            }
        },
    )
    sm.create_processing_job(**processing_request("eval", Environment={"MSE": "0.25"}))
    job = next(sm.emulator.jobs())
    assert scripted_output(job, "evaluation", "evaluation.json") == b'{"mse": 0.25}'
    assert scripted_output(job, "evaluation", "plots/roc.png") == b"\x89PNG"
    assert scripted_output(job, "evaluation", "missing.json") is None
    assert scripted_output(job, "other", "evaluation.json") is None
    assert scripted_output(job, "evaluation", "../evaluation.json") is None


def test_later_scripts_win_file_by_file_and_unscripted_jobs_have_none() -> None:
    emulator = Emulator()
    emulator.script_processing(outputs={"out": {"a.txt": "first", "b.txt": "kept"}})
    emulator.script_processing("p", outputs={"out": {"a.txt": "second"}})
    sm = emulator.client()
    sm.create_processing_job(**processing_request("p"))
    emulator.behaviour.clear()
    sm.create_processing_job(**processing_request("q"))
    jobs = {job.name: job for job in emulator.jobs()}
    assert scripted_files(jobs["p"], "out") == {"a.txt": b"second", "b.txt": b"kept"}
    assert "files" not in jobs["q"].data["plan"]  # the shared default plan stays small


def test_training_model_and_output_files_are_evaluated_with_the_hyperparameters() -> None:
    emulator = Emulator()
    emulator.script_training(
        model_files={"model.json": lambda hp: f'{{"depth": {hp["max_depth"]}}}'},
        output_files={"metrics.txt": "rmse 0.1"},
    )
    emulator.client().create_training_job(
        **training_request(name="t", HyperParameters={"max_depth": "5"})
    )
    job = next(emulator.jobs())
    assert scripted_files(job, "model") == {"model.json": b'{"depth": 5}'}
    assert scripted_files(job, "output") == {"metrics.txt": b"rmse 0.1"}


@pytest.mark.parametrize("path", ["", "/abs/file", "a/../../b", "..", 3])
def test_a_path_outside_its_artifact_is_refused_when_scripted(path: Any) -> None:
    with pytest.raises(ValueError, match="path"):
        Emulator().script_processing(outputs={"out": {path: "x"}})


def test_content_of_another_type_fails_at_creation_and_stores_nothing() -> None:
    sm = sagemaker_lite.client()
    sm.emulator.script_processing(outputs={"out": {"a.txt": lambda env: 42}})
    with pytest.raises(TypeError, match="bytes or str"):
        sm.create_processing_job(**processing_request("p"))
    assert list(sm.emulator.jobs()) == []


def test_scripted_files_survive_a_snapshot() -> None:
    emulator = Emulator()
    emulator.script_processing(outputs={"evaluation": {"e.json": b"\x00\xff"}})
    emulator.client().create_processing_job(**processing_request("p"))
    restored = Emulator.from_snapshot(emulator.snapshot())
    job = next(restored.jobs())
    assert scripted_output(job, "evaluation", "e.json") == b"\x00\xff"


def test_archives_are_real_gzip_tars_and_deterministic() -> None:
    import io
    import tarfile

    members = {"b/model.bin": b"\x01\x02", "a.json": b"{}"}
    packed = archive(members, 1767225600.0)
    assert packed == archive(dict(reversed(members.items())), 1767225600.0)
    with tarfile.open(fileobj=io.BytesIO(packed), mode="r:gz") as tar:
        assert tar.getnames() == ["a.json", "b/model.bin"]
        extracted = tar.extractfile("b/model.bin")
        assert extracted is not None and extracted.read() == b"\x01\x02"
