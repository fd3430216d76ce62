"""Describe members AWS answers and clients read (docs/fidelity.md, "Describe members")."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import boto3
import factories
import pytest
from factories import training_request, tuning_request

import sagemaker_lite
from sagemaker_lite import mock_sagemaker
from sagemaker_lite.families.training.debugger import RULE_EVALUATION_SECONDS
from sagemaker_lite.surfaces.client import Client

ARTIFACT = "s3://bucket/output/job-1/output/model.tar.gz"
RULES_IMAGE = "503895931360.dkr.ecr.us-east-1.amazonaws.com/sagemaker-debugger-rules:latest"
RULE = {
    "RuleConfigurationName": "LossNotDecreasing",
    "RuleEvaluatorImage": RULES_IMAGE,
    "RuleParameters": {"rule_to_invoke": "LossNotDecreasing"},
}
PROFILER_RULE = {
    "RuleConfigurationName": "ProfilerReport-1645031653",
    "RuleEvaluatorImage": RULES_IMAGE,
    "RuleParameters": {"rule_to_invoke": "ProfilerReport"},
}


@pytest.fixture
def client() -> Client:
    return sagemaker_lite.client()


def describe(client: Client, name: str = "job-1") -> dict[str, Any]:
    return client.describe_training_job(TrainingJobName=name)


# --- training jobs -------------------------------------------------------------------


def test_model_artifacts_name_the_configured_location_in_every_status(client: Client) -> None:
    client.create_training_job(**training_request())
    seen = set()
    while True:
        job = describe(client)
        assert job["ModelArtifacts"] == {"S3ModelArtifacts": ARTIFACT}
        seen.add(job["SecondaryStatus"])
        if job["TrainingJobStatus"] == "Completed":
            break
        client.emulator.skip_to_next_event(client.world.get("training-job", "job-1"))  # type: ignore[arg-type]
    assert seen == {"Starting", "Downloading", "Training", "Uploading", "Completed"}


def test_kms_key_id_is_answered_empty_when_none_was_given(client: Client) -> None:
    client.create_training_job(**training_request())
    assert describe(client)["OutputDataConfig"] == {
        "S3OutputPath": "s3://bucket/output",
        "KmsKeyId": "",
    }
    client.create_training_job(
        **training_request("job-2", OutputDataConfig={"S3OutputPath": "s3://b/o", "KmsKeyId": "k"})
    )
    assert describe(client, "job-2")["OutputDataConfig"]["KmsKeyId"] == "k"


def test_channels_answer_their_default_compression_and_record_wrapper(client: Client) -> None:
    client.create_training_job(**training_request())
    (channel,) = describe(client)["InputDataConfig"]
    assert (channel["CompressionType"], channel["RecordWrapperType"]) == ("None", "None")


def test_training_time_is_at_least_one_second(client: Client) -> None:
    client.emulator.script_training(durations={"Downloading": 0, "Training": 0, "Uploading": 0.4})
    client.create_training_job(**training_request())
    client.emulator.run_until_idle()
    job = describe(client)
    assert job["TrainingJobStatus"] == "Completed"
    assert job["TrainingTimeInSeconds"] == job["BillableTimeInSeconds"] == 1


def rules_request(**extra: Any) -> dict[str, Any]:
    return training_request(
        DebugHookConfig={"S3OutputPath": "s3://bucket/debug"},
        DebugRuleConfigurations=[RULE],
        ProfilerConfig={
            "S3OutputPath": "s3://bucket/profile",
            "ProfilingIntervalInMilliseconds": 500,
        },
        ProfilerRuleConfigurations=[PROFILER_RULE],
        **extra,
    )


def test_rules_run_beside_the_job_and_conclude_after_it(client: Client) -> None:
    client.create_training_job(**rules_request())
    created = client.emulator.clock.now()
    job = describe(client)
    assert job["ProfilingStatus"] == "Enabled"
    (debug,) = job["DebugRuleEvaluationStatuses"]
    assert debug == {
        "RuleConfigurationName": "LossNotDecreasing",
        "RuleEvaluationStatus": "InProgress",
        "LastModifiedTime": created,
    }
    client.emulator.advance(200)  # training has started: the rule's processing job exists
    (debug,) = describe(client)["DebugRuleEvaluationStatuses"]
    assert debug["RuleEvaluationJobArn"].startswith(
        "arn:aws:sagemaker:us-east-1:123456789012:processing-job/job-1-lossnotdecreasing-"
    )
    client.emulator.run_until_idle()
    job = describe(client)
    assert job["TrainingJobStatus"] == "Completed"
    assert job["DebugRuleEvaluationStatuses"][0]["RuleEvaluationStatus"] == "InProgress"
    assert job["ProfilerRuleEvaluationStatuses"][0]["RuleEvaluationStatus"] == "InProgress"
    client.emulator.advance(RULE_EVALUATION_SECONDS)
    job = describe(client)
    concluded = job["TrainingEndTime"] + timedelta(seconds=RULE_EVALUATION_SECONDS)
    for member in ("DebugRuleEvaluationStatuses", "ProfilerRuleEvaluationStatuses"):
        (status,) = job[member]
        assert status["RuleEvaluationStatus"] == "NoIssuesFound"
        assert status["LastModifiedTime"] == concluded
    # The rules' conclusion is the job's last change, as real describes show.
    assert job["LastModifiedTime"] == concluded


@pytest.mark.parametrize("outcome", ["NoIssuesFound", "IssuesFound", "Error"])
def test_rule_outcomes_are_scriptable(client: Client, outcome: str) -> None:
    client.emulator.script_training(rule_outcomes={"LossNotDecreasing": outcome})
    client.create_training_job(**rules_request())
    client.emulator.run_until_idle()
    client.emulator.advance(RULE_EVALUATION_SECONDS)
    job = describe(client)
    (debug,) = job["DebugRuleEvaluationStatuses"]
    assert debug["RuleEvaluationStatus"] == outcome
    assert ("StatusDetails" in debug) == (outcome != "NoIssuesFound")
    if outcome == "IssuesFound":
        assert debug["StatusDetails"].startswith(
            "RuleEvaluationConditionMet: Evaluation of the rule LossNotDecreasing at step "
        )
    # Unnamed rules keep the default outcome.
    assert job["ProfilerRuleEvaluationStatuses"][0]["RuleEvaluationStatus"] == "NoIssuesFound"


def test_an_unknown_rule_outcome_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown rule outcome"):
        sagemaker_lite.client().emulator.script_training(rule_outcomes="Maybe")


def test_a_job_that_never_trained_ends_its_rules_in_error(client: Client) -> None:
    client.emulator.script_training(fail_at="Starting")
    client.create_training_job(**rules_request())
    client.emulator.run_until_idle()
    client.emulator.advance(RULE_EVALUATION_SECONDS)
    (debug,) = describe(client)["DebugRuleEvaluationStatuses"]
    assert debug["RuleEvaluationStatus"] == "Error"
    assert debug["StatusDetails"].startswith("ClientError: No debugging data was saved")
    assert "RuleEvaluationJobArn" not in debug


def test_a_disabled_profiler_is_reported_disabled(client: Client) -> None:
    client.create_training_job(**training_request(ProfilerConfig={"DisableProfiler": True}))
    assert describe(client)["ProfilingStatus"] == "Disabled"
    client.create_training_job(**training_request("job-2"))
    assert "ProfilingStatus" not in describe(client, "job-2")


# --- tuning jobs ------------------------------------------------------------------------


def test_tuning_definitions_carry_the_objective_hyperparameter(client: Client) -> None:
    client.create_hyper_parameter_tuning_job(**tuning_request())
    job = client.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName="tune-1")
    assert job["TrainingJobDefinition"]["StaticHyperParameters"] == {
        "epochs": "10",
        "_tuning_objective_metric": "validation:loss",
    }


def test_tuning_tags_are_added_to_every_training_job_it_launches(client: Client) -> None:
    tags = [{"Key": "project", "Value": "churn"}]
    client.create_hyper_parameter_tuning_job(**tuning_request(), Tags=tags)
    client.emulator.run_until_idle()
    children = client.list_training_jobs_for_hyper_parameter_tuning_job(
        HyperParameterTuningJobName="tune-1"
    )["TrainingJobSummaries"]
    assert len(children) == 6
    for child in children:
        assert client.list_tags(ResourceArn=child["TrainingJobArn"])["Tags"] == tags


# --- the SageMaker Python SDK reads them -------------------------------------------------

sagemaker = pytest.importorskip("sagemaker")
moto = pytest.importorskip("moto")
os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")


@pytest.fixture
def session() -> Iterator[Any]:
    with moto.mock_aws(), mock_sagemaker(sleep="global"):
        boto_session = boto3.Session(region_name="us-east-1")
        factories.seed_inputs(boto_session.client("s3"), "bucket")
        yield sagemaker.Session(boto_session=boto_session, default_bucket="bucket")


def test_sdk_attaches_to_a_training_job_and_reads_its_model_while_it_runs(session: Any) -> None:
    session.sagemaker_client.create_training_job(**training_request())
    attached = sagemaker.estimator.Estimator.attach("job-1", sagemaker_session=session)
    assert attached.output_kms_key == ""
    assert attached.model_data == ARTIFACT


def test_sdk_attaches_to_a_tuning_job(session: Any) -> None:
    # As the SDK creates it (it always sends the early-stopping type).
    request = tuning_request(TrainingJobEarlyStoppingType="Off")
    request["HyperParameterTuningJobConfig"]["ParameterRanges"]["CategoricalParameterRanges"] = []
    session.sagemaker_client.create_hyper_parameter_tuning_job(**request)
    tuner = sagemaker.tuner.HyperparameterTuner.attach("tune-1", sagemaker_session=session)
    assert tuner.objective_metric_name == "validation:loss"
    assert "_tuning_objective_metric" not in tuner.estimator.hyperparameters()


def test_sdk_tuner_made_jobs_attach_back(session: Any) -> None:
    # The SDK sends HyperParameterTuningResourceConfig and no MetricDefinitions for a
    # built-in image; its attach reads ResourceConfig and MetricDefinitions.
    estimator = sagemaker.estimator.Estimator(
        image_uri="683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
        role="arn:aws:iam::123456789012:role/SageMakerRole",
        instance_count=1,
        instance_type="ml.m5.xlarge",
        sagemaker_session=session,
        output_path="s3://bucket/out",
        hyperparameters={"num_round": "10"},
    )
    estimator.fit({"train": "s3://bucket/train"}, wait=False, logs=False)
    running = estimator.latest_training_job.name
    assert estimator.model_data == f"s3://bucket/out/{running}/output/model.tar.gz"
    tuner = sagemaker.tuner.HyperparameterTuner(
        estimator,
        "validation:rmse",
        {"eta": sagemaker.parameter.ContinuousParameter(0.01, 0.3)},
        max_jobs=2,
        max_parallel_jobs=1,
        objective_type="Minimize",
    )
    tuner.fit({"train": "s3://bucket/train"}, wait=True)
    attached = sagemaker.tuner.HyperparameterTuner.attach(
        tuner.latest_tuning_job.name, sagemaker_session=session
    )
    assert (attached.max_jobs, attached.estimator.instance_type) == (2, "ml.m5.xlarge")
    best = sagemaker.estimator.Estimator.attach(
        tuner.best_training_job(), sagemaker_session=session
    )
    assert best.instance_count == 1
    assert best.model_data.endswith(f"/{tuner.best_training_job()}/output/model.tar.gz")
