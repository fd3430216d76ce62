"""A warning for the loop that would wait forever: describes while virtual time stands still.

On the direct client nothing moves the virtual clock by itself, so a loop that
describes an unfinished job and sleeps for real polls the same moment forever.
When one unfinished job has been described again after :data:`STALL_SECONDS`
of real time with the virtual clock not moved in between, the emulator warns
once per job (a :class:`StalledClockWarning`), naming the three ways to move time.
"""

from __future__ import annotations

import time
import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sagemaker_lite.engine.jobs import Job

#: Real seconds of describes at one virtual moment before the warning.
STALL_SECONDS = 5.0


class StalledClockWarning(RuntimeWarning):
    """An unfinished job was polled for a while of real time, and virtual time stood still."""


def _real_time() -> float:
    return time.perf_counter()


class StallWatch:
    """When each unfinished job was first described at the current virtual moment."""

    def __init__(self) -> None:
        self._at: float | None = None
        self._first: dict[Job, float] = {}
        self._warned: set[Job] = set()

    def polled(self, job: Job, now: float) -> None:
        """Note a describe of the unfinished ``job`` at virtual time ``now``; warn if stalled."""
        if now != self._at:
            self._at = now
            self._first.clear()  # time moved: every wait so far was fine
        real = _real_time()
        first = self._first.setdefault(job, real)
        if real - first >= STALL_SECONDS and job not in self._warned:
            self._warned.add(job)
            warnings.warn(
                f"{job.name!r} is still {job.status} after {real - first:.0f} s of real time "
                "of describes, and the virtual clock has not moved: nothing moves it on its "
                "own. Move it with emulator.advance(seconds) or emulator.run_until_idle(); "
                "or let each describe move it (sagemaker_lite.client(auto_advance=True)); "
                "or make time.sleep virtual (with emulator.patch_sleep(): ..., or a boto3 "
                "client under mock_sagemaker()). See docs/time.md.",
                StalledClockWarning,
                stacklevel=2,
            )


__all__ = ["STALL_SECONDS", "StallWatch", "StalledClockWarning"]
