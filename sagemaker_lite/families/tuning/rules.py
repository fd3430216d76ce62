"""Semantic rules of CreateHyperParameterTuningJob and the small facts tuning jobs live by.

Schema constraints (types, lengths, patterns, enums, required members) are checked
before these rules run (``sagemaker_lite.contract.validation``).  Here live the rules that
relate members to each other: ranges, strategies, limits, definitions, warm start.
:func:`check_create_hyper_parameter_tuning_job` raises the first violation as
AWS does, with the texts of :mod:`sagemaker_lite.contract.messages`.

Also here: how children are named, how a child's failure is classified, and when
failed children fail the tuning job.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from sagemaker_lite.contract import messages
from sagemaker_lite.contract.errors import ApiError, validation_error
from sagemaker_lite.families.shared import training_rules as training

# --- Service limits (AWS "resource limits for automatic model tuning") --------
MAX_TUNED_HYPERPARAMETERS = 30  # ranges of all kinds, summed
MAX_TOTAL_HYPERPARAMETERS = 100  # static + tunable, _tuning_objective_metric included
MAX_TRAINING_JOBS_PER_TUNING_JOB = 750  # default quota "training jobs per tuning job"
MAX_PARALLEL_TRAINING_JOBS_PER_TUNING_JOB = 100  # default quota "concurrent training jobs"
HYPERBAND_MAX_RESOURCE_LIMIT = 20_000
HYPERBAND_EPOCH_KEYS = ("epochs", "numepochs", "n-epochs", "n_epochs", "num_epochs")
MAX_WARM_START_PARENTS = 5
TERMINAL_TUNING_STATUSES = frozenset({"Completed", "Stopped", "Failed"})
# A tuning job fails once this many children failed before any succeeded.
FAILED_ATTEMPTS_BEFORE_FAILING = 5

# Repositories of SageMaker's built-in algorithm images: they emit their own
# metrics, so the objective need not be in MetricDefinitions.
BUILT_IN_ALGORITHM_REPOSITORIES = frozenset(
    {
        "blazingtext", "factorization-machines", "forecasting-deepar", "image-classification",
        "instance-segmentation", "ipinsights", "kmeans", "knn", "lda", "linear-learner", "ntm",
        "object-detection", "object2vec", "pca", "randomcutforest", "semantic-segmentation",
        "seq2seq", "xgboost", "sagemaker-xgboost",
    }
)  # fmt: skip

_ALL_SCALINGS = frozenset({"Auto", "Linear", "Logarithmic", "ReverseLogarithmic"})

Request = Mapping[str, Any]


# --- Small readers ---------------------------------------------------------------
def _parse_int(text: str) -> float | None:
    """An integer range bound as a number, or None when it is not an integer."""
    try:
        return float(int(text.strip()))
    except ValueError:
        return None


def _parse_float(text: str) -> float | None:
    """A continuous range bound as a finite number, or None."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


# (member of ParameterRanges, bound parser, allowed scaling types); categorical has no bounds.
_NUMERIC_RANGE_KINDS: tuple[tuple[str, Callable[[str], float | None], frozenset[str]], ...] = (
    ("IntegerParameterRanges", _parse_int, _ALL_SCALINGS - {"ReverseLogarithmic"}),
    ("ContinuousParameterRanges", _parse_float, _ALL_SCALINGS),
)
_RANGE_KINDS = (
    "IntegerParameterRanges",
    "ContinuousParameterRanges",
    "CategoricalParameterRanges",
)


class Definition:
    """One training definition with the objective and ranges that apply to it."""

    def __init__(self, body: Request, objective: Request | None, ranges: Request | None) -> None:
        self.body = body
        self.objective = objective
        self.ranges: Request = ranges or {}

    def range_names(self) -> Iterator[str]:
        """Names of every tuned hyperparameter, in request order."""
        for kind in _RANGE_KINDS:
            for item in self.ranges.get(kind, ()):
                yield str(item["Name"])

    @property
    def static(self) -> Mapping[str, str]:
        """The definition's static hyperparameters."""
        return self.body.get("StaticHyperParameters") or {}


