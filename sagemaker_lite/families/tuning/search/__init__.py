"""Hyperparameter search strategies: pure, deterministic, no I/O.

The tuning service builds a :class:`SearchSpace` from ``ParameterRanges``, a
strategy with :func:`make_strategy`, then for each child ``i`` it launches
calls ``strategy.suggest(i, history)`` where ``history[j]`` is the
:class:`Trial` of child ``j``.  Early stopping is given by pure functions:
``HyperbandStrategy.should_stop`` / :func:`rung_should_stop` for Hyperband
and :func:`median_rule_should_stop` for ``TrainingJobEarlyStoppingType: Auto``.
"""

from sagemaker_lite.families.tuning.search.base import (
    MAXIMIZE,
    MINIMIZE,
    Strategy,
    Suggestion,
    Trial,
)
from sagemaker_lite.families.tuning.search.bayesian import BayesianStrategy
from sagemaker_lite.families.tuning.search.early_stopping import median_rule_should_stop
from sagemaker_lite.families.tuning.search.hyperband import (
    MAX_RESOURCE_KEYS,
    Bracket,
    HyperbandStrategy,
    infer_max_resource,
    make_brackets,
    rung_should_stop,
)
from sagemaker_lite.families.tuning.search.simple import GridStrategy, RandomStrategy, grid_size
from sagemaker_lite.families.tuning.search.space import (
    CategoricalParam,
    ContinuousParam,
    IntegerParam,
    SearchSpace,
)
from sagemaker_lite.families.tuning.search.strategies import make_strategy

__all__ = [
    "MAXIMIZE",
    "MAX_RESOURCE_KEYS",
    "MINIMIZE",
    "BayesianStrategy",
    "Bracket",
    "CategoricalParam",
    "ContinuousParam",
    "GridStrategy",
    "HyperbandStrategy",
    "IntegerParam",
    "RandomStrategy",
    "SearchSpace",
    "Strategy",
    "Suggestion",
    "Trial",
    "grid_size",
    "infer_max_resource",
    "make_brackets",
    "make_strategy",
    "median_rule_should_stop",
    "rung_should_stop",
]
