"""Hyperband brackets and rung stopping; the median stopping rule."""

from __future__ import annotations

from collections import Counter

import pytest

from sagemaker_lite.families.tuning.search import (
    HyperbandStrategy,
    SearchSpace,
    Trial,
    infer_max_resource,
    make_brackets,
    make_strategy,
    median_rule_should_stop,
    rung_should_stop,
)

SPACE = SearchSpace.from_ranges(
    {
        "ContinuousParameterRanges": [
            {"Name": "lr", "MinValue": "1e-5", "MaxValue": "1", "ScalingType": "Logarithmic"}
        ]
    }
)


def test_brackets_follow_the_hyperband_paper_for_r81_eta3() -> None:
    brackets = make_brackets(1, 81)
    assert [b.size for b in brackets] == [81, 34, 15, 8, 5]
    assert [b.rungs for b in brackets] == [(1, 3, 9, 27), (3, 9, 27), (9, 27), (27,), ()]


def test_no_rung_lies_below_min_resource() -> None:
    brackets = make_brackets(5, 81)
    assert [b.rungs for b in brackets] == [(9, 27), (27,), ()]
    assert all(r >= 5 for b in brackets for r in b.rungs)


def _strategy(max_resource: int = 9, objective_type: str = "Minimize") -> HyperbandStrategy:
    strategy = make_strategy(
        "Hyperband",
        SPACE,
        seed=4,
        objective_type=objective_type,
        max_trials=None,
        config={"HyperbandStrategyConfig": {"MinResource": 1, "MaxResource": max_resource}},
    )
    assert isinstance(strategy, HyperbandStrategy)
    return strategy


def test_children_are_dealt_to_brackets_in_proportion_and_interleaved() -> None:
    strategy = _strategy(81)
    period = sum(b.size for b in strategy.brackets)
    counts = Counter(strategy.bracket_of(i).s for i in range(period))
    assert counts == {b.s: b.size for b in strategy.brackets}
    # A short job still hedges: its first ten children span several brackets.
    assert len({strategy.bracket_of(i).s for i in range(10)}) >= 3
    assert strategy.bracket_of(period + 7) == strategy.bracket_of(7)


def test_suggestion_carries_budget_and_rungs_and_is_deterministic() -> None:
    strategy = _strategy(81)
    first = strategy.suggest(3, [])
    assert first is not None
    assert first.resource == 81
    assert first.rungs == strategy.bracket_of(3).rungs
    assert first == _strategy(81).suggest(3, [Trial({"lr": "0.1"}, 0.5)])
    assert 1e-5 <= float(first.hyperparameters["lr"]) <= 1


def test_rung_keeps_only_the_top_third() -> None:
    peers = [0.2, 0.3, 0.4, 0.5, 0.6]
    assert not rung_should_stop(0.1, peers, minimize=True)  # best of six: kept (top 2)
    assert not rung_should_stop(0.25, peers, minimize=True)  # second: kept
    assert rung_should_stop(0.35, peers, minimize=True)  # third: stopped
    assert rung_should_stop(0.1, peers, minimize=False)  # worst when maximising
    assert not rung_should_stop(0.9, [0.1], minimize=True)  # too few to judge


def _history_with_values(
    strategy: HyperbandStrategy, s: int, curves: list[list[float]]
) -> tuple[list[Trial], list[int]]:
    """A history whose children in bracket ``s`` have ``curves``; others are idle."""
    history: list[Trial] = []
    placed: list[int] = []
    index = 0
    while len(placed) < len(curves):
        curve: tuple[float, ...] = ()
        if strategy.bracket_of(index).s == s:
            curve = tuple(curves[len(placed)])
            placed.append(index)
        history.append(Trial({"lr": "0.01"}, None, running=True, intermediate=curve))
        index += 1
    return history, placed


def test_should_stop_judges_a_child_against_its_bracket_at_its_rungs() -> None:
    strategy = _strategy(9)  # brackets: s=2 rungs (1, 3); s=1 rungs (3,); s=0 no rungs
    assert [b.rungs for b in strategy.brackets] == [(1, 3), (3,), ()]
    history, (good, mid, bad) = _history_with_values(strategy, 2, [[0.1], [0.5], [0.9]])
    assert not strategy.should_stop(good, history)
    assert strategy.should_stop(bad, history)
    assert strategy.should_stop(mid, history)  # 1 of 3 is kept at each rung
    # Between rungs nothing is decided; at MaxResource the child stops.
    between, (child, _, _) = _history_with_values(strategy, 2, [[0.9, 0.9], [0.1], [0.2]])
    assert not strategy.should_stop(child, between)
    done, (child, *_) = _history_with_values(strategy, 0, [[0.5] * 9])
    assert strategy.should_stop(child, done)


def test_maximize_flips_the_rung_ranking() -> None:
    strategy = _strategy(9, "Maximize")
    history, (good, _, bad) = _history_with_values(strategy, 2, [[0.9], [0.5], [0.1]])
    assert not strategy.should_stop(good, history)
    assert strategy.should_stop(bad, history)


def test_hyperband_needs_max_resource_which_can_be_inferred_from_epochs() -> None:
    with pytest.raises(ValueError):
        make_strategy("Hyperband", SPACE, seed=0, objective_type="Minimize", max_trials=None)
    assert infer_max_resource({"num_epochs": "30", "batch": "8"}) == 30
    assert infer_max_resource({"epochs": "12"}) == 12
    assert infer_max_resource({"batch": "8"}) is None


def test_median_rule_compares_with_median_of_running_averages() -> None:
    others = [[1.0, 0.8, 0.6], [0.9, 0.9, 0.9], [2.0, 2.0, 2.0]]
    # At epoch 2 the running averages are 0.9, 0.9 and 2.0: median 0.9.
    assert median_rule_should_stop([1.5, 1.0], others, minimize=True)
    assert not median_rule_should_stop([1.5, 0.85], others, minimize=True)
    assert median_rule_should_stop([1.5, 0.85], others, minimize=False)
    assert not median_rule_should_stop([0.5, 1.0], others, minimize=False)


def test_median_rule_only_uses_jobs_that_reached_the_epoch() -> None:
    others = [[0.1], [0.2], [5.0, 5.0, 5.0]]
    # Only the third job reached epoch 3 (average 5.0); 4.0 is better when minimising.
    assert not median_rule_should_stop([9.0, 9.0, 4.0], others, minimize=True)
    assert not median_rule_should_stop([9.0], [], minimize=True)
    assert not median_rule_should_stop([], others, minimize=True)
