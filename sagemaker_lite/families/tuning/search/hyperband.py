"""The Hyperband strategy (Li et al., 2018) in its asynchronous form.

SageMaker never tells a child its budget: every child trains with the job's
static hyperparameters (its epochs), reports its objective after each epoch,
and Hyperband *stops* it early at a rung when it is not among the best, or
once it reaches ``MaxResource`` ("Once a job reaches the MaxResource value,
it is stopped").  So here a bracket is a set of rungs, and the decision at a
rung is the pure function :func:`rung_should_stop`.

Brackets follow the paper with reduction factor ``eta = 3``: with
``s_max = floor(log_eta(MaxResource / MinResource))``, bracket ``s`` judges its
children at ``MaxResource / eta**k`` for ``k = s .. 1`` (never below
``MinResource``: "If the value for MinResource has not been reached, the
training job is not stopped by Hyperband") and holds
``ceil((s_max + 1) / (s + 1) * eta**s)`` children per Hyperband iteration.
Children are dealt to brackets by smooth weighted round-robin on those
counts, so even a short job hedges across brackets.  Configurations are
random draws.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import attrs

from sagemaker_lite.families.tuning.search.base import MINIMIZE, Suggestion, Trial, rng_for
from sagemaker_lite.families.tuning.search.space import SearchSpace

ETA = 3
DEFAULT_MIN_RESOURCE = 1
#: Keys SageMaker reads MaxResource from when it is not given (API reference).
MAX_RESOURCE_KEYS = ("epochs", "numepochs", "n-epochs", "n_epochs", "num_epochs")


def infer_max_resource(static_hyperparameters: Mapping[str, str]) -> int | None:
    """``MaxResource`` from the static hyperparameters, as SageMaker infers it."""
    for key in MAX_RESOURCE_KEYS:
        if key in static_hyperparameters:
            try:
                return int(float(static_hyperparameters[key]))
            except ValueError:
                return None
    return None


@attrs.frozen
class Bracket:
    """One Hyperband bracket: ``size`` children judged at ``rungs``."""

    s: int
    size: int
    rungs: tuple[int, ...]


def make_brackets(min_resource: int, max_resource: int, eta: int = ETA) -> tuple[Bracket, ...]:
    """The brackets, most aggressive (most rungs) first."""
    s_max = 0
    while min_resource * eta ** (s_max + 1) <= max_resource:
        s_max += 1
    result = []
    for s in range(s_max, -1, -1):
        rungs = sorted({max(round(max_resource / eta**k), min_resource) for k in range(s, 0, -1)})
        size = math.ceil((s_max + 1) / (s + 1) * eta**s)
        result.append(Bracket(s=s, size=size, rungs=tuple(r for r in rungs if r < max_resource)))
    return tuple(result)


def bracket_schedule(brackets: Sequence[Bracket]) -> tuple[int, ...]:
    """One Hyperband iteration as bracket positions, by smooth weighted round-robin.

    Each bracket appears ``size`` times, spread out rather than in blocks.
    """
    total = sum(b.size for b in brackets)
    current = [0] * len(brackets)
    order: list[int] = []
    for _ in range(total):
        current = [c + b.size for c, b in zip(current, brackets, strict=True)]
        chosen = max(range(len(brackets)), key=lambda k: (current[k], -k))
        current[chosen] -= total
        order.append(chosen)
    return tuple(order)


def rung_should_stop(
    value: float, peer_values: Sequence[float], *, minimize: bool, eta: int = ETA
) -> bool:
    """Whether a child reaching a rung with ``value`` stops there.

    It continues only if it ranks within the top ``1/eta`` of all values seen
    at this rung of its bracket (its peers and itself).  With fewer than
    ``eta`` values there is too little evidence and it continues.
    """
    count = len(peer_values) + 1
    if count < eta:
        return False
    keep = max(1, count // eta)
    better = sum(1 for v in peer_values if (v < value if minimize else v > value))
    return better >= keep


@attrs.frozen
class HyperbandStrategy:
    """Random configurations, judged at the rungs of their bracket."""

    space: SearchSpace
    seed: int
    objective_type: str
    max_resource: int
    min_resource: int = DEFAULT_MIN_RESOURCE
    eta: int = ETA
    brackets: tuple[Bracket, ...] = attrs.field(init=False)
    schedule: tuple[int, ...] = attrs.field(init=False, repr=False)

    @brackets.default
    def _brackets(self) -> tuple[Bracket, ...]:
        return make_brackets(self.min_resource, self.max_resource, self.eta)

    @schedule.default
    def _schedule(self) -> tuple[int, ...]:
        return bracket_schedule(self.brackets)

    def bracket_of(self, index: int) -> Bracket:
        """The bracket of child ``index``."""
        return self.brackets[self.schedule[index % len(self.schedule)]]

    def suggest(self, index: int, history: Sequence[Trial]) -> Suggestion | None:
        """Child ``index``: a random draw with its bracket's rungs."""
        bracket = self.bracket_of(index)
        hp = self.space.sample(rng_for(self.seed, index, "hyperband"))
        return Suggestion(hp, resource=self.max_resource, rungs=bracket.rungs)

    def should_stop(self, index: int, history: Sequence[Trial]) -> bool:
        """Whether child ``index`` stops now, given everyone's intermediate values.

        Called after the child reports a value; ``history[index].intermediate``
        holds its values so far (one per resource unit).  True at a rung where
        it loses, and once it has used ``MaxResource``.
        """
        used = len(history[index].intermediate)
        if used >= self.max_resource:
            return True
        period = len(self.schedule)
        position = self.schedule[index % period]
        if used not in self.brackets[position].rungs:
            return False
        # Only the bracket's own children are read: a history's trials cost to build.
        peers = []
        for j in range(len(history)):
            if j != index and self.schedule[j % period] == position:
                values = history[j].intermediate
                if len(values) >= used:
                    peers.append(values[used - 1])
        return rung_should_stop(
            history[index].intermediate[used - 1],
            peers,
            minimize=self.objective_type == MINIMIZE,
            eta=self.eta,
        )
