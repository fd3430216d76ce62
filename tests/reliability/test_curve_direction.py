"""Reliability: default learning curves come from the worse side (bug 9 of issue 14).

A metric's direction was guessed from its name, so a ``Maximize`` objective
named ``validation:objective`` improved downwards (a Hyperband job reported
an early-stopped child's 2.327 as best, above every true result), and a
negative final loss was approached from below (-3.99, -2.36, -2.0).  The
class: for every final value, whatever its sign, and either direction,
every point before the last is worse than the final value; a tuning
objective's ``Type`` decides the direction of its metric.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pytest
from factories import training_request, tuning_request
from hypothesis import given
from hypothesis import strategies as st

import sagemaker_lite
from sagemaker_lite.engine.behaviour import default_series

# Curve points are rounded to 6 decimals: finals of a smaller magnitude round to 0.
finals = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).filter(
    lambda x: x == 0 or abs(x) >= 1e-4
)


@given(final=finals, higher=st.booleans(), epochs=st.integers(min_value=2, max_value=50))
def test_every_default_curve_approaches_its_final_value_from_the_worse_side(
    final: float, higher: bool, epochs: int
) -> None:
    values = [value for _, value in default_series(final, 600.0, higher, epochs)]
    assert math.isclose(values[-1], final, rel_tol=1e-6, abs_tol=1e-6)
    # Monotone towards the final value: each epoch is no worse than the one before.
    assert values == sorted(values, reverse=not higher)
    assert values[0] < values[-1] if higher else values[0] > values[-1]


def _tuning(strategy: str, objective_type: str, metric: str, **config: Any) -> dict[str, Any]:
    request = tuning_request(strategy=strategy, max_jobs=24, parallel=4, **config)
    request["HyperParameterTuningJobConfig"]["HyperParameterTuningJobObjective"] = {
        "Type": objective_type,
        "MetricName": metric,
    }
    request["TrainingJobDefinition"]["AlgorithmSpecification"]["MetricDefinitions"] = [
        {"Name": metric, "Regex": "objective=([-0-9.]+)"}
    ]
    return request


CASES = [
    ("Hyperband", {}),
    ("Bayesian", {"TrainingJobEarlyStoppingType": "Auto"}),
    ("Random", {"TrainingJobEarlyStoppingType": "Auto"}),
]


def _result(hyperparameters: Mapping[str, str]) -> float:
    """What a configuration reaches when trained to the end (negative for some)."""
    return round(
        math.log10(float(hyperparameters["learning_rate"])) + int(hyperparameters["depth"]) / 4, 6
    )


@pytest.mark.parametrize(("strategy", "config"), CASES)
@pytest.mark.parametrize("objective_type", ["Maximize", "Minimize"])
@pytest.mark.parametrize("metric", ["validation:objective", "validation:accuracy"])
def test_an_early_stopped_child_never_looks_better_than_its_full_training(
    strategy: str, config: dict[str, Any], objective_type: str, metric: str
) -> None:
    """The objective's Type decides, not the metric's name: the best job is a real best."""
    sm = sagemaker_lite.client()
    sm.emulator.script_training(metrics=lambda hp: {metric: _result(hp)})
    sm.create_hyper_parameter_tuning_job(**_tuning(strategy, objective_type, metric, **config))
    sm.emulator.run_until_idle()
    children = sm.list_training_jobs_for_hyper_parameter_tuning_job(
        HyperParameterTuningJobName="tune-1", MaxResults=100
    )["TrainingJobSummaries"]
    better = max if objective_type == "Maximize" else min
    reported = {}
    for child in children:
        value = child["FinalHyperParameterTuningJobObjectiveMetric"]["Value"]
        complete = _result(child["TunedHyperParameters"])
        assert better(value, complete) == complete, (child["TrainingJobName"], value, complete)
        reported[child["TrainingJobName"]] = value
    best = sm.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName="tune-1")[
        "BestTrainingJob"
    ]
    assert best["FinalHyperParameterTuningJobObjectiveMetric"]["Value"] == better(reported.values())
    if strategy == "Hyperband":
        assert any(c["TrainingJobStatus"] == "Stopped" for c in children), "nothing was stopped"


def test_a_maximize_objective_without_a_score_like_name_improves_upwards() -> None:
    """The issue's case: a Maximize objective named ``validation:objective``.

    Every child's reported objective, polled through training, only goes up.
    """
    sm = sagemaker_lite.client()
    sm.create_hyper_parameter_tuning_job(**_tuning("Random", "Maximize", "validation:objective"))
    seen: dict[str, list[float]] = {}
    for _ in range(400):
        sm.emulator.advance(30.0)
        for child in sm.list_training_jobs(StatusEquals="InProgress")["TrainingJobSummaries"]:
            name = child["TrainingJobName"]
            metrics = sm.describe_training_job(TrainingJobName=name).get("FinalMetricDataList", [])
            seen.setdefault(name, []).extend(m["Value"] for m in metrics)
    assert len(seen) == 24
    for name, values in seen.items():
        assert values == sorted(values), (name, values)
        assert values[0] < values[-1], (name, values)


def test_a_negative_final_loss_is_approached_from_above() -> None:
    sm = sagemaker_lite.client()
    sm.emulator.script_training(metrics={"validation:loss": -2.0})
    sm.create_training_job(**training_request("neg"))
    seen = []
    for _ in range(20):
        sm.emulator.advance(60.0)
        metrics = sm.describe_training_job(TrainingJobName="neg").get("FinalMetricDataList", [])
        seen += [m["Value"] for m in metrics if m["MetricName"] == "validation:loss"]
    assert seen[-1] == -2.0
    assert all(value >= -2.0 for value in seen), seen
    assert seen == sorted(seen, reverse=True)
