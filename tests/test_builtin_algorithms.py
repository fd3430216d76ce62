"""Built-in algorithm images publish their metrics as AWS fills them in (issue 24.5)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from factories import training_request, tuning_request

import sagemaker_lite
from sagemaker_lite.families.shared import builtin_algorithms

REGISTRY = "382416733822.dkr.ecr.us-east-1.amazonaws.com"
# (image, a line the algorithm prints, the metric it yields, its value)
SAMPLES = [
    (f"{REGISTRY}/linear-learner:1", "#quality_metric: host=algo-1, epoch=3, validation "
     "binary_classification_objective <loss>=0.25", "validation:objective_loss", "0.25"),
    (f"{REGISTRY}/linear-learner:1", "#quality_metric: host=algo-1, test binary_f_1.000 "
     "<score>=0.8", "test:binary_f_beta", "0.8"),
    (f"{REGISTRY}/xgboost:1", "[12]#011train-rmse:3.1#011validation-rmse:3.5",
     "validation:rmse", "3.5"),
    (f"{REGISTRY}/sagemaker-xgboost:1.7-1", "[0]#011train-auc:0.91", "train:auc", "0.91"),
]  # fmt: skip


def _built_in_request(image: str, **hyperparameters: str) -> dict[str, Any]:
    request = training_request("builtin-1")
    request["AlgorithmSpecification"] = {"TrainingImage": image, "TrainingInputMode": "File"}
    request["HyperParameters"] = hyperparameters
    channel = request["InputDataConfig"][0]
    request["InputDataConfig"].append({**channel, "ChannelName": "validation"})
    return request


@pytest.mark.parametrize(("image", "line", "metric", "value"), SAMPLES)
def test_each_table_regex_reads_the_line_its_algorithm_prints(
    image: str, line: str, metric: str, value: str
) -> None:
    definitions = {d["Name"]: d["Regex"] for d in builtin_algorithms.metric_definitions(image)}
    match = re.search(definitions[metric], line)
    assert match is not None and match.group(1) == value
    assert all(re.compile(regex).groups == 1 for regex in definitions.values())


def test_the_tables_have_the_real_sizes() -> None:
    # The real describes list 37 (linear-learner) and 34 (xgboost) definitions.
    assert len(builtin_algorithms.METRIC_DEFINITIONS["linear-learner"]) == 37
    assert len(builtin_algorithms.METRIC_DEFINITIONS["xgboost"]) == 34
    for definitions in builtin_algorithms.METRIC_DEFINITIONS.values():
        names = [d["Name"] for d in definitions]
        assert len(names) == len(set(names))


@pytest.mark.parametrize("image", sorted({s[0] for s in SAMPLES}))
def test_a_built_in_job_without_definitions_describes_them_and_final_metrics(image: str) -> None:
    sm = sagemaker_lite.client()
    sm.create_training_job(**_built_in_request(image))
    sm.emulator.advance(3600)
    described = sm.describe_training_job(TrainingJobName="builtin-1")
    assert described["TrainingJobStatus"] == "Completed"
    definitions = described["AlgorithmSpecification"]["MetricDefinitions"]
    assert definitions == list(builtin_algorithms.metric_definitions(image))
    finals = {m["MetricName"] for m in described["FinalMetricDataList"]}
    defined = {d["Name"] for d in definitions}
    # What the default job prints: a subset of the definitions, for the channels it has.
    assert finals and finals <= defined
    assert all(name.split(":")[0] in {"train", "validation"} for name in finals)


def test_xgboost_reports_the_eval_metrics_it_is_asked_for() -> None:
    sm = sagemaker_lite.client()
    request = _built_in_request(f"{REGISTRY}/xgboost:1", eval_metric="auc,logloss")
    sm.create_training_job(**request)
    sm.emulator.advance(3600)
    described = sm.describe_training_job(TrainingJobName="builtin-1")
    finals = {m["MetricName"] for m in described["FinalMetricDataList"]}
    assert finals == {"train:auc", "train:logloss", "validation:auc", "validation:logloss"}


def test_definitions_sent_are_kept_and_custom_images_get_none() -> None:
    sm = sagemaker_lite.client()
    own = [{"Name": "mine", "Regex": "mine=([0-9.]+)"}]
    request = _built_in_request(f"{REGISTRY}/xgboost:1")
    request["AlgorithmSpecification"]["MetricDefinitions"] = own
    sm.create_training_job(**request)
    custom = training_request("custom-1")
    del custom["AlgorithmSpecification"]["MetricDefinitions"]
    sm.create_training_job(**custom)
    sm.emulator.advance(3600)
    kept = sm.describe_training_job(TrainingJobName="builtin-1")
    assert kept["AlgorithmSpecification"]["MetricDefinitions"] == own
    plain = sm.describe_training_job(TrainingJobName="custom-1")
    assert "MetricDefinitions" not in plain["AlgorithmSpecification"]


def test_a_tuning_job_on_a_built_in_image_lists_them_and_an_objective_metric() -> None:
    sm = sagemaker_lite.client()
    request = tuning_request(max_jobs=2)
    image = f"{REGISTRY}/xgboost:1"
    request["HyperParameterTuningJobConfig"]["HyperParameterTuningJobObjective"]["MetricName"] = (
        "validation:rmse"
    )
    request["TrainingJobDefinition"]["AlgorithmSpecification"] = {
        "TrainingImage": image,
        "TrainingInputMode": "File",
    }
    sm.create_hyper_parameter_tuning_job(**request)
    described = sm.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName="tune-1")
    definitions = described["TrainingJobDefinition"]["AlgorithmSpecification"]["MetricDefinitions"]
    by_name = {d["Name"]: d["Regex"] for d in definitions}
    assert definitions[:-1] == list(builtin_algorithms.metric_definitions(image))
    assert definitions[-1] == {"Name": "ObjectiveMetric", "Regex": by_name["validation:rmse"]}
    sm.emulator.advance(7200)
    children = sm.list_training_jobs_for_hyper_parameter_tuning_job(
        HyperParameterTuningJobName="tune-1"
    )["TrainingJobSummaries"]
    assert children
    for child in children:
        final = child["FinalHyperParameterTuningJobObjectiveMetric"]
        assert final["MetricName"] == "validation:rmse"
