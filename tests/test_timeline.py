"""One virtual timeline for every sleeper (issue 23): concurrent sleeps overlap, deadlines
fire at their virtual times, and no clock runs backwards.  Each case is what AWS shows."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import itertools
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import boto3
import botocore.waiter
import pytest
from factories import training_request
from hypothesis import given, settings
from hypothesis import strategies as st

from sagemaker_lite import Emulator, mock_sagemaker
from sagemaker_lite.surfaces import virtual_time

_TRUE_TIME, _TRUE_MONOTONIC = virtual_time._TRUE["time.time"], virtual_time._TRUE["time.monotonic"]
_REAL_SLEEP, _REAL_ASYNC_SLEEP, _REAL_START = time.sleep, asyncio.sleep, threading.Thread.start

TERMINAL = ("Completed", "Failed", "Stopped")
THIRTEEN_MINUTES = {"Starting": 60.0, "Downloading": 60.0, "Training": 600.0, "Uploading": 60.0}


def _job(emulator: Emulator, sm: Any, name: str, durations: dict[str, float]) -> None:
    emulator.script_training(name, durations=durations)
    sm.create_training_job(**training_request(name))


def _status(sm: Any, name: str) -> str:
    return str(sm.describe_training_job(TrainingJobName=name)["TrainingJobStatus"])


def test_a_reporter_thread_does_not_push_the_pollers_clock() -> None:
    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        _job(emulator, sm, "main", THIRTEEN_MINUTES)
        done = threading.Event()

        def reporter() -> None:  # lists every 60 s until the main poller is done
            while not done.is_set():
                sm.list_training_jobs()
                time.sleep(60)

        thread = threading.Thread(target=reporter)
        thread.start()
        polls = 0
        while _status(sm, "main") not in TERMINAL:
            polls += 1
            time.sleep(30)
        done.set()
        thread.join()
    assert polls == 26  # 780 s in 30 s steps, as on AWS: not Completed at its first poll


def test_pool_workers_with_monotonic_timeouts_all_time_out() -> None:
    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        for n in range(4):
            _job(emulator, sm, f"job-{n}", THIRTEEN_MINUTES)

        def wait(name: str) -> str:
            deadline = time.monotonic() + 480
            while (status := _status(sm, name)) not in TERMINAL:
                if time.monotonic() > deadline:
                    return "timed out"
                time.sleep(30)
            return status

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            outcomes = list(pool.map(wait, [f"job-{n}" for n in range(4)]))
    assert outcomes == ["timed out"] * 4
    assert 480 <= emulator.now() - 1767225600.0 < 480 + 60


def test_asyncio_deadlines_fire_at_their_virtual_times() -> None:
    async def poll(sm: Any, name: str) -> str:
        while (status := _status(sm, name)) not in TERMINAL:
            await asyncio.sleep(30)
        return status

    async def main(sm: Any) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        seen: dict[str, Any] = {}
        started = loop.time()
        try:
            await asyncio.wait_for(poll(sm, "a"), 60)
        except asyncio.TimeoutError:
            seen["wait_for"] = round(loop.time() - started)
        started = loop.time()
        try:
            async with asyncio.timeout(90):
                await poll(sm, "a")
        except TimeoutError:
            seen["timeout"] = round(loop.time() - started)
        fired = loop.create_future()
        started = loop.time()
        loop.call_later(45, fired.set_result, None)
        await fired
        seen["call_later"] = round(loop.time() - started)
        deadline = loop.time() + 120
        ticks = 0
        while loop.time() < deadline:
            await asyncio.sleep(1)
            ticks += 1
        seen["deadline ticks"] = ticks
        return seen

    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        _job(emulator, sm, "a", THIRTEEN_MINUTES)
        seen = asyncio.run(main(sm))
    assert seen == {"wait_for": 60, "timeout": 90, "call_later": 45, "deadline ticks": 120}


def test_a_heartbeat_task_ticks_once_a_second_while_a_poller_sleeps() -> None:
    async def main(sm: Any) -> int:
        ticks = 0

        async def heartbeat() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(1)
                ticks += 1

        beating = asyncio.ensure_future(heartbeat())
        _status(sm, "a")
        await asyncio.sleep(720)
        beating.cancel()
        return ticks

    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        _job(emulator, sm, "a", THIRTEEN_MINUTES)
        ticks = asyncio.run(main(sm))
    assert ticks in (719, 720)  # the 720th and the poller's wake-up fall at the same moment


_CLOCKS: dict[str, Any] = {
    "time.time": time.time,
    "time.time_ns": time.time_ns,
    "time.monotonic": time.monotonic,
    "time.monotonic_ns": time.monotonic_ns,
    "time.perf_counter": time.perf_counter,
    "datetime.now": datetime.datetime.now,
}


def _read_clocks() -> dict[str, Any]:
    return {
        "time.time": time.time(),
        "time.time_ns": time.time_ns(),
        "time.monotonic": time.monotonic(),
        "time.monotonic_ns": time.monotonic_ns(),
        "time.perf_counter": time.perf_counter(),
        "datetime.now": datetime.datetime.now(),
    }


def test_no_clock_runs_backwards_across_the_mocks_exit() -> None:
    async def poll_in_a_loop(sm: Any) -> float:
        loop = asyncio.get_running_loop()
        while _status(sm, "job-1") not in TERMINAL:
            await asyncio.sleep(30)
        return loop.time()

    with mock_sagemaker():
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        while _status(sm, "job-1") not in TERMINAL:
            time.sleep(30)
        sm.create_training_job(**training_request("job-2"))
        loop_time = asyncio.run(poll_in_a_loop(sm))
        inside = _read_clocks()
    after = _read_clocks()
    assert all(after[name] >= inside[name] for name in _CLOCKS), (inside, after)
    assert time.monotonic() >= loop_time  # an event loop's clock too


def test_after_the_mock_the_kept_readers_are_the_real_clocks_plus_a_constant() -> None:
    """What stays installed once time has jumped: the real function plus the jumped total."""
    with mock_sagemaker():
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        while _status(sm, "job-1") not in TERMINAL:
            time.sleep(30)
    ahead = virtual_time.skew()
    assert ahead >= 780
    for _ in range(3):
        before, kept, after = _TRUE_TIME(), time.time(), _TRUE_TIME()
        assert before + ahead <= kept <= after + ahead
        before, kept, after = _TRUE_MONOTONIC(), time.monotonic(), _TRUE_MONOTONIC()
        assert before + ahead <= kept <= after + ahead
    assert time.sleep is _REAL_SLEEP and asyncio.sleep is _REAL_ASYNC_SLEEP
    assert threading.Thread.start is _REAL_START
    assert botocore.waiter.time is time


def test_a_clock_a_tool_sets_after_the_mock_reads_exactly_what_the_tool_says() -> None:
    freezegun = pytest.importorskip("freezegun")
    time_machine = pytest.importorskip("time_machine")
    with mock_sagemaker():
        boto3.client("sagemaker", region_name="us-east-1").list_training_jobs()
        time.sleep(30)  # the timeline jumps: the readers stay
    moment = datetime.datetime(2030, 5, 1, 12, tzinfo=datetime.timezone.utc)
    with time_machine.travel(moment, tick=False):
        assert time.time() == moment.timestamp()
        assert time.time_ns() == int(moment.timestamp()) * 10**9
        assert datetime.datetime.now(datetime.timezone.utc) == moment
    with freezegun.freeze_time(moment):
        assert time.time() == moment.timestamp()
        assert datetime.datetime.now(datetime.timezone.utc) == moment
    # freezegun ends a freeze with the functions it found at its import (here the real
    # ones): the real clock, or the kept reader, again.
    assert _TRUE_TIME() - 1 <= time.time() <= _TRUE_TIME() + virtual_time.skew() + 1
    assert time.sleep is _REAL_SLEEP


# --- the property: N threads and M tasks, polling jobs of random durations ---------------

_job_spec = st.tuples(
    st.integers(1, 600),  # Training seconds (the other phases are 0)
    st.integers(5, 120),  # poll interval
    st.one_of(st.none(), st.integers(30, 900)),  # a time.monotonic()/loop.time() timeout
)


@settings(max_examples=15, deadline=None)
@given(threads=st.lists(_job_spec, max_size=3), tasks=st.lists(_job_spec, max_size=3))
def test_concurrent_pollers_each_see_what_aws_would_show(
    threads: list[tuple[int, int, int | None]], tasks: list[tuple[int, int, int | None]]
) -> None:
    specs = [("thread", *s) for s in threads] + [("task", *s) for s in tasks]
    if not specs:
        return
    results: dict[int, tuple[list[tuple[float, str]], str]] = {}
    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        start = emulator.now()
        durations = {"Starting": 0.0, "Downloading": 0.0, "Uploading": 0.0}
        for n, (_, training, _, _) in enumerate(specs):
            _job(emulator, sm, f"job-{n}", {**durations, "Training": float(training)})

        def poll_thread(n: int, interval: int, timeout: int | None) -> None:
            began, seen = time.monotonic(), []
            while True:
                job = sm.describe_training_job(TrainingJobName=f"job-{n}")
                seen.append((emulator.now() - start, job["SecondaryStatus"]))
                if job["TrainingJobStatus"] in TERMINAL:
                    results[n] = seen, "done"
                    return
                if timeout is not None and time.monotonic() - began >= timeout:
                    results[n] = seen, "timed out"
                    return
                time.sleep(interval)

        async def poll_task(n: int, interval: int, timeout: int | None) -> None:
            seen: list[tuple[float, str]] = []

            async def loop() -> None:
                while True:
                    job = sm.describe_training_job(TrainingJobName=f"job-{n}")
                    seen.append((emulator.now() - start, job["SecondaryStatus"]))
                    if job["TrainingJobStatus"] in TERMINAL:
                        return
                    await asyncio.sleep(interval)

            try:
                await asyncio.wait_for(loop(), timeout)
                results[n] = seen, "done"
            except asyncio.TimeoutError:
                results[n] = seen, "timed out"

        async def all_tasks() -> None:
            await asyncio.gather(
                *(poll_task(n, i, t) for n, (kind, _, i, t) in enumerate(specs) if kind == "task")
            )

        workers = [
            threading.Thread(target=poll_thread, args=(n, i, t))
            for n, (kind, _, i, t) in enumerate(specs)
            if kind == "thread"
        ]
        for worker in workers:
            worker.start()
        asyncio.run(all_tasks())
        for worker in workers:
            worker.join()
        end = emulator.now() - start
    last_end = 0.0
    for n, (_, training, interval, timeout) in enumerate(specs):
        seen, outcome = results[n]
        ends = float(training)
        times = [t for t, _ in seen]
        assert times == sorted(times)
        assert all(b - a <= interval + 1e-6 for a, b in itertools.pairwise(times)), (n, seen)
        # The poll that sees it end, on AWS: the first one at or after the end.
        seeing = -(-ends // interval) * interval
        if timeout is not None and seeing >= timeout + interval:  # it outlasts its timeout
            assert outcome == "timed out", (n, seen)
            assert timeout - interval <= times[-1] - times[0] <= timeout + interval
        elif timeout is None or seeing < timeout:
            assert outcome == "done", (n, seen)
            assert ends <= times[-1] < ends + interval + 1e-6, (n, seen)  # within one interval
            if training >= interval:
                assert "Training" in [s for _, s in seen]
        last_end = max(last_end, times[-1])
    assert end <= last_end + max(interval for _, _, interval, _ in specs)


def test_a_mock_whose_timeline_never_jumped_puts_the_real_readers_back() -> None:
    """In a fresh interpreter (this one has jumped already): no jump, nothing kept."""
    script = textwrap.dedent(
        """
        import time, threading, asyncio
        import boto3
        from sagemaker_lite import mock_sagemaker
        real = time.time, time.time_ns, time.monotonic, time.monotonic_ns
        with mock_sagemaker():
            boto3.client("sagemaker", region_name="us-east-1").list_training_jobs()
            assert time.time is not real[0]
        assert (time.time, time.time_ns, time.monotonic, time.monotonic_ns) == real
        print("ok")
        """
    )
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": root}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert done.stdout.strip() == "ok", done.stderr[-2000:]
