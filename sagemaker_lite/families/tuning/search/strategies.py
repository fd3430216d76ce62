"""``make_strategy``: from the API's strategy name and config to a strategy."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sagemaker_lite.families.tuning.search.base import Strategy
from sagemaker_lite.families.tuning.search.bayesian import BayesianStrategy
from sagemaker_lite.families.tuning.search.hyperband import DEFAULT_MIN_RESOURCE, HyperbandStrategy
from sagemaker_lite.families.tuning.search.simple import GridStrategy, RandomStrategy
from sagemaker_lite.families.tuning.search.space import SearchSpace


def _hyperband(
    space: SearchSpace, seed: int, objective_type: str, config: Mapping[str, Any]
) -> Strategy:
    hb = config.get("HyperbandStrategyConfig", {})
    if "MaxResource" not in hb:
        # The service infers it first (hyperband.infer_max_resource) or rejects the job.
        raise ValueError("Hyperband needs MaxResource")
    return HyperbandStrategy(
        space=space,
        seed=seed,
        objective_type=objective_type,
        max_resource=int(hb["MaxResource"]),
        min_resource=int(hb.get("MinResource", DEFAULT_MIN_RESOURCE)),
    )


_FACTORIES: dict[str, Callable[[SearchSpace, int, str, Mapping[str, Any]], Strategy]] = {
    "Random": lambda space, seed, _obj, _cfg: RandomStrategy(space=space, seed=seed),
    "Grid": lambda space, _seed, _obj, _cfg: GridStrategy(space=space),
    "Bayesian": lambda space, seed, obj, _cfg: BayesianStrategy(
        space=space, seed=seed, objective_type=obj
    ),
    "Hyperband": _hyperband,
}


def make_strategy(
    name: str,
    space: SearchSpace,
    *,
    seed: int,
    objective_type: str,
    max_trials: int | None = None,
    config: Mapping[str, Any] | None = None,
) -> Strategy:
    """The strategy ``name`` (``HyperParameterTuningJobConfig.Strategy``).

    ``objective_type`` is ``"Minimize"`` or ``"Maximize"``; ``config`` is the
    request's ``StrategyConfig``.  ``max_trials`` is accepted for the caller's
    convenience; the strategies need no budget (Grid's size is
    :func:`grid_size`, the service stops asking after ``MaxNumberOfTrainingJobs``).
    """
    try:
        factory = _FACTORIES[name]
    except KeyError:
        raise ValueError(f"unknown strategy {name!r}") from None
    return factory(space, seed, objective_type, config or {})
