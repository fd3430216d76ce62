"""A small Gaussian process in pure Python (Matern 5/2, Cholesky, EI).

Sized for tuning jobs: tens of points in a handful of dimensions.  Targets
are standardised; the length scale and noise ratio are picked from a small
grid by log marginal likelihood (the signal variance profiled out in closed
form), which is cheap and deterministic.  The choice is a pure function of
the points it is made on, so it is remembered (:func:`select`): a caller that
keeps choosing on the same points (the Bayesian strategy refits its choice
every few observations) pays for one factorisation per fit, not nineteen.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from itertools import islice
from operator import mul

import attrs

_SQRT5 = math.sqrt(5.0)
LENGTH_SCALES = (0.1, 0.2, 0.35, 0.6, 1.0, 1.7)
NOISES = (1e-6, 1e-3, 3e-2)

Points = tuple[tuple[float, ...], ...]


def matern52(distance: float, length_scale: float) -> float:
    """Matern 5/2 correlation at Euclidean ``distance``."""
    s = _SQRT5 * distance / length_scale
    return (1.0 + s + s * s / 3.0) * math.exp(-s)


def _correlations(scaled: Sequence[float]) -> list[float]:
    """Matern 5/2 of distances already multiplied by sqrt(5) / length scale (inlined: hot)."""
    exp = math.exp
    return [(1.0 + s + s * s / 3.0) * exp(-s) for s in scaled]


def cholesky(matrix: Sequence[Sequence[float]]) -> list[list[float]] | None:
    """Lower Cholesky factor as ragged rows (row i has i+1 entries); None if not PD."""
    rows: list[list[float]] = []
    for i, k_row in enumerate(matrix):
        row: list[float] = []
        for j in range(i):
            # map() stops at the shorter list: sum over k < j of L[i][k] * L[j][k].
            row.append((k_row[j] - sum(map(mul, row, rows[j]))) / rows[j][j])
        diag = k_row[i] - sum(map(mul, row, row))
        if diag <= 0.0:
            return None
        row.append(math.sqrt(diag))
        rows.append(row)
    return rows


def forward_solve(chol: Sequence[Sequence[float]], b: Sequence[float]) -> list[float]:
    """Solve ``L v = b``."""
    v: list[float] = []
    for row, bi in zip(chol, b, strict=True):
        v.append((bi - sum(map(mul, row, v))) / row[-1])
    return v


def backward_solve(chol: Sequence[Sequence[float]], v: Sequence[float]) -> list[float]:
    """Solve ``L^T x = v``."""
    n = len(v)
    x = [0.0] * n
    for i in range(n - 1, -1, -1):
        acc = v[i]
        for k in range(i + 1, n):
            acc -= chol[k][i] * x[k]
        x[i] = acc / chol[i][i]
    return x


def _lower_inverse(chol: Sequence[Sequence[float]]) -> list[list[float]]:
    """``L^-1`` as ragged rows (row i has i+1 entries), so ``L^-1 k`` is one dot per row."""
    n = len(chol)
    columns = []
    for j in range(n):
        # Column j of L^-1 solves L c = e_j; its entries above row j are zero, so
        # only rows j.. are solved (``column[i - j]`` is row i's entry).
        column = [1.0 / chol[j][j]]
        for i in range(j + 1, n):
            row = chol[i]
            column.append(-sum(map(mul, islice(row, j, i), column)) / row[i])
        columns.append(column)
    return [[columns[j][i - j] for j in range(i + 1)] for i in range(n)]


@attrs.frozen
class GaussianProcess:
    """A fitted GP; predictions are in the original units of ``y``."""

    xs: Points
    chol: tuple[tuple[float, ...], ...]
    alpha: tuple[float, ...]
    length_scale: float
    noise: float
    #: Signal variance (in standardised units), fitted in closed form.
    amplitude: float
    y_mean: float
    y_std: float
    # Derived once, for predictions (the acquisition asks for many): the points
    # scaled by sqrt(5) / length scale, and the rows of L^-1 (ragged).
    _scaled: Points = attrs.field(init=False, repr=False, eq=False)
    _inverse: tuple[tuple[float, ...], ...] = attrs.field(init=False, repr=False, eq=False)

    @_scaled.default
    def _scale_points(self) -> Points:
        scale = _SQRT5 / self.length_scale
        return tuple(tuple(scale * c for c in x) for x in self.xs)

    @_inverse.default
    def _invert(self) -> tuple[tuple[float, ...], ...]:
        return tuple(tuple(row) for row in _lower_inverse(self.chol))

    def predict(self, x: Sequence[float]) -> tuple[float, float]:
        """Posterior mean and standard deviation at ``x``."""
        scale, dist, exp = _SQRT5 / self.length_scale, math.dist, math.exp
        scaled = [scale * c for c in x]
        k = [(1.0 + s + s * s / 3.0) * exp(-s) for s in [dist(scaled, p) for p in self._scaled]]
        mean = sum(map(mul, k, self.alpha))
        v = [sum(map(mul, row, k)) for row in self._inverse]  # L^-1 k
        var = self.amplitude * max(1.0 - sum(map(mul, v, v)), 1e-12)
        return self.y_mean + self.y_std * mean, self.y_std * math.sqrt(var)


def _factorise(
    dists: Sequence[Sequence[float]], yn: Sequence[float], length_scale: float, noise: float
) -> tuple[float, list[list[float]], list[float], float] | None:
    """(log marginal likelihood, Cholesky factor, K^-1 y, amplitude), or None."""
    scale = _SQRT5 / length_scale
    # Only the lower triangle is read by cholesky().
    matrix = [_correlations([scale * d for d in row[: i + 1]]) for i, row in enumerate(dists)]
    for i, row in enumerate(matrix):
        row[i] += noise
    chol = cholesky(matrix)
    if chol is None:
        return None
    alpha = backward_solve(chol, forward_solve(chol, yn))
    # Profile out the signal variance: its maximum-likelihood value is y'K^-1 y / n.
    n = len(yn)
    amplitude = max(sum(map(mul, yn, alpha)) / n, 1e-6)
    log_lik = -0.5 * n * math.log(amplitude) - sum(math.log(r[-1]) for r in chol)
    return log_lik, chol, alpha, amplitude


def _standardised(ys: Sequence[float]) -> tuple[float, float, list[float]]:
    n = len(ys)
    y_mean = sum(ys) / n
    y_std = math.sqrt(sum((y - y_mean) ** 2 for y in ys) / n) or 1.0
    return y_mean, y_std, [(y - y_mean) / y_std for y in ys]


@functools.lru_cache(maxsize=256)
def select(xs: Points, ys: tuple[float, ...]) -> tuple[float, float]:
    """(length scale, noise) with the highest marginal likelihood on ``(xs, ys)``.

    A pure function of its points, remembered: the cost is cubic per grid entry.
    """
    _, _, yn = _standardised(ys)
    dists = [[math.dist(a, b) for b in xs] for a in xs]
    choice: tuple[float, float, float] | None = None
    for length_scale in LENGTH_SCALES:
        for noise in NOISES:
            result = _factorise(dists, yn, length_scale, noise)
            if result is not None and (choice is None or result[0] > choice[0]):
                choice = (result[0], length_scale, noise)
    if choice is None:  # pragma: no cover - the largest noise always factorises
        raise ArithmeticError("Gaussian process could not be fitted")
    return choice[1], choice[2]


def fit(
    xs: Sequence[Sequence[float]],
    ys: Sequence[float],
    *,
    select_points: int = 30,
    hyperparameters: tuple[float, float] | None = None,
) -> GaussianProcess:
    """Fit a GP to ``(xs, ys)``.

    ``hyperparameters``: (length scale, noise) chosen by the caller (see
    :func:`select`); else they are chosen here by marginal likelihood on an
    evenly spaced subset of at most ``select_points`` points (the cost is
    cubic), then the chosen model is fitted to all points.
    """
    n = len(ys)
    y_mean, y_std, yn = _standardised(ys)
    if hyperparameters is None:
        subset = range(0, n, math.ceil(n / select_points))
        hyperparameters = select(
            tuple(tuple(xs[i]) for i in subset), tuple(float(ys[i]) for i in subset)
        )
    length_scale, noise = hyperparameters
    dists = [[math.dist(a, b) for b in xs[: i + 1]] for i, a in enumerate(xs)]
    full = _factorise(dists, yn, length_scale, noise)
    if full is None:  # more points than the selection can make K ill-conditioned
        noise = max(noise, NOISES[-1])
        full = _factorise(dists, yn, length_scale, noise)
    if full is None:  # pragma: no cover
        raise ArithmeticError("Gaussian process could not be fitted")
    _, chol, alpha, amplitude = full
    return GaussianProcess(
        xs=tuple(tuple(x) for x in xs),
        chol=tuple(tuple(r) for r in chol),
        alpha=tuple(alpha),
        length_scale=length_scale,
        noise=noise,
        amplitude=amplitude,
        y_mean=y_mean,
        y_std=y_std,
    )


def expected_improvement(mean: float, std: float, best: float, xi: float = 0.0) -> float:
    """Expected improvement below ``best`` (minimisation)."""
    gain = best - mean - xi
    if std <= 0.0:
        return max(gain, 0.0)
    z = gain / std
    cdf = 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))
    pdf = math.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)
    return gain * cdf + std * pdf
