"""Tuning benchmark (run on demand: ``python tests/benchmarks/bench_tuning.py``).

A Random tuning job of 500 children, 50 in parallel, run to completion with
``run_until_idle()``. Reports the wall time and the cost per child as a ratio
to one plain ``create_training_job`` plus its whole lifecycle, measured in the
same run (target <= 3x). The Bayesian-vs-Random quality table is printed by
``bench_search_quality.py``.
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from factories import training_request, tuning_request

import sagemaker_lite

CHILDREN, PARALLEL = 500, 50


def plain_job_cost(count: int = 2000) -> float:
    """Seconds per create_training_job + its lifecycle to Completed."""
    sm = sagemaker_lite.client()
    start = time.perf_counter()
    for i in range(count):
        sm.create_training_job(**training_request(f"job-{i}"))
    sm.emulator.run_until_idle()
    return (time.perf_counter() - start) / count


def tuning_run() -> float:
    """Wall seconds for the whole tuning job."""
    sm = sagemaker_lite.client()
    request = tuning_request(strategy="Random", max_jobs=CHILDREN, parallel=PARALLEL)
    start = time.perf_counter()
    sm.create_hyper_parameter_tuning_job(**request)
    sm.emulator.run_until_idle()
    elapsed = time.perf_counter() - start
    d = sm.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName="tune-1")
    assert d["HyperParameterTuningJobStatus"] == "Completed"
    assert d["TrainingJobStatusCounters"]["Completed"] == CHILDREN
    return elapsed


def main() -> None:
    plain = plain_job_cost()
    wall = tuning_run()
    per_child = wall / CHILDREN
    print(f"Random tuning job, {CHILDREN} children, {PARALLEL} parallel: {wall:.2f} s wall")
    print(
        f"per child {per_child * 1e6:.0f} us; plain create+lifecycle {plain * 1e6:.0f} us; "
        f"ratio {per_child / plain:.2f}x (target <= 3x)"
    )


if __name__ == "__main__":
    main()
