"""Jobs read their inputs and leave their artifacts in S3 when moto serves it (issue 21).

All under the default ``mock_sagemaker()`` with moto's ``mock_aws()`` stacked, as users
write it; S3 is read back through a plain boto3 client.
"""

from __future__ import annotations

import io
import os
import tarfile
from collections.abc import Iterator
from typing import Any

import boto3
import factories
import pytest
from factories import compilation_request, processing_request, training_request

from sagemaker_lite import Emulator, mock_sagemaker
from sagemaker_lite.engine.behaviour import DEFAULT_DURATIONS
from sagemaker_lite.families.shared.artifacts import PLACEHOLDER

moto = pytest.importorskip("moto")


@pytest.fixture
def world() -> Iterator[tuple[Emulator, Any, Any]]:
    """(emulator, sagemaker client, s3 client); ``bucket`` holds the inputs jobs read."""
    with moto.mock_aws(), mock_sagemaker() as emulator:
        s3 = boto3.client("s3", region_name="us-east-1")
        factories.seed_inputs(s3, "bucket")
        yield emulator, boto3.client("sagemaker", region_name="us-east-1"), s3


def members(s3: Any, uri: str) -> dict[str, bytes]:
    bucket, key = uri.removeprefix("s3://").split("/", 1)
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    with tarfile.open(fileobj=io.BytesIO(body), mode="r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]


def keys(s3: Any, prefix: str = "") -> list[str]:
    found = s3.list_objects_v2(Bucket="bucket", Prefix=prefix).get("Contents", [])
    return [item["Key"] for item in found]


def test_training_leaves_its_model_and_output_archives_when_it_completes(
    world: tuple[Emulator, Any, Any],
) -> None:
    emulator, sm, s3 = world
    emulator.script_training(
        model_files={"xgboost-model": b"\x00tree", "meta/info.json": lambda hp: hp["epochs"]},
        output_files={"metrics.csv": "rmse,0.1\n"},
    )
    sm.create_training_job(**training_request("t"))
    phases = DEFAULT_DURATIONS["training-job"]
    emulator.advance(phases["Starting"] + phases["Downloading"] + phases["Training"] / 2)
    assert sm.describe_training_job(TrainingJobName="t")["SecondaryStatus"] == "Training"
    assert keys(s3, "output/") == []  # nothing uploaded yet
    emulator.run_until_idle()
    uri = sm.describe_training_job(TrainingJobName="t")["ModelArtifacts"]["S3ModelArtifacts"]
    assert members(s3, uri) == {"meta/info.json": b"10", "xgboost-model": b"\x00tree"}
    assert members(s3, "s3://bucket/output/t/output/output.tar.gz") == {
        "metrics.csv": b"rmse,0.1\n"
    }


def test_an_unscripted_model_is_the_documented_placeholder(
    world: tuple[Emulator, Any, Any],
) -> None:
    emulator, sm, s3 = world
    sm.create_training_job(**training_request("t"))
    emulator.run_until_idle()
    assert members(s3, "s3://bucket/output/t/output/model.tar.gz") == PLACEHOLDER
    assert members(s3, "s3://bucket/output/t/output/output.tar.gz") == {}


def test_a_failed_or_stopped_job_uploads_nothing(world: tuple[Emulator, Any, Any]) -> None:
    emulator, sm, s3 = world
    emulator.script_training("bad", failure_reason="AlgorithmError: boom")
    sm.create_training_job(**training_request("bad"))
    sm.create_training_job(**training_request("stopped"))
    sm.stop_training_job(TrainingJobName="stopped")
    emulator.run_until_idle()
    assert keys(s3, "output/") == []


@pytest.mark.parametrize("uri", ["s3://bucket/empty/", "s3://no-such-bucket/train/"])
def test_a_training_job_on_an_empty_prefix_is_refused_as_aws_refuses_it(
    world: tuple[Emulator, Any, Any], uri: str
) -> None:
    emulator, sm, _ = world
    request = training_request("empty")
    request["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"] = uri
    with pytest.raises(sm.exceptions.ClientError) as refused:
        sm.create_training_job(**request)
    error = refused.value.response["Error"]
    bucket = uri.split("/")[2]
    assert error["Code"] == "ValidationException"
    assert error["Message"] == (
        f'No S3 objects found under S3 URL "{uri}" given in input data source. Please ensure '
        "that the bucket exists in the selected region (us-east-1), that objects exist under "
        'that S3 prefix, and that the role "arn:aws:iam::123456789012:role/SageMakerRole" has '
        f'"s3:ListBucket" permissions on bucket "{bucket}".'
    )
    assert list(emulator.jobs()) == []  # a failed request changes nothing


def test_a_transform_on_an_empty_prefix_is_refused(world: tuple[Emulator, Any, Any]) -> None:
    _, sm, _ = world
    sm.create_model(**factories.model_request("m"))
    request = factories.transform_request("tr", ModelName="m")
    request["TransformInput"]["DataSource"]["S3DataSource"]["S3Uri"] = "s3://bucket/nothing"
    with pytest.raises(sm.exceptions.ClientError, match="No S3 objects found under"):
        sm.create_transform_job(**request)


def test_processing_leaves_its_scripted_files_under_each_output(
    world: tuple[Emulator, Any, Any],
) -> None:
    emulator, sm, s3 = world
    emulator.script_processing(
        outputs={
            "train": {"train.csv": "1,2\n", "test/test.csv": "3,4\n"},
            "live": {"progress.txt": "50%"},
        }
    )
    request = processing_request("prep")
    request["ProcessingOutputConfig"]["Outputs"].append(
        {
            "OutputName": "live",
            "S3Output": {
                "S3Uri": "s3://bucket/live",
                "LocalPath": "/opt/ml/processing/live",
                "S3UploadMode": "Continuous",
            },
        }
    )
    sm.create_processing_job(**request)
    emulator.advance(200)  # the container runs: Continuous outputs appear as it writes
    assert keys(s3, "live/") == ["live/progress.txt"]
    assert keys(s3, "prepared/") == []
    emulator.run_until_idle()
    assert keys(s3, "prepared/") == ["prepared/test/test.csv", "prepared/train.csv"]
    body = s3.get_object(Bucket="bucket", Key="prepared/train.csv")["Body"].read()
    assert body == b"1,2\n"


def test_compilation_reads_its_model_and_leaves_the_compiled_archive(
    world: tuple[Emulator, Any, Any],
) -> None:
    emulator, sm, s3 = world
    emulator.script_compilation("ok", model_files={"compiled.so": b"\x7fELF"})
    request = compilation_request("ok")
    request["InputConfig"]["S3Uri"] = "s3://bucket/train/part-0.csv"  # an object that exists
    request["OutputConfig"]["S3OutputLocation"] = "s3://bucket/compiled"
    sm.create_compilation_job(**request)
    missing = compilation_request("missing")
    missing["InputConfig"]["S3Uri"] = "s3://bucket/models/model.tar.gz"
    sm.create_compilation_job(**missing)
    emulator.run_until_idle()
    ok = sm.describe_compilation_job(CompilationJobName="ok")
    assert members(s3, ok["ModelArtifacts"]["S3ModelArtifacts"]) == {"compiled.so": b"\x7fELF"}
    failed = sm.describe_compilation_job(CompilationJobName="missing")
    assert failed["CompilationJobStatus"] == "FAILED"
    assert failed["FailureReason"] == (
        "ClientError: InputConfiguration: S3 object does not exist. "
        "Bucket: bucket, Key: models/model.tar.gz"
    )


def test_without_s3_served_jobs_behave_as_before() -> None:
    with mock_sagemaker() as emulator:
        emulator.script_processing(outputs={"train": {"train.csv": "1"}})
        sm = boto3.client("sagemaker", region_name="us-east-1")
        request = training_request("t")
        request["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"] = "s3://x/empty/"
        sm.create_training_job(**request)  # no S3 to look in: no check
        sm.create_processing_job(**processing_request("p"))
        emulator.run_until_idle()
        statuses = {job.name: job.status for job in emulator.jobs()}
    assert statuses == {"t": "Completed", "p": "Completed"}


def test_an_airflow_style_dag_checks_s3_and_trains_on_what_processing_wrote(
    world: tuple[Emulator, Any, Any],
) -> None:
    """Airflow's SageMaker example DAG, as its hooks call AWS: processing writes the
    train/test CSVs; the training operator checks the bucket and prefix
    (``S3Hook.check_for_bucket``/``check_for_prefix``) before it creates the job."""
    emulator, sm, s3 = world

    def check_s3_url(uri: str) -> bool:  # SageMakerHook.check_s3_url, in boto3 calls
        bucket, prefix = uri.removeprefix("s3://").split("/", 1)
        s3.head_bucket(Bucket=bucket)
        return bool(s3.list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=1)["KeyCount"])

    emulator.script_processing(outputs={"train": {"train/data.csv": "1,2\n", "test/data.csv": ""}})
    sm.create_processing_job(**processing_request("prepare"))
    assert not check_s3_url("s3://bucket/prepared/train")
    sm.get_waiter("processing_job_completed_or_stopped").wait(ProcessingJobName="prepare")
    assert check_s3_url("s3://bucket/prepared/train")
    request = training_request("train")
    request["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"] = (
        "s3://bucket/prepared/train"
    )
    sm.create_training_job(**request)
    sm.get_waiter("training_job_completed_or_stopped").wait(TrainingJobName="train")
    assert "output/train/output/model.tar.gz" in keys(s3, "output/")


