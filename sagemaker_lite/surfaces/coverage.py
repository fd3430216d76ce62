"""Generates ``docs/coverage.md``: every operation and every request field, and what we do with it.

Each top-level request member of each operation is

* **enforced** when the constraint model gives it checks (``required``,
  length, range, ``pattern``, ``enum``, anywhere inside it) or a semantic rule
  of the families' `rules` modules reads it;
* **simulated** when it drives behaviour (the hand-kept :data:`SIMULATED`
  table below says how);
* **echoed** when the matching Describe answers it back as stored.

The sagemaker-runtime operations the mock serves get a section of their own, from
botocore's sagemaker-runtime model (the one :mod:`.runtime` checks requests against)
and the hand-kept :data:`RUNTIME_SIMULATED` table.

Regenerate with ``python -m sagemaker_lite.surfaces.coverage > docs/coverage.md``;
``tests/test_docs.py`` fails when the page is out of date.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sagemaker_lite.contract.operations import OPERATIONS
from sagemaker_lite.contract.spec import load_model

#: What a field drives, per (operation, member).  Kept by hand: it describes services/*.py.
SIMULATED: dict[tuple[str, str], str] = {
    ("CreateTrainingJob", "TrainingJobName"): "the job's name and ARN; unique per account/region",
    ("CreateTrainingJob", "HyperParameters"): "default metrics are a function of them; "
    "scripted metrics and logs receive them",
    ("CreateTrainingJob", "AlgorithmSpecification"): "`TrainingInputMode` (with channel modes) "
    "decides the Downloading phase; `MetricDefinitions` name the metrics reported and parse "
    "scripted log lines",
    ("CreateTrainingJob", "InputDataConfig"): "a channel in `File` mode adds the Downloading "
    "phase; `Pipe`/`FastFile` channels skip it; with S3 served, prefixes are looked up at "
    "create and manifests (and what they list) as the job downloads",
    ("CreateTrainingJob", "OutputDataConfig"): "`S3OutputPath` gives `ModelArtifacts`",
    ("CreateTrainingJob", "ResourceConfig"): "`KeepAlivePeriodInSeconds` keeps a warm pool "
    "(`WarmPoolStatus`)",
    ("CreateTrainingJob", "StoppingCondition"): "`MaxRuntimeInSeconds` stops the job "
    "(`MaxRuntimeExceeded`); `MaxWaitTimeInSeconds` stops a spot job (`MaxWaitTimeExceeded`)",
    ("CreateTrainingJob", "Tags"): "stored; `ListTags` answers them",
    ("CreateTrainingJob", "EnableManagedSpotTraining"): "`BillableTimeInSeconds` below "
    "`TrainingTimeInSeconds`; allows `MaxWaitTimeInSeconds`",
    ("DescribeTrainingJob", "TrainingJobName"): "lookup (case-insensitive)",
    ("StopTrainingJob", "TrainingJobName"): "Stopping now, Stopped 30 s later",
    ("UpdateTrainingJob", "TrainingJobName"): "lookup",
    ("UpdateTrainingJob", "ProfilerConfig"): "merged into the stored configuration",
    ("UpdateTrainingJob", "ProfilerRuleConfigurations"): "appended to the stored rules",
    ("UpdateTrainingJob", "ResourceConfig"): "`KeepAlivePeriodInSeconds` extends the warm pool",
    ("UpdateTrainingJob", "RemoteDebugConfig"): "replaces the stored configuration",
    ("DeleteTrainingJob", "TrainingJobName"): "removes a terminal job",
    ("CreateHyperParameterTuningJob", "HyperParameterTuningJobName"): "the job's name, ARN "
    "and its children's names",
    ("CreateHyperParameterTuningJob", "HyperParameterTuningJobConfig"): "`Strategy` "
    "(Bayesian, Random, Grid, Hyperband) and `StrategyConfig` run a real search over "
    "`ParameterRanges`; `ResourceLimits` cap children, parallelism and runtime; the objective "
    "picks the best job; `TrainingJobEarlyStoppingType`, `TuningJobCompletionCriteria` and "
    "`RandomSeed` are applied",
    ("CreateHyperParameterTuningJob", "TrainingJobDefinition"): "every child training job "
    "is created from it and follows its own plan",
    ("CreateHyperParameterTuningJob", "TrainingJobDefinitions"): "children alternate over "
    "the definitions",
    ("CreateHyperParameterTuningJob", "WarmStartConfig"): "the parents' finished children "
    "seed the search; `OverallBestTrainingJob`",
    ("CreateHyperParameterTuningJob", "Tags"): "stored; `ListTags` answers them",
    ("DescribeHyperParameterTuningJob", "HyperParameterTuningJobName"): "lookup",
    ("StopHyperParameterTuningJob", "HyperParameterTuningJobName"): "stops the job and its "
    "running children",
    ("DeleteHyperParameterTuningJob", "HyperParameterTuningJobName"): "removes a terminal job",
    ("ListTrainingJobsForHyperParameterTuningJob", "HyperParameterTuningJobName"): "lookup",
    ("DescribeTuningJob", "TuningJobName"): "lookup (the early API's view of a tuning job)",
    ("CreateCompilationJob", "CompilationJobName"): "the job's name and ARN",
    ("CreateCompilationJob", "InputConfig"): "`Framework` and the target give the artifact "
    "name and inference image",
    ("CreateCompilationJob", "OutputConfig"): "`S3OutputLocation` and the target give "
    "`ModelArtifacts`, digest and inference image",
    ("CreateCompilationJob", "StoppingCondition"): "`MaxRuntimeInSeconds` (default 900) "
    "fails a longer compilation with a TimeOut error",
    ("CreateCompilationJob", "Tags"): "stored; `ListTags` answers them",
    ("DescribeCompilationJob", "CompilationJobName"): "lookup",
    ("StopCompilationJob", "CompilationJobName"): "STOPPING now, STOPPED 30 s later",
    ("DeleteCompilationJob", "CompilationJobName"): "removes a terminal job",
    ("CreateModel", "ModelName"): "the model's name and ARN; unique per account/region",
    ("CreateModel", "Tags"): "stored; `ListTags` answers them",
    ("DescribeModel", "ModelName"): "lookup",
    ("DeleteModel", "ModelName"): "removes the model",
    ("CreateProcessingJob", "ProcessingJobName"): "the job's name and ARN",
    ("CreateProcessingJob", "ProcessingInputs"): "echoed with the defaults AWS fills in; "
    "with S3 served, a `ManifestFile` input's manifest (and what it lists) is read as the "
    "work starts",
    ("CreateProcessingJob", "ProcessingOutputConfig"): "echoed with the defaults AWS fills in",
    ("CreateProcessingJob", "StoppingCondition"): "`MaxRuntimeInSeconds` stops a longer job",
    ("CreateProcessingJob", "Environment"): "scripted log functions receive it",
    ("CreateProcessingJob", "Tags"): "stored; `ListTags` answers them",
    ("DescribeProcessingJob", "ProcessingJobName"): "lookup",
    ("StopProcessingJob", "ProcessingJobName"): "Stopping now, Stopped 30 s later",
    ("CreateTransformJob", "TransformJobName"): "the job's name and ARN",
    ("CreateTransformJob", "ModelName"): "must name an existing model",
    ("CreateTransformJob", "MaxConcurrentTransforms"): "echoed when sent; the run uses 1 otherwise",
    ("CreateTransformJob", "MaxPayloadInMB"): "echoed when sent; records batch into 6 MB otherwise",
    ("CreateTransformJob", "TransformInput"): "echoed with the defaults AWS fills in; "
    "with S3 served, an `S3Prefix` is looked up at create, a manifest (and what it lists) "
    "as the work starts, and each object read is answered by the model's script",
    ("CreateTransformJob", "DataProcessing"): "echoed with the defaults AWS fills in",
    ("CreateTransformJob", "Environment"): "scripted log functions receive it",
    ("CreateTransformJob", "Tags"): "stored; `ListTags` answers them",
    ("DescribeTransformJob", "TransformJobName"): "lookup",
    ("StopTransformJob", "TransformJobName"): "Stopping now, Stopped 30 s later",
    ("AddTags", "ResourceArn"): "any job or model ARN of the account and region",
    ("AddTags", "Tags"): "added or overwritten; at most 50 per resource",
    ("ListTags", "ResourceArn"): "lookup",
    ("DeleteTags", "ResourceArn"): "lookup",
    ("DeleteTags", "TagKeys"): "removed; unknown keys ignored",
    ("CreateEndpointConfig", "EndpointConfigName"): "the config's name and ARN; unique",
    ("CreateEndpointConfig", "ProductionVariants"): "each `ModelName` must exist; weights, "
    "instance counts and `ServerlessConfig` are what endpoints deploy and route by",
    ("CreateEndpointConfig", "ShadowProductionVariants"): "models must exist; shown as "
    "`ShadowProductionVariants` of the endpoint",
    ("CreateEndpointConfig", "DataCaptureConfig"): "the endpoint's `DataCaptureConfig` summary",
    ("CreateEndpointConfig", "AsyncInferenceConfig"): "echoed by the endpoint",
    ("CreateEndpointConfig", "Tags"): "stored; `ListTags` answers them",
    ("DescribeEndpointConfig", "EndpointConfigName"): "lookup",
    ("DeleteEndpointConfig", "EndpointConfigName"): "removed at once; endpoints keep their copy",
    ("CreateEndpoint", "EndpointName"): "the endpoint's name and ARN; unique",
    ("CreateEndpoint", "EndpointConfigName"): "must exist, with its models; deployed",
    ("CreateEndpoint", "DeploymentConfig"): "answered as `LastDeploymentConfig`",
    ("CreateEndpoint", "Tags"): "stored; `ListTags` answers them",
    ("DescribeEndpoint", "EndpointName"): "lookup",
    ("UpdateEndpoint", "EndpointName"): "must be InService; Updating, then InService "
    "(or RollingBack when scripted to fail)",
    ("UpdateEndpoint", "EndpointConfigName"): "must exist; deployed when the update ends",
    ("UpdateEndpoint", "RetainAllVariantProperties"): "keeps weights, counts and capture",
    ("UpdateEndpoint", "ExcludeRetainedVariantProperties"): "not retained",
    ("UpdateEndpoint", "DeploymentConfig"): "answered as `LastDeploymentConfig`",
    ("UpdateEndpoint", "RetainDeploymentConfig"): "keeps the last `DeploymentConfig`",
    ("UpdateEndpointWeightsAndCapacities", "EndpointName"): "must be InService",
    ("UpdateEndpointWeightsAndCapacities", "DesiredWeightsAndCapacities"): "desired values "
    "at once, current ones when the update ends; variants must exist",
    ("DeleteEndpoint", "EndpointName"): "InService or Failed: Deleting, then gone",
    ("ListMonitoringSchedules", "EndpointName"): "no monitoring is emulated: always empty",
    # The model registry (docs/pipelines.md).
    ("CreateModelPackageGroup", "ModelPackageGroupName"): "Pending, InProgress, Completed",
    ("CreateModelPackageGroup", "Tags"): "stored; `ListTags` answers them",
    ("DescribeModelPackageGroup", "ModelPackageGroupName"): "lookup (name or ARN)",
    ("DeleteModelPackageGroup", "ModelPackageGroupName"): "only once its versions are deleted",
    ("CreateModelPackage", "ModelPackageGroupName"): "the group's next version",
    ("CreateModelPackage", "ModelPackageName"): "an unversioned package",
    ("CreateModelPackage", "ModelApprovalStatus"): "default PendingManualApproval (versions)",
    ("CreateModelPackage", "Tags"): "stored; `ListTags` answers them",
    ("DescribeModelPackage", "ModelPackageName"): "lookup (name or ARN)",
    ("ListModelPackages", "ModelPackageGroupName"): "one group's versions",
    ("ListModelPackages", "ModelPackageType"): "filter (default Unversioned)",
    ("ListModelPackages", "ModelApprovalStatus"): "filter",
    ("UpdateModelPackage", "ModelApprovalStatus"): "replaced",
    ("UpdateModelPackage", "CustomerMetadataProperties"): "merged",
    ("UpdateModelPackage", "CustomerMetadataPropertiesToRemove"): "removed",
    ("UpdateModelPackage", "AdditionalInferenceSpecificationsToAdd"): "appended",
    ("DeleteModelPackage", "ModelPackageName"): "removed at once",
    ("BatchDescribeModelPackage", "ModelPackageArnList"): "a summary or an error each",
    ("Search", "Resource"): "TrainingJob, ModelPackageGroup, ModelPackage",
    ("Search", "SearchExpression"): "Filters (dotted names), NestedFilters, SubExpressions, And/Or",
    # Pipelines (docs/pipelines.md).
    ("CreatePipeline", "PipelineDefinition"): "checked as AWS checks it; interpreted",
    ("CreatePipeline", "ParallelismConfiguration"): "caps the steps running at once",
    ("CreatePipeline", "Tags"): "stored; `ListTags` answers them",
    ("UpdatePipeline", "PipelineDefinition"): "a new version",
    ("DescribePipeline", "PipelineVersionId"): "that version's definition",
    ("StartPipelineExecution", "PipelineParameters"): "typed overrides of the defaults",
    ("StartPipelineExecution", "SelectiveExecutionConfig"): "unselected steps reused",
    ("StartPipelineExecution", "ParallelismConfiguration"): "caps the steps running at once",
    ("StopPipelineExecution", "PipelineExecutionArn"): "running jobs stopped",
    ("RetryPipelineExecution", "PipelineExecutionArn"): "failed steps run again",
    ("SendPipelineExecutionStepSuccess", "OutputParameters"): "the Callback step's outputs",
    ("SendPipelineExecutionStepFailure", "FailureReason"): "the Callback step's reason",
}

#: What a sagemaker-runtime request member drives, per (operation, member).  Kept by
#: hand: it describes families/endpoints/runtime.py and surfaces/runtime.py.
RUNTIME_SIMULATED: dict[tuple[str, str], str] = {
    ("InvokeEndpoint", "EndpointName"): "must exist, in its case, and serve (InService, "
    "Updating, RollingBack, SystemUpdating); else the runtime's ValidationError",
    ("InvokeEndpoint", "Body"): "the model script's input; over 6 MB the front end's 413",
    ("InvokeEndpoint", "ContentType"): "passed to the model script",
    ("InvokeEndpoint", "Accept"): "the default answer's type; passed to the model script",
    ("InvokeEndpoint", "TargetVariant"): "overrides the weighted (seeded) routing; must exist",
    ("InvokeEndpoint", "TargetContainerHostname"): "not routed: the primary container answers",
    ("InvokeEndpointWithResponseStream", "EndpointName"): "as InvokeEndpoint",
    ("InvokeEndpointWithResponseStream", "Body"): "as InvokeEndpoint; the answer's parts "
    "come back as PayloadPart events",
    ("InvokeEndpointWithResponseStream", "ContentType"): "passed to the model script",
    ("InvokeEndpointWithResponseStream", "Accept"): "as InvokeEndpoint",
    ("InvokeEndpointWithResponseStream", "TargetVariant"): "as InvokeEndpoint",
    ("InvokeEndpointWithResponseStream", "TargetContainerHostname"): "as InvokeEndpoint",
    ("InvokeEndpointAsync", "EndpointName"): "as InvokeEndpoint; its config must have an "
    "`AsyncInferenceConfig`",
    ("InvokeEndpointAsync", "InputLocation"): "read from S3 (while moto serves it)",
    ("InvokeEndpointAsync", "ContentType"): "passed to the model script",
    ("InvokeEndpointAsync", "Accept"): "as InvokeEndpoint",
    ("InvokeEndpointAsync", "InferenceId"): "names the output `{S3OutputPath}/{InferenceId}.out` "
    "(a seeded id when absent)",
    ("InvokeEndpointAsync", "S3OutputPathExtension"): "not applied",
    ("InvokeEndpointAsync", "Filename"): "not applied",
}

#: What the List* request members do, for every List operation that has them.
LIST_MEMBERS: dict[str, str] = {
    "CreationTimeAfter": "filter",
    "CreationTimeBefore": "filter",
    "LastModifiedTimeAfter": "filter",
    "LastModifiedTimeBefore": "filter",
    "NameContains": "filter (case-insensitive)",
    "StatusEquals": "filter",
    "WarmPoolStatusEquals": "filter",
    "TrainingPlanArnEquals": "filter (no emulated job runs on a training plan)",
    "SortBy": "sort",
    "SortOrder": "sort",
    "MaxResults": "page size (default 10; ListTags 50)",
    "NextToken": "paging",
}

#: Members the semantic rules (the families' `rules` modules) read, per operation.
RULE_MEMBERS: dict[str, tuple[str, ...]] = {
    "CreateTrainingJob": (
        "AlgorithmSpecification",
        "InputDataConfig",
        "ResourceConfig",
        "StoppingCondition",
        "EnableManagedSpotTraining",
    ),
    "UpdateTrainingJob": (
        "ProfilerConfig",
        "ProfilerRuleConfigurations",
        "ResourceConfig",
        "RemoteDebugConfig",
    ),
    "CreateHyperParameterTuningJob": (
        "HyperParameterTuningJobConfig",
        "TrainingJobDefinition",
        "TrainingJobDefinitions",
        "WarmStartConfig",
    ),
    "CreateCompilationJob": (
        "InputConfig",
        "OutputConfig",
        "ModelPackageVersionArn",
        "StoppingCondition",
    ),
    "CreateTransformJob": ("MaxConcurrentTransforms", "MaxPayloadInMB", "ModelName"),
    "AddTags": ("Tags",),
}

#: The Describe operation that answers each Create operation's members back.
DESCRIBED_BY = {
    "CreateTrainingJob": "DescribeTrainingJob",
    "CreateHyperParameterTuningJob": "DescribeHyperParameterTuningJob",
    "CreateCompilationJob": "DescribeCompilationJob",
    "CreateModel": "DescribeModel",
    "CreateProcessingJob": "DescribeProcessingJob",
    "CreateTransformJob": "DescribeTransformJob",
}


def members(operation: str) -> list[tuple[str, str]]:
    """(member name, shape name) of an operation's request, in model order."""
    model = load_model()
    entry = model["operations"][operation]
    if "input" not in entry:
        return []
    return [(name, shape) for name, shape in model["shapes"][entry["input"]].get("members", ())]


