"""The benchmark scripts run on demand, not in CI: at least keep them importable."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

EXTRAS = ("boto3", "botocore", "moto", "sagemaker", "aiobotocore", "pandas")
BENCHMARKS = sorted((Path(__file__).parent / "benchmarks").glob("bench_*.py"))


@pytest.mark.parametrize("path", BENCHMARKS, ids=[p.stem for p in BENCHMARKS])
def test_benchmark_imports_and_has_a_main(path: Path) -> None:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except ModuleNotFoundError as error:  # without the test extras, what needs them
        if importlib.util.find_spec("boto3") is not None or error.name is None:
            raise
        if error.name.partition(".")[0] not in EXTRAS:
            raise
        pytest.skip(f"needs {error.name}, a test extra")
    assert callable(module.main)
