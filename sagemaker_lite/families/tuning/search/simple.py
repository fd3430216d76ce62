"""The Random and Grid strategies."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from sagemaker_lite.families.tuning.search.base import Suggestion, Trial, rng_for
from sagemaker_lite.families.tuning.search.space import CategoricalParam, SearchSpace


@attrs.frozen
class RandomStrategy:
    """Independent uniform draws in the scaled space, one generator per trial."""

    space: SearchSpace
    seed: int

    def suggest(self, index: int, history: Sequence[Trial]) -> Suggestion | None:
        """Trial ``index``'s draw; the history is ignored, as SageMaker documents."""
        return Suggestion(self.space.sample(rng_for(self.seed, index, "random")))


def grid_size(space: SearchSpace) -> int:
    """The number of distinct combinations of the categorical values."""
    size = 1
    for p in space.params:
        if not isinstance(p, CategoricalParam):
            raise ValueError("Grid search supports only categorical parameters")
        size *= len(p.values)
    return size


@attrs.frozen
class GridStrategy:
    """Every combination of the categorical values exactly once.

    Order: the parameters in request order, each parameter's values in
    request order, the *last* parameter varying fastest (``itertools.product``).
    """

    space: SearchSpace

    def __attrs_post_init__(self) -> None:
        grid_size(self.space)  # rejects non-categorical spaces early

    def suggest(self, index: int, history: Sequence[Trial]) -> Suggestion | None:
        """Combination number ``index``, or None once all were launched."""
        if not 0 <= index < grid_size(self.space):
            return None
        values = [p.values for p in self.space.params if isinstance(p, CategoricalParam)]
        # Mixed-radix decoding of the index: same order as itertools.product.
        chosen: list[str] = []
        rest = index
        for options in reversed(values):
            rest, k = divmod(rest, len(options))
            chosen.append(options[k])
        return Suggestion(dict(zip(self.space.names, reversed(chosen), strict=True)))
