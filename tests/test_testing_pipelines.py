"""The pipelines testing kit: parameter strategies and scripted step outputs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from factories import ROLE
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import run_state_machine_as_test
from test_pipelines import (
    accuracy,
    condition,
    create,
    definition,
    evaluation,
    fail,
    processing,
    register,
    run,
    steps_of,
    training,
)

from sagemaker_lite import Emulator
from sagemaker_lite.families.pipelines.definition import parse
from sagemaker_lite.testing.pipelines import (
    ALWAYS,
    FAILURE_REASONS,
    RETRY_POLICY,
    StepOutcome,
    StepScripts,
    as_request,
    pipeline_definitions,
    pipeline_parameters,
    script_step_outcomes,
    script_step_output,
    scripted_steps,
    step_outcomes,
)
from sagemaker_lite.testing.stateful import (
    STEP_JOB_NAME,
    PipelineRun,
    SageMakerStateMachine,
    check_pipeline_execution,
)

PARAMETERS = [
    {"Name": "Size", "Type": "String", "DefaultValue": "small", "EnumValues": ["small", "big"]},
    {"Name": "Epochs", "Type": "Integer", "DefaultValue": 4},
    {"Name": "Rate", "Type": "Float", "DefaultValue": 0.1},
    {"Name": "Fast", "Type": "Boolean", "DefaultValue": True},
    {"Name": "Bucket", "Type": "String"},
]
TYPES = {"String": str, "Integer": int, "Float": float, "Boolean": bool}


@settings(max_examples=50)
@given(pipeline_parameters(definition([fail()], PARAMETERS), {"Bucket": st.just("b1")}))
def test_parameters_are_drawn_as_their_types_say(drawn: dict[str, Any]) -> None:
    declared = {p["Name"]: p for p in PARAMETERS}
    assert drawn["Bucket"] == "b1"  # no default: always drawn; overridden strategy
    for name, value in drawn.items():
        assert isinstance(value, TYPES[declared[name]["Type"]])
    if "Size" in drawn:
        assert drawn["Size"] in ("small", "big")
    assert {p["Name"] for p in as_request(drawn)} == set(drawn)


def test_script_step_output_reaches_that_step_only() -> None:
    emulator = Emulator()
    client = emulator.client()
    script_step_output(
        emulator,
        "Evaluate",
        "evaluation",
        "eval.json",
        json.dumps({"metrics": {"accuracy": {"value": 0.7}}}),
    )
    client.create_model_package_group(ModelPackageGroupName="churn")
    gate = {"Type": "GreaterThan", "LeftValue": accuracy(), "RightValue": 0.5}
    create(
        client,
        definition(
            [training(data="s3://b/t/"), evaluation(), condition([gate], [register()], [fail()])]
        ),
    )
    arn = run(emulator, client, PipelineParameters=as_request({}))
    assert steps_of(client, arn)["Check"]["Metadata"]["Condition"]["Outcome"] == "True"
    other = evaluation("EvaluateAgain")
    create(client, definition([training(data="s3://b/t/"), other]), name="second")
    second = run(emulator, client, name="second")
    job = steps_of(client, second)["EvaluateAgain"]["Metadata"]["ProcessingJob"]["Arn"]
    stored = emulator.world("123456789012", "us-east-1").by_arn[job]
    assert stored.data["plan"].get("files") in (None, {})  # not scripted for this step


# --- drawn definitions and step outcomes ------------------------------------------------


@settings(max_examples=25)
@given(pipeline_definitions(), st.data())
def test_drawn_definitions_are_accepted_and_their_outcomes_drawn(text: str, data: Any) -> None:
    graph = parse(text)  # what CreatePipeline accepts
    outcomes = data.draw(step_outcomes(text))
    assert set(outcomes) == set(scripted_steps(text))
    assert set(outcomes) <= set(graph.steps)
    for outcome in outcomes.values():
        assert outcome.failure_reason in FAILURE_REASONS
        assert outcome.failures in (0, 1, 2, ALWAYS)
    assert all(o.failures == 0 for o in data.draw(step_outcomes(text, failing=False)).values())


def test_each_execution_runs_with_the_outcomes_scripted_for_it() -> None:
    emulator = Emulator()
    client = emulator.client()
    transient = training("Train", data="s3://b/t/", RetryPolicies=[RETRY_POLICY])
    create(client, definition([transient, processing("Prep")]))
    scripts = StepScripts(emulator)
    scripts.next({"Train": StepOutcome(failures=ALWAYS)})
    first = client.start_pipeline_execution(PipelineName="churn-pipeline")["PipelineExecutionArn"]
    scripts.bind(first)
    scripts.next({"Train": StepOutcome(failures=1, failure_reason=FAILURE_REASONS[1])})
    second = run(emulator, client)
    scripts.bind(second)
    emulator.run_until_idle()
    failed, retried = steps_of(client, first), steps_of(client, second)
    assert failed["Train"]["StepStatus"] == "Failed"
    assert failed["Train"]["FailureReason"] == FAILURE_REASONS[0]
    assert retried["Train"]["StepStatus"] == "Succeeded"
    assert retried["Train"]["AttemptCount"] == 2  # the policy covered the transient failure
    assert scripts.outcomes_of(first)["Train"].failures == ALWAYS
    for arn in (first, second):
        check_pipeline_execution(client, arn)


def test_scripted_outputs_are_what_json_get_reads() -> None:
    emulator = Emulator()
    client = emulator.client()
    client.create_model_package_group(ModelPackageGroupName="churn")
    gate = {"Type": "GreaterThan", "LeftValue": accuracy(), "RightValue": 0.5}
    create(
        client,
        definition(
            [training(data="s3://b/t/"), evaluation(), condition([gate], [register()], [fail()])]
        ),
    )
    report = json.dumps({"metrics": {"accuracy": {"value": 0.3}}})
    script_step_outcomes(
        emulator, {"Evaluate": StepOutcome(outputs={"evaluation": {"eval.json": report}})}
    )
    arn = run(emulator, client)
    assert steps_of(client, arn)["Check"]["Metadata"]["Condition"]["Outcome"] == "False"


def test_check_pipeline_execution_catches_a_success_with_a_failed_step() -> None:
    emulator = Emulator()
    client = emulator.client()
    create(client, definition([processing("Prep")]))
    script_step_outcomes(emulator, {"Prep": StepOutcome(failures=ALWAYS)})
    arn = run(emulator, client)
    check_pipeline_execution(client, arn)
    stored = client.world.by_arn[arn]
    stored.status = "Succeeded"  # what a broken executor would show
    with pytest.raises(AssertionError):
        check_pipeline_execution(client, arn)


class PipelinesOnly(SageMakerStateMachine):
    kinds = frozenset({"pipeline"})


def test_the_pipeline_rules_run_and_keep_the_invariants() -> None:
    reached: set[str] = set()

    class Watched(PipelinesOnly):
        def teardown(self) -> None:
            for arn in self.pipeline_runs:
                reached.add(self.client.world.by_arn[arn].status)
            for job in self.emulator.jobs():  # only pipelines and the jobs of their steps
                assert job.kind.startswith("pipeline") or STEP_JOB_NAME.fullmatch(job.name)

    run_state_machine_as_test(
        Watched,
        settings=settings(max_examples=25, stateful_step_count=15, deadline=None, derandomize=True),
    )
    assert "Executing" in reached and {"Succeeded", "Failed", "Stopped"} & reached, reached


def test_the_machine_catches_a_status_moving_backwards() -> None:
    machine = PipelinesOnly()
    machine.client.create_pipeline(
        PipelineName="flow-0", PipelineDefinition=definition([processing("Prep")]), RoleArn=ROLE
    )
    arn = machine.client.start_pipeline_execution(PipelineName="flow-0")["PipelineExecutionArn"]
    machine.pipeline_runs[arn] = PipelineRun("flow-0", "{}", {}, {})
    machine.pipeline_executions_move_forward()
    machine.emulator.run_until_idle()
    machine.pipeline_executions_move_forward()
    job = machine.client.world.by_arn[arn]
    assert job.status == "Succeeded"
    job.status = "Executing"  # what a broken executor would show
    with pytest.raises(AssertionError):
        machine.pipeline_executions_move_forward()
