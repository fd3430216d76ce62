"""The sagemaker_lite pytest plugin (registered through the ``pytest11`` entry point).

Fixtures, each fresh per test **and per Hypothesis example**, so no state
leaks between tests or between the examples of one ``@given`` test:

* ``sagemaker_emulator``: the current :class:`~sagemaker_lite.Emulator`
  (virtual clock at 2026-01-01T00:00:00Z, nothing scripted, no jobs).
* ``sagemaker_client``: a client of that emulator (``us-east-1``, account
  ``123456789012``); ``sagemaker_client.emulator is sagemaker_emulator``.
* ``boto3_sagemaker``: a real boto3 SageMaker client served by that emulator
  through ``sagemaker_lite.mock_sagemaker`` (skipped when boto3 is missing).
  A test that asks for it runs inside the mock from its first line (before
  any other function fixture is set up), so a client its code makes itself is
  served too.

The marker ``@pytest.mark.sagemaker_lite`` runs a test (a class, or a module
through ``pytestmark``) inside ``mock_sagemaker()`` serving ``sagemaker_emulator``,
from its first line, without asking for a fixture.

The fixtures are stand-ins (:class:`~sagemaker_lite.testing.per_example.Fresh`)
that forward to the current test's objects: session-scoped, so Hypothesis
accepts them inside ``@given`` without a health-check failure, and each
example starts from an empty emulator.  Override ``sagemaker_region`` or
``sagemaker_account_id`` (ordinary fixtures) in a conftest to change where the
clients point.

Importing or collecting with this plugin changes nothing: no mock, no patched
function, no environment variable, no emulator, until a test starts.  This
module imports only pytest: the emulator loads when a test first needs it.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from typing import Any

import pytest

#: The marker that runs a test inside the mock from its first line.
MARKER = "sagemaker_lite"
#: Fixtures whose tests run inside the mock from their first line.
MOCKING_FIXTURES = frozenset({"boto3_sagemaker"})


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker (``--strict-markers`` accepts it)."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}: run the test inside sagemaker_lite.mock_sagemaker() from its first "
        "line, served by the sagemaker_emulator fixture's emulator",
    )


@pytest.fixture
def sagemaker_region() -> str:
    """The region the sagemaker_lite fixtures' clients use."""
    from sagemaker_lite.testing.per_example import DEFAULT_REGION

    return DEFAULT_REGION


@pytest.fixture
def sagemaker_account_id() -> str:
    """The account the sagemaker_lite fixtures' clients use."""
    from sagemaker_lite.testing.per_example import DEFAULT_ACCOUNT

    return DEFAULT_ACCOUNT


@pytest.fixture(autouse=True)
def _sagemaker_lite_new_test(request: pytest.FixtureRequest) -> Iterator[None]:
    # Free for tests that touch no fixture and carry no marker: nothing is imported
    # beyond the small per_example module, and region and account are looked up
    # only when a client is first made.
    from sagemaker_lite.testing.per_example import SCOPE

    mock = request.node.get_closest_marker(MARKER) is not None or not MOCKING_FIXTURES.isdisjoint(
        request.fixturenames
    )
    if mock and importlib.util.find_spec("boto3") is None:
        pytest.skip("boto3 is not installed")
    SCOPE.start_test(
        lambda: (
            request.getfixturevalue("sagemaker_region"),
            request.getfixturevalue("sagemaker_account_id"),
        ),
        mock=mock,
    )
    yield
    SCOPE.end_test()


# Each fixture warms the emulator up when first set up (once per session), so
# the first call inside a test never counts against a Hypothesis deadline.


@pytest.fixture(scope="session")
def sagemaker_emulator() -> Any:
    """The current test's (or Hypothesis example's) fresh emulator."""
    from sagemaker_lite.testing import per_example, warm

    warm.warm_up_all()
    return per_example.EMULATOR


@pytest.fixture(scope="session")
def sagemaker_client() -> Any:
    """A boto3-shaped client of the current test's (or example's) emulator."""
    from sagemaker_lite.testing import per_example, warm

    warm.warm_up_all()
    return per_example.CLIENT


@pytest.fixture(scope="session")
def boto3_sagemaker() -> Any:
    """A real ``boto3.client("sagemaker")`` whose calls the current emulator serves."""
    if importlib.util.find_spec("boto3") is None:
        pytest.skip("boto3 is not installed")
    from sagemaker_lite.testing import per_example, warm

    warm.warm_up_all()
    warm.warm_up_boto3()
    return per_example.BOTO3