def constraint_kinds(shape_name: str) -> set[str]:
    """The kinds of checks anywhere inside a shape (``required``, ``length``, ``range``...)."""
    shapes: Mapping[str, Any] = load_model()["shapes"]
    found: set[str] = set()
    seen: set[str] = set()
    pending = [shape_name]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        shape = shapes[name]
        number = shape["type"] in ("integer", "long", "float", "double")
        if "min" in shape or "max" in shape:
            found.add("range" if number else "length")
        for key in ("pattern", "enum"):
            if key in shape:
                found.add(key)
        if shape.get("required"):
            found.add("required")
        pending.extend(shape[k] for k in ("member", "key", "value") if k in shape)
        pending.extend(child for _, child in shape.get("members", ()))
    return found


def _echoed(operation: str) -> set[str]:
    from sagemaker_lite.families.shared.service import echoed_members

    describe = DESCRIBED_BY.get(operation)
    return set() if describe is None else set(echoed_members(operation, describe))


def field_rows(operation: str) -> Iterator[tuple[str, str, str, str, str]]:
    """(field, required, enforced, simulated, echoed) for each request member."""
    model = load_model()
    entry = model["operations"][operation]
    required = (
        set(model["shapes"][entry["input"]].get("required", ())) if "input" in entry else set()
    )
    echoed = _echoed(operation)
    for name, shape in members(operation):
        checks = sorted(constraint_kinds(shape))
        if name in RULE_MEMBERS.get(operation, ()):
            checks.append("rules")
        simulated = SIMULATED.get((operation, name))
        if simulated is None and operation.startswith("List"):
            simulated = LIST_MEMBERS.get(name)
        yield (
            f"`{name}`",
            "yes" if name in required else "",
            ", ".join(checks),
            simulated or "",
            "yes" if name in echoed else "",
        )