def _config(request: Request) -> Request:
    return request.get("HyperParameterTuningJobConfig") or {}


def _limits(request: Request) -> Request:
    return _config(request).get("ResourceLimits") or {}


def definitions(request: Request) -> list[Definition]:
    """The definitions of the request; a single one takes the config's objective and ranges."""
    config = _config(request)
    single = request.get("TrainingJobDefinition")
    if single is not None:
        return [
            Definition(
                single,
                config.get("HyperParameterTuningJobObjective"),
                config.get("ParameterRanges"),
            )
        ]
    return [
        Definition(d, d.get("TuningObjective"), d.get("HyperParameterRanges"))
        for d in request.get("TrainingJobDefinitions") or ()
    ]


def _combinations(ranges: Request) -> int | None:
    """Distinct value combinations of discrete ranges; None when a range is continuous."""
    if ranges.get("ContinuousParameterRanges"):
        return None
    total = 1
    for item in ranges.get("CategoricalParameterRanges", ()):
        total *= len(item["Values"])
    for item in ranges.get("IntegerParameterRanges", ()):
        low, high = _parse_int(item["MinValue"]), _parse_int(item["MaxValue"])
        if low is None or high is None:
            return None
        total *= int(high - low) + 1
    return total


def _is_built_in_image(image: str) -> bool:
    """Whether a training image is one of SageMaker's built-in algorithms."""
    repository = image.rsplit("/", 1)[-1]
    repository = re.split(r"[:@]", repository, maxsplit=1)[0]
    return repository in BUILT_IN_ALGORITHM_REPOSITORIES


# --- Rules: each raises ApiError for its first violation ---------------------------
def _check_definition_choice(request: Request) -> None:
    single = request.get("TrainingJobDefinition") is not None
    multiple = request.get("TrainingJobDefinitions") is not None
    if single == multiple:
        raise validation_error(messages.EXACTLY_ONE_DEFINITION)
    config = _config(request)
    if single:
        if config.get("HyperParameterTuningJobObjective") is None:
            raise validation_error(messages.OBJECTIVE_REQUIRED)
        return
    # With several definitions, objective and ranges are per definition.
    for field in ("HyperParameterTuningJobObjective", "ParameterRanges"):
        if config.get(field) is not None:
            raise validation_error(messages.definitions_forbid(field))
    seen: set[str] = set()
    for definition in request["TrainingJobDefinitions"]:
        for field in ("DefinitionName", "TuningObjective", "HyperParameterRanges"):
            if definition.get(field) is None:
                raise validation_error(messages.definition_missing(field))
        name = definition["DefinitionName"]
        if name in seen:
            raise validation_error(messages.duplicate_definition_name(name))
        seen.add(name)


# Members of a tuning definition that a CreateTrainingJob request does not have.
_TUNING_ONLY_MEMBERS = frozenset(
    {
        "DefinitionName",
        "TuningObjective",
        "HyperParameterRanges",
        "StaticHyperParameters",
        "HyperParameterTuningResourceConfig",
    }
)


def as_training_request(definition: Mapping[str, Any]) -> dict[str, Any]:
    """A training definition as the CreateTrainingJob-like request its children get.

    A child runs on real instances, so a definition sized by a
    HyperParameterTuningResourceConfig gives it the ResourceConfig that stands for.
    """
    request = {k: v for k, v in definition.items() if k not in _TUNING_ONLY_MEMBERS}
    if "StaticHyperParameters" in definition:
        request["HyperParameters"] = definition["StaticHyperParameters"]
    tuning_resources = definition.get("HyperParameterTuningResourceConfig")
    if tuning_resources and "ResourceConfig" not in request:
        request["ResourceConfig"] = resource_config_of(tuning_resources)
    return request


