"""The search space of a tuning job, built from the API's ``ParameterRanges``.

Every tunable parameter maps a *unit coordinate* ``u`` in ``[0, 1]`` to a
value and back, honouring its ``ScalingType``:

- ``Linear`` (and ``Auto``, see docs/fidelity.md): uniform in the value.
- ``Logarithmic``: uniform in ``log(value)``, so every decade gets the same
  share of samples (ranges must be ``> 0``).
- ``ReverseLogarithmic`` (continuous only): uniform in ``log(1 - value)``, so
  values crowd towards 1 (ranges must lie within ``0 <= x < 1``).

Integer ranges are inclusive at both ends: the unit interval is cut into
one cell per integer (of equal width on the chosen scale).  Categorical
parameters map ``u`` to one of their values, in the order given.

Values are rendered as the strings a training job receives: integers as
``"12"``, continuous values as Python's shortest round-trip float text.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

LINEAR = "Linear"
LOGARITHMIC = "Logarithmic"
REVERSE_LOGARITHMIC = "ReverseLogarithmic"
AUTO = "Auto"


def _parse_float(text: Any) -> float:
    return float(text)


def _parse_int(text: Any) -> int:
    # The API carries integers as strings; tolerate "3.0" like the service does.
    try:
        return int(text)
    except ValueError:
        return int(float(text))


def _effective_scaling(scaling: str | None) -> str:
    # Auto: SageMaker documents no rule for its choice; we search linearly.
    return LINEAR if scaling in (None, AUTO) else scaling


@attrs.frozen
class ContinuousParam:
    """A continuous range ``[low, high]`` searched on ``scaling``."""

    name: str
    low: float
    high: float
    scaling: str = LINEAR

    def from_unit(self, u: float) -> float:
        """The value at unit coordinate ``u`` (clamped into the range)."""
        u = min(max(u, 0.0), 1.0)
        if self.low == self.high:
            return self.low
        if self.scaling == LOGARITHMIC:
            lo, hi = math.log(self.low), math.log(self.high)
            value = math.exp(lo + u * (hi - lo))
        elif self.scaling == REVERSE_LOGARITHMIC:
            lo, hi = math.log(1.0 - self.low), math.log(1.0 - self.high)
            value = 1.0 - math.exp(lo + u * (hi - lo))
        else:
            value = self.low + u * (self.high - self.low)
        return min(max(value, self.low), self.high)

    def to_unit(self, value: float) -> float:
        """The unit coordinate of ``value`` (inverse of :meth:`from_unit`)."""
        if self.low == self.high:
            return 0.5
        value = min(max(value, self.low), self.high)
        if self.scaling == LOGARITHMIC:
            lo, hi, at = math.log(self.low), math.log(self.high), math.log(value)
        elif self.scaling == REVERSE_LOGARITHMIC:
            lo, hi = math.log(1.0 - self.low), math.log(1.0 - self.high)
            at = math.log(1.0 - value)
        else:
            lo, hi, at = self.low, self.high, value
        # Bounds one ulp apart can have equal logarithms: the range is then one point.
        return 0.5 if hi == lo else (at - lo) / (hi - lo)

    def render(self, u: float) -> str:
        """The hyperparameter string for unit coordinate ``u``."""
        return repr(self.from_unit(u))

    def parse(self, text: str) -> float:
        """The unit coordinate of a rendered value."""
        return self.to_unit(_parse_float(text))


@attrs.frozen
class IntegerParam:
    """An inclusive integer range ``[low, high]`` searched on ``scaling``."""

    name: str
    low: int
    high: int
    scaling: str = LINEAR

    def _edges(self) -> tuple[float, float]:
        # Cell k covers [k, k + 1) on the chosen scale; log needs low >= 1.
        if self.scaling == LOGARITHMIC:
            return math.log(self.low), math.log(self.high + 1)
        return float(self.low), float(self.high + 1)

    def from_unit(self, u: float) -> int:
        """The integer at unit coordinate ``u`` (each integer owns one cell)."""
        u = min(max(u, 0.0), 1.0)
        lo, hi = self._edges()
        x = lo + u * (hi - lo)
        value = math.floor(math.exp(x) if self.scaling == LOGARITHMIC else x)
        return min(max(value, self.low), self.high)

    def to_unit(self, value: int) -> float:
        """The centre of ``value``'s cell on the unit interval."""
        if self.low == self.high:
            return 0.5
        value = min(max(value, self.low), self.high)
        lo, hi = self._edges()
        centre = math.log(value + 0.5) if self.scaling == LOGARITHMIC else value + 0.5
        return (centre - lo) / (hi - lo)

    def render(self, u: float) -> str:
        """The hyperparameter string for unit coordinate ``u``."""
        return str(self.from_unit(u))

    def parse(self, text: str) -> float:
        """The unit coordinate of a rendered value."""
        return self.to_unit(_parse_int(text))


