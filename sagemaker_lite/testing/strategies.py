"""Hypothesis strategies for SageMaker requests: valid ones, invalid ones with their error.

Valid create requests look like real ones (ARNs of your account, S3 URIs,
instance types from the API's enum, hyperparameter ranges) and pass both the
constraint model and the semantic rules, so creating one always succeeds
unless the name is taken::

    from hypothesis import given
    from sagemaker_lite.testing import strategies as sms

    @given(sms.valid_requests("CreateTrainingJob"))
    def test_my_launcher(request):
        ...

``invalid_requests(op)`` draws ``(request, code, fragment)``: a valid request
broken in one way, the error code AWS answers (``"ParamValidationError"`` for
what boto3 rejects before sending) and a piece of the message::

    @given(sms.invalid_requests("CreateTrainingJob"))
    def test_errors(case):
        request, code, fragment = case
        ...  # your code should surface `code`

Other operations' valid requests come from the constraint model alone
(``sagemaker_lite.testing.schema_strategies``).  Hypothesis is needed only here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs
from hypothesis import strategies as st

from sagemaker_lite.contract import messages, patterns, validation
from sagemaker_lite.contract.errors import ApiError, ClientError, ParamValidationError
from sagemaker_lite.contract.spec import load_model
from sagemaker_lite.families.compilation import rules as compilation_rules
from sagemaker_lite.families.shared import training_rules
from sagemaker_lite.families.transform import rules as transform_rules
from sagemaker_lite.families.tuning import rules as tuning_rules
from sagemaker_lite.testing import warm
from sagemaker_lite.testing.schema_strategies import request_strategy

Request = dict[str, Any]
T = TypeVar("T")
#: The code ``invalid_requests`` gives for what boto3 rejects client-side.
PARAM_VALIDATION_ERROR = "ParamValidationError"

DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"

# --- realistic building blocks ---------------------------------------------------

_WORDS = ("mnist", "churn", "resnet", "bert", "xgb", "demo", "exp", "ablation", "fraud")
#: Everyday collection sizes; each bounded collection also draws its maximum.
TYPICAL = 3


def now_and_then(
    everyday: st.SearchStrategy[T], bound: st.SearchStrategy[T], one_in: int = 4
) -> st.SearchStrategy[T]:
    """Mostly ``everyday`` values, one time in ``one_in`` ``bound`` (shrinks to everyday)."""
    return st.integers(1, one_in).flatmap(lambda k: bound if k == one_in else everyday)


def at_most(
    element: st.SearchStrategy[T], maximum: int, *, min_size: int = 0
) -> st.SearchStrategy[list[T]]:
    """Lists of ``element``: everyday sizes (up to 3), or now and then exactly ``maximum``."""
    return now_and_then(
        st.lists(element, min_size=min_size, max_size=max(min_size, min(TYPICAL, maximum))),
        st.lists(element, min_size=maximum, max_size=maximum),
    )


def _longest_name(length: int) -> str:
    # A valid name of exactly ``length`` characters: words joined by hyphens.
    text = "-".join(_WORDS * 20)[:length]
    return text[:-1] + "x" if text.endswith("-") else text


@functools.cache  # strategies are immutable: build each once
def job_names(max_length: int = 63) -> st.SearchStrategy[str]:
    """Job names as people write them (``resnet-exp-42``), and names of the maximum length."""
    word = st.sampled_from(_WORDS)
    number = st.integers(0, 10_000).map(str)
    parts = st.lists(st.one_of(word, number), min_size=1, max_size=4)
    everyday = parts.map("-".join).filter(lambda name: len(name) <= max_length)
    return now_and_then(everyday, st.just(_longest_name(max_length)))


@functools.cache  # strategies are immutable: build each once
def s3_uris(suffix: str = "") -> st.SearchStrategy[str]:
    """``s3://bucket/prefix`` URIs with lower-case bucket names."""
    bucket = st.sampled_from(("my-bucket", "ml-data-123", "sagemaker-us-east-1-data"))
    prefix = st.lists(st.sampled_from(("data", "train", "models", "v1", "2024")), max_size=3)
    return st.builds(lambda b, p: "/".join([f"s3://{b}", *p]) + suffix, bucket, prefix)


@functools.cache  # strategies are immutable: build each once
def role_arns(account_id: str = DEFAULT_ACCOUNT) -> st.SearchStrategy[str]:
    """IAM role ARNs of ``account_id``."""
    names = st.sampled_from(("SageMakerRole", "service-role/AmazonSageMaker-ExecutionRole"))
    return names.map(lambda name: f"arn:aws:iam::{account_id}:role/{name}")


@functools.cache  # strategies are immutable: build each once
def kms_keys(account_id: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION) -> Any:
    """KMS key ARNs of ``account_id`` in ``region``."""
    return st.sampled_from(("1234abcd-12ab-34cd-56ef-1234567890ab", "alias-ml")).map(
        lambda key: f"arn:aws:kms:{region}:{account_id}:key/{key}"
    )


@functools.cache  # strategies are immutable: build each once
def training_images(account_id: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION) -> Any:
    """ECR image URIs of ``account_id`` in ``region``."""
    repos = st.sampled_from(("my-trainer", "pytorch-training", "team/xgb-custom"))
    tags = st.sampled_from(("latest", "1.0", "2.1-gpu-py310"))
    return st.builds(
        lambda r, t: f"{account_id}.dkr.ecr.{region}.amazonaws.com/{r}:{t}", repos, tags
    )


@functools.cache
def _enum(shape: str) -> tuple[str, ...]:
    return tuple(load_model()["shapes"][shape]["enum"])


@functools.cache  # strategies are immutable: build each once
def instance_types() -> st.SearchStrategy[str]:
    """Training instance types, from the API's own enum (common ones drawn most)."""
    common = st.sampled_from(("ml.m5.large", "ml.m5.xlarge", "ml.c5.2xlarge", "ml.p3.2xlarge"))
    return st.one_of(common, st.sampled_from(_enum("TrainingInstanceType")))


