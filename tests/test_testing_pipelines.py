"""The pipelines testing kit: parameter strategies and scripted step outputs."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from test_pipelines import (
    accuracy,
    condition,
    create,
    definition,
    evaluation,
    fail,
    register,
    run,
    steps_of,
    training,
)

from sagemaker_lite import Emulator
from sagemaker_lite.testing.pipelines import as_request, pipeline_parameters, script_step_output

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
