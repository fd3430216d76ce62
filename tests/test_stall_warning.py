"""A describe loop on the direct client that real time passes and virtual time does not
gets a warning naming the three ways to move time (issue 23)."""

from __future__ import annotations

import warnings

import pytest
from factories import training_request

import sagemaker_lite
from sagemaker_lite.engine import stall
from sagemaker_lite.engine.stall import StalledClockWarning


@pytest.fixture
def real_seconds(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The real clock the watch reads, moved by hand."""
    now = [0.0]
    monkeypatch.setattr(stall, "_real_time", lambda: now[0])
    return now


def test_polling_a_standing_clock_warns_once_naming_the_ways_out(
    real_seconds: list[float],
) -> None:
    sm = sagemaker_lite.client()
    sm.create_training_job(**training_request())
    with pytest.warns(StalledClockWarning) as caught:
        for _ in range(4):
            sm.describe_training_job(TrainingJobName="job-1")
            real_seconds[0] += 3  # a real time.sleep(3)
    assert len(caught) == 1
    message = str(caught[0].message)
    for way in ("advance(", "run_until_idle()", "auto_advance=True", "patch_sleep()"):
        assert way in message
    assert "'job-1' is still InProgress" in message


def test_no_warning_while_time_moves_or_once_the_job_ended(real_seconds: list[float]) -> None:
    sm = sagemaker_lite.client()
    sm.create_training_job(**training_request())
    with warnings.catch_warnings():
        warnings.simplefilter("error", StalledClockWarning)
        for _ in range(10):
            sm.describe_training_job(TrainingJobName="job-1")
            real_seconds[0] += 3
            sm.emulator.advance(1)  # the loop moves time: nothing is stuck
        sm.emulator.run_until_idle()
        for _ in range(3):
            sm.describe_training_job(TrainingJobName="job-1")  # Completed: polling it is fine
            real_seconds[0] += 3