#: Hyperparameters with realistic values, by name: (low, high, integer?).
_HYPERPARAMETERS = {
    "learning_rate": (1e-5, 0.5, False),
    "momentum": (0.0, 0.99, False),
    "epochs": (1, 50, True),
    "batch_size": (8, 512, True),
    "max_depth": (2, 12, True),
}
METRIC_NAME, METRIC_REGEX = warm.METRIC_NAME, warm.METRIC_REGEX
#: The API's bounds the strategies reach: counts of lists and maps.
MAX_TAGS, MAX_CHANNELS, MAX_HYPERPARAMETERS, MAX_METRIC_DEFINITIONS = 50, 20, 100, 40
MAX_ENVIRONMENT, MAX_SUBNETS, MAX_SECURITY_GROUPS = 100, 16, 5


@functools.cache  # strategies are immutable: build each once
def hyperparameters() -> st.SearchStrategy[dict[str, str]]:
    """Static hyperparameters as SageMaker takes them (string values); also the maximum, 100."""

    def value(name: str) -> st.SearchStrategy[str]:
        low, high, integer = _HYPERPARAMETERS[name]
        if integer:
            return st.integers(int(low), int(high)).map(str)
        return st.floats(low, high).map(lambda v: f"{v:.6g}")

    everyday = st.lists(
        st.sampled_from(sorted(_HYPERPARAMETERS)), unique=True, max_size=TYPICAL
    ).flatmap(lambda names: st.fixed_dictionaries({n: value(n) for n in names}))
    most = {f"param_{i}": str(i) for i in range(MAX_HYPERPARAMETERS)}
    return now_and_then(everyday, st.just(most))


@functools.cache  # strategies are immutable: build each once
def parameter_ranges() -> st.SearchStrategy[dict[str, Any]]:
    """Tuning ParameterRanges over the hyperparameters above (1 to 3, one continuous)."""

    def one(name: str) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
        low, high, integer = _HYPERPARAMETERS[name]
        kind = "IntegerParameterRanges" if integer else "ContinuousParameterRanges"
        bounds = st.tuples(st.floats(low, high), st.floats(low, high)).map(sorted)
        scaling = st.sampled_from(("Auto", "Linear"))

        def build(pair: list[float], scale: str) -> tuple[str, dict[str, Any]]:
            def text(value: float) -> str:
                return str(int(value)) if integer else f"{value:.6g}"

            return kind, {
                "Name": name,
                "MinValue": text(pair[0]),
                "MaxValue": text(pair[1]),
                "ScalingType": scale,
            }

        return st.builds(build, bounds, scaling)

    def gather(items: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
        ranges: dict[str, Any] = {}
        for kind, item in items:
            ranges.setdefault(kind, []).append(item)
        return ranges

    # One continuous range at least: integer-only spaces can hold fewer
    # combinations than a tuning job's MaxNumberOfTrainingJobs, which AWS refuses.
    names = st.lists(st.sampled_from(sorted(_HYPERPARAMETERS)), unique=True, max_size=2).map(
        lambda ns: ns if any(not _HYPERPARAMETERS[n][2] for n in ns) else [*ns, "learning_rate"]
    )
    return names.flatmap(lambda ns: st.tuples(*(one(n) for n in ns))).map(
        lambda items: gather(list(items))
    )


@functools.cache  # strategies are immutable: build each once
def tags() -> st.SearchStrategy[list[dict[str, str]]]:
    """Tag lists with distinct keys: everyday ones, and (half the time) the maximum of 50."""
    keys = st.sampled_from(("team", "project", "cost-center", "env"))
    everyday = st.lists(keys, unique=True, max_size=TYPICAL).map(
        lambda ks: [{"Key": k, "Value": f"{k}-value"} for k in ks]
    )
    most = [{"Key": f"tag-{i}", "Value": f"value-{i}"} for i in range(MAX_TAGS)]
    # Half the time: code that adds a tag of its own to a full list is a common bug.
    return st.one_of(everyday, st.just(most))


@functools.cache  # strategies are immutable: build each once
def vpc_configs(max_subnets: int = MAX_SUBNETS) -> st.SearchStrategy[dict[str, list[str]]]:
    """VpcConfig: security groups and subnets, up to the API's maximum counts."""
    ids = st.integers(0, 2**32 - 1)
    return st.fixed_dictionaries(
        {
            "SecurityGroupIds": at_most(
                ids.map(lambda i: f"sg-{i:08x}"), MAX_SECURITY_GROUPS, min_size=1
            ),
            "Subnets": at_most(ids.map(lambda i: f"subnet-{i:08x}"), max_subnets, min_size=1),
        }
    )


@functools.cache  # strategies are immutable: build each once
def environments() -> st.SearchStrategy[dict[str, str]]:
    """Container environment variables, up to the maximum of 100."""
    names = st.sampled_from(("LOG_LEVEL", "NCCL_DEBUG", "OMP_NUM_THREADS", "SM_FRAMEWORK"))
    everyday = st.dictionaries(names, st.sampled_from(("1", "INFO", "debug")), max_size=TYPICAL)
    return now_and_then(everyday, st.just({f"VAR_{i}": str(i) for i in range(MAX_ENVIRONMENT)}))


_RULES_REPO = "sagemaker-debugger-rules:latest"


def _rule_image(region: str, rule: str) -> dict[str, Any]:
    return {
        "RuleConfigurationName": rule,
        "RuleEvaluatorImage": f"503895931360.dkr.ecr.{region}.amazonaws.com/{_RULES_REPO}",
        "RuleParameters": {"rule_to_invoke": rule},
    }


def _arn(account_id: str, region: str, resource: str) -> str:
    return f"arn:aws:sagemaker:{region}:{account_id}:{resource}"


# --- valid create requests ----------------------------------------------------------


@st.composite
def _channels(draw: st.DrawFn) -> list[dict[str, Any]]:
    """InputDataConfig: everyday channels, or the maximum of 20, with distinct names."""
    everyday = st.lists(
        st.sampled_from(("train", "validation", "test")), unique=True, min_size=1, max_size=TYPICAL
    )
    names = draw(now_and_then(everyday, st.just([f"channel-{i}" for i in range(MAX_CHANNELS)])))
    base = draw(s3_uris())
    return [
        {
            "ChannelName": name,
            "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": f"{base}/{name}"}},
        }
        for name in names
    ]


