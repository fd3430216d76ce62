"""Reliability: the state machine over every operation, with the emulator's invariants.

Rules create, stop, delete, describe, update and tag jobs of all three kinds,
advance time and script failures; after every step the invariants check that
no job is lost or duplicated, every job is in one legal state, histories run
forward in time, List* answers agree with Describe* answers and tuning
counters add up to the children.
"""

from __future__ import annotations

from hypothesis import settings

from sagemaker_lite.testing.stateful import SageMakerStateMachine, family_built


class EveryOperation(SageMakerStateMachine):
    """The kit's machine as shipped: exactly what users subclass."""


TestEveryOperation = EveryOperation.TestCase
TestEveryOperation.settings = settings(max_examples=40, stateful_step_count=30, deadline=None)


def test_every_family_is_exercised() -> None:
    """The guarded tuning and compilation rules run (their handlers exist)."""
    for operation in ("CreateHyperParameterTuningJob", "CreateCompilationJob", "CreateTrainingJob"):
        assert family_built(operation), operation