def resource_config_of(tuning_resources: Mapping[str, Any]) -> dict[str, Any]:
    """The ResourceConfig a HyperParameterTuningResourceConfig stands for (its first choice)."""
    choice = (tuning_resources.get("InstanceConfigs") or [tuning_resources])[0]
    resources = {
        member: choice[member]
        for member in ("InstanceType", "InstanceCount", "VolumeSizeInGB")
        if member in choice
    }
    if "VolumeKmsKeyId" in tuning_resources:
        resources["VolumeKmsKeyId"] = tuning_resources["VolumeKmsKeyId"]
    return resources


def _check_training_definitions(request: Request) -> None:
    # Children are training jobs, so each definition obeys the training rules.
    for definition in definitions(request):
        error = training.first_violation(
            training.CREATE_RULES, as_training_request(definition.body)
        )
        if error is not None:
            raise error


def _check_range_bounds(ranges: Request) -> None:
    for kind, parse, scalings in _NUMERIC_RANGE_KINDS:
        for item in ranges.get(kind, ()):
            name = item["Name"]
            integer = kind == "IntegerParameterRanges"
            bounds = []
            for field in ("MinValue", "MaxValue"):
                value = parse(item[field])
                if value is None:
                    raise validation_error(
                        messages.range_value_not_numeric(name, field, item[field], integer)
                    )
                bounds.append(value)
            low, high = bounds
            if low > high:
                raise validation_error(
                    messages.range_min_above_max(name, item["MinValue"], item["MaxValue"])
                )
            scaling = item.get("ScalingType", "Auto")
            if scaling not in scalings:
                raise validation_error(messages.reverse_logarithmic_integer(name))
            if scaling == "Logarithmic" and low <= 0:
                raise validation_error(messages.logarithmic_needs_positive(name))
            if scaling == "ReverseLogarithmic" and not (low >= 0 and high < 1):
                raise validation_error(messages.reverse_logarithmic_range(name))


def _check_ranges(request: Request) -> None:
    autotune = request.get("Autotune") is not None
    for definition in definitions(request):
        ranges = definition.ranges
        if ranges.get("AutoParameters") and not autotune:
            raise validation_error(messages.AUTO_PARAMETERS_NEED_AUTOTUNE)
        _check_range_bounds(ranges)
        names = list(definition.range_names())
        if not names and not autotune:
            raise validation_error(messages.NO_PARAMETER_RANGES)
        if len(names) > MAX_TUNED_HYPERPARAMETERS:
            raise validation_error(
                messages.too_many_tuned_hyperparameters(len(names), MAX_TUNED_HYPERPARAMETERS)
            )
        seen: set[str] = set()
        for name in names:
            if name in seen:
                raise validation_error(messages.hyperparameter_tuned_twice(name))
            seen.add(name)
            if name in definition.static:
                raise validation_error(messages.hyperparameter_tuned_and_static(name))
        # SageMaker adds _tuning_objective_metric, which counts against the limit.
        total = len(names) + len(definition.static) + 1
        if total > MAX_TOTAL_HYPERPARAMETERS:
            raise validation_error(
                messages.too_many_hyperparameters(total, MAX_TOTAL_HYPERPARAMETERS)
            )


def _check_objective_metric(request: Request) -> None:
    for definition in definitions(request):
        spec = definition.body.get("AlgorithmSpecification") or {}
        image = spec.get("TrainingImage")
        if definition.objective is None or not image or spec.get("AlgorithmName"):
            continue  # algorithm resources define their own metrics
        if _is_built_in_image(image):
            continue  # built-in algorithms emit their own metrics
        defined = {m["Name"] for m in spec.get("MetricDefinitions") or ()}
        if definition.objective["MetricName"] not in defined:
            raise validation_error(messages.METRIC_NOT_DEFINED)


def _check_strategy(request: Request) -> None:
    config = _config(request)
    strategy = config["Strategy"]
    # A StrategyConfig with another strategy is accepted and ignored: the reference says
    # it "should be provided only if Hyperband is selected", and nothing shows AWS refusing it.
    if strategy == "Grid":
        _check_grid(request)
    elif strategy == "Hyperband":
        _check_hyperband(request)


