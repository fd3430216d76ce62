"""Pipelines: definitions checked as AWS checks them, executions that run their steps as
real jobs in virtual time, through the direct client and boto3."""

from __future__ import annotations

import itertools
import json
from typing import Any

import boto3
import pytest
from factories import ROLE, model_request, processing_request, training_request, tuning_request
from factories import api_error as error

from sagemaker_lite import Emulator, mock_sagemaker

PIPELINE_ROLE = "arn:aws:iam::123456789012:role/PipelineRole"


@pytest.fixture
def sm() -> Any:
    return Emulator().client()


# --- definitions built as the SDK writes them ---------------------------------------


def step(name: str, kind: str, arguments: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"Name": name, "Type": kind, "Arguments": arguments, **extra}


def processing(name: str, **extra: Any) -> dict[str, Any]:
    arguments = processing_request()
    del arguments["ProcessingJobName"]
    return step(name, "Processing", arguments, **extra)


def evaluation(name: str = "Evaluate") -> dict[str, Any]:
    arguments = processing_request()
    del arguments["ProcessingJobName"]
    arguments["ProcessingInputs"][0]["S3Input"]["S3Uri"] = {
        "Get": "Steps.Train.ModelArtifacts.S3ModelArtifacts"
    }
    output = arguments["ProcessingOutputConfig"]["Outputs"][0]
    output["OutputName"] = "evaluation"
    prop = {"PropertyFileName": "Report", "OutputName": "evaluation", "FilePath": "eval.json"}
    return step(name, "Processing", arguments, PropertyFiles=[prop])


def training(name: str = "Train", data: Any = None, **extra: Any) -> dict[str, Any]:
    arguments = training_request()
    del arguments["TrainingJobName"]
    source = arguments["InputDataConfig"][0]["DataSource"]["S3DataSource"]
    source["S3Uri"] = data or {
        "Get": "Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"
    }
    return step(name, "Training", arguments, **extra)


def accuracy() -> dict[str, Any]:
    return {
        "Std:JsonGet": {
            "PropertyFile": {"Get": "Steps.Evaluate.PropertyFiles.Report"},
            "Path": "metrics.accuracy.value",
        }
    }


def register(name: str = "Register") -> dict[str, Any]:
    spec = {
        "Containers": [
            {
                "Image": "img:1",
                "ModelDataUrl": {"Get": "Steps.Train.ModelArtifacts.S3ModelArtifacts"},
            }
        ],
        "SupportedContentTypes": ["text/csv"],
        "SupportedResponseMIMETypes": ["text/csv"],
    }
    arguments = {"ModelPackageGroupName": "churn", "InferenceSpecification": spec}
    return step(name, "RegisterModel", arguments)


def fail(name: str = "TooWeak", message: Any = "accuracy below threshold") -> dict[str, Any]:
    return step(name, "Fail", {"ErrorMessage": message})


def condition(conditions: list[dict[str, Any]], if_steps: Any, else_steps: Any) -> dict[str, Any]:
    return step(
        "Check",
        "Condition",
        {"Conditions": conditions, "IfSteps": if_steps, "ElseSteps": else_steps},
    )


def definition(steps: list[dict[str, Any]], parameters: list[dict[str, Any]] | None = None) -> str:
    document = {
        "Version": "2020-12-01",
        "Metadata": {},
        "Parameters": parameters or [],
        "PipelineExperimentConfig": {
            "ExperimentName": {"Get": "Execution.PipelineName"},
            "TrialName": {"Get": "Execution.PipelineExecutionId"},
        },
        "Steps": steps,
    }
    return json.dumps(document)


THRESHOLD = [{"Name": "Threshold", "Type": "Float", "DefaultValue": 0.8}]


def full_pipeline() -> str:
    gate = {
        "Type": "GreaterThanOrEqualTo",
        "LeftValue": accuracy(),
        "RightValue": {"Get": "Parameters.Threshold"},
    }
    steps = [
        processing("Prep"),
        training(),
        evaluation(),
        condition([gate], [register()], [fail()]),
    ]
    return definition(steps, THRESHOLD)


def create(client: Any, text: str, name: str = "churn-pipeline", **extra: Any) -> str:
    arn: str = client.create_pipeline(
        PipelineName=name, PipelineDefinition=text, RoleArn=PIPELINE_ROLE, **extra
    )["PipelineArn"]
    return arn


