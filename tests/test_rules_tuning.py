"""Semantic rules of CreateHyperParameterTuningJob: each rule broken, and just kept."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from sagemaker_lite.contract import messages
from sagemaker_lite.contract.errors import ApiError
from sagemaker_lite.families.tuning import rules as tuning
from sagemaker_lite.families.tuning.rules import (
    check_create_hyper_parameter_tuning_job,
    check_warm_start_compatibility,
    check_warm_start_parents,
    child_training_job_name,
    classify_child_failure,
    tuning_job_failure_reason,
)

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-algo:latest"


def definition(**overrides: Any) -> dict[str, Any]:
    """A valid HyperParameterTrainingJobDefinition with a custom image."""
    body: dict[str, Any] = {
        "StaticHyperParameters": {"epochs": "10"},
        "AlgorithmSpecification": {
            "TrainingImage": IMAGE,
            "TrainingInputMode": "File",
            "MetricDefinitions": [{"Name": "validation:loss", "Regex": "loss=([0-9.]+)"}],
        },
        "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
        "InputDataConfig": [
            {
                "ChannelName": "train",
                "DataSource": {
                    "S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://bucket/train"}
                },
            }
        ],
        "OutputDataConfig": {"S3OutputPath": "s3://bucket/output"},
        "ResourceConfig": {
            "InstanceType": "ml.m5.xlarge",
            "InstanceCount": 1,
            "VolumeSizeInGB": 10,
        },
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    }
    body.update(overrides)
    return body


def valid_request() -> dict[str, Any]:
    """A full, valid CreateHyperParameterTuningJob request (Bayesian, one definition)."""
    return {
        "HyperParameterTuningJobName": "my-tuning-job",
        "HyperParameterTuningJobConfig": {
            "Strategy": "Bayesian",
            "HyperParameterTuningJobObjective": {
                "Type": "Minimize",
                "MetricName": "validation:loss",
            },
            "ResourceLimits": {"MaxNumberOfTrainingJobs": 10, "MaxParallelTrainingJobs": 2},
            "ParameterRanges": {
                "ContinuousParameterRanges": [
                    {"Name": "lr", "MinValue": "0.001", "MaxValue": "0.1", "ScalingType": "Auto"}
                ],
                "IntegerParameterRanges": [{"Name": "depth", "MinValue": "1", "MaxValue": "10"}],
                "CategoricalParameterRanges": [{"Name": "opt", "Values": ["sgd", "adam"]}],
            },
            "TrainingJobEarlyStoppingType": "Off",
        },
        "TrainingJobDefinition": definition(),
    }


def config(request: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = request["HyperParameterTuningJobConfig"]
    return result


def ranges(request: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = config(request)["ParameterRanges"]
    return result


def only_categorical(request: dict[str, Any], values: list[str]) -> None:
    ranges(request).clear()
    ranges(request)["CategoricalParameterRanges"] = [{"Name": "opt", "Values": values}]


def grid(request: dict[str, Any]) -> None:
    config(request)["Strategy"] = "Grid"
    only_categorical(request, ["a", "b", "c"])
    del config(request)["ResourceLimits"]["MaxNumberOfTrainingJobs"]


def hyperband(request: dict[str, Any]) -> None:
    config(request)["Strategy"] = "Hyperband"
    config(request)["StrategyConfig"] = {
        "HyperbandStrategyConfig": {"MinResource": 1, "MaxResource": 10}
    }


def multi(request: dict[str, Any]) -> None:
    """Switch to TrainingJobDefinitions, moving objective and ranges into two definitions."""
    objective = config(request).pop("HyperParameterTuningJobObjective")
    parameter_ranges = config(request).pop("ParameterRanges")
    del request["TrainingJobDefinition"]
    request["TrainingJobDefinitions"] = [
        definition(
            DefinitionName=name,
            TuningObjective=copy.deepcopy(objective),
            HyperParameterRanges=copy.deepcopy(parameter_ranges),
        )
        for name in ("a", "b")
    ]


def set_range(kind: str, **fields: str) -> Callable[[dict[str, Any]], None]:
    """Replace the ranges by a single range of ``kind``."""

    def edit(request: dict[str, Any]) -> None:
        ranges(request).clear()
        ranges(request)[kind] = [{"Name": "x", **fields}]
        config(request)["ResourceLimits"].update(
            MaxNumberOfTrainingJobs=1, MaxParallelTrainingJobs=1
        )

    return edit


def violates(edit: Callable[[dict[str, Any]], None]) -> ApiError:
    request = valid_request()
    edit(request)
    with pytest.raises(ApiError) as info:
        check_create_hyper_parameter_tuning_job(request)
    return info.value


def passes(edit: Callable[[dict[str, Any]], None]) -> None:
    request = valid_request()
    edit(request)
    check_create_hyper_parameter_tuning_job(request)


def test_valid_request_passes() -> None:
    check_create_hyper_parameter_tuning_job(valid_request())


def _edit(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Set a dotted path (list items by index) in the request."""

    def edit(request: dict[str, Any]) -> None:
        target: Any = request
        keys = path.split(".")
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target[key]
        last = keys[-1]
        if value is _DELETE:
            del target[last]
        else:
            target[last] = value

    return edit


