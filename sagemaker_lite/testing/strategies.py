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
(``sagemaker_lite.schema_strategies``).  Hypothesis is needed only here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

import attrs
from hypothesis import strategies as st

from sagemaker_lite import messages, patterns, validation
from sagemaker_lite.errors import ApiError, ClientError, ParamValidationError
from sagemaker_lite.rules import compilation as compilation_rules
from sagemaker_lite.rules import training as training_rules
from sagemaker_lite.rules import tuning as tuning_rules
from sagemaker_lite.schema_strategies import request_strategy
from sagemaker_lite.spec import load_model

Request = dict[str, Any]
#: The code ``invalid_requests`` gives for what boto3 rejects client-side.
PARAM_VALIDATION_ERROR = "ParamValidationError"

DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"

# --- realistic building blocks ---------------------------------------------------

_WORDS = ("mnist", "churn", "resnet", "bert", "xgb", "demo", "exp", "ablation", "fraud")


def job_names(max_length: int = 63) -> st.SearchStrategy[str]:
    """Job names as people write them (``resnet-exp-42``): valid for every job kind."""
    word = st.sampled_from(_WORDS)
    number = st.integers(0, 10_000).map(str)
    parts = st.lists(st.one_of(word, number), min_size=1, max_size=4)
    return parts.map("-".join).filter(lambda name: len(name) <= max_length)


def s3_uris(suffix: str = "") -> st.SearchStrategy[str]:
    """``s3://bucket/prefix`` URIs with lower-case bucket names."""
    bucket = st.sampled_from(("my-bucket", "ml-data-123", "sagemaker-us-east-1-data"))
    prefix = st.lists(st.sampled_from(("data", "train", "models", "v1", "2024")), max_size=3)
    return st.builds(lambda b, p: "/".join([f"s3://{b}", *p]) + suffix, bucket, prefix)


def role_arns(account_id: str = DEFAULT_ACCOUNT) -> st.SearchStrategy[str]:
    """IAM role ARNs of ``account_id``."""
    names = st.sampled_from(("SageMakerRole", "service-role/AmazonSageMaker-ExecutionRole"))
    return names.map(lambda name: f"arn:aws:iam::{account_id}:role/{name}")


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
METRIC_NAME = "validation:loss"
METRIC_REGEX = r"validation loss: ([0-9\.]+)"


def hyperparameters() -> st.SearchStrategy[dict[str, str]]:
    """Static hyperparameters as SageMaker takes them: string values."""

    def value(name: str) -> st.SearchStrategy[str]:
        low, high, integer = _HYPERPARAMETERS[name]
        if integer:
            return st.integers(int(low), int(high)).map(str)
        return st.floats(low, high).map(lambda v: f"{v:.6g}")

    return st.lists(st.sampled_from(sorted(_HYPERPARAMETERS)), unique=True, max_size=3).flatmap(
        lambda names: st.fixed_dictionaries({n: value(n) for n in names})
    )


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


def tags() -> st.SearchStrategy[list[dict[str, str]]]:
    """Tag lists with distinct keys."""
    keys = st.sampled_from(("team", "project", "cost-center", "env"))
    return st.lists(keys, unique=True, max_size=3).map(
        lambda ks: [{"Key": k, "Value": f"{k}-value"} for k in ks]
    )


# --- valid create requests ----------------------------------------------------------


@st.composite
def _training_body(draw: st.DrawFn, account_id: str, region: str, tuned: bool) -> Request:
    """The parts a CreateTrainingJob request and a tuning TrainingJobDefinition share."""
    max_runtime = draw(st.integers(60, 5 * 24 * 3600))
    spot = draw(st.booleans())
    stopping: dict[str, int] = {"MaxRuntimeInSeconds": max_runtime}
    if spot:
        stopping["MaxWaitTimeInSeconds"] = draw(st.integers(max_runtime, 6 * 24 * 3600))
    channels = draw(
        st.lists(st.sampled_from(("train", "validation", "test")), unique=True, max_size=3)
    )
    mode = draw(st.sampled_from(("File", "Pipe", "FastFile")))
    algorithm: dict[str, Any] = {
        "TrainingImage": draw(training_images(account_id, region)),
        "TrainingInputMode": mode,
    }
    if tuned or draw(st.booleans()):
        algorithm["MetricDefinitions"] = [{"Name": METRIC_NAME, "Regex": METRIC_REGEX}]
    body: Request = {
        "AlgorithmSpecification": algorithm,
        "RoleArn": draw(role_arns(account_id)),
        "OutputDataConfig": {"S3OutputPath": draw(s3_uris())},
        "ResourceConfig": {
            "InstanceType": draw(instance_types()),
            "InstanceCount": draw(st.integers(1, 4)),
            "VolumeSizeInGB": draw(st.integers(1, 200)),
        },
        "StoppingCondition": stopping,
    }
    if channels:
        body["InputDataConfig"] = [
            {
                "ChannelName": name,
                "DataSource": {
                    "S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": draw(s3_uris(f"/{name}"))}
                },
            }
            for name in channels
        ]
    if spot:
        body["EnableManagedSpotTraining"] = True
    hp = draw(hyperparameters())
    if hp:
        body["StaticHyperParameters" if tuned else "HyperParameters"] = hp
    return body


