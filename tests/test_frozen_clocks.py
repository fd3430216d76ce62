"""freezegun and time-machine beside the mock, entered in either order (issue 23): one
clock, no RecursionError, every patch put back.

What is decided (docs/time.md): while a freeze (or travel) is active the emulator's
clock follows it: a fresh emulator starts at the frozen moment, the timeline's jumps
move the freeze too (so ``time.time()``, ``datetime.now()`` and job timestamps agree,
in both orders), and the tool's own ``tick()``/``move_to()``/``shift()`` move the
emulator forward at its next call, never back.
"""

from __future__ import annotations

import asyncio
import datetime
import math
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import boto3
import botocore.waiter
import pytest
from factories import training_request

from sagemaker_lite import mock_sagemaker
from sagemaker_lite.engine.behaviour import DEFAULT_DURATIONS

freezegun = pytest.importorskip("freezegun")
time_machine = pytest.importorskip("time_machine")

UTC = datetime.timezone.utc
MOMENT = datetime.datetime(2030, 5, 1, 12, tzinfo=UTC)
FREEZES: dict[str, Callable[[datetime.datetime], AbstractContextManager[Any]]] = {
    "freezegun": lambda at: freezegun.freeze_time(at),
    "time-machine": lambda at: time_machine.travel(at, tick=False),
}
ORDERS = pytest.mark.parametrize("mock_first", [False, True], ids=["freeze-first", "mock-first"])
_SLEEPERS = (time.sleep, asyncio.sleep, threading.Thread.start)
_PHASES = DEFAULT_DURATIONS["training-job"]
#: What a 30 s polling loop sleeps in all: it sees the default job finished at the
#: first poll after the job's end.
POLLED = 30 * math.ceil(sum(_PHASES.values()) / 30)
#: A moment inside the default job's Training phase.
TRAINING = _PHASES["Starting"] + _PHASES["Downloading"] + _PHASES["Training"] / 2


def _poll(sm: Any, name: str = "job-1") -> dict[str, Any]:
    sm.create_training_job(**training_request(name))
    began = time.time()
    while True:
        job = sm.describe_training_job(TrainingJobName=name)
        if job["TrainingJobStatus"] in ("Completed", "Failed"):
            return {"slept": time.time() - began, **job}
        time.sleep(30)


def _entered(tool: str, mock_first: bool, at: datetime.datetime = MOMENT) -> Any:
    freeze, mock = FREEZES[tool](at), mock_sagemaker()
    return (mock, freeze) if mock_first else (freeze, mock)


@pytest.mark.parametrize("tool", FREEZES)
@ORDERS
def test_both_orders_share_one_clock_and_put_everything_back(tool: str, mock_first: bool) -> None:
    outer, inner = _entered(tool, mock_first)
    started = time.perf_counter()
    with outer, inner:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        job = _poll(sm)
        now = datetime.datetime.now(UTC)
        clock = time.time()
    assert time.perf_counter() - started < 5  # the sleeps were virtual
    assert job["slept"] == pytest.approx(POLLED, abs=1)  # time.time() moved with them
    assert job["CreationTime"] == MOMENT  # the emulator started at the frozen moment
    # seen ended at the first poll after its end
    assert datetime.timedelta(0) <= now - job["TrainingEndTime"] < datetime.timedelta(seconds=30)
    # datetime.now(), time.time() and the emulator agree: the jumps moved the freeze
    assert now == MOMENT + datetime.timedelta(seconds=POLLED)
    assert clock == pytest.approx(now.timestamp(), abs=1)
    assert (time.sleep, asyncio.sleep, threading.Thread.start) == _SLEEPERS
    assert botocore.waiter.time is time
    assert not freezegun.api.freeze_factories and not time_machine.traveller_stack
    with mock_sagemaker():  # and the next mock is fine: no RecursionError
        job = _poll(boto3.client("sagemaker", region_name="us-east-1"))
        assert job["slept"] == pytest.approx(POLLED, abs=1)
        assert job["CreationTime"].year == 2026  # no freeze: the emulator's own start


@pytest.mark.parametrize("tool", FREEZES)
@ORDERS
def test_a_freeze_before_the_emulators_start_restarts_a_fresh_emulator(
    tool: str, mock_first: bool
) -> None:
    early = datetime.datetime(2020, 3, 1, tzinfo=UTC)
    outer, inner = _entered(tool, mock_first, early)
    with outer, inner:
        job = _poll(boto3.client("sagemaker", region_name="us-east-1"))
    assert job["CreationTime"] == early


def _moves(tool: str, frozen: Any) -> Callable[[float], None]:
    if tool == "freezegun":
        return lambda seconds: frozen.tick(seconds)
    return lambda seconds: frozen.shift(seconds)


@pytest.mark.parametrize("tool", FREEZES)
def test_the_tools_own_moves_move_jobs_forward_never_back(tool: str) -> None:
    with FREEZES[tool](MOMENT) as frozen, mock_sagemaker() as emulator:
        move = _moves(tool, frozen)
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        move(TRAINING)  # frozen minutes later the job trains, as moto's timestamps would show
        job = sm.describe_training_job(TrainingJobName="job-1")
        assert job["SecondaryStatus"] == "Training"
        assert emulator.clock.now() == MOMENT + datetime.timedelta(seconds=TRAINING)
        move(-3600)  # back an hour: the tool's clock goes back, jobs do not
        job = sm.describe_training_job(TrainingJobName="job-1")
        assert job["SecondaryStatus"] == "Training"
        assert emulator.clock.now() == MOMENT + datetime.timedelta(seconds=TRAINING)


def test_a_freeze_entered_after_the_first_call_moves_the_emulator_forward_only() -> None:
    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        with freezegun.freeze_time(MOMENT):  # years after the emulator's 2026 start
            assert sm.describe_training_job(TrainingJobName="job-1")["TrainingJobStatus"] == (
                "Completed"
            )
            assert emulator.clock.now() == MOMENT
        with freezegun.freeze_time("2020-01-01"):  # before it: the emulator stays
            sm.list_training_jobs()
            assert emulator.clock.now() == MOMENT


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
        for mock_first in (False, True):
            freeze, mock = freezegun.freeze_time("2030-05-01"), mock_sagemaker()
            with (mock if mock_first else freeze), (freeze if mock_first else mock):
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


@ORDERS
def test_an_event_loop_under_a_freeze_runs_its_timers_at_their_virtual_times(
    mock_first: bool,
) -> None:
    """freezegun freezes ``loop.time()`` too: the jumps move it, and past each timer."""

    async def main(sm: Any) -> tuple[bool, float]:
        loop = asyncio.get_running_loop()
        began = loop.time()

        async def poll() -> None:
            while sm.describe_training_job(TrainingJobName="job-1")["TrainingJobStatus"] != (
                "Completed"
            ):
                await asyncio.sleep(30)

        await asyncio.wait_for(poll(), 3600)
        polled = loop.time() - began
        try:
            await asyncio.wait_for(asyncio.sleep(100), 5)
        except asyncio.TimeoutError:
            return True, polled
        return False, polled

    outer, inner = _entered("freezegun", mock_first)
    with outer, inner:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        timed_out, polled = asyncio.run(main(sm))
    assert timed_out
    assert polled == pytest.approx(POLLED, abs=1)
