"""The sagemaker_lite pytest plugin (registered through the ``pytest11`` entry point).

Fixtures, each fresh per test **and per Hypothesis example**, so no state
leaks between tests or between the examples of one ``@given`` test:

* ``sagemaker_emulator``: the current :class:`~sagemaker_lite.Emulator`
  (virtual clock at 2026-01-01T00:00:00Z, nothing scripted, no jobs).
* ``sagemaker_client``: a client of that emulator (``us-east-1``, account
  ``123456789012``); ``sagemaker_client.emulator is sagemaker_emulator``.
* ``boto3_sagemaker``: a real boto3 SageMaker client served by that emulator
  through ``sagemaker_lite.mock_sagemaker`` (skipped when boto3 is missing).

They are stand-ins (:class:`~sagemaker_lite.testing.per_example.Fresh`) that
forward to the current test's objects: session-scoped, so Hypothesis accepts
them inside ``@given`` without a health-check failure, and each example starts
from an empty emulator.  Override ``sagemaker_region`` or
``sagemaker_account_id`` (ordinary fixtures) in a conftest to change where the
clients point.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from typing import Any

import pytest

from sagemaker_lite.testing import warm
from sagemaker_lite.testing.per_example import (
    BOTO3,
    CLIENT,
    DEFAULT_ACCOUNT,
    DEFAULT_REGION,
    EMULATOR,
    SCOPE,
)


@pytest.fixture
def sagemaker_region() -> str:
    """The region the sagemaker_lite fixtures' clients use."""
    return DEFAULT_REGION


@pytest.fixture
def sagemaker_account_id() -> str:
    """The account the sagemaker_lite fixtures' clients use."""
    return DEFAULT_ACCOUNT


@pytest.fixture(autouse=True)
def _sagemaker_lite_new_test(request: pytest.FixtureRequest) -> Iterator[None]:
    # Free for tests that never touch the fixtures: region and account are
    # looked up only when a client is first made.
    SCOPE.start_test(
        lambda: (
            request.getfixturevalue("sagemaker_region"),
            request.getfixturevalue("sagemaker_account_id"),
        )
    )
    yield
    SCOPE.end_test()


# Each fixture warms the emulator up when first set up (once per session), so
# the first call inside a test never counts against a Hypothesis deadline.


@pytest.fixture(scope="session")
def sagemaker_emulator() -> Any:
    """The current test's (or Hypothesis example's) fresh emulator."""
    warm.warm_up_all()
    return EMULATOR


@pytest.fixture(scope="session")
def sagemaker_client() -> Any:
    """A boto3-shaped client of the current test's (or example's) emulator."""
    warm.warm_up_all()
    return CLIENT


@pytest.fixture(scope="session")
def boto3_sagemaker() -> Any:
    """A real ``boto3.client("sagemaker")`` whose calls the current emulator serves."""
    if importlib.util.find_spec("boto3") is None:
        pytest.skip("boto3 is not installed")
    warm.warm_up_all()
    warm.warm_up_boto3()
    return BOTO3
