"""One virtual timeline for every sleeper (issue 23): concurrent sleeps overlap, deadlines
fire at their virtual times, and no clock runs backwards.  Each case is what AWS shows."""

from __future__ import annotations

import asyncio
import concurrent.futures
import itertools
import threading
import time
from typing import Any

import boto3
from factories import training_request
from hypothesis import given, settings
from hypothesis import strategies as st

from sagemaker_lite import Emulator, mock_sagemaker

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


def test_time_never_runs_backwards_across_the_mocks_exit() -> None:
    with mock_sagemaker():
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        while _status(sm, "job-1") not in TERMINAL:
            time.sleep(30)
        inside = time.time(), time.monotonic()
    after = time.time(), time.monotonic()
    assert after[0] >= inside[0] and after[1] >= inside[1]


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
