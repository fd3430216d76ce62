"""Shared test setup: Hypothesis profiles and the sagemaker_lite pytest plugin.

``CI=1`` selects the "ci" profile: derandomized (the same examples every run,
so CI is reproducible) and without deadlines (shared runners are noisy).
Locally the "dev" profile keeps Hypothesis' random exploration.  Tests set
their own ``max_examples``; the profiles keep the default modest.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Iterator
from pathlib import Path
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


#: What the test extras add beyond the package's own dependencies.
EXTRAS = ("boto3", "botocore", "moto", "sagemaker", "aiobotocore", "freezegun", "time_machine")
_USES_EXTRAS = re.compile(
    r"^(?:import|from) (?:" + "|".join(EXTRAS) + r")\b",
    re.MULTILINE,
)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Without the test extras (boto3 missing), skip the modules that use them.

    So ``pip install -e . pytest hypothesis`` runs the rest of the suite on the
    versions of attrs and python-dateutil the package alone gets (the extras'
    pins hold them back: sagemaker 2 wants attrs<26, botocore python-dateutil<3).
    """
    if importlib.util.find_spec("boto3") is not None or collection_path.suffix != ".py":
        return None
    if not collection_path.name.startswith(("test_", "bench_")):
        return None
    return _uses_extras(collection_path)


_LOCAL_IMPORT = re.compile(r"^\s*from \.?(\w+) import", re.MULTILINE)


def _uses_extras(path: Path, seen: frozenset[Path] = frozenset()) -> bool:
    """Whether ``path``, or a test module next to it that it imports, uses the extras."""
    source = path.read_text(encoding="utf-8")
    if _USES_EXTRAS.search(source):
        return True
    for name in _LOCAL_IMPORT.findall(source):
        for folder in (path.parent, Path(__file__).parent):
            local = folder / f"{name}.py"
            if local.is_file() and local not in seen and _uses_extras(local, seen | {path}):
                return True
    return False


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
    it serves under ``mock_sagemaker`` (each test runs on both paths; without the
    test extras, only the direct one)."""
    from sagemaker_lite import Emulator, mock_sagemaker

    emulator = Emulator()
    if request.param == "direct":
        yield emulator, emulator.client()
        return
    boto3 = pytest.importorskip("boto3")
    with mock_sagemaker(emulator):
        yield emulator, boto3.client("sagemaker", region_name="us-east-1")
