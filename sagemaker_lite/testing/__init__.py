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

import importlib
from typing import Any

#: Names importable from here, and the module each lives in.
_LAZY = {
    "SageMakerStateMachine": "stateful",
    "valid_requests": "strategies",
    "invalid_requests": "strategies",
    "error_of": "strategies",
}


def __getattr__(name: str) -> Any:
    # Imported on first use: the pytest plugin imports this package in every
    # pytest run, with or without Hypothesis installed.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = ["SageMakerStateMachine", "error_of", "invalid_requests", "valid_requests"]