@functools.cache
def _optional_training_members(account_id: str, region: str) -> Any:
    """Realistic values of the optional CreateTrainingJob members outside the shared body."""
    uri = s3_uris()
    arn = functools.partial(_arn, account_id, region)
    members = {
        "VpcConfig": vpc_configs(),
        "EnableNetworkIsolation": st.booleans(),
        "EnableInterContainerTrafficEncryption": st.booleans(),
        "CheckpointConfig": st.fixed_dictionaries(
            {"S3Uri": s3_uris("/checkpoints")},
            optional={"LocalPath": st.just("/opt/ml/checkpoints")},
        ),
        "DebugHookConfig": st.fixed_dictionaries(
            {"S3OutputPath": uri},
            optional={"HookParameters": st.just({"save_interval": "100"})},
        ),
        "DebugRuleConfigurations": at_most(
            st.sampled_from(("LossNotDecreasing", "VanishingGradient", "Overfit")).map(
                lambda rule: _rule_image(region, rule)
            ),
            1,
        ),
        "TensorBoardOutputConfig": st.fixed_dictionaries({"S3OutputPath": uri}),
        "ExperimentConfig": st.fixed_dictionaries(
            {}, optional={"ExperimentName": job_names(120), "TrialName": job_names(120)}
        ),
        "ProfilerConfig": st.fixed_dictionaries(
            {},
            optional={
                "S3OutputPath": uri,
                "ProfilingIntervalInMilliseconds": st.sampled_from(
                    (100, 200, 500, 1000, 5000, 60000)
                ),
                "DisableProfiler": st.booleans(),
            },
        ),
        "ProfilerRuleConfigurations": st.just([_rule_image(region, "ProfilerReport")]),
        "Environment": environments(),
        "RetryStrategy": st.fixed_dictionaries({"MaximumRetryAttempts": st.integers(1, 30)}),
        "RemoteDebugConfig": st.fixed_dictionaries({"EnableRemoteDebug": st.booleans()}),
        "InfraCheckConfig": st.fixed_dictionaries({"EnableInfraCheck": st.booleans()}),
        "SessionChainingConfig": st.fixed_dictionaries({"EnableSessionTagChaining": st.booleans()}),
        "ServerlessJobConfig": st.fixed_dictionaries(
            {
                "BaseModelArn": st.just(
                    f"arn:aws:sagemaker:{region}:aws:hub-content/SageMakerPublicHub/Model/llama/1.0.0"
                ),
                "JobType": st.sampled_from(_enum("ServerlessJobType")),
            },
            optional={"AcceptEula": st.booleans()},
        ),
        "MlflowConfig": st.fixed_dictionaries(
            {"MlflowResourceArn": st.just(arn("mlflow-tracking-server/my-server"))},
            optional={"MlflowExperimentName": st.sampled_from(_WORDS)},
        ),
        "ModelPackageConfig": st.fixed_dictionaries(
            {"ModelPackageGroupArn": st.just(arn("model-package-group/my-models"))}
        ),
    }
    return st.fixed_dictionaries({}, optional=members)


@st.composite
def _training_body(draw: st.DrawFn, account_id: str, region: str, tuned: bool) -> Request:
    """The parts a CreateTrainingJob request and a tuning TrainingJobDefinition share."""
    max_runtime = draw(st.integers(60, 5 * 24 * 3600))
    spot = draw(st.booleans())
    stopping: dict[str, int] = {"MaxRuntimeInSeconds": max_runtime}
    if spot:
        stopping["MaxWaitTimeInSeconds"] = draw(st.integers(max_runtime, 6 * 24 * 3600))
    if draw(st.booleans()):
        stopping["MaxPendingTimeInSeconds"] = draw(st.integers(7200, 2_419_200))
    mode = draw(st.sampled_from(("File", "Pipe", "FastFile")))
    algorithm: dict[str, Any] = {
        "TrainingImage": draw(training_images(account_id, region)),
        "TrainingInputMode": mode,
    }
    metrics = [{"Name": METRIC_NAME, "Regex": METRIC_REGEX}]
    if tuned or draw(st.booleans()):
        if not tuned and draw(st.booleans()):
            metrics += [{"Name": f"metric-{i}", "Regex": f"m{i}=([0-9.]+)"} for i in range(39)]
        algorithm["MetricDefinitions"] = metrics
    output: dict[str, Any] = {"S3OutputPath": draw(s3_uris())}
    if draw(st.booleans()):
        output["KmsKeyId"] = draw(kms_keys(account_id, region))
    if draw(st.booleans()):
        output["CompressionType"] = draw(st.sampled_from(("GZIP", "NONE")))
    resources: dict[str, Any] = {
        "InstanceType": draw(instance_types()),
        "InstanceCount": draw(st.integers(1, 4)),
        "VolumeSizeInGB": draw(st.integers(1, 200)),
    }
    if not tuned and draw(st.booleans()):
        resources["KeepAlivePeriodInSeconds"] = draw(st.integers(0, 3600))
    body: Request = {
        "AlgorithmSpecification": algorithm,
        "RoleArn": draw(role_arns(account_id)),
        "OutputDataConfig": output,
        "ResourceConfig": resources,
        "StoppingCondition": stopping,
    }
    if draw(st.booleans()):
        body["InputDataConfig"] = draw(_channels())
    if spot:
        body["EnableManagedSpotTraining"] = True
    if draw(st.booleans()):
        body["StaticHyperParameters" if tuned else "HyperParameters"] = draw(hyperparameters())
    return body


@st.composite
def _create_training_job(draw: st.DrawFn, account_id: str, region: str) -> Request:
    request = {
        "TrainingJobName": draw(job_names()),
        **draw(_training_body(account_id, region, tuned=False)),
    }
    request.update(draw(_optional_training_members(account_id, region)))
    return _with_tags(draw, request)


def _with_tags(draw: st.DrawFn, request: Request) -> Request:
    # Drawn for every request (left out when empty): a full list of 50 half the time.
    job_tags = draw(tags())
    return {**request, "Tags": job_tags} if job_tags else request


