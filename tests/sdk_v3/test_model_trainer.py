"""SageMaker Python SDK v3 (``sagemaker>=3``) flows against the default mock.

Skipped where v3 is not installed (the main test environment pins v2); CI
runs them in a virtualenv of their own (see ``.ci/run``).  moto serves S3;
``SAGEMAKER_VALIDATE_ROLE=false`` is v3's documented switch for the IAM
checks moto does not serve.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any

import factories
import pytest

from sagemaker_lite import Emulator

os.environ["SAGEMAKER_VALIDATE_ROLE"] = "false"
train = pytest.importorskip("sagemaker.train", reason="SageMaker Python SDK v3 not installed")
moto = pytest.importorskip("moto")

configs: Any = pytest.importorskip("sagemaker.core.training.configs")
tuner_module: Any = pytest.importorskip("sagemaker.train.tuner")
shapes: Any = pytest.importorskip("sagemaker.core.shapes")
resources: Any = pytest.importorskip("sagemaker.core.resources")
session_helper: Any = pytest.importorskip("sagemaker.core.helper.session_helper")
analytics: Any = pytest.importorskip("sagemaker.core.analytics")
parameter: Any = pytest.importorskip("sagemaker.core.parameter")

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
BUCKET = "my-bucket"
METRIC = "validation:rmse"


@pytest.fixture
def world() -> Iterator[tuple[Emulator, Any]]:
    """The default mock serving SageMaker, logs and metrics; moto serving S3."""
    with factories.sdk_world(session_helper.Session, BUCKET) as world:
        yield world


def trainer(session: Any, instance_count: int = 1) -> Any:
    made = train.ModelTrainer(
        training_image=IMAGE,
        role=ROLE,
        sagemaker_session=session,
        compute=configs.Compute(instance_type="ml.m5.xlarge", instance_count=instance_count),
        hyperparameters={"max_depth": 5},
    )
    return made.with_metric_definitions(
        [shapes.MetricDefinition(name=METRIC, regex="validation-rmse:([0-9.]+)")]
    )


def inputs() -> list[Any]:
    return [configs.InputData(channel_name="train", data_source=f"s3://{BUCKET}/train")]


def test_train_with_its_defaults_waits_and_logs_the_jobs_lines(
    world: tuple[Emulator, Any], caplog: pytest.LogCaptureFixture
) -> None:
    _, session = world
    caplog.set_level(logging.INFO, logger="sagemaker.core.resources")
    model_trainer = trainer(session, instance_count=2)
    model_trainer.train(input_data_config=inputs())
    job = model_trainer._latest_training_job
    assert job.training_job_status == "Completed"
    logged = caplog.text
    assert f"Starting training job {job.training_job_name} on algo-2 of 2" in logged
    final = job.final_metric_data_list[0].value
    assert f"validation-rmse:{final}" in logged


def test_training_job_analytics_returns_the_series(world: tuple[Emulator, Any]) -> None:
    _, session = world
    model_trainer = trainer(session)
    model_trainer.train(input_data_config=inputs(), logs=False)
    job = model_trainer._latest_training_job
    frame = analytics.TrainingJobAnalytics(
        job.training_job_name, [METRIC], sagemaker_session=session
    ).dataframe()
    # One point per minute of the default plan's training phase (docs/scripting.md).
    assert len(frame) >= 3
    assert list(frame["timestamp"]) == [60.0 * i for i in range(len(frame))]
    assert frame["value"].iloc[-1] == job.final_metric_data_list[0].value


def test_a_scripted_failure_raises_with_its_reason(world: tuple[Emulator, Any]) -> None:
    emulator, session = world
    emulator.script_training(fail_at="Training", failure_reason="AlgorithmError: out of memory")
    with pytest.raises(Exception, match="out of memory") as raised:
        trainer(session).train(input_data_config=inputs())
    assert type(raised.value).__name__ == "FailedStatusError"


def test_get_and_stop_a_running_job(world: tuple[Emulator, Any]) -> None:
    emulator, session = world
    model_trainer = trainer(session)
    model_trainer.train(input_data_config=inputs(), wait=False)
    name = model_trainer._latest_training_job.training_job_name
    emulator.advance(300)
    job = resources.TrainingJob.get(name, session=session.boto_session)
    assert job.training_job_status == "InProgress"
    job.stop()
    job.wait()
    assert job.training_job_status == "Stopped"


def test_get_a_finished_job(world: tuple[Emulator, Any]) -> None:
    _, session = world
    model_trainer = trainer(session)
    model_trainer.train(input_data_config=inputs(), logs=False)
    name = model_trainer._latest_training_job.training_job_name
    job = resources.TrainingJob.get(name, session=session.boto_session)
    assert job.model_artifacts.s3_model_artifacts.endswith(f"{name}/output/model.tar.gz")


def test_tuner_tune_best_job_and_analytics(world: tuple[Emulator, Any]) -> None:
    emulator, session = world
    emulator.script_training(metrics=lambda hp: {METRIC: float(hp["eta"])})
    tuner = tuner_module.HyperparameterTuner(
        model_trainer=trainer(session),
        objective_metric_name=METRIC,
        objective_type="Minimize",
        hyperparameter_ranges={"eta": parameter.ContinuousParameter(0.1, 0.5)},
        metric_definitions=[{"Name": METRIC, "Regex": "validation-rmse:([0-9.]+)"}],
        max_jobs=4,
        max_parallel_jobs=2,
        strategy="Random",
    )
    tuner.tune(inputs=inputs())
    frame = tuner.analytics().dataframe()
    assert len(frame) == 4
    best = tuner.best_training_job()
    described = session.sagemaker_client.describe_training_job(TrainingJobName=best)
    assert float(described["HyperParameters"]["eta"]) == pytest.approx(frame["eta"].min())
