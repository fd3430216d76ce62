"""The testing kit: Hypothesis strategies, a state machine and a pytest plugin.

* :mod:`sagemaker_lite.testing.strategies`: valid requests (realistic, passing
  every rule) and invalid ones paired with the error AWS answers.
* :class:`SageMakerStateMachine` (from :mod:`sagemaker_lite.testing.stateful`):
  a ``RuleBasedStateMachine`` to subclass, with the emulator's invariants.
* :mod:`sagemaker_lite.testing.pytest_plugin`: the ``sagemaker_client``,
  ``sagemaker_emulator`` and ``boto3_sagemaker`` fixtures, fresh per test and
  per Hypothesis example (loaded automatically through the ``pytest11`` entry
  point).

The kit needs Hypothesis (and pytest for the plugin); the emulator itself does
not, so nothing here is imported by ``import sagemaker_lite``, and Hypothesis is
imported only when the strategies or the machine are.  Guide: docs/testing.md.
"""

from __future__ import annotations

from sagemaker_lite._lazy import lazy_attributes

#: Names importable from here, and the module each lives in (imported on first use:
#: the pytest plugin imports this package in every run, with or without Hypothesis).
_LAZY = {
    "SageMakerStateMachine": ".stateful",
    "valid_requests": ".strategies",
    "invalid_requests": ".strategies",
    "error_of": ".strategies",
}


__getattr__ = lazy_attributes(__name__, _LAZY)

__all__ = ["SageMakerStateMachine", "error_of", "invalid_requests", "valid_requests"]