@st.composite
def _tuning_definition(draw: st.DrawFn, account_id: str, region: str, named: bool) -> Request:
    definition = draw(_training_body(account_id, region, tuned=True))
    ranges = draw(parameter_ranges())
    # A tuned hyperparameter cannot also be static.
    tuned = {r["Name"] for rs in ranges.values() for r in rs}
    static = {
        k: v for k, v in definition.pop("StaticHyperParameters", {}).items() if k not in tuned
    }
    # At most 100 static and tuned in all, counting SageMaker's _tuning_objective_metric.
    room = MAX_HYPERPARAMETERS - len(tuned) - 1
    static = dict(list(static.items())[:room])
    if static:
        definition["StaticHyperParameters"] = static
    if named:
        definition["TuningObjective"] = {"Type": "Minimize", "MetricName": METRIC_NAME}
        definition["HyperParameterRanges"] = ranges
    else:
        definition["_ranges"] = ranges
    return definition


@st.composite
def _create_tuning_job(draw: st.DrawFn, account_id: str, region: str) -> Request:
    max_jobs = draw(st.integers(1, 20))
    config: Request = {
        "Strategy": draw(st.sampled_from(("Bayesian", "Random"))),
        "ResourceLimits": {
            "MaxNumberOfTrainingJobs": max_jobs,
            "MaxParallelTrainingJobs": draw(st.integers(1, max_jobs)),
        },
    }
    request: Request = {
        "HyperParameterTuningJobName": draw(job_names(32)),
        "HyperParameterTuningJobConfig": config,
    }
    if draw(st.booleans()):
        definition = draw(_tuning_definition(account_id, region, named=False))
        config["HyperParameterTuningJobObjective"] = {"Type": "Minimize", "MetricName": METRIC_NAME}
        config["ParameterRanges"] = definition.pop("_ranges")
        request["TrainingJobDefinition"] = definition
    else:
        # Several definitions (up to the API's 10), each with its own objective and ranges.
        count = draw(now_and_then(st.integers(1, TYPICAL), st.just(10)))
        definitions = [
            draw(_tuning_definition(account_id, region, named=True)) for _ in range(count)
        ]
        for index, definition in enumerate(definitions):
            definition["DefinitionName"] = f"definition-{index}"
        request["TrainingJobDefinitions"] = definitions
    optional = {"Autotune": st.just({"Mode": "Enabled"})}
    request.update(draw(st.fixed_dictionaries({}, optional=optional)))
    return _with_tags(draw, request)


# Framework -> a DataInputConfig Neo accepts for it (None: not needed).
_COMPILATION_INPUTS = {
    "TENSORFLOW": '{"input": [1, 224, 224, 3]}',
    "KERAS": '{"input_1": [1, 3, 224, 224]}',
    "MXNET": '{"data": [1, 3, 224, 224]}',
    "ONNX": '{"data": [1, 3, 224, 224]}',
    "PYTORCH": '{"input0": [1, 3, 224, 224]}',
    "XGBOOST": None,
}


@st.composite
def _create_compilation_job(draw: st.DrawFn, account_id: str, region: str) -> Request:
    request: Request = {
        "CompilationJobName": draw(job_names()),
        "RoleArn": draw(role_arns(account_id)),
        "StoppingCondition": {"MaxRuntimeInSeconds": draw(st.integers(60, 3600))},
    }
    if draw(st.booleans()):
        framework = draw(st.sampled_from(sorted(_COMPILATION_INPUTS)))
        config: Request = {"S3Uri": draw(s3_uris("/model.tar.gz")), "Framework": framework}
        if _COMPILATION_INPUTS[framework] is not None:
            config["DataInputConfig"] = _COMPILATION_INPUTS[framework]
        request["InputConfig"] = config
    else:
        # A versioned model package instead of a model in S3 (the two exclude each other).
        request["ModelPackageVersionArn"] = _arn(account_id, region, "model-package/my-models/1")
    output: Request = {"S3OutputLocation": draw(s3_uris())}
    if draw(st.booleans()):
        output["TargetDevice"] = draw(st.sampled_from(("ml_c5", "ml_m5", "ml_p3", "ml_g4dn")))
    else:
        output["TargetPlatform"] = {
            "Os": "LINUX",
            "Arch": draw(st.sampled_from(("X86_64", "ARM64"))),
        }
    if draw(st.booleans()):
        output["KmsKeyId"] = draw(kms_keys(account_id, region))
    request["OutputConfig"] = output
    optional = {"VpcConfig": vpc_configs(max_subnets=16)}
    request.update(draw(st.fixed_dictionaries({}, optional=optional)))
    return _with_tags(draw, request)


@st.composite
def _create_model(draw: st.DrawFn, account_id: str, region: str) -> Request:
    def container(data: bool) -> Request:
        found: Request = {"Image": draw(training_images(account_id, region))}
        if data:
            found["ModelDataUrl"] = draw(s3_uris("/model.tar.gz"))
        return found

    request: Request = {"ModelName": draw(job_names())}
    if draw(st.booleans()):
        request["PrimaryContainer"] = container(True)
    else:  # an inference pipeline
        count = draw(st.integers(1, 5))
        request["Containers"] = [container(i == count - 1) for i in range(count)]
        request["InferenceExecutionConfig"] = {"Mode": draw(st.sampled_from(("Serial", "Direct")))}
    optional = {
        "ExecutionRoleArn": role_arns(account_id),
        "VpcConfig": vpc_configs(max_subnets=16),
        "EnableNetworkIsolation": st.booleans(),
    }
    request.update(draw(st.fixed_dictionaries({}, optional=optional)))
    return _with_tags(draw, request)


@st.composite
def _processing_input(draw: st.DrawFn, index: int) -> Request:
    s3: Request = {
        "S3Uri": draw(s3_uris()),
        "LocalPath": f"/opt/ml/processing/input/{index}",
        "S3DataType": draw(st.sampled_from(_enum("ProcessingS3DataType"))),
    }
    optional = {
        "S3InputMode": st.just("File"),
        "S3DataDistributionType": st.sampled_from(_enum("ProcessingS3DataDistributionType")),
    }
    return {
        "InputName": f"input-{index}",
        "S3Input": {**s3, **draw(st.fixed_dictionaries({}, optional=optional))},
    }


