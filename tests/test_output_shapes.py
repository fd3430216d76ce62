"""Every response of every operation, in every job status, against botocore's output shapes.

The shapes come from the installed botocore (not the emulator's copy of the model),
and the walker here is independent of ``sagemaker_lite.contract.validation``: a response fails
on a missing required member, a member the shape does not have, a value of the wrong
type, or a value outside the shape's min/max/enum/pattern.  The scenario drives jobs of
every kind through every status they can reach (training: each secondary status,
failed at each phase, stopped before and during training, both time limits, warm pools
and rules; tuning: every status, several definitions, warm start; compilation: every
status and a model-package job), calling every operation at every step.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
from collections.abc import Callable, Iterator
from typing import Any

import botocore.session
import pytest
from botocore.model import Shape
from factories import (
    BOTOCORE_SCALAR_TYPES,
    compilation_request,
    endpoint_config_request,
    model_request,
    processing_request,
    training_request,
    transform_request,
    tuning_request,
)

import sagemaker_lite
from sagemaker_lite.contract.operations import OPERATIONS
from sagemaker_lite.contract.patterns import full_match
from sagemaker_lite.surfaces.client import Client

MODEL = botocore.session.get_session().get_service_model("sagemaker")


#: Container kinds: the Python type a value must have, and what its size counts.
_CONTAINERS: dict[str, tuple[type, str]] = {
    "structure": (dict, ""),
    "list": (list, "items"),
    "map": (dict, "entries"),
}


def shape_problems(shape: Any, value: Any, path: str = "") -> Iterator[str]:
    """What is wrong with ``value`` as an instance of ``shape`` (nothing when it fits)."""
    kind = shape.type_name
    where = path or "<root>"
    if kind in _CONTAINERS:
        expected, unit = _CONTAINERS[kind]
        if not isinstance(value, expected):
            yield f"{where}: expected a {kind}, got {type(value).__name__}"
            return
        if unit and isinstance(value, (list, dict)):
            yield from _bounds(shape, len(value), where, unit)
        yield from _inside(shape, kind, value, path)
        return
    types = BOTOCORE_SCALAR_TYPES[kind]
    if not isinstance(value, types) or (kind != "boolean" and isinstance(value, bool)):
        yield f"{where}: expected {kind}, got {type(value).__name__} {value!r}"
        return
    if isinstance(value, str):
        yield from _bounds(shape, len(value), where, "characters")
        enum = shape.enum
        if enum and value not in enum:
            yield f"{where}: {value!r} is not one of {enum}"
        pattern = shape.metadata.get("pattern")
        if pattern and not full_match(pattern, value) and not _exempt(path, value):
            yield f"{where}: {value!r} does not match {pattern}"
    elif kind in ("integer", "long", "float", "double"):
        yield from _bounds(shape, value, where, "")


#: Values AWS itself answers although the model's pattern (with Java's ``.``, which
#: stops at a line end) refuses them: rule StatusDetails end with "\n" in real
#: describes (aws/amazon-sagemaker-examples sagemaker-debugger notebooks).
_AWS_VALUES_BEYOND_PATTERN = ("StatusDetails",)


def _exempt(path: str, value: Any) -> bool:
    return path.rsplit(".", 1)[-1] in _AWS_VALUES_BEYOND_PATTERN and value.endswith("\n")


def _inside(shape: Any, kind: str, value: Any, path: str) -> Iterator[str]:
    """The problems of a container's members, items or entries."""
    if kind == "structure":
        for name in shape.required_members:
            if name not in value:
                yield f"{path or '<root>'}: required member {name} is missing"
        for name, item in value.items():
            if name not in shape.members:
                yield f"{path or '<root>'}: unknown member {name}"
            else:
                yield from shape_problems(shape.members[name], item, f"{path}.{name}".lstrip("."))
    elif kind == "list":
        for index, item in enumerate(value):
            yield from shape_problems(shape.member, item, f"{path}[{index}]")
    else:
        for key, item in value.items():
            yield from shape_problems(shape.key, key, f"{path}<key {key!r}>")
            yield from shape_problems(shape.value, item, f"{path}[{key!r}]")


def _bounds(shape: Shape, size: Any, where: str, unit: str) -> Iterator[str]:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and size < low:
        yield f"{where}: {size} {unit} is below the minimum {low}".replace("  ", " ")
    if high is not None and size > high:
        yield f"{where}: {size} {unit} is above the maximum {high}".replace("  ", " ")


