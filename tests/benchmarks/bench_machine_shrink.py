"""Benchmark: how long a failing SageMakerStateMachine run takes to find and shrink.

Run ``python tests/benchmarks/bench_machine_shrink.py``.  A user's rule that
mishandles a completed training job fails; the machine runs with its default
settings (``MACHINE_SETTINGS``) and with ``max_examples=1000``, derandomized once,
then randomly twice.
Prints, per seed, whether the failure was found, the seconds from start to the
shrunk failure (or to the end of a run that missed it) and that time
as a ratio to one passing run of the plain machine measured in the same
process (the baseline).  Target: under 30 s to find and shrink.
"""

from __future__ import annotations

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


def seconds(machine: type[SageMakerStateMachine], **options: object) -> tuple[float, bool]:
    """Seconds the run took, and whether it failed (Buggy's failure found and shrunk)."""
    start = time.perf_counter()
    try:
        run_state_machine_as_test(  # type: ignore[no-untyped-call]
            machine, settings=settings(machine.TestCase.settings, database=None, **options)
        )
    except AssertionError:
        return time.perf_counter() - start, True
    return time.perf_counter() - start, False


def main() -> None:
    baseline, _ = seconds(Plain, max_examples=1, derandomize=True)
    print(f"baseline: one passing run of the plain machine, {baseline:.2f} s")
    # The default max_examples, then more: with every family's rules beside the user's,
    # a rule that needs a completed training job can take a few hundred runs to fire.
    for max_examples in (100, 1000):
        for seed in range(3):
            elapsed, found = seconds(Buggy, max_examples=max_examples, derandomize=not seed)
            outcome = "found and shrunk" if found else "NOT found"
            print(
                f"max_examples={max_examples} run {seed}: {outcome} in {elapsed:.1f} s = "
                f"{elapsed / baseline:.0f}x baseline"
            )


if __name__ == "__main__":
    main()