def runtime_operations() -> list[str]:
    """The sagemaker-runtime operations the mock serves, in botocore's order."""
    from sagemaker_lite.surfaces.runtime import HANDLERS

    return [name for name in _runtime_model().operation_names if name in HANDLERS]


def _runtime_model() -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model("sagemaker-runtime")


def runtime_members(operation: str) -> list[str]:
    """A sagemaker-runtime operation's request members, in model order."""
    return list(_runtime_model().operation_model(operation).input_shape.members)


def runtime_rows(operation: str) -> Iterator[tuple[str, str, str, str]]:
    """(field, required, enforced, simulated) for each member of a runtime request: the
    constraints :mod:`.runtime` checks (from botocore's model)."""
    from sagemaker_lite.surfaces.runtime import constraints

    model = _runtime_model().operation_model(operation)
    shapes = model.input_shape.members
    required = set(model.input_shape.required_members)
    for constraint in constraints(model):
        name = constraint.member
        checks = []
        if constraint.min is not None or constraint.max is not None:
            number = shapes[name].type_name in ("integer", "long")
            checks.append("range" if number else "length")
        if constraint.pattern is not None:
            checks.append("pattern")
        simulated = RUNTIME_SIMULATED.get((operation, name), "")
        yield f"`{name}`", "yes" if name in required else "", ", ".join(checks), simulated