def test_the_sdks_fit_leaves_a_real_model_archive() -> None:
    os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
    sagemaker = pytest.importorskip("sagemaker")
    with factories.sdk_world(sagemaker.Session) as (emulator, session):
        emulator.script_training(model_files={"xgboost-model": b"booster"})
        estimator = factories.sdk_estimator(session)
        estimator.fit({"train": "s3://my-bucket/train"}, logs="None")
        s3 = session.boto_session.client("s3")
        assert members(s3, estimator.model_data) == {"xgboost-model": b"booster"}


def test_transform_writes_one_out_object_per_input_from_the_models_script(
    world: tuple[Emulator, Any, Any],
) -> None:
    emulator, sm, s3 = world
    s3.put_object(Bucket="bucket", Key="batch/more/part-2.csv", Body=b"5,6\n7,8\n")
    emulator.script_model("m", respond=lambda body, _: str(sum(map(int, body.split(b",")))))
    sm.create_model(**factories.model_request("m"))
    request = factories.transform_request("tr", model="m")
    request["TransformInput"]["SplitType"] = "Line"
    request["BatchStrategy"] = "SingleRecord"
    request["TransformOutput"]["AssembleWith"] = "Line"
    sm.create_transform_job(**request)
    emulator.advance(300)  # transforming: nothing written yet
    assert keys(s3, "scored/") == []
    emulator.run_until_idle()
    assert keys(s3, "scored/") == ["scored/more/part-2.csv.out", "scored/records.csv.out"]
    body = s3.get_object(Bucket="bucket", Key="scored/more/part-2.csv.out")["Body"].read()
    assert body == b"11\n15\n"
    assert s3.get_object(Bucket="bucket", Key="scored/records.csv.out")["Body"].read() == b"6\n"


