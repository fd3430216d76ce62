"""The SageMaker Python SDK v2 against the emulator (S3 and STS served by moto)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import boto3
import factories
import pytest

from sagemaker_lite import Emulator, mock_sagemaker

os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
sagemaker = pytest.importorskip("sagemaker")
moto = pytest.importorskip("moto")

from sagemaker.parameter import ContinuousParameter  # noqa: E402
from sagemaker.tuner import HyperparameterTuner  # noqa: E402

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = factories.SDK_IMAGE
BUCKET = "my-bucket"


@pytest.fixture
def world() -> Iterator[tuple[Emulator, Any]]:
    """An emulator serving SageMaker, moto serving S3/STS, and an SDK session on both.

    The default ``mock_sagemaker()``: the SDK's waits poll through ``time.sleep``,
    which then advances virtual time instead of waiting (docs/time.md).
    """
    with moto.mock_aws(), mock_sagemaker() as emulator:
        boto_session = boto3.Session(region_name="us-east-1")
        factories.seed_inputs(boto_session.client("s3"), BUCKET)
        session = sagemaker.Session(boto_session=boto_session, default_bucket=BUCKET)
        yield emulator, session


# The SDK's waits run at virtual speed under the default mock: the tests assert that
# nothing slept for real (so a flow takes no wall time) and that the virtual clock
# stopped within one of the SDK's poll intervals of the job's end.

SDK_POLL = 5  # Session.wait_for_job / wait_for_tuning_job / wait_for_compilation_job
LOG_DESCRIBE_EVERY = 30  # _logs_for_job describes again once time.time() moved 30 s
LOG_POLL = 10  # ...and pauses once more after seeing the job end


def _ended(emulator: Emulator, end: Any) -> float:
    return float((emulator.clock.now() - end).total_seconds())


def estimator(session: Any, **extra: Any) -> Any:
    hyperparameters = {"max_depth": "5", "num_round": "50"}
    return factories.sdk_estimator(session, BUCKET, hyperparameters=hyperparameters, **extra)


def test_estimator_fit_waits_through_the_jobs_statuses(
    world: tuple[Emulator, Any], real_sleeps: list[float]
) -> None:
    emulator, session = world
    est = estimator(session)
    est.fit({"train": f"s3://{BUCKET}/data/train"}, wait=True, logs=False)
    job = est.latest_training_job.describe()
    assert job["TrainingJobStatus"] == "Completed"
    assert [t["Status"] for t in job["SecondaryStatusTransitions"]] == [
        "Starting",
        "Downloading",
        "Training",
        "Uploading",
        "Completed",
    ]
    name = est.latest_training_job.name
    assert est.model_data == f"s3://{BUCKET}/output/{name}/output/model.tar.gz"
    # It waited in virtual time only, and stopped within one poll of the end.
    assert real_sleeps == []
    assert 0 <= _ended(emulator, job["TrainingEndTime"]) <= SDK_POLL


def test_estimator_fit_raises_the_sdks_error_on_a_failed_job(
    world: tuple[Emulator, Any],
) -> None:
    emulator, session = world
    emulator.script_training(fail_at="Training", failure_reason="AlgorithmError: out of memory")
    with pytest.raises(sagemaker.exceptions.UnexpectedStatusException, match="out of memory"):
        estimator(session).fit({"train": f"s3://{BUCKET}/data/train"}, wait=True, logs=False)


def test_tuner_fit_wait_and_best_training_job(
    world: tuple[Emulator, Any], real_sleeps: list[float]
) -> None:
    emulator, session = world
    # Lower eta scores better (lower rmse): the tuner must find that job.
    emulator.script_training(metrics=lambda hp: {"validation:rmse": float(hp["eta"])})
    est = estimator(session)
    tuner: Any = HyperparameterTuner(
        est,
        objective_metric_name="validation:rmse",
        objective_type="Minimize",
        hyperparameter_ranges={"eta": ContinuousParameter(0.1, 0.5)},
        metric_definitions=[{"Name": "validation:rmse", "Regex": "rmse: ([0-9.]+)"}],
        max_jobs=4,
        max_parallel_jobs=2,
        strategy="Random",
    )
    tuner.fit({"train": f"s3://{BUCKET}/data/train"})
    tuner.wait()
    best = tuner.best_training_job()
    described = session.sagemaker_client.describe_training_job(TrainingJobName=best)
    children = session.sagemaker_client.list_training_jobs_for_hyper_parameter_tuning_job(
        HyperParameterTuningJobName=tuner.latest_tuning_job.name
    )["TrainingJobSummaries"]
    assert len(children) == 4
    etas = [float(c["TunedHyperParameters"]["eta"]) for c in children]
    assert float(described["HyperParameters"]["eta"]) == min(etas)
    tuning = session.sagemaker_client.describe_hyper_parameter_tuning_job(
        HyperParameterTuningJobName=tuner.latest_tuning_job.name
    )
    assert real_sleeps == []
    assert 0 <= _ended(emulator, tuning["HyperParameterTuningEndTime"]) <= SDK_POLL


def test_compiling_a_trained_model_for_a_target_device(
    world: tuple[Emulator, Any], real_sleeps: list[float]
) -> None:
    emulator, session = world
    est = estimator(session)
    est.fit({"train": f"s3://{BUCKET}/data/train"}, wait=True, logs=False)
    model = est.compile_model(
        target_instance_family="ml_c5",
        input_shape={"data": [1, 3]},
        output_path=f"s3://{BUCKET}/compiled",
        framework="xgboost",
        framework_version="1.7",
        role=ROLE,
    )
    jobs = session.sagemaker_client.list_compilation_jobs()["CompilationJobSummaries"]
    assert len(jobs) == 1
    job = session.sagemaker_client.describe_compilation_job(
        CompilationJobName=jobs[0]["CompilationJobName"]
    )
    assert job["CompilationJobStatus"] == "COMPLETED"
    assert job["ModelArtifacts"]["S3ModelArtifacts"].startswith(f"s3://{BUCKET}/compiled")
    assert model.model_data == job["ModelArtifacts"]["S3ModelArtifacts"]
    assert real_sleeps == []
    assert 0 <= _ended(emulator, job["CompilationEndTime"]) <= SDK_POLL


def test_fit_with_default_logs_describes_on_the_sdks_cadence(
    world: tuple[Emulator, Any], real_sleeps: list[float], capsys: pytest.CaptureFixture[str]
) -> None:
    emulator, session = world
    est = estimator(session)
    est.fit({"train": f"s3://{BUCKET}/data/train"})  # wait=True, logs="All"
    job = est.latest_training_job.describe()
    assert job["TrainingJobStatus"] == "Completed"
    assert real_sleeps == []
    # The loop reads time.time() to describe every 30 s: it stops one describe
    # interval plus its final pause after the end, not hours later.
    assert 0 <= _ended(emulator, job["TrainingEndTime"]) <= LOG_DESCRIBE_EVERY + LOG_POLL
    out = capsys.readouterr().out
    for status in ("Starting", "Downloading", "Training", "Uploading", "Completed"):
        assert f"{status} - " in out


def test_session_wait_for_job_after_fit_without_waiting(
    world: tuple[Emulator, Any], real_sleeps: list[float]
) -> None:
    emulator, session = world
    est = estimator(session)
    est.fit({"train": f"s3://{BUCKET}/data/train"}, wait=False)
    name = est.latest_training_job.name
    assert session.describe_training_job(name)["TrainingJobStatus"] == "InProgress"
    job = session.wait_for_job(name)
    assert job["TrainingJobStatus"] == "Completed"
    assert real_sleeps == []
    assert 0 <= _ended(emulator, job["TrainingEndTime"]) <= SDK_POLL


# --- processing, models and batch transform -----------------------------------------


def test_script_processor_runs_a_processing_job_to_completion(
    world: tuple[Emulator, Any], tmp_path: Any, real_sleeps: list[float]
) -> None:
    from sagemaker.processing import ProcessingInput, ProcessingOutput, ScriptProcessor

    emulator, session = world
    code = tmp_path / "prep.py"
    code.write_text("print('preparing')\n")
    processor = ScriptProcessor(
        image_uri=IMAGE,
        command=["python3"],
        role=ROLE,
        instance_count=1,
        instance_type="ml.m5.xlarge",
        sagemaker_session=session,
    )
    processor.run(
        code=str(code),
        inputs=[ProcessingInput(source=f"s3://{BUCKET}/raw", destination="/opt/ml/processing/raw")],
        outputs=[
            ProcessingOutput(source="/opt/ml/processing/out", destination=f"s3://{BUCKET}/prep")
        ],
        wait=True,
        logs=False,
    )
    latest = processor.latest_job
    assert latest is not None
    job = latest.describe()
    assert job["ProcessingJobStatus"] == "Completed"
    assert emulator.clock.now() >= job["ProcessingEndTime"] > job["ProcessingStartTime"]
    # The SDK uploads the script as an input named "code" next to the user's input.
    assert [i["InputName"] for i in job["ProcessingInputs"]] == ["input-1", "code"]
    assert job["ProcessingOutputConfig"]["Outputs"][0]["S3Output"]["S3Uri"] == (
        f"s3://{BUCKET}/prep"
    )
    assert real_sleeps == []
    assert 0 <= _ended(emulator, job["ProcessingEndTime"]) <= SDK_POLL


def test_processor_run_raises_the_sdks_error_on_a_scripted_failure(
    world: tuple[Emulator, Any],
) -> None:
    from sagemaker.processing import Processor

    emulator, session = world
    emulator.script_processing(failure_reason="AlgorithmError: See job logs for more information")
    processor = Processor(
        image_uri=IMAGE,
        role=ROLE,
        instance_count=1,
        instance_type="ml.m5.xlarge",
        sagemaker_session=session,
    )
    with pytest.raises(sagemaker.exceptions.UnexpectedStatusException, match="See job logs"):
        processor.run(wait=True, logs=False)


def test_estimator_transformer_scores_with_the_trained_model(
    world: tuple[Emulator, Any], real_sleeps: list[float]
) -> None:
    emulator, session = world
    est = estimator(session)
    est.fit({"train": f"s3://{BUCKET}/data/train"}, wait=True, logs=False)
    transformer = est.transformer(
        instance_count=1, instance_type="ml.m5.xlarge", output_path=f"s3://{BUCKET}/scored"
    )
    transformer.transform(
        f"s3://{BUCKET}/batch", content_type="text/csv", split_type="Line", wait=True, logs=False
    )
    client = session.sagemaker_client
    job = client.describe_transform_job(TransformJobName=transformer.latest_transform_job.name)
    assert job["TransformJobStatus"] == "Completed"
    assert job["TransformInput"]["SplitType"] == "Line"
    assert job["TransformOutput"]["S3OutputPath"] == f"s3://{BUCKET}/scored"
    # The model the SDK made for the transform carries the training job's artifact.
    model = client.describe_model(ModelName=job["ModelName"])
    assert model["PrimaryContainer"]["ModelDataUrl"] == est.model_data
    assert real_sleeps == []
    assert 0 <= _ended(emulator, job["TransformEndTime"]) <= SDK_POLL


def test_model_create_stores_the_container(world: tuple[Emulator, Any]) -> None:
    from sagemaker.model import Model

    _, session = world
    data = f"s3://{BUCKET}/{factories.MODEL_DATA}"  # seeded: CreateModel looks it up
    model = Model(
        image_uri=IMAGE, model_data=data, role=ROLE, sagemaker_session=session, name="scorer"
    )
    model.create(instance_type="ml.m5.xlarge")
    described = session.sagemaker_client.describe_model(ModelName="scorer")
    assert described["PrimaryContainer"]["Image"] == IMAGE
    assert described["PrimaryContainer"]["ModelDataUrl"] == data
    assert described["ExecutionRoleArn"] == ROLE