def run(emulator: Emulator, client: Any, name: str = "churn-pipeline", **start: Any) -> str:
    arn: str = client.start_pipeline_execution(PipelineName=name, **start)["PipelineExecutionArn"]
    emulator.run_until_idle()
    return arn


def steps_of(client: Any, arn: str) -> dict[str, dict[str, Any]]:
    answer = client.list_pipeline_execution_steps(PipelineExecutionArn=arn, MaxResults=100)
    return {s["StepName"]: s for s in answer["PipelineExecutionSteps"]}


def script_accuracy(emulator: Emulator, value: float) -> None:
    report = json.dumps({"metrics": {"accuracy": {"value": value}}})
    emulator.script_processing(
        lambda request: "-Evaluate-" in request["ProcessingJobName"],
        outputs={"evaluation": {"eval.json": report}},
    )


# --- pipelines ------------------------------------------------------------------------


def test_create_describe_update_versions_list_delete(world: tuple[Emulator, Any]) -> None:
    emulator, client = world
    text = full_pipeline()
    arn = create(client, text, Tags=[{"Key": "team", "Value": "ml"}])
    assert arn == "arn:aws:sagemaker:us-east-1:123456789012:pipeline/churn-pipeline"
    described = client.describe_pipeline(PipelineName="churn-pipeline")
    assert described["PipelineDefinition"] == text
    assert described["PipelineStatus"] == "Active"
    assert described["PipelineDisplayName"] == "churn-pipeline"
    assert described["RoleArn"] == PIPELINE_ROLE
    emulator.advance(60)
    newer = definition([processing("Prep")])
    answer = client.update_pipeline(PipelineName="churn-pipeline", PipelineDefinition=newer)
    assert answer["PipelineVersionId"] == 2
    assert client.describe_pipeline(PipelineName=arn)["PipelineDefinition"] == newer
    assert (
        client.describe_pipeline(PipelineName=arn, PipelineVersionId=1)["PipelineDefinition"]
        == text
    )
    versions = client.list_pipeline_versions(PipelineName=arn)["PipelineVersionSummaries"]
    assert [v["PipelineVersionId"] for v in versions] == [2, 1]
    assert client.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "ml"}]
    create(client, newer, name="other")
    listed = client.list_pipelines(PipelineNamePrefix="churn")["PipelineSummaries"]
    assert [p["PipelineName"] for p in listed] == ["churn-pipeline"]
    pages = client.get_paginator("list_pipelines").paginate(PaginationConfig={"PageSize": 1})
    assert [p["PipelineName"] for page in pages for p in page["PipelineSummaries"]] == [
        "other",
        "churn-pipeline",
    ]
    assert client.delete_pipeline(PipelineName="churn-pipeline")["PipelineArn"] == arn
    gone = error(client.describe_pipeline, PipelineName="churn-pipeline")
    assert gone["Code"] == "ResourceNotFound"


def test_create_twice_is_the_error_the_sdks_upsert_expects(world: tuple[Emulator, Any]) -> None:
    _, client = world
    create(client, full_pipeline())
    again = error(
        client.create_pipeline,
        PipelineName="churn-pipeline",
        PipelineDefinition=full_pipeline(),
        RoleArn=PIPELINE_ROLE,
    )
    assert again["Code"] == "ValidationException" and "already exists" in again["Message"]


BAD_DEFINITIONS = [
    ("not json", "Expecting start of Json Object."),
    ("[1, 2]", "Expecting start of Json Object."),
    (json.dumps({"Steps": {"Name": "a"}}), "Expecting start of Json Array."),
    (
        json.dumps({"Steps": [step("M", "RegisterModel", {"ModelPackageName": "x"})]}),
        "Unknown Argument member 'ModelPackageName'.",
    ),
    (
        json.dumps(
            {
                "Steps": [
                    processing(
                        "P",
                        Arguments={
                            **processing("P")["Arguments"],
                            "ProcessingInputs": [
                                {
                                    "InputName": "raw",
                                    "S3Input": {
                                        "S3Uri": "s3://b/raw",
                                        "LocalPath": "/opt/ml/processing/input",
                                        "S3DataType": "S3Prefix",
                                        "S3InputMode": "FastFile",
                                    },
                                }
                            ],
                        },
                    )
                ]
            }
        ),
        "Model Validation failed: Value 'FastFile' for 'ProcessingS3InputMode' failed to "
        "satisfy enum value set: [Pipe, File]",
    ),
    (json.dumps({"Steps": [step("X", "Teleport", {})]}), "Unknown step type 'Teleport'."),
    (
        json.dumps(
            {"Steps": [fail("F"), step("C", "Condition", {"Conditions": []}, DependsOn=["F"])]}
        ),
        "C can not depends on F",
    ),
]


