"""The sagemaker_lite pytest plugin (registered through the ``pytest11`` entry point).

Fixtures, each fresh per test so no state leaks between tests:

* ``sagemaker_emulator``: a new :class:`~sagemaker_lite.Emulator` (virtual
  clock at 2026-01-01T00:00:00Z, nothing scripted, no jobs).
* ``sagemaker_client``: a client of that emulator (``us-east-1``, account
  ``123456789012``); ``sagemaker_client.emulator is sagemaker_emulator``.
* ``boto3_sagemaker``: a real boto3 SageMaker client served by that emulator
  through ``sagemaker_lite.mock_sagemaker`` (skipped when boto3 is missing).

Override ``sagemaker_region`` or ``sagemaker_account_id`` (ordinary
fixtures) in a conftest to change where the clients point.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from typing import Any

import pytest

from sagemaker_lite.client import Client
from sagemaker_lite.emulator import Emulator

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "123456789012"


@pytest.fixture
def sagemaker_region() -> str:
    """The region the sagemaker_lite fixtures' clients use."""
    return DEFAULT_REGION


@pytest.fixture
def sagemaker_account_id() -> str:
    """The account the sagemaker_lite fixtures' clients use."""
    return DEFAULT_ACCOUNT


@pytest.fixture
def sagemaker_emulator() -> Emulator:
    """A fresh emulator: empty worlds, virtual time at its start, nothing scripted."""
    return Emulator()


@pytest.fixture
def sagemaker_client(
    sagemaker_emulator: Emulator, sagemaker_region: str, sagemaker_account_id: str
) -> Client:
    """A boto3-shaped client of the test's own emulator."""
    return sagemaker_emulator.client(region_name=sagemaker_region, account_id=sagemaker_account_id)


@pytest.fixture
def boto3_sagemaker(
    sagemaker_emulator: Emulator, sagemaker_region: str, sagemaker_account_id: str
) -> Iterator[Any]:
    """A real ``boto3.client("sagemaker")`` whose calls the test's emulator serves."""
    if importlib.util.find_spec("boto3") is None:
        pytest.skip("boto3 is not installed")
    import boto3

    from sagemaker_lite.boto3_adapter import mock_sagemaker

    with mock_sagemaker(account_id=sagemaker_account_id, emulator=sagemaker_emulator):
        yield boto3.client("sagemaker", region_name=sagemaker_region)