@st.composite
def _create_processing_job(draw: st.DrawFn, account_id: str, region: str) -> Request:
    app: Request = {"ImageUri": draw(training_images(account_id, region))}
    if draw(st.booleans()):
        app["ContainerEntrypoint"] = ["python3", "/opt/ml/processing/input/code/prep.py"]
    request: Request = {
        "ProcessingJobName": draw(job_names()),
        "RoleArn": draw(role_arns(account_id)),
        "AppSpecification": app,
        "ProcessingResources": {
            "ClusterConfig": {
                "InstanceCount": draw(now_and_then(st.integers(1, 4), st.just(100))),
                "InstanceType": draw(
                    st.sampled_from(("ml.m5.xlarge", "ml.c5.2xlarge", "ml.t3.medium"))
                ),
                "VolumeSizeInGB": draw(st.integers(1, 100)),
            }
        },
    }
    count = draw(now_and_then(st.integers(0, TYPICAL), st.just(10)))
    optional = {
        "ProcessingInputs": st.tuples(*[_processing_input(i) for i in range(count)]).map(list),
        "ProcessingOutputConfig": st.just(
            {
                "Outputs": [
                    {
                        "OutputName": "output-1",
                        "S3Output": {
                            "S3Uri": "s3://my-bucket/prepared",
                            "LocalPath": "/opt/ml/processing/output",
                            "S3UploadMode": "EndOfJob",
                        },
                    }
                ]
            }
        ),
        "StoppingCondition": st.integers(60, 86400).map(lambda s: {"MaxRuntimeInSeconds": s}),
        "Environment": environments(),
        "NetworkConfig": st.fixed_dictionaries({"EnableNetworkIsolation": st.booleans()}),
        "ExperimentConfig": st.just({"ExperimentName": "exp", "TrialName": "trial-1"}),
    }
    request.update(draw(st.fixed_dictionaries({}, optional=optional)))
    return _with_tags(draw, request)


#: TransformEnvironmentMap's maximum size (botocore's model).
MAX_TRANSFORM_ENVIRONMENT = 16


@st.composite
def _create_transform_job(draw: st.DrawFn, account_id: str, region: str) -> Request:
    data_type = draw(st.sampled_from(_enum("S3DataType")))
    source = {
        "S3DataType": data_type,
        "S3Uri": draw(s3_uris("/manifest" if "Manifest" in data_type else "")),
    }
    content = st.sampled_from(("text/csv", "application/jsonlines"))
    transform_input = draw(
        st.fixed_dictionaries(
            {"DataSource": st.just({"S3DataSource": source})},
            optional={
                "ContentType": content,
                "CompressionType": st.sampled_from(_enum("CompressionType")),
                "SplitType": st.sampled_from(_enum("SplitType")),
            },
        )
    )
    output = draw(
        st.fixed_dictionaries(
            {"S3OutputPath": s3_uris()},
            optional={
                "Accept": content,
                "AssembleWith": st.sampled_from(_enum("AssemblyType")),
                "KmsKeyId": kms_keys(account_id, region),
            },
        )
    )
    resources: Request = {
        "InstanceType": draw(st.sampled_from(("ml.m5.large", "ml.m5.xlarge", "ml.c5.2xlarge"))),
        "InstanceCount": draw(now_and_then(st.integers(1, 4), st.just(100))),
    }
    request: Request = {
        "TransformJobName": draw(job_names()),
        # The model must exist: REQUEST_KINDS' ``needs`` creates it (see set_up).
        "ModelName": draw(job_names()),
        "TransformInput": transform_input,
        "TransformOutput": output,
        "TransformResources": resources,
    }
    # MaxConcurrentTransforms x MaxPayloadInMB stays within the documented 100 MB.
    payload = draw(
        now_and_then(st.sampled_from((1, 6, 10)), st.just(messages.MAX_TRANSFORM_PAYLOAD_MB))
    )
    env_names = st.sampled_from(("LOG_LEVEL", "OMP_NUM_THREADS", "MODEL_SERVER_WORKERS"))
    optional = {
        "MaxPayloadInMB": st.just(payload),
        "MaxConcurrentTransforms": st.integers(0, messages.MAX_TRANSFORM_PAYLOAD_MB // payload),
        "ModelClientConfig": st.fixed_dictionaries(
            {},
            optional={
                "InvocationsTimeoutInSeconds": st.integers(1, 3600),
                "InvocationsMaxRetries": st.integers(0, 3),
            },
        ),
        "BatchStrategy": st.sampled_from(_enum("BatchStrategy")),
        "Environment": now_and_then(
            st.dictionaries(env_names, st.sampled_from(("1", "INFO")), max_size=TYPICAL),
            st.just({f"VAR_{i}": str(i) for i in range(MAX_TRANSFORM_ENVIRONMENT)}),
        ),
        "DataCaptureConfig": st.fixed_dictionaries(
            {"DestinationS3Uri": s3_uris("/capture")},
            optional={"GenerateInferenceId": st.booleans()},
        ),
        "DataProcessing": st.fixed_dictionaries(
            {},
            optional={
                "InputFilter": st.sampled_from(("$", "$[1:]")),
                "OutputFilter": st.sampled_from(("$", "$[0,-1]")),
                "JoinSource": st.sampled_from(_enum("JoinSource")),
            },
        ),
        "ExperimentConfig": st.just({"ExperimentName": "exp", "TrialName": "trial-1"}),
    }
    drawn = draw(st.fixed_dictionaries({}, optional=optional))
    if "MaxConcurrentTransforms" in drawn and "MaxPayloadInMB" not in drawn:
        drawn["MaxPayloadInMB"] = payload  # the limit above assumed this payload
    request.update(drawn)
    return _with_tags(draw, request)


#: Instance types endpoints are commonly deployed on (all are in the API's enum).
_ENDPOINT_INSTANCE_TYPES = ("ml.m5.large", "ml.m5.xlarge", "ml.c5.large", "ml.g4dn.xlarge")
#: The variant counts and memory sizes AWS takes (ProductionVariantList: 1 to 10;
#: serverless memory in 1 GB steps, ServerlessMemorySizeInMB's 1024 to 6144).
MAX_PRODUCTION_VARIANTS = 10
_SERVERLESS_MEMORY = (1024, 2048, 3072, 4096, 5120, 6144)


@st.composite
def _create_endpoint_config(draw: st.DrawFn, account_id: str, region: str) -> Request:
    # The models named must exist: REQUEST_KINDS' ``needs`` creates them (see set_up).
    request: Request = {"EndpointConfigName": draw(job_names())}
    if draw(st.integers(1, 4)) == 4:  # a serverless endpoint: one variant, no instances
        request["ProductionVariants"] = [
            {
                "VariantName": "AllTraffic",
                "ModelName": draw(job_names()),
                "ServerlessConfig": {
                    "MemorySizeInMB": draw(st.sampled_from(_SERVERLESS_MEMORY)),
                    "MaxConcurrency": draw(now_and_then(st.integers(1, 20), st.just(200))),
                },
            }
        ]
        return _with_tags(draw, request)
    count = draw(now_and_then(st.integers(1, 2), st.just(MAX_PRODUCTION_VARIANTS)))
    variants = []
    for index in range(count):
        variant: Request = {
            "VariantName": "AllTraffic" if count == 1 else f"variant-{index}",
            "ModelName": draw(job_names()),
            "InstanceType": draw(st.sampled_from(_ENDPOINT_INSTANCE_TYPES)),
            "InitialInstanceCount": draw(st.integers(1, 4)),
        }
        if count > 1 or draw(st.booleans()):
            variant["InitialVariantWeight"] = draw(st.sampled_from((0.0, 0.5, 1.0, 3.0)))
        variants.append(variant)
    request["ProductionVariants"] = variants
    optional = {
        "DataCaptureConfig": st.fixed_dictionaries(
            {
                "InitialSamplingPercentage": st.integers(0, 100),
                "DestinationS3Uri": s3_uris("/capture"),
                "CaptureOptions": st.sampled_from(
                    [
                        [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}],
                        *([{"CaptureMode": mode}] for mode in _enum("CaptureMode")),
                    ]
                ),
            },
            optional={"EnableCapture": st.booleans()},
        ),
        "AsyncInferenceConfig": st.fixed_dictionaries(
            {"OutputConfig": st.fixed_dictionaries({"S3OutputPath": s3_uris("/async")})},
            optional={
                "ClientConfig": st.integers(1, 1000).map(
                    lambda n: {"MaxConcurrentInvocationsPerInstance": n}
                )
            },
        ),
        "KmsKeyId": kms_keys(account_id, region),
        # A shadow variant receives a copy of the traffic (shadow testing).
        "ShadowProductionVariants": st.builds(
            lambda model, instance: [
                {
                    "VariantName": "shadow",
                    "ModelName": model,
                    "InstanceType": instance,
                    "InitialInstanceCount": 1,
                }
            ],
            job_names(),
            st.sampled_from(_ENDPOINT_INSTANCE_TYPES),
        ),
        "ExecutionRoleArn": role_arns(account_id),
        "VpcConfig": vpc_configs(max_subnets=16),
        "EnableNetworkIsolation": st.booleans(),
        "MetricsConfig": st.fixed_dictionaries(
            {}, optional={"EnableEnhancedMetrics": st.booleans()}
        ),
    }
    request.update(draw(st.fixed_dictionaries({}, optional=optional)))
    return _with_tags(draw, request)


