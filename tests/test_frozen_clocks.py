"""freezegun and time-machine beside the mock, entered in either order (issue 23): no
RecursionError, every sleep patch put back, polling still finishes in virtual time.

What is decided (docs/time.md): the emulator keeps its own clock (jobs' timestamps
do not follow a frozen ``datetime.now()``); a frozen ``time.time()`` entered before
the mock (or time-machine's, in either order) moves with the virtual sleeps; a
freezegun freeze entered inside the mock replaces ``time.time()`` until it ends.
"""

from __future__ import annotations

import datetime
import math
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import boto3
import pytest
from factories import training_request

from sagemaker_lite import mock_sagemaker
from sagemaker_lite.engine.behaviour import DEFAULT_DURATIONS

freezegun = pytest.importorskip("freezegun")
time_machine = pytest.importorskip("time_machine")

MOMENT = datetime.datetime(2030, 5, 1, 12, tzinfo=datetime.timezone.utc)
FREEZES: dict[str, Callable[[], AbstractContextManager[Any]]] = {
    "freezegun": lambda: freezegun.freeze_time(MOMENT),
    "time-machine": lambda: time_machine.travel(MOMENT, tick=False),
}


#: What a 30 s polling loop sleeps in all: it sees the default job finished at the
#: first poll after the job's end.
POLLED = 30 * math.ceil(sum(DEFAULT_DURATIONS["training-job"].values()) / 30)


def _poll() -> float:
    sm = boto3.client("sagemaker", region_name="us-east-1")
    sm.create_training_job(**training_request())
    began = time.time()
    while sm.describe_training_job(TrainingJobName="job-1")["TrainingJobStatus"] not in (
        "Completed",
        "Failed",
    ):
        time.sleep(30)
    return time.time() - began


@pytest.mark.parametrize("tool", FREEZES)
@pytest.mark.parametrize("mock_first", [False, True], ids=["freeze-first", "mock-first"])
def test_both_orders_poll_in_virtual_time_and_put_everything_back(
    tool: str, mock_first: bool
) -> None:
    sleep = time.sleep
    freeze, mock = FREEZES[tool](), mock_sagemaker()
    outer, inner = (mock, freeze) if mock_first else (freeze, mock)
    started = time.perf_counter()
    with outer, inner:
        slept = _poll()
        assert datetime.datetime.now(datetime.timezone.utc) == MOMENT  # still frozen
    assert time.perf_counter() - started < 5  # the sleeps were virtual
    frozen_inside = tool == "freezegun" and mock_first
    # Polling every 30 s, the loop sees the job finished at the first poll after its end.
    assert slept == (0 if frozen_inside else pytest.approx(POLLED, abs=1))
    assert time.sleep is sleep
    with mock_sagemaker():  # and the next mock is fine: no RecursionError
        assert _poll() == pytest.approx(POLLED, abs=1)


def test_freezegun_imported_while_the_mock_is_installed() -> None:
    """freezegun then takes our reader for the real time.time: no recursion between them."""
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path[:0] = {[str(Path(__file__).parent)]!r}
        import boto3
        from factories import training_request
        from sagemaker_lite import mock_sagemaker
        with mock_sagemaker():
            sm = boto3.client("sagemaker", region_name="us-east-1")
            sm.create_training_job(**training_request())
            time.sleep(30)
            import freezegun
        with freezegun.freeze_time("2030-05-01"):
            with mock_sagemaker():
                time.time(), time.monotonic()
                sm = boto3.client("sagemaker", region_name="us-east-1")
                sm.create_training_job(**training_request())
                time.sleep(30)
                time.time(), time.monotonic(), time.time_ns()
        with mock_sagemaker():
            time.time()
        print("ok")
        """
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert done.stdout.strip() == "ok", done.stderr[-2000:]