@pytest.mark.parametrize(("text", "detail"), BAD_DEFINITIONS)
def test_malformed_definitions_are_refused_at_create(sm: Any, text: str, detail: str) -> None:
    refused = error(
        sm.create_pipeline, PipelineName="p", PipelineDefinition=text, RoleArn=PIPELINE_ROLE
    )
    assert refused["Code"] == "ValidationException"
    assert refused["Message"].startswith("Unable to parse pipeline definition. ")
    assert detail in refused["Message"]
    assert sm.list_pipelines()["PipelineSummaries"] == []


# --- executions -----------------------------------------------------------------------


@pytest.mark.parametrize(("score", "registered"), [(0.9, True), (0.5, False)])
def test_processing_training_evaluation_condition_register_or_fail(
    world: tuple[Emulator, Any], score: float, registered: bool
) -> None:
    emulator, client = world
    script_accuracy(emulator, score)
    client.create_model_package_group(ModelPackageGroupName="churn")
    create(client, full_pipeline())
    arn = run(emulator, client)
    described = client.describe_pipeline_execution(PipelineExecutionArn=arn)
    steps = steps_of(client, arn)
    assert steps["Check"]["Metadata"]["Condition"]["Outcome"] == ("True" if registered else "False")
    packages = client.list_model_packages(ModelPackageGroupName="churn")["ModelPackageSummaryList"]
    if registered:
        assert described["PipelineExecutionStatus"] == "Succeeded"
        assert set(steps) == {"Prep", "Train", "Evaluate", "Check", "Register"}
        assert [p["ModelPackageArn"] for p in packages] == [
            steps["Register"]["Metadata"]["RegisterModel"]["Arn"]
        ]
        train = client.describe_training_job(
            TrainingJobName=steps["Train"]["Metadata"]["TrainingJob"]["Arn"].split("/")[-1]
        )
        package = client.describe_model_package(ModelPackageName=packages[0]["ModelPackageArn"])
        container = package["InferenceSpecification"]["Containers"][0]
        assert container["ModelDataUrl"] == train["ModelArtifacts"]["S3ModelArtifacts"]
    else:
        assert described["PipelineExecutionStatus"] == "Failed"
        assert described["FailureReason"] == "Step failure: One or multiple steps failed."
        assert steps["TooWeak"]["StepStatus"] == "Failed"
        assert steps["TooWeak"]["FailureReason"] == "accuracy below threshold"
        assert steps["TooWeak"]["Metadata"]["Fail"]["ErrorMessage"] == "accuracy below threshold"
        assert packages == []
    # The steps' jobs are ordinary jobs: the lists agree with the execution.
    prep = client.describe_processing_job(
        ProcessingJobName=steps["Prep"]["Metadata"]["ProcessingJob"]["Arn"].split("/")[-1]
    )
    assert prep["ProcessingJobStatus"] == "Completed"
    trained = client.list_training_jobs()["TrainingJobSummaries"]
    assert [t["TrainingJobArn"] for t in trained] == [
        steps["Train"]["Metadata"]["TrainingJob"]["Arn"]
    ]
    # The training step read the processing step's output location (a Get).
    train_input = client.describe_training_job(TrainingJobName=trained[0]["TrainingJobName"])
    source = train_input["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"]
    assert source == prep["ProcessingOutputConfig"]["Outputs"][0]["S3Output"]["S3Uri"]
    # Latest started first; every step started after what it depends on ended.
    listed = client.list_pipeline_execution_steps(PipelineExecutionArn=arn)
    names = [s["StepName"] for s in listed["PipelineExecutionSteps"]]
    assert names[-3:] == ["Evaluate", "Train", "Prep"]
    assert steps["Train"]["StartTime"] >= steps["Prep"]["EndTime"]
    assert described["PipelineExperimentConfig"] == {
        "ExperimentName": "churn-pipeline",
        "TrialName": arn.rsplit("/", 1)[-1],
    }


