"""The SageMaker Python SDK v2's Pipelines under the default ``mock_sagemaker()``:
upsert, start, wait, list_steps, describe, and a processing -> training ->
evaluation (JsonGet) -> condition -> register-or-fail pipeline taking each branch."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from typing import Any

import factories
import pytest

from sagemaker_lite import Emulator

os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")
sagemaker = pytest.importorskip("sagemaker")
pytest.importorskip("moto")

from botocore.exceptions import WaiterError  # noqa: E402
from sagemaker.estimator import Estimator  # noqa: E402
from sagemaker.inputs import TrainingInput  # noqa: E402
from sagemaker.model import Model  # noqa: E402
from sagemaker.processing import ProcessingInput, ProcessingOutput, Processor  # noqa: E402
from sagemaker.workflow.condition_step import ConditionStep  # noqa: E402
from sagemaker.workflow.conditions import ConditionGreaterThanOrEqualTo  # noqa: E402
from sagemaker.workflow.execution_variables import ExecutionVariables  # noqa: E402
from sagemaker.workflow.fail_step import FailStep  # noqa: E402
from sagemaker.workflow.functions import Join, JsonGet  # noqa: E402
from sagemaker.workflow.model_step import ModelStep  # noqa: E402
from sagemaker.workflow.parameters import ParameterFloat, ParameterString  # noqa: E402
from sagemaker.workflow.pipeline import Pipeline  # noqa: E402
from sagemaker.workflow.pipeline_context import PipelineSession  # noqa: E402
from sagemaker.workflow.properties import PropertyFile  # noqa: E402
from sagemaker.workflow.steps import ProcessingStep, TrainingStep  # noqa: E402

BUCKET = "my-bucket"
IMAGE = factories.SDK_IMAGE
ROLE = factories.ROLE


@pytest.fixture
def world() -> Iterator[tuple[Emulator, Any]]:
    with factories.sdk_world(PipelineSession, BUCKET) as (emulator, session):
        yield emulator, session


def churn_pipeline(session: Any) -> Pipeline:
    """The pipeline a user writes: prepare, train, evaluate, register if good enough."""
    threshold = ParameterFloat("Threshold", default_value=0.8)
    instance = ParameterString("InstanceType", default_value="ml.m5.xlarge")
    prep_processor = Processor(
        image_uri=IMAGE,
        role=ROLE,
        instance_count=1,
        instance_type=instance,
        sagemaker_session=session,
        entrypoint=["python3", "prep.py"],
    )
    prep = ProcessingStep(
        "Prep",
        step_args=prep_processor.run(
            inputs=[ProcessingInput(f"s3://{BUCKET}/raw", "/opt/ml/processing/input")],
            outputs=[ProcessingOutput(output_name="train", source="/opt/ml/processing/train")],
        ),
    )
    estimator = Estimator(
        image_uri=IMAGE,
        role=ROLE,
        instance_count=1,
        instance_type="ml.m5.xlarge",
        sagemaker_session=session,
        output_path=f"s3://{BUCKET}/out",
    )
    source = prep.properties.ProcessingOutputConfig.Outputs["train"].S3Output.S3Uri
    train = TrainingStep("Train", step_args=estimator.fit({"train": TrainingInput(source)}))
    report = PropertyFile(name="Report", output_name="evaluation", path="evaluation.json")
    eval_processor = Processor(
        image_uri=IMAGE,
        role=ROLE,
        instance_count=1,
        instance_type="ml.m5.xlarge",
        sagemaker_session=session,
        entrypoint=["python3", "evaluate.py"],
    )
    model_data = train.properties.ModelArtifacts.S3ModelArtifacts
    evaluate = ProcessingStep(
        "Evaluate",
        step_args=eval_processor.run(
            inputs=[ProcessingInput(model_data, "/opt/ml/processing/model")],
            outputs=[
                ProcessingOutput(output_name="evaluation", source="/opt/ml/processing/evaluation")
            ],
        ),
        property_files=[report],
    )
    model = Model(image_uri=IMAGE, model_data=model_data, role=ROLE, sagemaker_session=session)
    register = ModelStep(
        "Register",
        step_args=model.register(
            content_types=["text/csv"],
            response_types=["text/csv"],
            inference_instances=["ml.m5.xlarge"],
            transform_instances=["ml.m5.xlarge"],
            model_package_group_name="churn",
        ),
    )
    accuracy = JsonGet(
        step_name=evaluate.name, property_file=report, json_path="metrics.accuracy.value"
    )
    too_weak = FailStep(
        "TooWeak",
        error_message=Join(
            on=" ",
            values=["accuracy below", threshold, "in", ExecutionVariables.PIPELINE_EXECUTION_ID],
        ),
    )
    check = ConditionStep(
        "Check",
        conditions=[ConditionGreaterThanOrEqualTo(accuracy, threshold)],
        if_steps=[register],
        else_steps=[too_weak],
    )
    return Pipeline(
        "churn",
        parameters=[threshold, instance],
        steps=[prep, train, evaluate, check],
        sagemaker_session=session,
    )


def script_accuracy(emulator: Emulator, value: float) -> None:
    report = json.dumps({"metrics": {"accuracy": {"value": value}}})
    emulator.script_processing(
        lambda request: "-Evaluate-" in request["ProcessingJobName"],
        outputs={"evaluation": {"evaluation.json": report}},
    )


@pytest.mark.filterwarnings("ignore:Running within a PipelineSession")
def test_upsert_start_wait_and_both_branches(
    world: tuple[Emulator, Any], real_sleeps: list[float]
) -> None:
    emulator, session = world
    sm = session.sagemaker_client
    sm.create_model_package_group(ModelPackageGroupName="churn")
    pipeline = churn_pipeline(session)
    began = time.process_time()  # CPU: a loaded CI machine stretches wall time
    arn = pipeline.upsert(role_arn=ROLE)["PipelineArn"]
    assert pipeline.upsert(role_arn=ROLE, description="again")["PipelineArn"] == arn  # update
    assert pipeline.describe()["PipelineDescription"] == "again"

    # Prep leaves the training data the Train step reads (with moto's S3, an empty
    # channel is refused at CreateTrainingJob, as on AWS).
    emulator.script_processing(
        lambda request: "-Prep-" in request["ProcessingJobName"],
        outputs={"train": {"train.csv": "1,0.5\n"}},
    )
    script_accuracy(emulator, 0.93)
    good = pipeline.start()
    good.wait(delay=30, max_attempts=200)
    assert good.describe()["PipelineExecutionStatus"] == "Succeeded"
    steps = {s["StepName"]: s for s in good.list_steps()}
    assert set(steps) == {"Prep", "Train", "Evaluate", "Check", "Register-RegisterModel"}
    assert steps["Check"]["Metadata"]["Condition"]["Outcome"] == "True"
    version = steps["Register-RegisterModel"]["Metadata"]["RegisterModel"]["Arn"]
    package = sm.describe_model_package(ModelPackageName=version)
    assert package["ModelPackageGroupName"] == "churn"

    script_accuracy(emulator, 0.91)
    weak = pipeline.start(parameters={"Threshold": 0.95})
    with pytest.raises(WaiterError):
        weak.wait(delay=30, max_attempts=200)
    described = weak.describe()
    assert described["PipelineExecutionStatus"] == "Failed"
    assert described["FailureReason"] == "Step failure: One or multiple steps failed."
    failed = {s["StepName"]: s for s in weak.list_steps()}
    execution_id = weak.arn.rsplit("/", 1)[-1]
    assert failed["TooWeak"]["FailureReason"] == f"accuracy below 0.95 in {execution_id}"
    assert "Register-RegisterModel" not in failed
    parameters = weak.list_parameters()["PipelineParameters"]
    assert {"Name": "Threshold", "Value": "0.95"} in parameters
    spent = time.process_time() - began
    assert spent < 2.0, f"{spent:.2f} s of CPU"  # two executions, eight jobs (wall: bench)
    assert real_sleeps == []
    versions = sm.list_model_packages(ModelPackageGroupName="churn")["ModelPackageSummaryList"]
    assert [v["ModelPackageArn"] for v in versions] == [version]


def test_a_definition_above_100_kb_goes_through_s3(world: tuple[Emulator, Any]) -> None:
    """The SDK uploads a definition of 100 KB or more to the default bucket and sends its
    PipelineDefinitionS3Location; the emulator reads it there."""
    _, session = world
    note = ParameterString("Note", default_value="x" * 110_000)
    fail = FailStep("Refuse", error_message=Join(on=" ", values=["no", note]))
    pipeline = Pipeline("big", parameters=[note], steps=[fail], sagemaker_session=session)
    assert len(pipeline.definition().encode()) >= 100 * 1024
    pipeline.upsert(role_arn=ROLE)
    sm = session.sagemaker_client
    assert sm.describe_pipeline(PipelineName="big")["PipelineDefinition"] == pipeline.definition()
    pipeline.upsert(role_arn=ROLE)  # the update goes through S3 too
    versions = sm.list_pipeline_versions(PipelineName="big")["PipelineVersionSummaries"]
    assert len(versions) == 2
    execution = pipeline.start(parameters={"Note": "short"})
    with pytest.raises(WaiterError):
        execution.wait()
    (step,) = execution.list_steps()
    assert step["FailureReason"] == "no short"