RUNTIME_HEADER = """## sagemaker-runtime

`boto3.client("sagemaker-runtime")` (and botocore's and aiobotocore's clients) created
inside the mock is served in-process ([endpoints](endpoints.md)).  Its requests are
checked as the runtime checks them, against botocore's sagemaker-runtime model:
`length`, numeric `range` and `pattern`, answered as the runtime's `ValidationError`
(the value of a sensitive member, `Body` or `CustomAttributes`, is never echoed);
botocore checks required members and types client-side.  A field not simulated is
checked and otherwise ignored."""


HEADER = """# Operation coverage

<!-- Generated by `python -m sagemaker_lite.surfaces.coverage > docs/coverage.md`; do not edit. -->

Every operation of the emulator and every field of its request. A field is

- **enforced** when it is checked as AWS checks it: the kinds of constraints
  the service model gives it anywhere inside it (`required` members, `length`,
  numeric `range`, `pattern`, `enum`; see [the client](client.md)), plus
  `rules` where a semantic rule of the families' `rules` modules reads it;
- **simulated** when it drives behaviour, as described;
- **echoed** when the Describe operation answers it back as it was sent.

Every field's type is checked as botocore checks it (client-side, before the
service sees the request). Every field is accepted and stored; a field that
is neither simulated nor echoed is validated and kept, but changes nothing
the API shows.
"""