def test_parameters_defaults_overrides_and_join(world: tuple[Emulator, Any]) -> None:
    emulator, client = world
    parameters = [
        {"Name": "Word", "Type": "String", "DefaultValue": "hello"},
        {"Name": "Count", "Type": "Integer", "DefaultValue": 2},
        {"Name": "Rate", "Type": "Float", "DefaultValue": 0.5},
        {"Name": "Flag", "Type": "Boolean", "DefaultValue": False},
    ]
    message = {
        "Std:Join": {
            "On": "|",
            "Values": [
                {"Get": "Parameters.Word"},
                {"Get": "Parameters.Count"},
                {"Get": "Parameters.Rate"},
                {"Get": "Parameters.Flag"},
                {"Get": "Execution.PipelineExecutionId"},
            ],
        }
    }
    create(client, definition([fail("Say", message)], parameters))
    arn = run(
        emulator,
        client,
        PipelineParameters=[{"Name": "Count", "Value": "7"}, {"Name": "Flag", "Value": "true"}],
    )
    said = steps_of(client, arn)["Say"]["FailureReason"]
    assert said == f"hello|7|0.5|true|{arn.rsplit('/', 1)[-1]}"
    listed = client.list_pipeline_parameters_for_execution(PipelineExecutionArn=arn)
    assert {p["Name"]: p["Value"] for p in listed["PipelineParameters"]} == {
        "Word": "hello",
        "Count": "7",
        "Rate": "0.5",
        "Flag": "true",
    }
    text = client.describe_pipeline_definition_for_execution(PipelineExecutionArn=arn)
    assert json.loads(text["PipelineDefinition"])["Parameters"] == parameters


def _compare(kind: str, left: Any, right: Any) -> dict[str, Any]:
    return {"Type": kind, "LeftValue": left, "RightValue": right}


CONDITIONS = [
    (_compare("Equals", {"Get": "Parameters.N"}, 3), True),
    (_compare("Equals", {"Get": "Parameters.N"}, 4), False),
    (_compare("GreaterThan", {"Get": "Parameters.N"}, 2), True),
    (_compare("GreaterThan", {"Get": "Parameters.N"}, 3), False),
    (_compare("GreaterThanOrEqualTo", {"Get": "Parameters.N"}, 3), True),
    (_compare("LessThan", {"Get": "Parameters.N"}, 3), False),
    (_compare("LessThanOrEqualTo", {"Get": "Parameters.N"}, 3.0), True),
    ({"Type": "In", "QueryValue": {"Get": "Parameters.N"}, "Values": [1, 3]}, True),
    ({"Type": "In", "QueryValue": {"Get": "Parameters.N"}, "Values": [1, 2]}, False),
    ({"Type": "Not", "Condition": _compare("Equals", {"Get": "Parameters.N"}, 3)}, False),
    (
        {
            "Type": "Or",
            "Conditions": [
                _compare("Equals", {"Get": "Parameters.N"}, 1),
                _compare("Equals", {"Get": "Parameters.N"}, 3),
            ],
        },
        True,
    ),
]


@pytest.mark.parametrize(("test", "outcome"), CONDITIONS)
def test_every_condition_type(sm: Any, test: dict[str, Any], outcome: bool) -> None:
    parameters = [{"Name": "N", "Type": "Integer", "DefaultValue": 3}]
    create(sm, definition([condition([test], [], [fail()])], parameters))
    arn = run(sm.emulator, sm)
    status = sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"]
    assert status == ("Succeeded" if outcome else "Failed")
    assert steps_of(sm, arn)["Check"]["Metadata"]["Condition"]["Outcome"] == str(outcome)


def test_a_failed_step_stops_its_dependants(world: tuple[Emulator, Any]) -> None:
    emulator, client = world
    emulator.script_training(fail_at="Training", failure_reason="AlgorithmError: out of memory")
    client.create_model_package_group(ModelPackageGroupName="churn")
    create(client, full_pipeline())
    arn = run(emulator, client)
    steps = steps_of(client, arn)
    assert set(steps) == {"Prep", "Train"}
    assert steps["Train"]["StepStatus"] == "Failed"
    assert steps["Train"]["FailureReason"] == "AlgorithmError: out of memory"
    described = client.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert described["FailureReason"] == "Step failure: One or multiple steps failed."
    summary = client.list_pipeline_executions(PipelineName="churn-pipeline")[
        "PipelineExecutionSummaries"
    ][0]
    assert summary["PipelineExecutionStatus"] == "Failed"
    assert "Step failure" in summary["PipelineExecutionFailureReason"]