# --- the walker itself ---------------------------------------------------------------


def problems_of(operation: str, response: dict[str, Any]) -> list[str]:
    body = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    output = MODEL.operation_model(operation).output_shape
    if output is None:
        return [] if not body else [f"{operation} has no output shape but answered {body}"]
    return list(shape_problems(output, body))


def test_the_walker_finds_each_kind_of_problem() -> None:
    good = {
        "TrainingJobName": "j",
        "TrainingJobArn": "arn:aws:sagemaker:us-east-1:123456789012:training-job/j",
        "ModelArtifacts": {"S3ModelArtifacts": "s3://b/k"},
        "TrainingJobStatus": "InProgress",
        "SecondaryStatus": "Starting",
        "StoppingCondition": {"MaxRuntimeInSeconds": 60},
        "CreationTime": _dt.datetime(2026, 1, 1, tzinfo=_dt.timezone.utc),
    }
    assert problems_of("DescribeTrainingJob", good) == []
    broken = {
        **{k: v for k, v in good.items() if k != "ModelArtifacts"},
        "Surprise": 1,
        "TrainingJobStatus": "Pondering",
        "TrainingTimeInSeconds": 0,
        "EnableNetworkIsolation": "no",
        "TrainingJobName": "bad_name",
    }
    found = "\n".join(problems_of("DescribeTrainingJob", broken))
    for expected in (
        "required member ModelArtifacts is missing",
        "unknown member Surprise",
        "'Pondering' is not one of",
        "TrainingTimeInSeconds: 0  is below the minimum 1",
        "EnableNetworkIsolation: expected boolean",
        "'bad_name' does not match",
    ):
        assert expected.replace("  ", " ") in found


# --- the scenario ----------------------------------------------------------------------


class Recorder:
    """A client whose every answer is kept, by operation."""

    def __init__(self) -> None:
        self.client = sagemaker_lite.client()
        self.answers: dict[str, list[dict[str, Any]]] = {}
        self.statuses: set[tuple[str, str]] = set()
        original: Callable[..., dict[str, Any]] = self.client.call

        def call(operation: str, params: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            response = original(operation, params, **kwargs)
            self.answers.setdefault(operation, []).append(response)
            for member in ("TrainingJobStatus", "SecondaryStatus"):
                if operation == "DescribeTrainingJob":
                    self.statuses.add(("training", response[member]))
            if operation == "DescribeHyperParameterTuningJob":
                self.statuses.add(("tuning", response["HyperParameterTuningJobStatus"]))
            if operation == "DescribeCompilationJob":
                self.statuses.add(("compilation", response["CompilationJobStatus"]))
            if operation == "DescribeProcessingJob":
                self.statuses.add(("processing", response["ProcessingJobStatus"]))
            if operation == "DescribeTransformJob":
                self.statuses.add(("transform", response["TransformJobStatus"]))
            if operation == "DescribeEndpoint":
                self.statuses.add(("endpoint", response["EndpointStatus"]))
            return response

        setattr(self.client, "call", call)  # noqa: B010 - an instance attribute, not the method


RULES_IMAGE = "503895931360.dkr.ecr.us-east-1.amazonaws.com/sagemaker-debugger-rules:latest"


def _rich_training(name: str) -> dict[str, Any]:
    """A training request using most optional members the describe echoes."""
    return training_request(
        name,
        EnableManagedSpotTraining=True,
        StoppingCondition={"MaxRuntimeInSeconds": 3600, "MaxWaitTimeInSeconds": 7200},
        CheckpointConfig={"S3Uri": "s3://bucket/checkpoints"},
        VpcConfig={"SecurityGroupIds": ["sg-12345678"], "Subnets": ["subnet-1234abcd"]},
        Environment={"MODE": "test"},
        DebugHookConfig={"S3OutputPath": "s3://bucket/debug"},
        DebugRuleConfigurations=[
            {
                "RuleConfigurationName": "LossNotDecreasing",
                "RuleEvaluatorImage": RULES_IMAGE,
                "RuleParameters": {"rule_to_invoke": "LossNotDecreasing"},
            }
        ],
        ProfilerConfig={"S3OutputPath": "s3://bucket/profile"},
        ProfilerRuleConfigurations=[
            {"RuleConfigurationName": "ProfilerReport", "RuleEvaluatorImage": RULES_IMAGE}
        ],
        TensorBoardOutputConfig={"S3OutputPath": "s3://bucket/tb"},
        RetryStrategy={"MaximumRetryAttempts": 2},
        Tags=[{"Key": "team", "Value": "ml"}],
    )


def _describe_everything(recorder: Recorder) -> None:
    sm = recorder.client
    for job in list(sm.emulator.jobs()):
        if job.kind == "training-job":
            sm.describe_training_job(TrainingJobName=job.name)
        elif job.kind == "hyper-parameter-tuning-job":
            sm.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=job.name)
            sm.list_training_jobs_for_hyper_parameter_tuning_job(
                HyperParameterTuningJobName=job.name
            )
        elif job.kind == "compilation-job":
            sm.describe_compilation_job(CompilationJobName=job.name)
        elif job.kind == "model":
            sm.describe_model(ModelName=job.name)
        elif job.kind == "processing-job":
            sm.describe_processing_job(ProcessingJobName=job.name)
        elif job.kind == "transform-job":
            sm.describe_transform_job(TransformJobName=job.name)
        sm.list_tags(ResourceArn=job.arn)
    sm.list_training_jobs(MaxResults=100)
    sm.list_hyper_parameter_tuning_jobs(MaxResults=100)
    sm.list_compilation_jobs(MaxResults=100)
    sm.list_models(MaxResults=100)
    sm.list_processing_jobs(MaxResults=100)
    sm.list_transform_jobs(MaxResults=100)


