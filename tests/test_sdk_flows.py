"""SageMaker Python SDK v2 flows as users write them: logs, metrics, attach, stop, failure.

Everything runs with the SDK's defaults (``fit()`` waits and streams the
job's CloudWatch logs) against the emulator, with moto serving S3/STS.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import factories
import pytest

from sagemaker_lite import Emulator

os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
sagemaker = pytest.importorskip("sagemaker")
moto = pytest.importorskip("moto")

# The SDK's signatures are partly untyped: the tests use it as users do, untyped.
TrainingJobAnalytics: Any = sagemaker.analytics.TrainingJobAnalytics
Estimator: Any = sagemaker.estimator.Estimator
ContinuousParameter: Any = sagemaker.parameter.ContinuousParameter
HyperparameterTuner: Any = sagemaker.tuner.HyperparameterTuner

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = factories.SDK_IMAGE
BUCKET = "my-bucket"
INPUTS = {"train": f"s3://{BUCKET}/data/train"}
METRICS = [{"Name": "validation:rmse", "Regex": "validation-rmse:([0-9.]+)"}]


@pytest.fixture
def world() -> Iterator[tuple[Emulator, Any]]:
    """The default mock serving SageMaker, logs and metrics; moto serving S3/STS."""
    with factories.sdk_world(sagemaker.Session, BUCKET) as world:
        yield world


def estimator(session: Any, **extra: Any) -> Any:
    arguments = {"hyperparameters": {"max_depth": "5"}, "metric_definitions": METRICS}
    return factories.sdk_estimator(session, BUCKET, **{**arguments, **extra})


def test_fit_with_its_defaults_prints_the_jobs_log_lines(
    world: tuple[Emulator, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    _, session = world
    est = estimator(session, instance_count=2)
    est.fit(INPUTS)
    printed = capsys.readouterr().out
    name = est.latest_training_job.name
    assert f"Starting training job {name} on algo-1 of 2" in printed
    assert f"Starting training job {name} on algo-2 of 2" in printed
    rmse = [line for line in printed.splitlines() if "validation-rmse:" in line]
    final = session.describe_training_job(name)["FinalMetricDataList"][0]["Value"]
    assert len(rmse) == 10 and rmse[-1].endswith(f"validation-rmse:{final}")
    assert "Completed - Training job completed" in printed


def test_training_job_analytics_returns_the_metric_series(world: tuple[Emulator, Any]) -> None:
    emulator, session = world
    emulator.script_training(durations={"Training": 600})  # ten epochs, one a minute
    est = estimator(session)
    est.fit(INPUTS, logs="None")
    name = est.latest_training_job.name
    frame = TrainingJobAnalytics(name, ["validation:rmse"], sagemaker_session=session).dataframe()
    assert list(frame["timestamp"]) == [60.0 * i for i in range(10)]
    assert set(frame["metric_name"]) == {"validation:rmse"}
    final = session.describe_training_job(name)["FinalMetricDataList"][0]["Value"]
    assert frame["value"].iloc[-1] == final
    assert frame["value"].is_monotonic_decreasing  # the default curve of a loss
    # Without metric names the SDK reads them from the job's MetricDefinitions.
    assert est.training_job_analytics.dataframe().equals(frame)


def test_a_wrong_regex_shows_up_as_missing_metrics(world: tuple[Emulator, Any]) -> None:
    emulator, session = world
    emulator.script_training(logs=["[0]#011validation-rmse:0.5", "[1]#011validation-rmse:0.25"])
    est = estimator(session)
    est.metric_definitions = [{"Name": "validation:rmse", "Regex": "val_rmse=([0-9.]+)"}]
    est.fit(INPUTS, logs="None")
    name = est.latest_training_job.name
    assert "FinalMetricDataList" not in session.describe_training_job(name)
    frame = TrainingJobAnalytics(name, ["validation:rmse"], sagemaker_session=session).dataframe()
    assert frame.empty


def test_a_scripted_failure_raises_and_its_reason_is_in_the_logs(
    world: tuple[Emulator, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    emulator, session = world
    emulator.script_training(fail_at="Training", failure_reason="AlgorithmError: out of memory")
    with pytest.raises(sagemaker.exceptions.UnexpectedStatusException, match="out of memory"):
        estimator(session).fit(INPUTS)
    assert "AlgorithmError: out of memory" in capsys.readouterr().out


def test_stop_a_running_job(world: tuple[Emulator, Any]) -> None:
    emulator, session = world
    est = estimator(session)
    est.fit(INPUTS, wait=False)
    emulator.advance(300)
    est.latest_training_job.stop()
    # wait(logs="None") right after stop() raises on "Stopping", on AWS too; the
    # default wait() tails the logs until the job is Stopped.
    est.latest_training_job.wait()
    described = session.describe_training_job(est.latest_training_job.name)
    assert described["TrainingJobStatus"] == "Stopped"


def test_estimator_attach_to_a_finished_job(world: tuple[Emulator, Any]) -> None:
    _, session = world
    est = estimator(session)
    est.fit(INPUTS, logs="None")
    attached = Estimator.attach(est.latest_training_job.name, sagemaker_session=session)
    assert attached.model_data == est.model_data
    assert attached.image_uri == IMAGE


def test_tuner_fit_attach_and_analytics(world: tuple[Emulator, Any]) -> None:
    emulator, session = world
    emulator.script_training(metrics=lambda hp: {"validation:rmse": float(hp["eta"])})
    tuner = HyperparameterTuner(
        estimator(session),
        objective_metric_name="validation:rmse",
        objective_type="Minimize",
        hyperparameter_ranges={"eta": ContinuousParameter(0.1, 0.5)},
        metric_definitions=METRICS,
        max_jobs=4,
        max_parallel_jobs=2,
        strategy="Random",
    )
    tuner.fit(INPUTS)
    tuner.wait()
    frame = tuner.analytics().dataframe()
    assert len(frame) == 4
    assert frame["FinalObjectiveValue"].min() == pytest.approx(
        frame.sort_values("eta")["eta"].iloc[0]
    )
    name = tuner.latest_tuning_job.name
    attached = HyperparameterTuner.attach(name, sagemaker_session=session)
    assert attached.best_training_job() == tuner.best_training_job()