def test_retry_execution_reruns_only_what_failed(sm: Any) -> None:
    emulator = sm.emulator
    failures = iter([True])
    emulator.script_training(lambda request: next(failures, False), fail_at="Training")
    script_accuracy(emulator, 0.95)
    sm.create_model_package_group(ModelPackageGroupName="churn")
    create(sm, full_pipeline())
    arn = run(emulator, sm)
    first_prep = steps_of(sm, arn)["Prep"]["Metadata"]
    assert sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"] == (
        "Failed"
    )
    sm.retry_pipeline_execution(PipelineExecutionArn=arn)
    emulator.run_until_idle()
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert described["PipelineExecutionStatus"] == "Succeeded"
    assert "FailureReason" not in described
    steps = steps_of(sm, arn)
    assert steps["Prep"]["Metadata"] == first_prep  # kept, not run again
    assert len(sm.list_processing_jobs()["ProcessingJobSummaries"]) == 2  # Prep, Evaluate
    assert len(sm.list_training_jobs()["TrainingJobSummaries"]) == 2  # failed, then good
    conflict = error(sm.retry_pipeline_execution, PipelineExecutionArn=arn)
    assert conflict["Code"] == "ConflictException"


def test_retry_policies_cover_scripted_transient_failures(sm: Any) -> None:
    emulator = sm.emulator
    failures = iter([True, True])
    emulator.script_training(
        lambda request: next(failures, False),
        fail_at="Starting",
        failure_reason="InternalServerError: We encountered an internal error.",
    )
    policy = {
        "ExceptionType": ["SageMaker.JOB_INTERNAL_ERROR"],
        "IntervalSeconds": 10,
        "BackoffRate": 2.0,
        "MaxAttempts": 3,
    }
    create(sm, definition([training(data="s3://b/train/", RetryPolicies=[policy])]))
    arn = run(emulator, sm)
    train = steps_of(sm, arn)["Train"]
    assert train["StepStatus"] == "Succeeded"
    assert train["AttemptCount"] == 3
    jobs = sm.list_training_jobs(SortOrder="Ascending")["TrainingJobSummaries"]
    assert [j["TrainingJobStatus"] for j in jobs] == ["Failed", "Failed", "Completed"]
    # 10 s after the first failure, then 20 s after the second.
    first_end, second = jobs[0]["TrainingEndTime"], jobs[1]["CreationTime"]
    assert (second - first_end).total_seconds() == 10
    assert (jobs[2]["CreationTime"] - jobs[1]["TrainingEndTime"]).total_seconds() == 20


def test_parallelism_and_depends_on(sm: Any) -> None:
    emulator = sm.emulator
    steps = [
        training("A", data="s3://b/a/"),
        training("B", data="s3://b/b/"),
        training("C", data="s3://b/c/", DependsOn=["A"]),
    ]
    create(sm, definition(steps), ParallelismConfiguration={"MaxParallelExecutionSteps": 1})
    arn = run(emulator, sm)
    listed = steps_of(sm, arn)
    order = sorted(listed.values(), key=lambda s: s["StartTime"])
    assert [s["StepName"] for s in order] == ["A", "B", "C"]
    for earlier, later in itertools.pairwise(order):
        assert later["StartTime"] >= earlier["EndTime"]  # one at a time
    parallel = run(emulator, sm, ParallelismConfiguration={"MaxParallelExecutionSteps": 5})
    again = steps_of(sm, parallel)
    assert again["A"]["StartTime"] == again["B"]["StartTime"]
    assert again["C"]["StartTime"] >= again["A"]["EndTime"]


def test_stop_an_execution_stops_its_jobs(world: tuple[Emulator, Any]) -> None:
    emulator, client = world
    create(client, definition([training(data="s3://b/train/")]))
    arn = client.start_pipeline_execution(PipelineName="churn-pipeline")["PipelineExecutionArn"]
    emulator.advance(300)
    client.stop_pipeline_execution(PipelineExecutionArn=arn)
    assert (
        client.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"]
        == "Stopping"
    )
    assert steps_of(client, arn)["Train"]["StepStatus"] == "Stopping"
    emulator.run_until_idle()
    assert (
        client.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"]
        == "Stopped"
    )
    assert steps_of(client, arn)["Train"]["StepStatus"] == "Stopped"
    job = client.list_training_jobs()["TrainingJobSummaries"][0]
    assert job["TrainingJobStatus"] == "Stopped"
    assert error(client.stop_pipeline_execution, PipelineExecutionArn=arn)["Code"] == (
        "ConflictException"
    )


