"""Shared test setup: Hypothesis profiles and the sagemaker_lite pytest plugin.

``CI=1`` selects the "ci" profile: derandomized (the same examples every run,
so CI is reproducible) and without deadlines (shared runners are noisy).
Locally the "dev" profile keeps Hypothesis' random exploration.  Tests set
their own ``max_examples``; the profiles keep the default modest.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=50,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev", deadline=None, max_examples=50, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_configure(config: pytest.Config) -> None:
    """Load the plugin from the source tree when the package is not installed with it."""
    if not config.pluginmanager.has_plugin("sagemaker_lite"):
        from sagemaker_lite.testing import pytest_plugin

        config.pluginmanager.register(pytest_plugin, "sagemaker_lite")


@pytest.fixture
def real_sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every sleep that went to the real ``time.sleep`` (longer than 0 s), in order.

    Lets a test say "this flow never waited" without timing it.
    """
    from sagemaker_lite.surfaces import virtual_time

    seen: list[float] = []
    real = virtual_time._real_sleep

    def recording(seconds: float) -> None:
        if seconds:
            seen.append(seconds)
        real(seconds)

    monkeypatch.setattr(virtual_time, "_real_sleep", recording)
    return seen


@pytest.fixture(params=["direct", "boto3"])
def world(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Any]]:
    """An emulator and a client of it: its own direct client, or a real boto3 client
    it serves under ``mock_sagemaker`` (each test runs on both paths)."""
    import boto3

    from sagemaker_lite import Emulator, mock_sagemaker

    emulator = Emulator()
    if request.param == "direct":
        yield emulator, emulator.client()
        return
    with mock_sagemaker(emulator):
        yield emulator, boto3.client("sagemaker", region_name="us-east-1")