@st.composite
def _create_training_job(draw: st.DrawFn, account_id: str, region: str) -> Request:
    request = {
        "TrainingJobName": draw(job_names()),
        **draw(_training_body(account_id, region, tuned=False)),
    }
    job_tags = draw(tags())
    if job_tags:
        request["Tags"] = job_tags
    return request


@st.composite
def _create_tuning_job(draw: st.DrawFn, account_id: str, region: str) -> Request:
    definition = draw(_training_body(account_id, region, tuned=True))
    ranges = draw(parameter_ranges())
    # A tuned hyperparameter cannot also be static.
    static = {
        k: v
        for k, v in definition.pop("StaticHyperParameters", {}).items()
        if not any(r["Name"] == k for rs in ranges.values() for r in rs)
    }
    if static:
        definition["StaticHyperParameters"] = static
    max_jobs = draw(st.integers(1, 20))
    return {
        "HyperParameterTuningJobName": draw(job_names(32)),
        "HyperParameterTuningJobConfig": {
            "Strategy": draw(st.sampled_from(("Bayesian", "Random"))),
            "HyperParameterTuningJobObjective": {"Type": "Minimize", "MetricName": METRIC_NAME},
            "ResourceLimits": {
                "MaxNumberOfTrainingJobs": max_jobs,
                "MaxParallelTrainingJobs": draw(st.integers(1, max_jobs)),
            },
            "ParameterRanges": ranges,
        },
        "TrainingJobDefinition": definition,
    }


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
    framework = draw(st.sampled_from(sorted(_COMPILATION_INPUTS)))
    config: Request = {"S3Uri": draw(s3_uris("/model.tar.gz")), "Framework": framework}
    if _COMPILATION_INPUTS[framework] is not None:
        config["DataInputConfig"] = _COMPILATION_INPUTS[framework]
    target = draw(st.sampled_from(("ml_c5", "ml_m5", "ml_p3", "ml_g4dn")))
    return {
        "CompilationJobName": draw(job_names()),
        "RoleArn": draw(role_arns(account_id)),
        "InputConfig": config,
        "OutputConfig": {"S3OutputLocation": draw(s3_uris()), "TargetDevice": target},
        "StoppingCondition": {"MaxRuntimeInSeconds": draw(st.integers(60, 3600))},
    }


@st.composite
def _update_training_job(draw: st.DrawFn, account_id: str, region: str) -> Request:
    # The warm-pool keep-alive: the one update every job type accepts.
    return {
        "TrainingJobName": draw(job_names()),
        "ResourceConfig": {"KeepAlivePeriodInSeconds": draw(st.integers(0, 3600))},
    }


#: The semantic check each create operation runs after schema validation.
_SEMANTIC: dict[str, Callable[[Request], None]] = {
    "CreateTrainingJob": training_rules.check_create_training_job,
    "CreateHyperParameterTuningJob": tuning_rules.check_create_hyper_parameter_tuning_job,
    "CreateCompilationJob": compilation_rules.check_create_compilation_job,
}
_BUILDERS = {
    "CreateTrainingJob": _create_training_job,
    "CreateHyperParameterTuningJob": _create_tuning_job,
    "CreateCompilationJob": _create_compilation_job,
}
CREATE_OPERATIONS = tuple(_BUILDERS)
# Realistic builders beyond the creates (the generic model strategy is slow for these).
_BUILDERS["UpdateTrainingJob"] = _update_training_job


def is_valid(operation: str, request: Mapping[str, Any]) -> bool:
    """Whether ``request`` passes botocore's checks, the constraint model and the rules."""
    try:
        validation.check_params(operation, dict(request))
        validation.check_request(operation, request)
        semantic = _SEMANTIC.get(operation)
        if semantic is not None:
            semantic(dict(request))
    except (ParamValidationError, ApiError):
        return False
    return True


def valid_requests(
    operation: str, *, account_id: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION
) -> st.SearchStrategy[Request]:
    """Valid requests for ``operation`` (realistic ones for the three create operations).

    Create requests pass every schema constraint and semantic rule.  Requests
    of other operations are schema-valid; the jobs they name may not exist.
    """
    builder = _BUILDERS.get(operation)
    if builder is None:
        return request_strategy(operation)
    strategy: st.SearchStrategy[Request] = builder(account_id, region)
    return strategy.filter(lambda request: is_valid(operation, request))


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
            ((("OutputConfig", "TargetDevice"), DELETE),),
            "ValidationException",
            messages.COMPILATION_TARGET_DEVICE_OR_PLATFORM_REQUIRED,
        ),
    ),
}

#: Which member names the job in each create operation.
_NAME_MEMBER = {
    "CreateTrainingJob": "TrainingJobName",
    "CreateHyperParameterTuningJob": "HyperParameterTuningJobName",
    "CreateCompilationJob": "CompilationJobName",
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

    @st.composite
    def draw_case(draw: st.DrawFn) -> tuple[Request, str, str]:
        request = draw(valid_requests(operation, account_id=account_id, region=region))
        choices = list(semantic) + schema_breakages(operation, request)
        return apply(request, draw(st.sampled_from(choices)))

    return draw_case()


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
    "parameter_ranges",
    "role_arns",
    "s3_uris",
    "schema_breakages",
    "tags",
    "training_images",
    "valid_requests",
]