def test_callback_steps_wait_for_send_step_success_or_failure(world: tuple[Emulator, Any]) -> None:
    emulator, client = world
    callback = {
        "Name": "Approve",
        "Type": "Callback",
        "Arguments": {"Stage": "prod"},
        "SqsQueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q",
        "OutputParameters": [{"OutputName": "verdict", "OutputType": "String"}],
    }
    echo = fail("Echo", {"Get": "Steps.Approve.OutputParameters['verdict']"})
    create(client, definition([callback, echo]))
    arn = run(emulator, client)
    waiting = steps_of(client, arn)["Approve"]
    assert waiting["StepStatus"] == "Executing"
    token = waiting["Metadata"]["Callback"]["CallbackToken"]
    assert len(token) == 10
    answer = client.send_pipeline_execution_step_success(
        CallbackToken=token, OutputParameters=[{"Name": "verdict", "Value": "ship it"}]
    )
    assert answer["PipelineExecutionArn"] == arn
    emulator.run_until_idle()
    assert steps_of(client, arn)["Echo"]["FailureReason"] == "ship it"
    assert error(client.send_pipeline_execution_step_success, CallbackToken=token)["Code"] == (
        "ConflictException"
    )
    second = run(emulator, client)
    token = steps_of(client, second)["Approve"]["Metadata"]["Callback"]["CallbackToken"]
    client.send_pipeline_execution_step_failure(CallbackToken=token, FailureReason="rejected")
    assert steps_of(client, second)["Approve"]["FailureReason"] == "rejected"
    assert "Echo" not in steps_of(client, second)
    missing = error(client.send_pipeline_execution_step_success, CallbackToken="abcdefghij")
    assert missing["Code"] == "ResourceNotFound"


def test_lambda_steps_are_scripted_and_emr_steps_fail_with_a_reason(sm: Any) -> None:
    emulator = sm.emulator
    emulator.script_pipeline_step("Score", outputs={"score": "0.93"}, duration=30)
    lam = {
        "Name": "Score",
        "Type": "Lambda",
        "Arguments": {},
        "FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:score",
        "OutputParameters": [{"OutputName": "score", "OutputType": "String"}],
    }
    gate = _compare("GreaterThan", {"Get": "Steps.Score.OutputParameters['score']"}, 0.9)
    emr = step("Spark", "EMR", {"ClusterId": "j-1", "StepConfig": {}})
    create(
        sm,
        definition(
            [
                lam,
                step(
                    "Check", "Condition", {"Conditions": [gate], "IfSteps": [emr], "ElseSteps": []}
                ),
            ]
        ),
    )
    arn = run(emulator, sm)
    steps = steps_of(sm, arn)
    assert (steps["Score"]["EndTime"] - steps["Score"]["StartTime"]).total_seconds() == 30
    assert steps["Score"]["Metadata"]["Lambda"]["OutputParameters"] == [
        {"Name": "score", "Value": "0.93"}
    ]
    assert steps["Spark"]["StepStatus"] == "Failed"
    assert "does not run EMR steps" in steps["Spark"]["FailureReason"]


def test_cache_hits_reuse_an_earlier_executions_step(sm: Any) -> None:
    emulator = sm.emulator
    cached = training(data="s3://b/train/", CacheConfig={"Enabled": True, "ExpireAfter": "PT1H"})
    create(sm, definition([cached]))
    first = run(emulator, sm)
    second = run(emulator, sm)
    hit = steps_of(sm, second)["Train"]
    assert hit["StepStatus"] == "Succeeded"
    assert hit["CacheHitResult"] == {"SourcePipelineExecutionArn": first}
    assert hit["Metadata"] == steps_of(sm, first)["Train"]["Metadata"]
    assert len(sm.list_training_jobs()["TrainingJobSummaries"]) == 1
    emulator.advance(7200)  # past ExpireAfter: run again
    third = run(emulator, sm)
    assert "CacheHitResult" not in steps_of(sm, third)["Train"]
    assert len(sm.list_training_jobs()["TrainingJobSummaries"]) == 2