def _models_processing_transform(sm: Any) -> None:
    """Models (one an inference pipeline), processing and transform jobs of every outcome."""
    emulator = sm.emulator
    emulator.script_processing("proc-fails", exit_message="ValueError: bad row")
    emulator.script_processing("proc-fails", failure_reason="AlgorithmError: See job logs")
    emulator.script_transform("transform-fails", fail_at="Starting")
    sm.create_model(**model_request("Model-1", Tags=[{"Key": "team", "Value": "ml"}]))
    pipeline = model_request("pipeline", EnableNetworkIsolation=True,
                             VpcConfig={"SecurityGroupIds": ["sg-12345678"],
                                        "Subnets": ["subnet-1234abcd"]})  # fmt: skip
    pipeline["Containers"] = [pipeline.pop("PrimaryContainer"), {"Image": "prep:1"}]
    sm.create_model(**pipeline)
    sm.create_model(**model_request("doomed"))
    rich = processing_request(
        "Proc-Ok",
        Environment={"MODE": "test"},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
        NetworkConfig={"EnableNetworkIsolation": True},
        ExperimentConfig={"ExperimentName": "exp", "TrialName": "trial"},
        Tags=[{"Key": "team", "Value": "ml"}],
    )
    sm.create_processing_job(**rich)
    for name in ("proc-fails", "proc-stop"):
        sm.create_processing_job(**processing_request(name))
    sm.create_processing_job(
        **processing_request("proc-limit", StoppingCondition={"MaxRuntimeInSeconds": 60})
    )
    sm.create_transform_job(
        **transform_request(
            "Transform-Ok",
            model="model-1",
            BatchStrategy="MultiRecord",
            MaxPayloadInMB=10,
            MaxConcurrentTransforms=4,
            Environment={"MODE": "test"},
            ModelClientConfig={"InvocationsTimeoutInSeconds": 600},
            DataProcessing={"InputFilter": "$[1:]", "JoinSource": "Input"},
        )
    )
    for name in ("transform-fails", "transform-stop"):
        sm.create_transform_job(**transform_request(name, model="pipeline"))