def _check_grid(request: Request) -> None:
    combinations = 0
    for definition in definitions(request):
        ranges = definition.ranges
        if ranges.get("IntegerParameterRanges") or ranges.get("ContinuousParameterRanges"):
            raise validation_error(messages.GRID_ONLY_CATEGORICAL)
        combinations += _combinations(ranges) or 0
    if combinations > MAX_TRAINING_JOBS_PER_TUNING_JOB:
        raise validation_error(
            messages.grid_too_many_combinations(combinations, MAX_TRAINING_JOBS_PER_TUNING_JOB)
        )
    max_jobs = _limits(request).get("MaxNumberOfTrainingJobs")
    if max_jobs is not None and max_jobs != combinations:
        raise validation_error(messages.grid_max_jobs_mismatch(max_jobs, combinations))


def _check_hyperband(request: Request) -> None:
    config = _config(request)
    if config.get("TrainingJobEarlyStoppingType", "Off") != "Off":
        raise validation_error(messages.HYPERBAND_EARLY_STOPPING)
    hyperband = (config.get("StrategyConfig") or {}).get("HyperbandStrategyConfig") or {}
    max_resource = hyperband.get("MaxResource")
    if max_resource is None:
        max_resource = infer_max_resource(definitions(request))
        if max_resource is None:
            raise validation_error(messages.HYPERBAND_MAX_RESOURCE_UNKNOWN)
    if max_resource > HYPERBAND_MAX_RESOURCE_LIMIT:
        raise validation_error(
            messages.hyperband_max_resource_too_large(max_resource, HYPERBAND_MAX_RESOURCE_LIMIT)
        )
    min_resource = hyperband.get("MinResource")
    if min_resource is not None and min_resource > max_resource:
        raise validation_error(messages.hyperband_min_above_max(min_resource, max_resource))


def infer_max_resource(definitions: Sequence[Definition]) -> int | None:
    """MaxResource read from an epochs-like static hyperparameter, as Hyperband does."""
    for definition in definitions:
        for key in HYPERBAND_EPOCH_KEYS:
            value = definition.static.get(key)
            if value is not None and _parse_int(value) is not None:
                return int(value.strip())
    return None


def _check_resource_limits(request: Request) -> None:
    config = _config(request)
    limits = _limits(request)
    parallel = limits["MaxParallelTrainingJobs"]
    max_jobs = limits.get("MaxNumberOfTrainingJobs")
    quotas = (
        ("MaxNumberOfTrainingJobs", max_jobs, MAX_TRAINING_JOBS_PER_TUNING_JOB),
        ("MaxParallelTrainingJobs", parallel, MAX_PARALLEL_TRAINING_JOBS_PER_TUNING_JOB),
    )
    for field, value, limit in quotas:
        if value is not None and value > limit:
            raise ApiError("ResourceLimitExceeded", messages.quota_exceeded(field, value, limit))
    if max_jobs is None:
        if config["Strategy"] != "Grid" and request.get("Autotune") is None:
            raise validation_error(messages.max_jobs_required(config["Strategy"]))
        return
    if parallel > max_jobs:
        raise validation_error(messages.parallel_above_max(parallel, max_jobs))
    if config["Strategy"] == "Grid" or request.get("Autotune") is not None:
        return  # Grid sizes itself; Autotune chooses its own ranges
    # With only discrete ranges, the search space must hold MaxNumberOfTrainingJobs points.
    for definition in definitions(request):
        combinations = _combinations(definition.ranges)
        if combinations is not None and combinations < max_jobs:
            raise validation_error(messages.not_enough_combinations(combinations, max_jobs))


def _check_warm_start(request: Request) -> None:
    warm = request.get("WarmStartConfig")
    if warm is None:
        return
    seen: set[str] = set()
    for parent in warm["ParentHyperParameterTuningJobs"]:
        name = parent.get("HyperParameterTuningJobName", "")
        if name in seen:
            raise validation_error(messages.duplicate_warm_start_parent(name))
        seen.add(name)