def test_selective_execution_reuses_unselected_steps(sm: Any) -> None:
    emulator = sm.emulator
    create(sm, definition([processing("Prep"), training()]))
    first = run(emulator, sm)
    second = run(
        emulator,
        sm,
        SelectiveExecutionConfig={
            "SourcePipelineExecutionArn": first,
            "SelectedSteps": [{"StepName": "Train"}],
        },
    )
    steps = steps_of(sm, second)
    assert steps["Prep"]["SelectiveExecutionResult"] == {"SourcePipelineExecutionArn": first}
    assert steps["Prep"]["Metadata"] == steps_of(sm, first)["Prep"]["Metadata"]
    assert steps["Train"]["StepStatus"] == "Succeeded"
    assert len(sm.list_processing_jobs()["ProcessingJobSummaries"]) == 1
    assert len(sm.list_training_jobs()["TrainingJobSummaries"]) == 2


def test_tuning_model_and_transform_steps(sm: Any) -> None:
    emulator = sm.emulator
    emulator.script_training(metrics=lambda hp: {"validation:loss": float(hp["learning_rate"])})
    tune_args = tuning_request(max_jobs=3, parallel=3, strategy="Random")
    del tune_args["HyperParameterTuningJobName"]
    best = "Steps.Tune.BestTrainingJob.TrainingJobName"
    artifact = {
        "Std:Join": {
            "On": "/",
            "Values": ["s3://bucket/tuning", {"Get": best}, "output/model.tar.gz"],
        }
    }
    model_args = model_request()
    del model_args["ModelName"]
    model_args["PrimaryContainer"]["ModelDataUrl"] = artifact
    transform_args = {
        "ModelName": {"Get": "Steps.Model.ModelName"},
        "TransformInput": {
            "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://b/batch/"}}
        },
        "TransformOutput": {"S3OutputPath": "s3://b/scored/"},
        "TransformResources": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1},
    }
    steps = [
        step("Tune", "Tuning", tune_args),
        step("Model", "Model", model_args),
        step("Score", "Transform", transform_args),
    ]
    create(sm, definition(steps))
    arn = run(emulator, sm)
    assert sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"] == (
        "Succeeded"
    ), steps_of(sm, arn)
    listed = steps_of(sm, arn)
    tuning = listed["Tune"]["Metadata"]["TuningJob"]["Arn"].split("/")[-1]
    best_job = sm.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=tuning)[
        "BestTrainingJob"
    ]["TrainingJobName"]
    model = sm.describe_model(ModelName=listed["Model"]["Metadata"]["Model"]["Arn"].split("/")[-1])
    assert best_job in model["PrimaryContainer"]["ModelDataUrl"]
    transform = sm.list_transform_jobs()["TransformJobSummaries"][0]
    assert listed["Score"]["Metadata"]["TransformJob"]["Arn"] == transform["TransformJobArn"]


def test_a_step_whose_job_is_refused_fails_with_the_services_message(sm: Any) -> None:
    transform = {
        "ModelName": "no-such-model",
        "TransformInput": {
            "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://b/batch/"}}
        },
        "TransformOutput": {"S3OutputPath": "s3://b/scored/"},
        "TransformResources": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1},
    }
    create(sm, definition([step("Score", "Transform", transform)]))
    arn = run(sm.emulator, sm)
    reason = steps_of(sm, arn)["Score"]["FailureReason"]
    assert reason.startswith("ValidationException: ") and "no-such-model" in reason


def test_a_missing_property_file_fails_the_step_reading_it(sm: Any) -> None:
    gate = {"Type": "GreaterThan", "LeftValue": accuracy(), "RightValue": 0.5}
    create(sm, definition([training(data="s3://b/t/"), evaluation(), condition([gate], [], [])]))
    arn = run(sm.emulator, sm)
    check = steps_of(sm, arn)["Check"]
    assert check["StepStatus"] == "Failed"
    assert "eval.json" in check["FailureReason"]


def test_snapshot_restore_mid_execution() -> None:
    emulator = Emulator()
    client = emulator.client()
    script_accuracy(emulator, 0.99)
    client.create_model_package_group(ModelPackageGroupName="churn")
    create(client, full_pipeline())
    arn = client.start_pipeline_execution(PipelineName="churn-pipeline")["PipelineExecutionArn"]
    emulator.advance(900)
    restored = Emulator.from_snapshot(json.loads(json.dumps(emulator.snapshot())))
    script_accuracy(restored, 0.99)  # scripts are not part of a snapshot
    restored.run_until_idle()
    again = restored.client()
    assert (
        again.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"]
        == "Succeeded"
    )
    assert "Register" in steps_of(again, arn)