def _endpoints(sm: Any) -> None:
    """Endpoint configs and endpoints through every status (a rich config: serverless,
    shadow, capture, async), described at each step."""
    emulator = sm.emulator
    emulator.script_endpoint("ep-fails", failure_reason="ClientError: bad image")
    emulator.script_endpoint("ep-rollback", fail_at="Updating")
    emulator.script_endpoint("ep-system", durations={"SystemUpdating": 60})
    sm.create_model(**model_request("ep-model"))
    sm.create_model(**model_request("ep-model-2"))
    rich = endpoint_config_request(
        "Config-Rich",
        model="ep-model",
        ShadowProductionVariants=[
            {"VariantName": "shadow", "ModelName": "ep-model-2", "InstanceType": "ml.m5.large",
             "InitialInstanceCount": 1, "InitialVariantWeight": 0.5}
        ],
        DataCaptureConfig={"InitialSamplingPercentage": 50, "DestinationS3Uri": "s3://b/capture",
                           "CaptureOptions": [{"CaptureMode": "Input"}]},
        AsyncInferenceConfig={"OutputConfig": {"S3OutputPath": "s3://b/async"}},
        Tags=[{"Key": "team", "Value": "ml"}],
    )  # fmt: skip
    sm.create_endpoint_config(**rich)
    serverless = endpoint_config_request("config-serverless", model="ep-model-2")
    serverless["ProductionVariants"] = [
        {"VariantName": "sl", "ModelName": "ep-model-2",
         "ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 5}}
    ]  # fmt: skip
    sm.create_endpoint_config(**serverless)
    deployment = {"BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": {
        "Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 0}}}  # fmt: skip
    for name in ("ep-ok", "ep-fails", "ep-rollback", "ep-system"):
        sm.create_endpoint(EndpointName=name, EndpointConfigName="Config-Rich",
                           DeploymentConfig=deployment)  # fmt: skip
    names = ("ep-ok", "ep-fails", "ep-rollback", "ep-system")

    def look() -> None:
        for name in names:
            with contextlib.suppress(Exception):
                sm.describe_endpoint(EndpointName=name)
        sm.list_endpoints(StatusEquals="InService")
        sm.list_endpoint_configs(SortBy="Name")

    look()
    emulator.advance(301)
    look()
    sm.update_endpoint(EndpointName="ep-ok", EndpointConfigName="config-serverless")
    sm.update_endpoint(EndpointName="ep-rollback", EndpointConfigName="config-serverless",
                       RetainAllVariantProperties=True)  # fmt: skip
    look()
    emulator.advance(301)
    look()
    sm.update_endpoint_weights_and_capacities(
        EndpointName="ep-ok",
        DesiredWeightsAndCapacities=[
            {"VariantName": "sl", "DesiredWeight": 2.0,
             "ServerlessUpdateConfig": {"MaxConcurrency": 9}}
        ],
    )  # fmt: skip
    look()
    emulator.advance(601)
    look()
    sm.describe_endpoint_config(EndpointConfigName="config-rich")
    sm.list_tags(ResourceArn=sm.describe_endpoint_config(EndpointConfigName="Config-Rich")[
        "EndpointConfigArn"])  # fmt: skip
    sm.list_monitoring_schedules(EndpointName="ep-ok")
    sm.delete_endpoint(EndpointName="ep-fails")
    look()
    emulator.advance(60)
    sm.delete_endpoint_config(EndpointConfigName="config-serverless")


def _registry(sm: Any) -> None:
    """Model package groups, versions of every approval, an unversioned package, a model
    made from a version, updates, Search, and deletes (each registry operation)."""
    spec = {
        "Containers": [{"Image": "img:1", "ModelDataUrl": "s3://bucket/model.tar.gz"}],
        "SupportedContentTypes": ["text/csv"],
        "SupportedResponseMIMETypes": ["text/csv"],
    }
    sm.create_model_package_group(
        ModelPackageGroupName="Churn",
        ModelPackageGroupDescription="churn models",
        Tags=[{"Key": "team", "Value": "ml"}],
    )
    sm.create_model_package_group(ModelPackageGroupName="empty")
    arns = [
        sm.create_model_package(
            ModelPackageGroupName="Churn",
            InferenceSpecification=spec,
            ModelPackageDescription="a version",
            CustomerMetadataProperties={"k": "v"},
            **({"ModelApprovalStatus": status} if status else {}),
        )["ModelPackageArn"]
        for status in ("Approved", "Rejected", None)
    ]
    sm.create_model_package(ModelPackageName="solo", InferenceSpecification=spec)
    from_registry = {"ModelPackageName": arns[0]}
    sm.create_model(**model_request("from-registry", PrimaryContainer=from_registry))

    def read() -> None:
        sm.describe_model_package_group(ModelPackageGroupName="Churn")
        for arn in arns:
            sm.describe_model_package(ModelPackageName=arn)
        sm.describe_model_package(ModelPackageName="solo")
        sm.list_model_package_groups()
        sm.list_model_packages(ModelPackageGroupName="Churn")
        sm.list_model_packages(ModelPackageType="Both", MaxResults=2)
        sm.batch_describe_model_package(ModelPackageArnList=[*arns, arns[0][:-1] + "9"])
        for resource in ("ModelPackageGroup", "ModelPackage", "TrainingJob"):
            sm.search(Resource=resource, MaxResults=5)

    read()
    sm.update_model_package(
        ModelPackageArn=arns[2], ModelApprovalStatus="Approved", ApprovalDescription="ok"
    )
    sm.emulator.advance(2)
    read()
    sm.emulator.advance(2)
    read()
    sm.delete_model_package(ModelPackageName="solo")
    sm.delete_model_package_group(ModelPackageGroupName="empty")


def _pipelines(sm: Any) -> None:
    """A pipeline of every step type the executor runs, executions that succeed, fail,
    stop, retry and reuse (each pipelines operation, each step status)."""
    from test_pipelines import (
        definition,
        evaluation,
        fail,
        full_pipeline,
        processing,
        script_accuracy,
        step,
        training,
    )

    emulator = sm.emulator
    script_accuracy(emulator, 0.9)
    role = "arn:aws:iam::123456789012:role/PipelineRole"
    callback = {"Name": "Wait", "Type": "Callback", "Arguments": {}, "SqsQueueUrl": "q",
                "OutputParameters": [{"OutputName": "v", "OutputType": "String"}]}  # fmt: skip
    lam = {"Name": "Lam", "Type": "Lambda", "Arguments": {}, "FunctionArn": "arn:f",
           "OutputParameters": [{"OutputName": "o", "OutputType": "String"}]}  # fmt: skip
    check = processing("QC")
    check.update(Type="QualityCheck", CheckType="DATA_QUALITY", ModelPackageGroupName="churn",
                 SkipCheck=False, RegisterNewBaseline=False)  # fmt: skip
    sm.create_pipeline(PipelineName="Churn", PipelineDefinition=full_pipeline(), RoleArn=role,
                       PipelineDescription="d", Tags=[{"Key": "k", "Value": "v"}])  # fmt: skip
    steps = [callback, lam, check, step("Spark", "EMR", {}), fail("Stop", "no")]
    sm.create_pipeline(PipelineName="kinds", PipelineDefinition=definition(steps), RoleArn=role)
    cached = training(data="s3://b/t/", CacheConfig={"Enabled": True, "ExpireAfter": "P1D"})
    sm.create_pipeline(PipelineName="cached", PipelineDefinition=definition([cached, evaluation()]),
                       RoleArn=role)  # fmt: skip
    sm.update_pipeline(PipelineName="Churn", PipelineDefinition=full_pipeline(),
                       ParallelismConfiguration={"MaxParallelExecutionSteps": 2})  # fmt: skip
    runs = [
        sm.start_pipeline_execution(PipelineName=name, **extra)["PipelineExecutionArn"]
        for name, extra in [
            ("Churn", {"PipelineParameters": [{"Name": "Threshold", "Value": "0.5"}]}),
            ("Churn", {"PipelineExecutionDescription": "weak",
                       "PipelineParameters": [{"Name": "Threshold", "Value": "0.99"}]}),
            ("Churn", {}),
            ("kinds", {}),
            ("cached", {}),
        ]
    ]  # fmt: skip

    def read() -> None:
        for name in ("Churn", "kinds", "cached"):
            sm.describe_pipeline(PipelineName=name)
            sm.list_pipeline_versions(PipelineName=name)
            sm.list_pipeline_executions(PipelineName=name)
        sm.list_pipelines()
        for arn in runs:
            sm.describe_pipeline_execution(PipelineExecutionArn=arn)
            sm.list_pipeline_execution_steps(PipelineExecutionArn=arn)
            sm.list_pipeline_parameters_for_execution(PipelineExecutionArn=arn)
            sm.describe_pipeline_definition_for_execution(PipelineExecutionArn=arn)

    read()
    emulator.advance(120)
    sm.stop_pipeline_execution(PipelineExecutionArn=runs[2])
    read()
    steps_now = sm.list_pipeline_execution_steps(PipelineExecutionArn=runs[3])
    token = next(
        s["Metadata"]["Callback"]["CallbackToken"]
        for s in steps_now["PipelineExecutionSteps"]
        if s["StepName"] == "Wait"
    )
    sm.send_pipeline_execution_step_failure(CallbackToken=token, FailureReason="no")
    emulator.advance(7200)
    read()
    sm.update_pipeline_execution(PipelineExecutionArn=runs[1], PipelineExecutionDisplayName="x")
    sm.retry_pipeline_execution(PipelineExecutionArn=runs[1])
    runs.append(sm.start_pipeline_execution(PipelineName="cached")["PipelineExecutionArn"])
    runs.append(
        sm.start_pipeline_execution(
            PipelineName="Churn",
            SelectiveExecutionConfig={"SourcePipelineExecutionArn": runs[0],
                                      "SelectedSteps": [{"StepName": "Evaluate"}]},
        )["PipelineExecutionArn"]
    )  # fmt: skip
    read()
    emulator.advance(7200)
    read()
    sm.start_pipeline_execution(PipelineName="kinds")
    emulator.advance(10)
    answer = sm.list_pipeline_executions(PipelineName="kinds")["PipelineExecutionSummaries"][0]
    steps_now = sm.list_pipeline_execution_steps(
        PipelineExecutionArn=answer["PipelineExecutionArn"]
    )
    token = next(
        s["Metadata"]["Callback"]["CallbackToken"]
        for s in steps_now["PipelineExecutionSteps"]
        if s["StepName"] == "Wait"
    )
    outputs = [{"Name": "v", "Value": "1"}]
    sm.send_pipeline_execution_step_success(CallbackToken=token, OutputParameters=outputs)
    read()
    sm.delete_pipeline(PipelineName="cached")


def run_scenario() -> Recorder:
    recorder = Recorder()
    sm = recorder.client
    emulator = sm.emulator
    emulator.script_training("fail-starting", fail_at="Starting")
    emulator.script_training("fail-downloading", fail_at="Downloading")
    emulator.script_training("fail-training", fail_at="Training", rule_outcomes="IssuesFound")
    emulator.script_training("fail-uploading", fail_at="Uploading", rule_outcomes="Error")
    emulator.script_training("over-time", durations={"Training": 7000})
    emulator.script_training("over-wait", durations={"Starting": 8000})
    emulator.script_compilation("compile-fails", fail_at="INPROGRESS")

    sm.create_training_job(**_rich_training("Rich-Job"))
    sm.create_training_job(**training_request("plain"))
    sm.create_training_job(**training_request("pipe", AlgorithmSpecification={
        "TrainingImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/a:1",
        "TrainingInputMode": "Pipe",
    }))  # fmt: skip
    for name in ("fail-starting", "fail-downloading", "fail-training", "fail-uploading"):
        sm.create_training_job(**_rich_training(name))
    sm.create_training_job(
        **training_request("over-time", StoppingCondition={"MaxRuntimeInSeconds": 3600})
    )
    sm.create_training_job(**_rich_training("over-wait"))
    sm.create_training_job(**training_request("stop-early"))
    sm.create_training_job(**training_request("stop-late"))
    warm = training_request("warm")
    warm["ResourceConfig"]["KeepAlivePeriodInSeconds"] = 600
    sm.create_training_job(**warm)

    sm.create_hyper_parameter_tuning_job(**tuning_request("Tune-Done", max_jobs=3))
    sm.create_hyper_parameter_tuning_job(**tuning_request("tune-stop", max_jobs=4))
    multi = tuning_request("tune-multi", max_jobs=4)
    config = multi["HyperParameterTuningJobConfig"]
    objective, ranges = (
        config.pop("HyperParameterTuningJobObjective"),
        config.pop("ParameterRanges"),
    )
    body = multi.pop("TrainingJobDefinition")
    multi["TrainingJobDefinitions"] = [
        {**body, "DefinitionName": f"def-{i}", "TuningObjective": objective,
         "HyperParameterRanges": ranges}
        for i in range(2)
    ]  # fmt: skip
    sm.create_hyper_parameter_tuning_job(**multi)
    emulator.script_training(lambda req: req["TrainingJobName"].startswith("tune-fail"),
                             fail_at="Training")  # fmt: skip
    sm.create_hyper_parameter_tuning_job(**tuning_request("tune-fail", max_jobs=6, parallel=6))

    sm.create_compilation_job(**compilation_request("Compile-Ok"))
    sm.create_compilation_job(**compilation_request("compile-fails"))
    sm.create_compilation_job(**compilation_request("compile-stop"))
    sm.create_compilation_job(
        **compilation_request(
            "compile-package",
            InputConfig=None,
            ModelPackageVersionArn="arn:aws:sagemaker:us-east-1:123456789012:model-package/pkg/1",
        )
    )
    android_nvidia = {"Os": "ANDROID", "Arch": "ARM64", "Accelerator": "NVIDIA"}
    sm.create_compilation_job(
        **compilation_request(
            "compile-platform",
            **{"OutputConfig.TargetDevice": None, "OutputConfig.TargetPlatform": android_nvidia},
        )
    )

    _models_processing_transform(sm)
    _registry(sm)

    _describe_everything(recorder)
    emulator.advance(60)
    sm.stop_processing_job(ProcessingJobName="proc-stop")
    sm.stop_transform_job(TransformJobName="transform-stop")
    sm.stop_training_job(TrainingJobName="stop-early")
    sm.stop_compilation_job(CompilationJobName="compile-stop")
    sm.add_tags(ResourceArn=sm.describe_training_job(TrainingJobName="plain")["TrainingJobArn"],
                Tags=[{"Key": "k", "Value": "v"}])  # fmt: skip
    sm.update_training_job(TrainingJobName="warm", ResourceConfig={"KeepAlivePeriodInSeconds": 900})
    sm.update_training_job(TrainingJobName="plain")
    _describe_everything(recorder)
    stopped_late = stopped_tuning = False
    for _ in range(2000):  # step through every scheduled event, observing after each
        due = emulator.scheduler.next_time()
        if due is None:
            break
        emulator.clock.set(max(due, emulator.now()))
        emulator.run_due()
        if (
            not stopped_late
            and sm.describe_training_job(TrainingJobName="stop-late")["SecondaryStatus"]
            == "Training"
        ):
            sm.stop_training_job(TrainingJobName="stop-late")
            stopped_late = True
        if not stopped_tuning and emulator.now() > 400:
            sm.stop_hyper_parameter_tuning_job(HyperParameterTuningJobName="tune-stop")
            stopped_tuning = True
        _describe_everything(recorder)
    emulator.advance(3600)  # rules conclude, warm pools expire
    _describe_everything(recorder)
    sm.delete_tags(ResourceArn=sm.describe_training_job(TrainingJobName="plain")["TrainingJobArn"],
                   TagKeys=["k"])  # fmt: skip
    sm.delete_training_job(TrainingJobName="plain")
    sm.delete_compilation_job(CompilationJobName="Compile-Ok")
    sm.delete_hyper_parameter_tuning_job(HyperParameterTuningJobName="Tune-Done")
    sm.delete_model(ModelName="doomed")
    _endpoints(sm)
    _pipelines(sm)  # last: it moves the clock hours on
    return recorder


@pytest.fixture(scope="module")
def recorder() -> Recorder:
    return run_scenario()


def test_the_scenario_reaches_every_status(recorder: Recorder) -> None:
    from sagemaker_lite.engine.lifecycle import (
        COMPILATION,
        ENDPOINT,
        PROCESSING,
        TRAINING,
        TRANSFORM,
        TUNING,
    )

    expected = {("training", s) for state in TRAINING.legal_states() for s in state if s}
    expected |= {("tuning", s) for s, _ in TUNING.legal_states()}
    expected |= {("compilation", s) for s, _ in COMPILATION.legal_states()}
    expected |= {("processing", s) for s, _ in PROCESSING.legal_states()}
    expected |= {("transform", s) for s, _ in TRANSFORM.legal_states()}
    # Deleted is never shown: the endpoint is gone by then.
    expected |= {("endpoint", s) for s, _ in ENDPOINT.legal_states() if s != "Deleted"}
    assert expected - recorder.statuses == set()


def test_the_scenario_calls_every_operation_botocore_knows(recorder: Recorder) -> None:
    known = {name for name in OPERATIONS if name in MODEL.operation_names}
    assert known - set(recorder.answers) == set()


@pytest.mark.parametrize("operation", sorted(n for n in OPERATIONS if n in MODEL.operation_names))
def test_every_response_fits_botocores_output_shape(recorder: Recorder, operation: str) -> None:
    found: list[str] = []
    for response in recorder.answers.get(operation, []):
        found.extend(problems_of(operation, response))
    assert found == [], "\n".join(sorted(set(found))[:30])


def test_a_client_is_a_recorder_target() -> None:
    assert isinstance(Recorder().client, Client)
