"""Random, Grid and Bayesian strategies: determinism, order, model-based search."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pytest

from sagemaker_lite.families.tuning.search import SearchSpace, Trial, grid_size, make_strategy

BOWL = SearchSpace.from_ranges(
    {
        "ContinuousParameterRanges": [
            {"Name": "x", "MinValue": "-5", "MaxValue": "5", "ScalingType": "Linear"},
            {"Name": "y", "MinValue": "-5", "MaxValue": "5", "ScalingType": "Linear"},
        ]
    }
)


def bowl(hp: Mapping[str, str]) -> float:
    return (float(hp["x"]) - 1.5) ** 2 + (float(hp["y"]) + 2.0) ** 2


def run(name: str, seed: int, trials: int, objective_type: str = "Minimize") -> list[Trial]:
    sign = 1.0 if objective_type == "Minimize" else -1.0
    strategy = make_strategy(
        name, BOWL, seed=seed, objective_type=objective_type, max_trials=trials
    )
    history: list[Trial] = []
    for index in range(trials):
        suggestion = strategy.suggest(index, history)
        assert suggestion is not None
        history.append(Trial(suggestion.hyperparameters, sign * bowl(suggestion.hyperparameters)))
    return history


def test_random_is_a_function_of_seed_and_index_only() -> None:
    strategy = make_strategy("Random", BOWL, seed=42, objective_type="Minimize", max_trials=10)
    forward = [strategy.suggest(i, []) for i in range(5)]
    backward = [strategy.suggest(i, [Trial({"x": "0", "y": "0"}, 1.0)]) for i in reversed(range(5))]
    assert forward == backward[::-1]
    assert len({tuple(s.hyperparameters.items()) for s in forward if s}) == 5
    other = make_strategy("Random", BOWL, seed=43, objective_type="Minimize", max_trials=10)
    assert other.suggest(0, []) != strategy.suggest(0, [])


GRID = SearchSpace.from_ranges(
    {
        "CategoricalParameterRanges": [
            {"Name": "opt", "Values": ["sgd", "adam"]},
            {"Name": "act", "Values": ["relu", "tanh", "gelu"]},
        ]
    }
)


def test_grid_enumerates_every_combination_once_in_order_then_none() -> None:
    strategy = make_strategy("Grid", GRID, seed=0, objective_type="Minimize", max_trials=None)
    assert grid_size(GRID) == 6
    combos = [strategy.suggest(i, []) for i in range(7)]
    assert combos[6] is None
    assert [(s.hyperparameters["opt"], s.hyperparameters["act"]) for s in combos[:6] if s] == [
        ("sgd", "relu"),
        ("sgd", "tanh"),
        ("sgd", "gelu"),
        ("adam", "relu"),
        ("adam", "tanh"),
        ("adam", "gelu"),
    ]


def test_grid_rejects_numeric_ranges() -> None:
    with pytest.raises(ValueError):
        make_strategy("Grid", BOWL, seed=0, objective_type="Minimize", max_trials=4)


def test_bayesian_is_deterministic_for_seed_and_history_and_seed_dependent() -> None:
    history = run("Random", seed=5, trials=8)
    a = make_strategy("Bayesian", BOWL, seed=1, objective_type="Minimize", max_trials=20)
    b = make_strategy("Bayesian", BOWL, seed=1, objective_type="Minimize", max_trials=20)
    c = make_strategy("Bayesian", BOWL, seed=2, objective_type="Minimize", max_trials=20)
    assert a.suggest(8, history) == b.suggest(8, list(history))
    assert a.suggest(8, history) != c.suggest(8, history)


def _near_optimum(trials: list[Trial]) -> int:
    """How many trials sit within distance 1 of the bowl's minimum (1.5, -2)."""
    return sum(
        math.hypot(float(t.hyperparameters["x"]) - 1.5, float(t.hyperparameters["y"]) + 2.0) < 1
        for t in trials
    )


@pytest.mark.parametrize("objective_type", ["Minimize", "Maximize"])
def test_bayesian_concentrates_near_the_optimum_better_than_random(objective_type: str) -> None:
    for seed in range(3):
        bayes = run("Bayesian", seed, 20, objective_type)
        rand = run("Random", seed, 20, objective_type)
        # The disc holds ~3% of the box: random rarely lands there, the model mostly does.
        assert _near_optimum(bayes[10:]) >= 5
        assert _near_optimum(rand[10:]) <= 2
        best_b = min(bowl(t.hyperparameters) for t in bayes)
        best_r = min(bowl(t.hyperparameters) for t in rand)
        assert best_b < 0.05 < best_r


def test_bayesian_does_not_repeat_a_configuration_while_others_remain() -> None:
    strategy = make_strategy("Bayesian", GRID, seed=3, objective_type="Minimize", max_trials=6)
    grid = make_strategy("Grid", GRID, seed=0, objective_type="Minimize", max_trials=None)
    tried = [grid.suggest(i, []) for i in range(6)]
    history = [Trial(s.hyperparameters, float(i)) for i, s in enumerate(tried[:5]) if s]
    suggestion = strategy.suggest(5, history)
    assert suggestion is not None and tried[5] is not None
    assert suggestion.hyperparameters == tried[5].hyperparameters


def test_bayesian_spreads_parallel_suggestions_around_running_trials() -> None:
    history = run("Bayesian", seed=0, trials=10)
    strategy = make_strategy("Bayesian", BOWL, seed=0, objective_type="Minimize", max_trials=20)
    first = strategy.suggest(10, history)
    assert first is not None
    running = Trial(first.hyperparameters, None, running=True)
    second = strategy.suggest(11, [*history, running])
    assert second is not None
    assert second.hyperparameters != first.hyperparameters


def test_bayesian_ignores_failed_trials() -> None:
    history = run("Random", seed=9, trials=6)
    failed = Trial({"x": "9", "y": "9"}, None)  # not even in range: must never be embedded
    strategy = make_strategy("Bayesian", BOWL, seed=0, objective_type="Minimize", max_trials=20)
    assert strategy.suggest(7, [*history, failed]) is not None


def test_unknown_strategy_is_rejected() -> None:
    with pytest.raises(ValueError):
        make_strategy("Annealing", BOWL, seed=0, objective_type="Minimize", max_trials=3)
