"""The Bayesian strategy: a Gaussian process with expected improvement.

- The first ``initial_random`` results come from random draws.
- Then a GP is fitted to (at most ``max_points``) finished trials: the best
  ones plus the most recent ones, so long jobs stay fast.
- Its kernel's length scale and noise are chosen on the first finished
  trials (in launch order), a multiple of ``refit_every`` of them: a pure
  function of the history that changes only every few results, so the
  choice (eighteen factorisations) is remembered between them (:func:`gp.select`).
- Children still running are added with the mean observed objective
  ("constant liar"), which pushes parallel suggestions apart.
- Expected improvement is maximised over random candidates plus Gaussian
  perturbations of the best points, skipping configurations already tried,
  then refined by a few small steps around the best candidate (cheaper than
  many more candidates, and as good on the quality benchmark).
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from sagemaker_lite.families.tuning.search.base import MAXIMIZE, Suggestion, Trial, rng_for, signed
from sagemaker_lite.families.tuning.search.gp import expected_improvement, fit, select
from sagemaker_lite.families.tuning.search.space import SearchSpace

_LOCAL_SCALES = (0.02, 0.06, 0.15)
_REFINE_SCALE = 0.03


@attrs.frozen
class BayesianStrategy:
    """Model-based search; pure in (space, seed, index, history)."""

    space: SearchSpace
    seed: int
    objective_type: str
    initial_random: int = 5
    random_candidates: int = 24
    local_candidates: int = 2  # per scale and per top point
    top_points: int = 3
    max_points: int = 16
    best_points: int = 8
    max_pending: int = 5
    refit_every: int = 20
    refine_rounds: int = 1
    refine_candidates: int = 6
    #: A configuration's identity: its values in space order (a fast, hashable key).
    key: Callable[[Mapping[str, str]], Any] = attrs.field(init=False, repr=False, eq=False)

    @key.default
    def _key_default(self) -> Callable[[Mapping[str, str]], Any]:
        names = self.space.names
        return operator.itemgetter(*names) if names else lambda hp: ()

    def suggest(self, index: int, history: Sequence[Trial]) -> Suggestion | None:
        """The configuration with the highest expected improvement."""
        trials = list(history)  # read once: a history may build its trials on demand
        done = [
            i
            for i, t in enumerate(trials)
            if t.objective is not None and math.isfinite(t.objective)
        ]
        if len(done) < self.initial_random:
            return Suggestion(self.space.sample(rng_for(self.seed, index, "bayesian-init")))
        # Best first, earliest first among equals (plain tuples sort without a key function).
        sign = -1.0 if self.objective_type == MAXIMIZE else 1.0
        ranked = [i for _, i in sorted([(sign * (trials[i].objective or 0.0), i) for i in done])]
        train = self._window(done, ranked)
        xs = [self._features(trials[i].hyperparameters) for i in train]
        ys = [signed(trials[i].objective or 0.0, self.objective_type) for i in train]
        liar = sum(ys) / len(ys)
        pending = [t for t in trials if t.running][-self.max_pending :]
        gp = fit(
            xs + [self._features(t.hyperparameters) for t in pending],
            ys + [liar] * len(pending),
            hyperparameters=self._kernel_choice(trials, done, ranked),
        )
        rng = rng_for(self.seed, index, "bayesian-candidates")
        units = [self.space.sample_unit(rng) for _ in range(self.random_candidates)]
        for top in ranked[: self.top_points]:
            centre = self.space.to_unit(trials[top].hyperparameters)
            for scale in _LOCAL_SCALES:
                for _ in range(self.local_candidates):
                    units.append([min(max(c + rng.gauss(0.0, scale), 0.0), 1.0) for c in centre])
        key_of = self.key
        seen = {key_of(t.hyperparameters) for t in trials}
        best_y, xi = min(ys), 0.01 * gp.y_std
        best: tuple[float, dict[str, str], list[float]] | None = None
        for round_ in range(1 + self.refine_rounds):
            for unit in units:
                hp, features = self.space.render_embedded(unit)
                key = key_of(hp)
                if key in seen:
                    continue
                seen.add(key)
                mean, std = gp.predict(features)
                ei = expected_improvement(mean, std, best_y, xi=xi)
                if best is None or ei > best[0]:
                    best = (ei, hp, unit)
            if best is None:  # every candidate was tried already (tiny discrete space)
                return Suggestion(self.space.sample(rng))
            if round_ < self.refine_rounds:  # a few small steps around the best one so far
                centre = best[2]
                units = [
                    [min(max(c + rng.gauss(0.0, _REFINE_SCALE), 0.0), 1.0) for c in centre]
                    for _ in range(self.refine_candidates)
                ]
        assert best is not None  # the first round found one, or returned
        return Suggestion(best[1])

    def _kernel_choice(
        self, trials: list[Trial], done: list[int], ranked: list[int]
    ) -> tuple[float, float]:
        """(length scale, noise), chosen on the window of the first finished trials.

        Their number is a multiple of ``refit_every``, so the choice's input, and
        the choice (remembered by :func:`select`), changes only every few results.
        """
        count = len(done) - len(done) % self.refit_every
        if count < self.initial_random:
            count = len(done)
        last = done[count - 1]
        chosen = self._window(done[:count], [i for i in ranked if i <= last])
        return select(
            tuple(self._features(trials[i].hyperparameters) for i in chosen),
            tuple(signed(trials[i].objective or 0.0, self.objective_type) for i in chosen),
        )

    def _features(self, hyperparameters: Mapping[str, str]) -> tuple[float, ...]:
        return _embedded(self.space, self.key(hyperparameters))

    def _window(self, done: list[int], ranked: list[int]) -> list[int]:
        """The ``best_points`` best, then the most recent, up to ``max_points``, in launch order.

        ``done``: finished trials in launch order; ``ranked``: the same, best first.
        """
        chosen = set(ranked[: self.best_points])
        for i in reversed(done):
            if len(chosen) >= self.max_points:
                break
            chosen.add(i)
        return sorted(chosen)


@functools.lru_cache(maxsize=8192)
def _embedded(space: SearchSpace, key: Any) -> tuple[float, ...]:
    """The surrogate features of the configuration ``key`` names.

    Remembered: the same trials are embedded at every fit.
    """
    values = key if isinstance(key, tuple) else (key,)
    return tuple(space.embed(dict(zip(space.names, values, strict=True))))