@st.composite
def _create_endpoint(draw: st.DrawFn, account_id: str, region: str) -> Request:
    # The configuration must exist: REQUEST_KINDS' ``needs`` creates it (see set_up).
    request: Request = {
        "EndpointName": draw(job_names()),
        "EndpointConfigName": draw(job_names()),
    }
    if draw(st.booleans()):
        routing = {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": draw(st.integers(0, 3600))}
        request["DeploymentConfig"] = {
            "BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": routing}
        }
    return _with_tags(draw, request)


@st.composite
def _update_training_job(draw: st.DrawFn, account_id: str, region: str) -> Request:
    # The warm-pool keep-alive: the one update every job type accepts.
    return {
        "TrainingJobName": draw(job_names()),
        "ResourceConfig": {"KeepAlivePeriodInSeconds": draw(st.integers(0, 3600))},
    }


Builder = Callable[[str, str], st.SearchStrategy[Request]]


@attrs.frozen
class RequestKind:
    """One operation the kit builds realistic requests for: a table row per operation.

    ``builder(account_id, region)`` draws requests; ``semantic`` is the rule
    check run after the schema (None: schema only); ``sample`` is one valid
    request, served once before the first draw to warm the emulator up;
    ``not_drawn`` lists top-level members left out, each with the reason;
    ``needs(request, account_id, region)`` lists the requests to make first
    for a drawn request to succeed (a transform job's model), which
    :func:`set_up` makes.
    """

    builder: Builder
    name_member: str
    semantic: Callable[[Request], None] | None = None
    sample: Callable[[str, str], Request] | None = None
    not_drawn: Mapping[str, str] = attrs.field(factory=dict)
    needs: warm.Needs | None = None


#: Realistic request builders, per operation (add a row to add a kind of job).
REQUEST_KINDS: dict[str, RequestKind] = {
    "CreateTrainingJob": RequestKind(
        _create_training_job,
        "TrainingJobName",
        training_rules.check_create_training_job,
        warm.sample_training,
    ),
    "CreateHyperParameterTuningJob": RequestKind(
        _create_tuning_job,
        "HyperParameterTuningJobName",
        tuning_rules.check_create_hyper_parameter_tuning_job,
        warm.sample_tuning,
        {"WarmStartConfig": "names parent tuning jobs, which must already exist"},
    ),
    "CreateCompilationJob": RequestKind(
        _create_compilation_job,
        "CompilationJobName",
        compilation_rules.check_create_compilation_job,
        warm.sample_compilation,
    ),
    "CreateModel": RequestKind(_create_model, "ModelName", None, warm.sample_model),
    "CreateProcessingJob": RequestKind(
        _create_processing_job, "ProcessingJobName", None, warm.sample_processing
    ),
    "CreateTransformJob": RequestKind(
        _create_transform_job,
        "TransformJobName",
        transform_rules.check_create_transform_job,
        warm.sample_transform,
        needs=warm.NEEDS["CreateTransformJob"],
    ),
    "CreateEndpointConfig": RequestKind(
        _create_endpoint_config,
        "EndpointConfigName",
        None,
        warm.sample_endpoint_config,
        {"ExplainerConfig": "a SageMaker Clarify explainer: online explainability is not emulated"},
        needs=warm.NEEDS["CreateEndpointConfig"],
    ),
    "CreateEndpoint": RequestKind(
        _create_endpoint,
        "EndpointName",
        None,
        warm.sample_endpoint,
        needs=warm.NEEDS["CreateEndpoint"],
    ),
    # Beyond the creates: the generic model strategy is slow for this one.
    "UpdateTrainingJob": RequestKind(_update_training_job, "TrainingJobName"),
}
CREATE_OPERATIONS = tuple(op for op in REQUEST_KINDS if op.startswith("Create"))


