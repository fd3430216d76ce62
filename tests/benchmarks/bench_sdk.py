"""Benchmark: wall time of SageMaker Python SDK flows under sagemaker_lite vs moto.

Run ``python tests/benchmarks/bench_sdk.py`` (SDK v2 flows) or the same with a
Python that has ``sagemaker>=3`` (v3 flows).  In one run, each flow runs

* under ``mock_aws()`` + the default ``mock_sagemaker()`` (moto serves S3), and
* under moto 5's ``mock_aws()`` alone, whose SageMaker completes jobs at once.

Each flow gets a fresh world and SDK session; the time is the flow's own
(imports, boto3 client creation and the S3 bucket are left out).  Where moto cannot run
a flow (an operation it lacks, an answer the SDK trips on, or a hang cut off
after ``LIMIT`` seconds) the output says so with the error.  Target (issue 12):
every flow under 2 s with sagemaker_lite.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import io
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

for _name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
    os.environ.setdefault(_name, "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
os.environ.setdefault("SAGEMAKER_VALIDATE_ROLE", "false")

import boto3  # noqa: E402

from sagemaker_lite import mock_sagemaker  # noqa: E402

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
BUCKET = "my-bucket"
METRIC = "validation:rmse"
REGEX = "validation-rmse:([0-9.]+)"
#: Seconds after which a flow is cut off and reported as hanging.
LIMIT = 60

Flow = Callable[[Any], None]


def _sdk(name: str) -> Any:
    """An SDK class or function by dotted name (the SDKs are untyped: used as Any)."""
    module, _, attribute = name.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


class Hung(Exception):
    """A flow ran past LIMIT seconds."""


@contextlib.contextmanager
def _limit(seconds: int) -> Iterator[None]:
    def expire(*_: Any) -> None:
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- SDK v2 ---------------------------------------------------------------------------


def _session(session_class: str) -> Any:
    """An SDK session (of ``session_class``) on a fresh boto3 session, with the bucket made
    and the training data in it (with S3 served, an empty channel is refused at create)."""
    boto_session = boto3.Session(region_name="us-east-1")
    s3 = boto_session.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="train/data.csv", Body=b"1,0.5\n")
    return _sdk(session_class)(boto_session=boto_session, default_bucket=BUCKET)


def _v2_session() -> Any:
    return _session("sagemaker.Session")


def _estimator(session: Any) -> Any:
    """An XGBoost estimator on one ml.m5.xlarge reporting the metric."""
    metric = [{"Name": METRIC, "Regex": REGEX}]
    return _sdk("sagemaker.estimator.Estimator")(
        IMAGE,
        ROLE,
        1,
        "ml.m5.xlarge",
        output_path=f"s3://{BUCKET}/output",
        sagemaker_session=session,
        metric_definitions=metric,
    )


_INPUTS = {"train": f"s3://{BUCKET}/train"}


def v2_fit_defaults(session: Any) -> None:
    """``fit()`` with its defaults: wait and stream the logs."""
    _estimator(session).fit(_INPUTS)


def v2_fit_no_logs(session: Any) -> None:
    """``fit(logs="None")``: wait by polling describe."""
    _estimator(session).fit(_INPUTS, logs="None")


def v2_analytics(session: Any) -> None:
    """``fit`` then ``TrainingJobAnalytics(...).dataframe()`` must hold the series."""
    TrainingJobAnalytics = _sdk("sagemaker.analytics.TrainingJobAnalytics")

    estimator = _estimator(session)
    estimator.fit(_INPUTS, logs="None")
    name = estimator.latest_training_job.name
    frame = TrainingJobAnalytics(name, [METRIC], sagemaker_session=session).dataframe()
    if frame.empty:
        raise AssertionError("TrainingJobAnalytics returned no rows")


def v2_attach(session: Any) -> None:
    """``fit`` then ``Estimator.attach(name)``."""
    Estimator = _sdk("sagemaker.estimator.Estimator")

    estimator = _estimator(session)
    estimator.fit(_INPUTS, logs="None")
    Estimator.attach(estimator.latest_training_job.name, sagemaker_session=session)


def v2_stop(session: Any) -> None:
    """``fit(wait=False)``, ``stop()``, then ``wait()`` (which tails the logs)."""
    estimator = _estimator(session)
    estimator.fit(_INPUTS, wait=False)
    estimator.latest_training_job.stop()
    estimator.latest_training_job.wait()


def _tuning(continuous_parameter: str) -> dict[str, Any]:
    """The tuner arguments both SDKs share: 4 jobs, 2 at a time, minimising the metric."""
    return {
        "objective_metric_name": METRIC,
        "objective_type": "Minimize",
        "hyperparameter_ranges": {"eta": _sdk(continuous_parameter)(0.1, 0.5)},
        "metric_definitions": [{"Name": METRIC, "Regex": REGEX}],
        "max_jobs": 4,
        "max_parallel_jobs": 2,
        "strategy": "Random",
    }


def v2_tuner(session: Any) -> None:
    """A 4-job tuner: ``fit``, ``wait``, ``best_training_job``, ``analytics``."""
    tuner = _sdk("sagemaker.tuner.HyperparameterTuner")(
        _estimator(session), **_tuning("sagemaker.parameter.ContinuousParameter")
    )
    tuner.fit(_INPUTS)
    tuner.wait()
    tuner.best_training_job()
    tuner.analytics().dataframe()


def v2_compile(session: Any) -> None:
    """``fit`` then ``compile_model`` (waits for the compilation job)."""
    estimator = _estimator(session)
    estimator.fit(_INPUTS, logs="None")
    target = {"target_instance_family": "ml_c5", "input_shape": {"data": [1, 3]}}
    model = {"framework": "xgboost", "framework_version": "1.7", "role": ROLE}
    estimator.compile_model(output_path=f"s3://{BUCKET}/compiled", **target, **model)


V2_FLOWS: dict[str, Flow] = {
    "v2 fit() defaults (logs)": v2_fit_defaults,
    "v2 fit(logs='None')": v2_fit_no_logs,
    "v2 TrainingJobAnalytics": v2_analytics,
    "v2 Estimator.attach": v2_attach,
    "v2 stop + wait": v2_stop,
    "v2 tuner fit/wait/analytics": v2_tuner,
    "v2 compile_model": v2_compile,
}


# --- SDK v3 ---------------------------------------------------------------------------


def _v3_session() -> Any:
    return _session("sagemaker.core.helper.session_helper.Session")


def _trainer(session: Any) -> Any:
    MetricDefinition = _sdk("sagemaker.core.shapes.MetricDefinition")
    ModelTrainer = _sdk("sagemaker.train.ModelTrainer")
    Compute = _sdk("sagemaker.core.training.configs.Compute")

    return ModelTrainer(
        training_image=IMAGE,
        role=ROLE,
        sagemaker_session=session,
        compute=Compute(instance_type="ml.m5.xlarge", instance_count=1),
    ).with_metric_definitions([MetricDefinition(name=METRIC, regex=REGEX)])


def _v3_inputs() -> list[Any]:
    InputData = _sdk("sagemaker.core.training.configs.InputData")

    return [InputData(channel_name="train", data_source=f"s3://{BUCKET}/train")]


def v3_train_defaults(session: Any) -> None:
    """``ModelTrainer.train()`` with its defaults: wait and log."""
    _trainer(session).train(input_data_config=_v3_inputs())


def v3_analytics(session: Any) -> None:
    """``train(logs=False)`` then ``TrainingJobAnalytics(...).dataframe()``."""
    TrainingJobAnalytics = _sdk("sagemaker.core.analytics.TrainingJobAnalytics")

    trainer = _trainer(session)
    trainer.train(input_data_config=_v3_inputs(), logs=False)
    name = trainer._latest_training_job.training_job_name
    if TrainingJobAnalytics(name, [METRIC], sagemaker_session=session).dataframe().empty:
        raise AssertionError("TrainingJobAnalytics returned no rows")


def v3_stop(session: Any) -> None:
    """``train(wait=False)``, ``TrainingJob.get``, ``stop()``, ``wait()``."""
    TrainingJob = _sdk("sagemaker.core.resources.TrainingJob")

    trainer = _trainer(session)
    trainer.train(input_data_config=_v3_inputs(), wait=False)
    name = trainer._latest_training_job.training_job_name
    job = TrainingJob.get(name, session=session.boto_session)
    job.stop()
    job.wait()


def v3_tuner(session: Any) -> None:
    """A 4-job ``HyperparameterTuner.tune()`` with ``best_training_job`` and analytics."""
    tuner = _sdk("sagemaker.train.tuner.HyperparameterTuner")(
        model_trainer=_trainer(session), **_tuning("sagemaker.core.parameter.ContinuousParameter")
    )
    tuner.tune(inputs=_v3_inputs())
    tuner.best_training_job()
    tuner.analytics().dataframe()


V3_FLOWS: dict[str, Flow] = {
    "v3 train() defaults (logs)": v3_train_defaults,
    "v3 TrainingJobAnalytics": v3_analytics,
    "v3 get + stop + wait": v3_stop,
    "v3 tuner tune/analytics": v3_tuner,
}


# --- running --------------------------------------------------------------------------


def run(flow: Flow, session_factory: Callable[[], Any], backend: str) -> tuple[float, str | None]:
    """Wall seconds of one flow in a fresh world of ``backend``, and its error (None: ran)."""
    from moto import mock_aws

    output = io.StringIO()
    start = time.perf_counter()
    try:
        with (
            _limit(LIMIT),
            contextlib.redirect_stdout(output),
            mock_aws(),
            mock_sagemaker() if backend == "sagemaker_lite" else contextlib.nullcontext(),
        ):
            session = session_factory()  # boto3 clients and the bucket: not the flow's time
            start = time.perf_counter()
            flow(session)
    except Exception as error:  # reported, not raised: moto lacks much
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        return time.perf_counter() - start, f"{type(error).__name__}: {first[:100]}"
    return time.perf_counter() - start, None


def flows() -> list[tuple[str, Flow, Callable[[], Any]]]:
    """The flows of whichever SDK major version is installed."""
    found: list[tuple[str, Flow, Callable[[], Any]]] = []
    if _importable("sagemaker.estimator"):
        found += [(name, flow, _v2_session) for name, flow in V2_FLOWS.items()]
    if _importable("sagemaker.train"):
        found += [(name, flow, _v3_session) for name, flow in V3_FLOWS.items()]
    return found


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def main() -> None:
    """Run every flow under both backends and print wall times and ratios."""
    import logging

    logging.disable(logging.WARNING)  # the SDKs' INFO/WARNING chatter
    selected = flows()
    if not selected:
        print("no SageMaker Python SDK installed: nothing to measure")
        return
    print(f"{'flow':32s} {'sagemaker_lite':>15s} {'moto mock_aws':>15s}  moto / sagemaker_lite")
    for name, flow, session_factory in selected:
        ours, our_error = run(flow, session_factory, "sagemaker_lite")
        theirs, their_error = run(flow, session_factory, "moto")
        ours_text = f"{ours:.2f} s" if our_error is None else "FAILED"
        theirs_text = f"{theirs:.2f} s" if their_error is None else "cannot run"
        ratio = f"{theirs / ours:.1f}x" if our_error is their_error is None else ""
        print(f"{name:32s} {ours_text:>15s} {theirs_text:>15s}  {ratio}")
        if our_error is not None:
            print(f"    sagemaker_lite: {our_error}")
        if their_error is not None:
            print(f"    moto: {their_error} (after {theirs:.2f} s)")


if __name__ == "__main__":
    main()