_DELETE = object()
CFG = "HyperParameterTuningJobConfig"
LIMITS = f"{CFG}.ResourceLimits"


def _both(*edits: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def edit(request: dict[str, Any]) -> None:
        for one in edits:
            one(request)

    return edit


# (id, breaking edit, expected code, expected message, edit just inside the rule)
CASES: list[tuple[str, Any, str, str, Any]] = [
    (
        "integer-bound-not-integer",
        set_range("IntegerParameterRanges", MinValue="1.5", MaxValue="3"),
        "ValidationException",
        messages.range_value_not_numeric("x", "MinValue", "1.5", integer=True),
        set_range("IntegerParameterRanges", MinValue="1", MaxValue="3"),
    ),
    (
        "continuous-bound-not-number",
        set_range("ContinuousParameterRanges", MinValue="0", MaxValue="big"),
        "ValidationException",
        messages.range_value_not_numeric("x", "MaxValue", "big", integer=False),
        set_range("ContinuousParameterRanges", MinValue="0", MaxValue="1e3"),
    ),
    (
        "min-above-max",
        set_range("ContinuousParameterRanges", MinValue="0.2", MaxValue="0.1"),
        "ValidationException",
        messages.range_min_above_max("x", "0.2", "0.1"),
        set_range("ContinuousParameterRanges", MinValue="0.1", MaxValue="0.1"),
    ),
    (
        "logarithmic-needs-positive-min",
        set_range(
            "ContinuousParameterRanges", MinValue="0", MaxValue="1", ScalingType="Logarithmic"
        ),
        "ValidationException",
        messages.logarithmic_needs_positive("x"),
        set_range(
            "ContinuousParameterRanges", MinValue="1e-9", MaxValue="1", ScalingType="Logarithmic"
        ),
    ),
    (
        "integer-logarithmic-needs-positive-min",
        set_range("IntegerParameterRanges", MinValue="0", MaxValue="9", ScalingType="Logarithmic"),
        "ValidationException",
        messages.logarithmic_needs_positive("x"),
        set_range("IntegerParameterRanges", MinValue="1", MaxValue="9", ScalingType="Logarithmic"),
    ),
    (
        "reverse-logarithmic-not-for-integers",
        set_range(
            "IntegerParameterRanges", MinValue="0", MaxValue="0", ScalingType="ReverseLogarithmic"
        ),
        "ValidationException",
        messages.reverse_logarithmic_integer("x"),
        set_range(
            "ContinuousParameterRanges",
            MinValue="0",
            MaxValue="0",
            ScalingType="ReverseLogarithmic",
        ),
    ),
    (
        "reverse-logarithmic-max-below-one",
        set_range(
            "ContinuousParameterRanges",
            MinValue="0",
            MaxValue="1",
            ScalingType="ReverseLogarithmic",
        ),
        "ValidationException",
        messages.reverse_logarithmic_range("x"),
        set_range(
            "ContinuousParameterRanges",
            MinValue="0",
            MaxValue="0.999",
            ScalingType="ReverseLogarithmic",
        ),
    ),
    (
        "reverse-logarithmic-min-not-negative",
        set_range(
            "ContinuousParameterRanges",
            MinValue="-0.1",
            MaxValue="0.5",
            ScalingType="ReverseLogarithmic",
        ),
        "ValidationException",
        messages.reverse_logarithmic_range("x"),
        set_range(
            "ContinuousParameterRanges",
            MinValue="0",
            MaxValue="0.5",
            ScalingType="ReverseLogarithmic",
        ),
    ),
    (
        "tuned-twice",
        _edit(
            f"{CFG}.ParameterRanges.CategoricalParameterRanges.0.Name",
            "lr",
        ),
        "ValidationException",
        messages.hyperparameter_tuned_twice("lr"),
        _edit(f"{CFG}.ParameterRanges.CategoricalParameterRanges.0.Name", "lr2"),
    ),
    (
        "tuned-and-static",
        _edit("TrainingJobDefinition.StaticHyperParameters", {"depth": "3"}),
        "ValidationException",
        messages.hyperparameter_tuned_and_static("depth"),
        _edit("TrainingJobDefinition.StaticHyperParameters", {"depth2": "3"}),
    ),
    (
        "too-many-ranges",
        _edit(
            f"{CFG}.ParameterRanges.ContinuousParameterRanges",
            [{"Name": f"p{i}", "MinValue": "0", "MaxValue": "1"} for i in range(29)],
        ),
        "ValidationException",
        messages.too_many_tuned_hyperparameters(31, 30),
        _edit(
            f"{CFG}.ParameterRanges.ContinuousParameterRanges",
            [{"Name": f"p{i}", "MinValue": "0", "MaxValue": "1"} for i in range(28)],
        ),
    ),
    (
        "too-many-hyperparameters",
        # 3 tuned + 97 static + _tuning_objective_metric = 101
        _edit("TrainingJobDefinition.StaticHyperParameters", {f"s{i}": "1" for i in range(97)}),
        "ValidationException",
        messages.too_many_hyperparameters(101, 100),
        _edit("TrainingJobDefinition.StaticHyperParameters", {f"s{i}": "1" for i in range(96)}),
    ),
    (
        "auto-parameters-need-autotune",
        _edit(f"{CFG}.ParameterRanges.AutoParameters", [{"Name": "k", "ValueHint": "3"}]),
        "ValidationException",
        messages.AUTO_PARAMETERS_NEED_AUTOTUNE,
        _both(
            _edit(f"{CFG}.ParameterRanges.AutoParameters", [{"Name": "k", "ValueHint": "3"}]),
            _edit("Autotune", {"Mode": "Enabled"}),
        ),
    ),
    (
        "parallel-above-max",
        _edit(f"{LIMITS}.MaxParallelTrainingJobs", 11),
        "ValidationException",
        messages.parallel_above_max(11, 10),
        _edit(f"{LIMITS}.MaxParallelTrainingJobs", 10),
    ),
    (
        "max-jobs-required",
        _edit(f"{LIMITS}.MaxNumberOfTrainingJobs", _DELETE),
        "ValidationException",
        messages.max_jobs_required("Bayesian"),
        _both(
            _edit(f"{LIMITS}.MaxNumberOfTrainingJobs", _DELETE),
            _edit("Autotune", {"Mode": "Enabled"}),
        ),
    ),
    (
        "max-jobs-quota",
        _both(_edit(f"{LIMITS}.MaxNumberOfTrainingJobs", 751)),
        "ResourceLimitExceeded",
        messages.quota_exceeded("MaxNumberOfTrainingJobs", 751, 750),
        _edit(f"{LIMITS}.MaxNumberOfTrainingJobs", 750),
    ),
    (
        "parallel-quota",
        _both(
            _edit(f"{LIMITS}.MaxNumberOfTrainingJobs", 200),
            _edit(f"{LIMITS}.MaxParallelTrainingJobs", 101),
        ),
        "ResourceLimitExceeded",
        messages.quota_exceeded("MaxParallelTrainingJobs", 101, 100),
        _both(
            _edit(f"{LIMITS}.MaxNumberOfTrainingJobs", 200),
            _edit(f"{LIMITS}.MaxParallelTrainingJobs", 100),
        ),
    ),
    (
        "not-enough-combinations",
        _both(
            _edit(f"{CFG}.ParameterRanges.ContinuousParameterRanges", []),
            _edit(f"{LIMITS}.MaxNumberOfTrainingJobs", 21),  # 10 depths x 2 optimizers
        ),
        "ValidationException",
        messages.not_enough_combinations(20, 21),
        _both(
            _edit(f"{CFG}.ParameterRanges.ContinuousParameterRanges", []),
            _edit(f"{LIMITS}.MaxNumberOfTrainingJobs", 20),
        ),
    ),
    (
        "objective-not-in-metric-definitions",
        _edit(f"{CFG}.HyperParameterTuningJobObjective.MetricName", "validation:auc"),
        "ValidationException",
        messages.METRIC_NOT_DEFINED,
        _both(
            _edit(f"{CFG}.HyperParameterTuningJobObjective.MetricName", "validation:auc"),
            _edit(
                "TrainingJobDefinition.AlgorithmSpecification.TrainingImage",
                "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
            ),
        ),
    ),
    (
        "exactly-one-definition",
        lambda r: r.__setitem__("TrainingJobDefinitions", [r["TrainingJobDefinition"]]),
        "ValidationException",
        messages.EXACTLY_ONE_DEFINITION,
        lambda r: None,
    ),
    (
        "objective-required-with-one-definition",
        _edit(f"{CFG}.HyperParameterTuningJobObjective", _DELETE),
        "ValidationException",
        messages.OBJECTIVE_REQUIRED,
        lambda r: None,
    ),
    (
        "definitions-unique-names",
        _both(multi, _edit("TrainingJobDefinitions.1.DefinitionName", "a")),
        "ValidationException",
        messages.duplicate_definition_name("a"),
        multi,
    ),
    (
        "definitions-need-objective",
        _both(multi, _edit("TrainingJobDefinitions.1.TuningObjective", _DELETE)),
        "ValidationException",
        messages.definition_missing("TuningObjective"),
        multi,
    ),
    (
        "definitions-need-ranges",
        _both(multi, _edit("TrainingJobDefinitions.0.HyperParameterRanges", _DELETE)),
        "ValidationException",
        messages.definition_missing("HyperParameterRanges"),
        multi,
    ),
    (
        "definitions-forbid-config-ranges",
        _both(multi, _edit(f"{CFG}.ParameterRanges", {})),
        "ValidationException",
        messages.definitions_forbid("ParameterRanges"),
        multi,
    ),
    (
        "definition-obeys-training-rules",
        _edit("TrainingJobDefinition.StoppingCondition.MaxWaitTimeInSeconds", 7200),
        "ValidationException",
        messages.MAX_WAIT_WITHOUT_SPOT,
        _both(
            _edit("TrainingJobDefinition.StoppingCondition.MaxWaitTimeInSeconds", 7200),
            _edit("TrainingJobDefinition.EnableManagedSpotTraining", True),
        ),
    ),
    (
        "grid-only-categorical",
        _both(
            grid,
            _edit(
                f"{CFG}.ParameterRanges.IntegerParameterRanges",
                [{"Name": "d", "MinValue": "1", "MaxValue": "2"}],
            ),
        ),
        "ValidationException",
        messages.GRID_ONLY_CATEGORICAL,
        grid,
    ),
    (
        "grid-max-jobs-equals-combinations",
        _both(grid, _edit(f"{LIMITS}.MaxNumberOfTrainingJobs", 4)),
        "ValidationException",
        messages.grid_max_jobs_mismatch(4, 3),
        _both(grid, _edit(f"{LIMITS}.MaxNumberOfTrainingJobs", 3)),
    ),
    (
        "grid-search-space-quota",
        _both(
            grid,
            _edit(
                f"{CFG}.ParameterRanges.CategoricalParameterRanges",
                [
                    {"Name": "a", "Values": [str(i) for i in range(26)]},
                    {"Name": "b", "Values": [str(i) for i in range(30)]},
                ],
            ),
        ),
        "ValidationException",
        messages.grid_too_many_combinations(26 * 30, 750),
        _both(
            grid,
            _edit(
                f"{CFG}.ParameterRanges.CategoricalParameterRanges",
                [
                    {"Name": "a", "Values": [str(i) for i in range(25)]},
                    {"Name": "b", "Values": [str(i) for i in range(30)]},
                ],
            ),
        ),
    ),
    (
        "hyperband-early-stopping-off",
        _both(hyperband, _edit(f"{CFG}.TrainingJobEarlyStoppingType", "Auto")),
        "ValidationException",
        messages.HYPERBAND_EARLY_STOPPING,
        hyperband,
    ),
    (
        "hyperband-min-above-max",
        _both(hyperband, _edit(f"{CFG}.StrategyConfig.HyperbandStrategyConfig.MinResource", 11)),
        "ValidationException",
        messages.hyperband_min_above_max(11, 10),
        _both(hyperband, _edit(f"{CFG}.StrategyConfig.HyperbandStrategyConfig.MinResource", 10)),
    ),
    (
        "hyperband-max-resource-limit",
        _both(hyperband, _edit(f"{CFG}.StrategyConfig.HyperbandStrategyConfig.MaxResource", 20001)),
        "ValidationException",
        messages.hyperband_max_resource_too_large(20001, 20000),
        _both(hyperband, _edit(f"{CFG}.StrategyConfig.HyperbandStrategyConfig.MaxResource", 20000)),
    ),
    (
        "hyperband-max-resource-inferable",
        _both(
            hyperband,
            _edit(f"{CFG}.StrategyConfig", _DELETE),
            _edit("TrainingJobDefinition.StaticHyperParameters", {"batch": "32"}),
        ),
        "ValidationException",
        messages.HYPERBAND_MAX_RESOURCE_UNKNOWN,
        _both(
            hyperband,
            _edit(f"{CFG}.StrategyConfig", _DELETE),
            _edit("TrainingJobDefinition.StaticHyperParameters", {"num_epochs": "32"}),
        ),
    ),
    (
        "warm-start-unique-parents",
        _edit(
            "WarmStartConfig",
            {
                "ParentHyperParameterTuningJobs": [
                    {"HyperParameterTuningJobName": "p1"},
                    {"HyperParameterTuningJobName": "p1"},
                ],
                "WarmStartType": "TransferLearning",
            },
        ),
        "ValidationException",
        messages.duplicate_warm_start_parent("p1"),
        _edit(
            "WarmStartConfig",
            {
                "ParentHyperParameterTuningJobs": [
                    {"HyperParameterTuningJobName": "p1"},
                    {"HyperParameterTuningJobName": "p2"},
                ],
                "WarmStartType": "TransferLearning",
            },
        ),
    ),
]


@pytest.mark.parametrize(("edit", "code", "message", "inside"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_rule(edit: Any, code: str, message: str, inside: Any) -> None:
    error = violates(edit)
    assert (error.code, error.message) == (code, message)
    passes(inside)


@pytest.mark.parametrize("strategy_config", [{}, {"HyperbandStrategyConfig": {"MaxResource": 10}}])
def test_a_strategy_config_with_another_strategy_is_accepted(strategy_config: Any) -> None:
    # The reference says it "should be provided only if Hyperband is selected"; nothing
    # shows AWS refusing it (docs/fidelity.md, "Rules without evidence").
    passes(_edit(f"{CFG}.StrategyConfig", strategy_config))


def test_a_bayesian_job_with_an_empty_strategy_config_runs() -> None:
    import sagemaker_lite

    request = valid_request()
    config(request)["StrategyConfig"] = {}
    sm = sagemaker_lite.client()
    sm.create_hyper_parameter_tuning_job(**request)
    sm.emulator.run_until_idle()
    name = request["HyperParameterTuningJobName"]
    job = sm.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=name)
    assert job["HyperParameterTuningJobStatus"] == "Completed"
    assert job["HyperParameterTuningJobConfig"]["StrategyConfig"] == {}


def test_rules_report_the_first_violation_only() -> None:
    # Both a bad range and a bad limit: the range rule comes first.
    def edit(request: dict[str, Any]) -> None:
        set_range("ContinuousParameterRanges", MinValue="2", MaxValue="1")(request)
        config(request)["ResourceLimits"]["MaxParallelTrainingJobs"] = 50

    assert violates(edit).message == messages.range_min_above_max("x", "2", "1")


def test_algorithm_resource_needs_no_metric_definitions() -> None:
    def edit(request: dict[str, Any]) -> None:
        spec = request["TrainingJobDefinition"]["AlgorithmSpecification"]
        del spec["TrainingImage"], spec["MetricDefinitions"]
        spec["AlgorithmName"] = "my-algorithm"

    passes(edit)


def test_each_definition_is_checked_against_its_own_metrics() -> None:
    def edit(request: dict[str, Any]) -> None:
        multi(request)
        request["TrainingJobDefinitions"][1]["TuningObjective"]["MetricName"] = "other"

    assert violates(edit).message == messages.METRIC_NOT_DEFINED


# --- Warm start against the registry ------------------------------------------------
STATUSES = {"done": "Completed", "stopped": "Stopped", "failed": "Failed", "busy": "InProgress"}


def test_warm_start_parents_must_exist() -> None:
    with pytest.raises(ApiError) as info:
        check_warm_start_parents(["done", "ghost"], STATUSES.get)
    assert (info.value.code, info.value.message) == (
        "ValidationException",
        messages.warm_start_parent_not_found("ghost"),
    )


def test_warm_start_parents_must_be_terminal() -> None:
    with pytest.raises(ApiError) as info:
        check_warm_start_parents(["busy"], STATUSES.get)
    assert info.value.message == messages.warm_start_parent_not_terminal("busy", "InProgress")
    check_warm_start_parents(["done", "stopped", "failed"], STATUSES.get)


def test_warm_start_keeps_the_hyperparameter_names() -> None:
    parent = valid_request()
    child = valid_request()
    # Moving a hyperparameter from tuned to static keeps the set: allowed.
    ranges(child)["IntegerParameterRanges"] = []
    child["TrainingJobDefinition"]["StaticHyperParameters"]["depth"] = "4"
    check_warm_start_compatibility(child, parent)
    child["TrainingJobDefinition"]["StaticHyperParameters"]["new"] = "1"
    with pytest.raises(ApiError) as info:
        check_warm_start_compatibility(child, parent)
    assert info.value.message == messages.WARM_START_HYPERPARAMETERS_CHANGED


# --- Children ------------------------------------------------------------------------
def test_child_names_follow_aws() -> None:
    assert (
        child_training_job_name("sagemaker-xgboost-200901-0656", 35, "5d0f5aea")
        == "sagemaker-xgboost-200901-0656-035-5d0f5aea"
    )
    longest = child_training_job_name("a" * 32, 750, "0123456789abcdef")
    assert longest == "a" * 32 + "-750-01234567"
    assert len(longest) <= 63


@pytest.mark.parametrize(
    ("reason", "kind"),
    [
        (
            "InternalServerError: We encountered an internal error. Please try again.",
            "RetryableError",
        ),
        ("CapacityError: Unable to provision requested ML compute capacity.", "RetryableError"),
        ("AlgorithmError: ExecuteUserScriptError: exit code 1", "NonRetryableError"),
        ("ClientError: Data download failed: No S3 objects found", "NonRetryableError"),
    ],
)
def test_child_failures_are_classified(reason: str, kind: str) -> None:
    assert classify_child_failure(reason) == kind


def test_tuning_job_fails_after_five_failed_children_without_success() -> None:
    assert tuning_job_failure_reason(completed=0, failed=4) is None
    assert tuning_job_failure_reason(completed=0, failed=5) == messages.no_training_job_succeeded(5)
    assert tuning_job_failure_reason(completed=1, failed=9) is None


def test_missing_tuning_job_answers_per_operation() -> None:
    for operation in messages.MISSING_TUNING_JOB_CODE:
        code, text = messages.missing_tuning_job(operation, "nope")
        assert code == "ResourceNotFound"
        assert text == "Amazon SageMaker can't find a tuning job called nope. Type another name."


def test_training_request_conversion_renames_static_hyperparameters() -> None:
    converted = tuning.as_training_request(definition(DefinitionName="a"))
    assert converted["HyperParameters"] == {"epochs": "10"}
    assert "StaticHyperParameters" not in converted
    assert "DefinitionName" not in converted
