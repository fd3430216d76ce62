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
  perturbations of the best points, skipping configurations already tried.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs

from .base import Suggestion, Trial, rng_for, signed
from .gp import expected_improvement, fit, select
from .space import SearchSpace

_LOCAL_SCALES = (0.02, 0.06, 0.15)


def _key(hyperparameters: dict[str, str] | Trial) -> tuple[tuple[str, str], ...]:
    hp = hyperparameters.hyperparameters if isinstance(hyperparameters, Trial) else hyperparameters
    return tuple(sorted(hp.items()))


@attrs.frozen
class BayesianStrategy:
    """Model-based search; pure in (space, seed, index, history)."""

    space: SearchSpace
    seed: int
    objective_type: str
    initial_random: int = 5
    random_candidates: int = 100
    local_candidates: int = 4  # per scale and per top point
    top_points: int = 3
    max_points: int = 20
    best_points: int = 10
    max_pending: int = 10
    refit_every: int = 5

    def suggest(self, index: int, history: Sequence[Trial]) -> Suggestion | None:
        """The configuration with the highest expected improvement."""
        trials = list(history)  # read once: a history may build its trials on demand
        done = [
            (i, t)
            for i, t in enumerate(trials)
            if t.objective is not None and math.isfinite(t.objective)
        ]
        if len(done) < self.initial_random:
            return Suggestion(self.space.sample(rng_for(self.seed, index, "bayesian-init")))
        train = self._window(done)
        xs = [self.space.embed(t.hyperparameters) for _, t in train]
        ys = [signed(t.objective or 0.0, self.objective_type) for _, t in train]
        liar = sum(ys) / len(ys)
        pending = [t for t in trials if t.running][-self.max_pending :]
        earlier = done[: len(done) - len(done) % self.refit_every]
        chosen = self._window(earlier if len(earlier) >= self.initial_random else done)
        hyperparameters = select(
            tuple(tuple(self.space.embed(t.hyperparameters)) for _, t in chosen),
            tuple(signed(t.objective or 0.0, self.objective_type) for _, t in chosen),
        )
        gp = fit(
            xs + [self.space.embed(t.hyperparameters) for t in pending],
            ys + [liar] * len(pending),
            hyperparameters=hyperparameters,
        )
        rng = rng_for(self.seed, index, "bayesian-candidates")
        units = [self.space.sample_unit(rng) for _ in range(self.random_candidates)]
        for _, top in self._ranked(done)[: self.top_points]:
            centre = self.space.to_unit(top.hyperparameters)
            for scale in _LOCAL_SCALES:
                for _ in range(self.local_candidates):
                    units.append([min(max(c + rng.gauss(0.0, scale), 0.0), 1.0) for c in centre])
        seen = {_key(t) for t in trials}
        best_y, xi = min(ys), 0.01 * gp.y_std
        best: tuple[float, dict[str, str]] | None = None
        for unit in units:
            hp = self.space.render(unit)
            key = _key(hp)
            if key in seen:
                continue
            seen.add(key)
            mean, std = gp.predict(self.space.embed(hp))
            ei = expected_improvement(mean, std, best_y, xi=xi)
            if best is None or ei > best[0]:
                best = (ei, hp)
        if best is None:  # every candidate was tried already (tiny discrete space)
            return Suggestion(self.space.sample(rng))
        return Suggestion(best[1])

    def _window(self, done: list[tuple[int, Trial]]) -> list[tuple[int, Trial]]:
        """The ``best_points`` best, then the most recent, up to ``max_points``, in launch order."""
        chosen = {i for i, _ in self._ranked(done)[: self.best_points]}
        for i, _ in reversed(done):
            if len(chosen) >= self.max_points:
                break
            chosen.add(i)
        return [(i, t) for i, t in done if i in chosen]

    def _ranked(self, done: list[tuple[int, Trial]]) -> list[tuple[int, Trial]]:
        """Finished trials, best first (earliest first among equals)."""
        return sorted(
            done, key=lambda it: (signed(it[1].objective or 0.0, self.objective_type), it[0])
        )
