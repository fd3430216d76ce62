"""SageMaker Python SDK v3's ``sagemaker.mlops`` pipeline classes against the default mock:
a ModelTrainer's TrainingStep, a ConditionStep over a parameter routing to a FailStep,
``upsert``, ``start``, ``wait``, ``list_steps``.

Skipped where ``sagemaker-mlops`` is not installed (the main test environment pins
SDK v2); CI runs them in the SDK v3 virtualenv (``.[sdk3]``, see ``.ci/run``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import factories
import pytest

from sagemaker_lite import Emulator

os.environ["SAGEMAKER_VALIDATE_ROLE"] = "false"
# sagemaker.mlops imports sagemaker.serve, which makes a boto3 client at import (no call).
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
pytest.importorskip("sagemaker.mlops", reason="sagemaker-mlops (SDK v3) not installed")
moto = pytest.importorskip("moto")

from botocore.exceptions import WaiterError  # noqa: E402
from sagemaker.core.training.configs import Compute, InputData  # noqa: E402
from sagemaker.core.workflow.conditions import ConditionGreaterThanOrEqualTo  # noqa: E402
from sagemaker.core.workflow.parameters import ParameterFloat  # noqa: E402
from sagemaker.core.workflow.pipeline_context import PipelineSession  # noqa: E402
from sagemaker.mlops.workflow.condition_step import ConditionStep  # noqa: E402
from sagemaker.mlops.workflow.fail_step import FailStep  # noqa: E402
from sagemaker.mlops.workflow.pipeline import Pipeline  # noqa: E402
from sagemaker.mlops.workflow.steps import TrainingStep  # noqa: E402
from sagemaker.train import ModelTrainer  # noqa: E402

ROLE = factories.ROLE
IMAGE = factories.SDK_IMAGE
BUCKET = "my-bucket"


@pytest.fixture
def world() -> Iterator[tuple[Emulator, Any]]:
    with factories.sdk_world(PipelineSession, BUCKET) as world:
        yield world


def pipeline(session: Any) -> Pipeline:
    trainer = ModelTrainer(
        training_image=IMAGE,
        role=ROLE,
        sagemaker_session=session,
        compute=Compute(instance_type="ml.m5.xlarge", instance_count=1),
        hyperparameters={"max_depth": 5},
    )
    step_args = trainer.train(
        input_data_config=[InputData(channel_name="train", data_source=f"s3://{BUCKET}/train")]
    )
    train = TrainingStep("Train", step_args=step_args)
    epochs = ParameterFloat("MinScore", default_value=0.5)
    check = ConditionStep(
        "Check",
        conditions=[ConditionGreaterThanOrEqualTo(epochs, 0.5)],
        if_steps=[],
        else_steps=[FailStep("TooLow", error_message="score too low")],
        depends_on=[train],
    )
    return Pipeline(
        "v3-churn", parameters=[epochs], steps=[train, check], sagemaker_session=session
    )


def test_mlops_pipeline_runs_each_branch(world: tuple[Emulator, Any]) -> None:
    emulator, session = world
    flow = pipeline(session)
    flow.upsert(role_arn=ROLE)
    good = flow.start()
    good.wait(delay=30, max_attempts=60)
    assert good.describe()["PipelineExecutionStatus"] == "Succeeded"
    assert sorted(s["StepName"] for s in good.list_steps()) == ["Check", "Train"]
    bad = flow.start(parameters={"MinScore": 0.1})
    with pytest.raises(WaiterError):
        bad.wait(delay=30, max_attempts=60)
    steps = {s["StepName"]: s for s in bad.list_steps()}
    assert steps["TooLow"]["FailureReason"] == "score too low"
    job = steps["Train"]["Metadata"]["TrainingJob"]["Arn"].rsplit("/", 1)[-1]
    described = session.sagemaker_client.describe_training_job(TrainingJobName=job)
    assert described["TrainingJobStatus"] == "Completed"
    assert emulator.now() > 0