def test_a_transform_whose_model_fails_fails_and_writes_nothing(
    world: tuple[Emulator, Any, Any],
) -> None:
    emulator, sm, s3 = world

    def crash(body: bytes, content_type: str) -> bytes:
        raise ValueError("bad record")

    emulator.script_model("m", respond=crash)
    sm.create_model(**factories.model_request("m"))
    sm.create_transform_job(**factories.transform_request("tr", model="m"))
    emulator.run_until_idle()
    job = sm.describe_transform_job(TransformJobName="tr")
    assert (job["TransformJobStatus"], job["FailureReason"]) == (
        "Failed",
        "ClientError: See job logs for more information",
    )
    assert keys(s3, "scored/") == []


@pytest.mark.parametrize(
    "container",
    [
        {"ModelDataUrl": "s3://bucket/models/missing.tar.gz"},
        {
            "ModelDataSource": {
                "S3DataSource": {
                    "S3Uri": "s3://bucket/prepack/v2/",
                    "S3DataType": "S3Prefix",
                    "CompressionType": "None",
                }
            }
        },
    ],
)
def test_create_model_refuses_model_data_that_is_not_in_s3(
    world: tuple[Emulator, Any, Any], container: dict[str, Any]
) -> None:
    _, sm, s3 = world
    request = factories.model_request("m")
    request["PrimaryContainer"] = {"Image": factories.IMAGE, **container}
    source = container.get("ModelDataSource", {}).get("S3DataSource", {})
    uri = container.get("ModelDataUrl") or source["S3Uri"]
    with pytest.raises(sm.exceptions.ClientError) as refused:
        sm.create_model(**request)
    error = refused.value.response["Error"]
    assert (error["Code"], error["Message"]) == (
        "ValidationException",
        f"Could not find model data at {uri}.",
    )
    assert sm.list_models()["Models"] == []
    bucket, key = uri.removeprefix("s3://").split("/", 1)
    s3.put_object(Bucket=bucket, Key=key + ("model.tar.gz" if key.endswith("/") else ""), Body=b"")
    sm.create_model(**request)  # once it is there
    assert [m["ModelName"] for m in sm.list_models()["Models"]] == ["m"]


def test_without_s3_served_create_model_does_not_look_its_data_up() -> None:
    with mock_sagemaker():
        sm = boto3.client("sagemaker", region_name="us-east-1")
        request = factories.model_request("m")
        request["PrimaryContainer"]["ModelDataUrl"] = "s3://nowhere/model.tar.gz"
        sm.create_model(**request)
        assert sm.describe_model(ModelName="m")["ModelName"] == "m"


UNBUILDABLE = ["s3://bucket/model.tar.gz\udc80", "s3://not a bucket/model.tar.gz"]


@pytest.mark.parametrize("uri", UNBUILDABLE)
def test_model_data_s3_cannot_even_be_asked_for_is_not_found(uri: str) -> None:
    """A key botocore cannot encode, a bucket name S3 refuses: with S3 served, AWS's
    "Could not find model data"; without it, not looked up (never a Python error)."""
    request = factories.model_request("m")
    request["PrimaryContainer"]["ModelDataUrl"] = uri
    with moto.mock_aws(), mock_sagemaker():
        sm = boto3.client("sagemaker", region_name="us-east-1")
        with pytest.raises(sm.exceptions.ClientError) as refused:
            sm.create_model(**request)
        assert refused.value.response["Error"]["Message"] == f"Could not find model data at {uri}."
    with mock_sagemaker():  # nothing serves S3
        boto3.client("sagemaker", region_name="us-east-1").create_model(**request)
