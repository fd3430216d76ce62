"""The testing kit: Hypothesis strategies, a state machine and a pytest plugin.

* :mod:`sagemaker_lite.testing.strategies`: valid requests (realistic, passing
  every rule) and invalid ones paired with the error AWS answers.
* :mod:`sagemaker_lite.testing.stateful`: :class:`SageMakerStateMachine`, a
  ``RuleBasedStateMachine`` to subclass, and the emulator's invariants.
* :mod:`sagemaker_lite.testing.pytest_plugin`: the ``sagemaker_client``,
  ``sagemaker_emulator`` and ``boto3_sagemaker`` fixtures (loaded automatically
  through the ``pytest11`` entry point).

The kit needs Hypothesis (and pytest for the plugin); the emulator itself does
not, so nothing here is imported by ``import sagemaker_lite``.  Guide:
docs/testing.md.
"""