def test_update_execution_and_missing_executions(world: tuple[Emulator, Any]) -> None:
    emulator, client = world
    create(client, definition([fail()]))
    arn = run(emulator, client)
    client.update_pipeline_execution(
        PipelineExecutionArn=arn,
        PipelineExecutionDisplayName="nightly",
        PipelineExecutionDescription="the nightly run",
    )
    described = client.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert described["PipelineExecutionDisplayName"] == "nightly"
    assert described["PipelineExecutionDescription"] == "the nightly run"
    missing = error(client.describe_pipeline_execution, PipelineExecutionArn=arn[:-1] + "0")
    assert missing["Code"] == "ResourceNotFound"
    assert ROLE  # the jobs' role (factories) differs from the pipeline's


def test_steps_start_when_what_they_wait_for_ends_even_across_one_long_advance(sm: Any) -> None:
    emulator = sm.emulator
    create(sm, definition([processing("Prep"), training()]))
    arn = sm.start_pipeline_execution(PipelineName="churn-pipeline")["PipelineExecutionArn"]
    emulator.advance(100_000)  # one jump over both steps
    steps = steps_of(sm, arn)
    assert steps["Train"]["StartTime"] == steps["Prep"]["EndTime"]
    job = sm.list_training_jobs()["TrainingJobSummaries"][0]
    assert job["CreationTime"] == steps["Prep"]["EndTime"]
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert described["LastModifiedTime"] == steps["Train"]["EndTime"]


# --- definitions stored in S3 ---------------------------------------------------------


def test_definitions_are_read_from_s3_by_location_and_version() -> None:
    moto = pytest.importorskip("moto")
    with moto.mock_aws(), mock_sagemaker():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="defs")
        s3.put_bucket_versioning(Bucket="defs", VersioningConfiguration={"Status": "Enabled"})
        first, second = full_pipeline(), definition([processing("Prep")])
        v1 = s3.put_object(Bucket="defs", Key="churn.json", Body=first.encode())["VersionId"]
        s3.put_object(Bucket="defs", Key="churn.json", Body=second.encode())
        sm = boto3.client("sagemaker", region_name="us-east-1")
        location = {"Bucket": "defs", "ObjectKey": "churn.json", "VersionId": v1}
        sm.create_pipeline(
            PipelineName="churn", PipelineDefinitionS3Location=location, RoleArn=PIPELINE_ROLE
        )
        assert sm.describe_pipeline(PipelineName="churn")["PipelineDefinition"] == first
        latest = {"Bucket": "defs", "ObjectKey": "churn.json"}  # no VersionId: the latest
        answer = sm.update_pipeline(PipelineName="churn", PipelineDefinitionS3Location=latest)
        assert answer["PipelineVersionId"] == 2
        assert sm.describe_pipeline(PipelineName="churn")["PipelineDefinition"] == second
        missing = error(
            sm.create_pipeline,
            PipelineName="other",
            PipelineDefinitionS3Location={"Bucket": "defs", "ObjectKey": "nothing.json"},
            RoleArn=PIPELINE_ROLE,
        )
        assert missing["Code"] == "ValidationException"
        assert "s3://defs/nothing.json" in missing["Message"], missing
        s3.put_object(Bucket="defs", Key="bad.json", Body=b"\xff{")
        unreadable = error(
            sm.update_pipeline,
            PipelineName="churn",
            PipelineDefinitionS3Location={"Bucket": "defs", "ObjectKey": "bad.json"},
        )
        assert unreadable["Message"].startswith("Unable to parse pipeline definition.")
        assert len(sm.list_pipeline_versions(PipelineName="churn")["PipelineVersionSummaries"]) == 2
        both = error(
            sm.update_pipeline,
            PipelineName="churn",
            PipelineDefinition=second,
            PipelineDefinitionS3Location=latest,
        )
        assert both["Code"] == "ValidationException"


def test_a_definition_in_s3_needs_an_s3_served_in_the_process(sm: Any) -> None:
    location = {"Bucket": "defs", "ObjectKey": "churn.json"}
    with pytest.raises(NotImplementedError, match="mock_aws"):
        sm.create_pipeline(
            PipelineName="churn", PipelineDefinitionS3Location=location, RoleArn=PIPELINE_ROLE
        )
    assert sm.list_pipelines()["PipelineSummaries"] == []