# Order matters: AWS answers the first violated rule.
_RULES: tuple[Callable[[Request], None], ...] = (
    _check_definition_choice,
    _check_training_definitions,
    _check_ranges,
    _check_strategy,
    _check_resource_limits,
    _check_objective_metric,
    _check_warm_start,
)


def check_create_hyper_parameter_tuning_job(request: Mapping[str, Any]) -> None:
    """Raise the service's error for the first semantic rule ``request`` breaks.

    ``request`` is a schema-valid CreateHyperParameterTuningJob request.  Checks
    needing stored jobs (warm-start parents) are in :func:`check_warm_start_parents`.
    """
    for rule in _RULES:
        rule(request)


def check_warm_start_parents(
    parents: Sequence[str], status_of: Callable[[str], str | None]
) -> None:
    """Check that every warm-start parent exists and has reached a terminal status.

    ``status_of`` returns a tuning job's status, or None when there is no such job.
    """
    for name in parents:
        status = status_of(name)
        if status is None:
            raise validation_error(messages.warm_start_parent_not_found(name))
        if status not in TERMINAL_TUNING_STATUSES:
            raise validation_error(messages.warm_start_parent_not_terminal(name, status))


def check_warm_start_compatibility(
    request: Mapping[str, Any], parent_request: Mapping[str, Any]
) -> None:
    """Check a warm-start request against one parent's CreateHyperParameterTuningJob request.

    Both warm-start types need the same set of tunable plus static hyperparameter names.
    """
    if _hyperparameter_names(request) != _hyperparameter_names(parent_request):
        raise validation_error(messages.WARM_START_HYPERPARAMETERS_CHANGED)


def _hyperparameter_names(request: Request) -> set[str]:
    names: set[str] = set()
    for definition in definitions(request):
        names.update(definition.range_names())
        names.update(definition.static)
    return names


# --- Children --------------------------------------------------------------------
def child_training_job_name(tuning_job_name: str, index: int, suffix: str) -> str:
    """Name of the ``index``-th (1-based) training job a tuning job launches.

    AWS names them ``{tuning job}-{index, 3 digits}-{8 hex}``, for example
    ``sagemaker-xgboost-200901-0656-035-5d0f5aea``.  Tuning job names have at
    most 32 characters, so the result stays within the 63 a training job name allows.
    """
    return f"{tuning_job_name}-{index:03d}-{suffix[:8]}"


# FailureReason fragments AWS gives training jobs for service-side problems.
_RETRYABLE_MARKERS = (
    "InternalServerError",
    "InsufficientCapacityError",
    "CapacityError",
    "ThrottlingException",
    "We encountered an internal error",
)


def classify_child_failure(failure_reason: str) -> str:
    """``RetryableError`` for service-side child failures, else ``NonRetryableError``.

    Only internal service errors can be retried (TrainingJobStatusCounters); client
    and algorithm errors cannot.
    """
    if any(marker in failure_reason for marker in _RETRYABLE_MARKERS):
        return "RetryableError"
    return "NonRetryableError"


def tuning_job_failure_reason(completed: int, failed: int) -> str | None:
    """The FailureReason failing a tuning job, or None while it may go on.

    A tuning job fails once :data:`FAILED_ATTEMPTS_BEFORE_FAILING` children have
    failed and none has completed.
    """
    if completed == 0 and failed >= FAILED_ATTEMPTS_BEFORE_FAILING:
        return messages.no_training_job_succeeded(FAILED_ATTEMPTS_BEFORE_FAILING)
    return None


__all__ = [
    "as_training_request",
    "check_create_hyper_parameter_tuning_job",
    "check_warm_start_compatibility",
    "check_warm_start_parents",
    "child_training_job_name",
    "classify_child_failure",
    "tuning_job_failure_reason",
]