@attrs.frozen
class CategoricalParam:
    """A categorical parameter; ``values`` are distinct, in the request's order."""

    name: str
    values: tuple[str, ...]

    def index_of(self, u: float) -> int:
        """The value index at unit coordinate ``u``."""
        return min(int(min(max(u, 0.0), 1.0) * len(self.values)), len(self.values) - 1)

    def render(self, u: float) -> str:
        """The hyperparameter string for unit coordinate ``u``."""
        return self.values[self.index_of(u)]

    def parse(self, text: str) -> float:
        """The centre of ``text``'s cell on the unit interval."""
        return (self.values.index(text) + 0.5) / len(self.values)


Param = ContinuousParam | IntegerParam | CategoricalParam


def _numeric(entry: Mapping[str, Any], *, integer: bool) -> Param:
    name, scaling = entry["Name"], _effective_scaling(entry.get("ScalingType"))
    if integer:
        ilow, ihigh = _parse_int(entry["MinValue"]), _parse_int(entry["MaxValue"])
        if scaling == REVERSE_LOGARITHMIC:
            raise ValueError(f"{name}: ReverseLogarithmic is for continuous ranges only")
        if scaling == LOGARITHMIC and ilow <= 0:
            raise ValueError(f"{name}: Logarithmic scaling needs MinValue > 0")
        return IntegerParam(name=name, low=ilow, high=ihigh, scaling=scaling)
    low, high = _parse_float(entry["MinValue"]), _parse_float(entry["MaxValue"])
    if scaling == LOGARITHMIC and low <= 0:
        raise ValueError(f"{name}: Logarithmic scaling needs MinValue > 0")
    if scaling == REVERSE_LOGARITHMIC and not 0 <= low <= high < 1:
        raise ValueError(f"{name}: ReverseLogarithmic needs a range within 0 <= x < 1")
    return ContinuousParam(name=name, low=low, high=high, scaling=scaling)


@attrs.frozen
class SearchSpace:
    """The tunable parameters of a tuning job, in a fixed order.

    Order: integer ranges, then continuous, then categorical, each in the
    request's order.  The order fixes how random draws map to parameters, so
    it is part of what makes a seed reproducible.
    """

    params: tuple[Param, ...]

    @classmethod
    def from_ranges(cls, parameter_ranges: Mapping[str, Any]) -> SearchSpace:
        """Build the space from a ``ParameterRanges`` dict (already validated)."""
        params: list[Param] = []
        for entry in parameter_ranges.get("IntegerParameterRanges", ()):
            params.append(_numeric(entry, integer=True))
        for entry in parameter_ranges.get("ContinuousParameterRanges", ()):
            params.append(_numeric(entry, integer=False))
        for entry in parameter_ranges.get("CategoricalParameterRanges", ()):
            values = tuple(dict.fromkeys(str(v) for v in entry["Values"]))
            params.append(CategoricalParam(name=entry["Name"], values=values))
        return cls(params=tuple(params))

    @property
    def names(self) -> tuple[str, ...]:
        """Parameter names in space order."""
        return tuple(p.name for p in self.params)

    def render(self, unit: Sequence[float]) -> dict[str, str]:
        """Hyperparameters for one unit coordinate per parameter."""
        return {p.name: p.render(u) for p, u in zip(self.params, unit, strict=True)}

    def to_unit(self, hyperparameters: Mapping[str, str]) -> list[float]:
        """Unit coordinates (one per parameter) of rendered hyperparameters."""
        return [p.parse(hyperparameters[p.name]) for p in self.params]

    def sample_unit(self, rng: random.Random) -> list[float]:
        """One uniform draw in the (scaled) unit cube."""
        return [rng.random() for _ in self.params]

    def sample(self, rng: random.Random) -> dict[str, str]:
        """One uniformly drawn configuration, rendered."""
        return self.render(self.sample_unit(rng))

    def render_embedded(self, unit: Sequence[float]) -> tuple[dict[str, str], list[float]]:
        """``(render(unit), embed(render(unit)))``, each value computed once, none parsed."""
        rendered: dict[str, str] = {}
        features: list[float] = []
        for p, u in zip(self.params, unit, strict=True):
            if isinstance(p, CategoricalParam):
                hot = p.index_of(u)
                rendered[p.name] = p.values[hot]
                features.extend(math.sqrt(0.5) if i == hot else 0.0 for i in range(len(p.values)))
            elif isinstance(p, IntegerParam):
                whole = p.from_unit(u)
                rendered[p.name] = str(whole)
                features.append(p.to_unit(whole))
            else:
                value = p.from_unit(u)
                rendered[p.name] = repr(value)
                features.append(p.to_unit(value))
        return rendered, features

    def embed(self, hyperparameters: Mapping[str, str]) -> list[float]:
        """Features for the surrogate model.

        Numeric parameters give their unit coordinate; a categorical one gives
        a one-hot block scaled by 1/sqrt(2), so two different categories are
        at distance 1, like the two ends of a numeric range.
        """
        features: list[float] = []
        for p in self.params:
            text = hyperparameters[p.name]
            if isinstance(p, CategoricalParam):
                hot = p.values.index(text)
                features.extend(math.sqrt(0.5) if i == hot else 0.0 for i in range(len(p.values)))
            else:
                features.append(p.parse(text))
        return features