def is_valid(operation: str, request: Mapping[str, Any]) -> bool:
    """Whether ``request`` passes botocore's checks, the constraint model and the rules."""
    try:
        validation.check_params(operation, dict(request))
        validation.check_request(operation, request)
        kind = REQUEST_KINDS.get(operation)
        if kind is not None and kind.semantic is not None:
            kind.semantic(dict(request))
    except (ParamValidationError, ApiError):
        return False
    return True


def valid_requests(
    operation: str, *, account_id: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION
) -> st.SearchStrategy[Request]:
    """Valid requests for ``operation`` (realistic ones for the rows of ``REQUEST_KINDS``).

    Create requests pass every schema constraint and semantic rule; make what
    they need first with :func:`set_up` (a transform job's model).  Requests
    of other operations are schema-valid; the jobs they name may not exist.
    """
    kind = REQUEST_KINDS.get(operation)
    if kind is None:
        return request_strategy(operation)

    def build() -> st.SearchStrategy[Request]:
        if kind.sample is not None:
            sample = kind.sample(account_id, region)
            warm.warm_up(operation, sample, account_id, region, kind.needs)
        strategy: st.SearchStrategy[Request] = kind.builder(account_id, region)
        return strategy.filter(lambda request: is_valid(operation, request))

    # Deferred: Hypothesis builds it (warming up) when it validates the test's
    # strategies, before it starts timing draws (health checks) and test bodies (deadline).
    return st.deferred(build)


def prerequisites(
    operation: str,
    request: Mapping[str, Any],
    *,
    account_id: str = DEFAULT_ACCOUNT,
    region: str = DEFAULT_REGION,
) -> list[warm.Need]:
    """The ``(operation, request)`` calls ``request`` needs made first (often none)."""
    kind = REQUEST_KINDS.get(operation)
    if kind is None or kind.needs is None:
        return []
    return kind.needs(dict(request), account_id, region)


def set_up(
    client: Any,
    operation: str,
    request: Mapping[str, Any],
    *,
    account_id: str = DEFAULT_ACCOUNT,
    region: str = DEFAULT_REGION,
) -> None:
    """Make what ``request`` needs through ``client`` (this package's or boto3's), if missing.

    Call it before submitting a drawn request; it does nothing for operations
    that need nothing, and creates nothing twice::

        @given(sms.valid_requests("CreateTransformJob"))
        def test_scoring(sagemaker_client, job):
            sms.set_up(sagemaker_client, "CreateTransformJob", job)  # its model
            sagemaker_client.create_transform_job(**job)
    """
    warm.set_up(client, prerequisites(operation, request, account_id=account_id, region=region))


def mostly_samples(
    operation: str, *, account_id: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION
) -> st.SearchStrategy[Request]:
    """Mostly the operation's sample request, one time in eight a fully drawn valid one.

    For state machines, where what matters is the sequence of calls: runs stay
    cheap, and a failing run shrinks to sample requests in few steps.
    """
    kind = REQUEST_KINDS[operation]
    assert kind.sample is not None, operation
    sample = kind.sample(account_id, region)
    valid = valid_requests(operation, account_id=account_id, region=region)
    return now_and_then(st.just(sample), valid, one_in=8)


# --- invalid requests -----------------------------------------------------------------

Path = tuple[Any, ...]
Fragment = str | Callable[[Request], str]


@attrs.frozen
class Breakage:
    """One way to break a valid request: edits, then the error code and message fragment.

    ``edits`` are ``(path, value)`` pairs applied in order; ``value`` is
    :data:`DELETE` to remove the member.
    """

    label: str
    edits: tuple[tuple[Path, Any], ...]
    code: str
    fragment: Fragment


DELETE = object()
_SPOT_OFF = (("EnableManagedSpotTraining",), DELETE)

#: Semantic breakages per create operation (the rules' errors, AWS's wording).
SEMANTIC_BREAKAGES: dict[str, tuple[Breakage, ...]] = {
    "CreateTrainingJob": (
        Breakage(
            "image and algorithm name",
            ((("AlgorithmSpecification", "AlgorithmName"), "my-algorithm"),),
            "ValidationException",
            messages.ALGORITHM_SOURCE_BOTH,
        ),
        Breakage(
            "max wait without spot",
            (_SPOT_OFF, (("StoppingCondition", "MaxWaitTimeInSeconds"), 86_400)),
            "ValidationException",
            messages.MAX_WAIT_WITHOUT_SPOT,
        ),
        Breakage(
            "duplicate channel",
            (
                (
                    ("InputDataConfig",),
                    [
                        {
                            "ChannelName": "train",
                            "DataSource": {
                                "S3DataSource": {
                                    "S3DataType": "S3Prefix",
                                    "S3Uri": "s3://my-bucket/train",
                                }
                            },
                        }
                    ]
                    * 2,
                ),
            ),
            "ValidationException",
            messages.duplicate_channel_name("train"),
        ),
        Breakage(
            "instance groups with type",
            (
                (
                    ("ResourceConfig", "InstanceGroups"),
                    [
                        {
                            "InstanceGroupName": "g1",
                            "InstanceType": "ml.m5.large",
                            "InstanceCount": 1,
                        }
                    ],
                ),
            ),
            "ValidationException",
            messages.INSTANCE_GROUPS_WITH_TYPE_OR_COUNT,
        ),
    ),
    "CreateCompilationJob": (
        Breakage(
            "no target",
            (
                (("OutputConfig", "TargetDevice"), DELETE),
                (("OutputConfig", "TargetPlatform"), DELETE),
            ),
            "ValidationException",
            messages.COMPILATION_TARGET_DEVICE_OR_PLATFORM_REQUIRED,
        ),
    ),
}

