"""Benchmark: how long a failing SageMakerStateMachine run takes to find and shrink.

Run ``python tests/benchmarks/bench_machine_shrink.py``.  A user's rule that
mishandles a completed training job fails; the machine runs with its default
settings (``MACHINE_SETTINGS``), derandomized once, then
randomly twice.
Prints, per seed, the seconds from start to the shrunk failure and that time
as a ratio to one passing run of the plain machine measured in the same
process (the baseline).  Target: under 30 s to find and shrink.
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from hypothesis import settings
from hypothesis.stateful import rule, run_state_machine_as_test

from sagemaker_lite.testing import SageMakerStateMachine


class Plain(SageMakerStateMachine):
    """The machine as shipped."""


class Buggy(SageMakerStateMachine):
    """A user's rule that cannot cope with a completed job."""

    @rule(name=SageMakerStateMachine.training_jobs)
    def report(self, name: str) -> None:
        job = self.client.world.get("training-job", name)
        assert job is None or job.status != "Completed", "the user's report code is wrong"


def seconds(machine: type[SageMakerStateMachine], **options: object) -> float:
    start = time.perf_counter()
    with contextlib.suppress(AssertionError):  # Buggy's failure, found and shrunk
        run_state_machine_as_test(  # type: ignore[no-untyped-call]
            machine, settings=settings(machine.TestCase.settings, database=None, **options)
        )
    return time.perf_counter() - start


def main() -> None:
    baseline = seconds(Plain, max_examples=1, derandomize=True)
    print(f"baseline: one passing run of the plain machine, {baseline:.2f} s")
    for seed in range(3):
        elapsed = seconds(Buggy, derandomize=False) if seed else seconds(Buggy, derandomize=True)
        print(
            f"run {seed}: found and shrunk in {elapsed:.1f} s = {elapsed / baseline:.0f}x baseline"
        )


if __name__ == "__main__":
    main()