def render() -> str:
    """The whole of ``docs/coverage.md``."""
    lines = [
        HEADER,
        "| Operation | Fields | Enforced | Simulated | Echoed |",
        "|---|---|---|---|---|",
    ]
    for operation in OPERATIONS:
        rows = list(field_rows(operation))
        counts = [sum(1 for row in rows if row[i]) for i in (2, 3, 4)]
        anchor = operation.lower()
        lines.append(
            f"| [{operation}](#{anchor}) | {len(rows)} | {counts[0]} | {counts[1]} | {counts[2]} |"
        )
    for operation in OPERATIONS:
        method = OPERATIONS[operation].python_name
        lines += ["", f"## {operation}", "", f"`client.{method}(...)`", ""]
        rows = list(field_rows(operation))
        if not rows:
            lines.append("No request fields.")
            continue
        lines += ["| Field | Required | Enforced | Simulated | Echoed |", "|---|---|---|---|---|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
    lines += ["", RUNTIME_HEADER]
    for operation in runtime_operations():
        method = _runtime_model().operation_model(operation).name
        lines += ["", f"### {operation}", "", f"`runtime.{_snake(method)}(...)`", ""]
        lines += ["| Field | Required | Enforced | Simulated |", "|---|---|---|---|"]
        lines += ["| " + " | ".join(row) + " |" for row in runtime_rows(operation)]
    return "\n".join(lines) + "\n"


def _snake(name: str) -> str:
    from botocore import xform_name

    return str(xform_name(name))


if __name__ == "__main__":
    print(render(), end="")
