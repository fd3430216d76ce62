"""Shared value types of the search strategies.

A strategy holds no mutable state: its next suggestion is a function of the
space, the seed, the index of the trial being launched and the history.
That is what lets the emulator snapshot/restore a tuning job and replay it.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Protocol

import attrs

MINIMIZE = "Minimize"
MAXIMIZE = "Maximize"


@attrs.frozen
class Trial:
    """What the tuning service knows about one child training job.

    ``history[i]`` passed to a strategy is always the child launched with
    index ``i`` (launch order), finished or not.
    """

    hyperparameters: Mapping[str, str]
    #: Final objective value; None while running, or if the job failed.
    objective: float | None = None
    #: True while the child is still training (its result is pending).
    running: bool = False
    #: Objective value after each resource unit (epoch 1, 2, ...), as reported.
    intermediate: tuple[float, ...] = ()


@attrs.frozen
class Suggestion:
    """The configuration to launch next."""

    hyperparameters: dict[str, str]
    #: Hyperband only: the most resource (epochs) the child may use.
    resource: int | None = None
    #: Hyperband only: resource levels at which the child is judged (rungs).
    rungs: tuple[int, ...] = ()


class Strategy(Protocol):
    """A search strategy: pure in (space, seed, index, history)."""

    def suggest(self, index: int, history: Sequence[Trial]) -> Suggestion | None:
        """The configuration for trial ``index``; None when nothing is left."""
        ...


def rng_for(seed: int, index: int, purpose: str) -> random.Random:
    """A generator owned by one (seed, trial index, purpose).

    Seeding from a string is stable across processes and Python versions
    (it hashes with SHA-512), so results never depend on call order.
    """
    return random.Random(f"sagemaker-lite:{seed}:{index}:{purpose}")


def signed(value: float, objective_type: str) -> float:
    """``value`` turned into a quantity to minimise."""
    return -value if objective_type == MAXIMIZE else value