_PATTERN_BREAKERS = ("a_b", "-x", "!", " ", "\x00")


def _edit(request: Request, path: Path, value: Any) -> None:
    target: Any = request
    for key in path[:-1]:
        target = target.setdefault(key, {}) if isinstance(target, dict) else target[key]
    if value is DELETE:
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value


def apply(request: Request, breakage: Breakage) -> tuple[Request, str, str]:
    """A broken copy of ``request`` with the code and fragment ``breakage`` promises."""
    import copy

    broken = copy.deepcopy(request)
    for path, value in breakage.edits:
        _edit(broken, path, value if value is DELETE else copy.deepcopy(value))
    fragment = breakage.fragment(broken) if callable(breakage.fragment) else breakage.fragment
    return broken, breakage.code, fragment


def _leaves(shape_name: str, value: Any, path: Path = ()) -> list[tuple[Path, dict[str, Any]]]:
    """Every (path, shape) of a scalar in ``value`` (structures, lists and map values)."""
    shapes = load_model()["shapes"]
    shape = shapes[shape_name]
    kind = shape["type"]
    if kind == "structure" and isinstance(value, dict):
        members = dict(shape["members"])
        return [
            leaf
            for k, v in value.items()
            if k in members
            for leaf in _leaves(members[k], v, (*path, k))
        ]
    if kind == "list" and isinstance(value, list):
        return [
            leaf for i, v in enumerate(value) for leaf in _leaves(shape["member"], v, (*path, i))
        ]
    if kind == "map" and isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(shape["value"], v, (*path, k))]
    return [(path, shape)]


def schema_breakages(operation: str, request: Request) -> list[Breakage]:
    """Breakages the constraint model predicts for ``request``, one per broken constraint.

    Too long, above the maximum, outside the enum, off the pattern (the
    service's ValidationException); missing required, below the minimum and
    unknown members (botocore's ParamValidationError).
    """
    model = load_model()
    input_shape = model["operations"][operation].get("input")
    if input_shape is None:
        return []
    found = [
        Breakage(
            "unknown member",
            ((("NotAMember",), 1),),
            PARAM_VALIDATION_ERROR,
            'Unknown parameter in input: "NotAMember"',
        )
    ]
    for member in model["shapes"][input_shape].get("required", ()):
        found.append(
            Breakage(
                f"missing {member}",
                (((member,), DELETE),),
                PARAM_VALIDATION_ERROR,
                messages.param_missing("input", member),
            )
        )
    for path, shape in _leaves(input_shape, request):
        found.extend(_scalar_breakages(path, shape))
    return found


def _scalar_breakages(path: Path, shape: Mapping[str, Any]) -> list[Breakage]:
    kind, lo, hi = shape["type"], shape.get("min"), shape.get("max")
    out = []
    where = ".".join(str(p) for p in path)
    if kind == "string":
        if hi is not None and hi < 100_000:
            out.append(
                Breakage(
                    f"{where} too long",
                    ((path, "a" * (hi + 1)),),
                    "ValidationException",
                    messages.length_at_most(hi),
                )
            )
        if "enum" in shape:
            out.append(
                Breakage(
                    f"{where} not in enum",
                    ((path, "NotAnEnumValue"),),
                    "ValidationException",
                    messages.enum_constraint(shape["enum"]),
                )
            )
        elif "pattern" in shape:
            regex = patterns.compiled(shape["pattern"])
            for text in _PATTERN_BREAKERS:
                if regex.search(text) is None and (lo or 0) <= len(text) <= (hi or len(text)):
                    out.append(
                        Breakage(
                            f"{where} off pattern",
                            ((path, text),),
                            "ValidationException",
                            messages.pattern_constraint(shape["pattern"]),
                        )
                    )
                    break
    elif kind in ("integer", "long"):
        if hi is not None:
            out.append(
                Breakage(
                    f"{where} above max",
                    ((path, hi + 1),),
                    "ValidationException",
                    messages.value_at_most(hi),
                )
            )
        if lo is not None:
            out.append(
                Breakage(
                    f"{where} below min",
                    ((path, lo - 1),),
                    PARAM_VALIDATION_ERROR,
                    f"valid min value: {lo}",
                )
            )
    return out


def invalid_requests(
    operation: str, *, account_id: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION
) -> st.SearchStrategy[tuple[Request, str, str]]:
    """``(request, expected_code, expected_message_fragment)`` for ``operation``.

    A valid request broken in exactly one way: a schema constraint (see
    :func:`schema_breakages`) or, for create operations, a semantic rule
    (:data:`SEMANTIC_BREAKAGES`).  ``expected_code`` is the AWS error code, or
    ``"ParamValidationError"`` for what boto3 refuses before sending.
    """
    semantic = SEMANTIC_BREAKAGES.get(operation, ())

    def breakages(request: Request) -> st.SearchStrategy[tuple[Request, str, str]]:
        choices = list(semantic) + schema_breakages(operation, request)
        return st.sampled_from(choices).map(lambda breakage: apply(request, breakage))

    # flatmap, not a composite: the valid strategy is then warmed up with the test's own.
    valid = valid_requests(operation, account_id=account_id, region=region)
    return valid.flatmap(breakages)


# --- checking outcomes -----------------------------------------------------------------


def error_of(call: Callable[[], Any]) -> tuple[str, str] | None:
    """Run ``call``; ``None`` if it succeeds, else (code, message) of the API error it raised.

    The code is ``"ParamValidationError"`` for botocore's client-side error.
    Any other exception propagates.
    """
    try:
        call()
    except ParamValidationError as error:
        return PARAM_VALIDATION_ERROR, str(error)
    except ClientError as error:
        return error.response["Error"]["Code"], error.response["Error"]["Message"]
    return None


__all__ = [
    "CREATE_OPERATIONS",
    "DELETE",
    "PARAM_VALIDATION_ERROR",
    "SEMANTIC_BREAKAGES",
    "Breakage",
    "apply",
    "error_of",
    "hyperparameters",
    "instance_types",
    "invalid_requests",
    "is_valid",
    "job_names",
    "mostly_samples",
    "parameter_ranges",
    "prerequisites",
    "role_arns",
    "s3_uris",
    "schema_breakages",
    "set_up",
    "tags",
    "training_images",
    "valid_requests",
]
