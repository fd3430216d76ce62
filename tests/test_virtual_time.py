"""The default mock's time policy (sagemaker_lite.virtual_time): who sleeps virtually, what
clocks read, and the opt-outs.  ``real_sleeps`` (conftest) records what slept for real."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import boto3
import botocore.waiter
import pytest
from factories import training_request
from hypothesis import given, settings
from hypothesis import strategies as st

import sagemaker_lite
from sagemaker_lite import Emulator, mock_sagemaker
from sagemaker_lite.surfaces.virtual_time import IDLE_ALLOWANCE

TERMINAL = ("Completed", "Failed", "Stopped")
POLL = 30  # the hand-written loops below describe every 30 s
REAL = 0.001  # a sleep short enough to take for real in a test


def _poll(sm: Any, name: str = "job-1") -> tuple[list[str], Any]:
    """A user's loop: describe, stop at a terminal status, else sleep 30 s."""
    seen: list[str] = []
    while True:
        job = sm.describe_training_job(TrainingJobName=name)
        seen.append(job["SecondaryStatus"])
        if job["TrainingJobStatus"] in TERMINAL:
            return sorted(set(seen), key=seen.index), job
        time.sleep(POLL)


def _past_end(emulator: Emulator, job: Any) -> float:
    return float((emulator.clock.now() - job["TrainingEndTime"]).total_seconds())


def test_a_hand_written_polling_loop_runs_in_virtual_time(real_sleeps: list[float]) -> None:
    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        statuses, job = _poll(sm)
    assert statuses == ["Starting", "Downloading", "Training", "Uploading", "Completed"]
    assert real_sleeps == []
    assert 0 <= _past_end(emulator, job) < POLL


_PHASES = ("Starting", "Downloading", "Training", "Uploading")


def test_a_polling_loop_stops_within_one_interval_of_the_end() -> None:
    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")  # one client: cheap examples
        names = iter(range(10**6))

        @settings(max_examples=40, deadline=None)
        @given(
            durations=st.tuples(*[st.integers(1, 1200) for _ in _PHASES]),
            poll=st.integers(10, 900),
        )
        def check(durations: tuple[int, ...], poll: int) -> None:
            name = f"job-{next(names)}"
            emulator.script_training(name, durations=dict(zip(_PHASES, durations, strict=True)))
            sm.create_training_job(**training_request(name))
            seen: list[str] = []
            while True:
                job = sm.describe_training_job(TrainingJobName=name)
                seen.append(job["SecondaryStatus"])
                if job["TrainingJobStatus"] in TERMINAL:
                    break
                time.sleep(poll)
            assert 0 <= _past_end(emulator, job) < poll
            # It saw the statuses in order, each one that lasted a whole interval included.
            statuses = sorted(set(seen), key=seen.index)
            assert statuses == [s for s in (*_PHASES, "Completed") if s in statuses]
            assert all(p in statuses for p, d in zip(_PHASES, durations, strict=True) if d >= poll)

        check()


def test_a_failed_job_is_seen_failing_at_its_virtual_time(real_sleeps: list[float]) -> None:
    with mock_sagemaker() as emulator:
        emulator.script_training(fail_at="Training", failure_reason="AlgorithmError: boom")
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        statuses, job = _poll(sm)
    assert statuses[-1] == "Failed" and job["FailureReason"] == "AlgorithmError: boom"
    assert real_sleeps == [] and 0 <= _past_end(emulator, job) < POLL


def test_boto3_waiter_under_the_default_mock(real_sleeps: list[float]) -> None:
    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        sm.get_waiter("training_job_completed_or_stopped").wait(TrainingJobName="job-1")
        job = sm.describe_training_job(TrainingJobName="job-1")
    assert job["TrainingJobStatus"] == "Completed"
    assert real_sleeps == []
    assert 0 <= _past_end(emulator, job) < 120  # the waiter's delay


def test_sleeping_thread_reads_time_moved_by_its_sleeps(real_sleeps: list[float]) -> None:
    with mock_sagemaker():
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        wall, mono = time.time(), time.monotonic()
        time.sleep(100)
        time.sleep(50)
        # A loop timing itself with time.time()/monotonic() agrees with its sleeps.
        assert 150 <= time.time() - wall < 160  # plus the real time the test took
        assert 150 <= time.monotonic() - mono < 160
        assert time.time_ns() - int(wall * 1e9) >= 150 * 10**9
        assert time.monotonic_ns() - int(mono * 1e9) >= 150 * 10**9
        elsewhere: list[float] = []
        other = threading.Thread(target=lambda: elsewhere.append(time.time() - wall))
        other.start()
        other.join()
        assert 150 <= elsewhere[0] < 160  # one timeline: every thread reads it
        inside = time.monotonic()
    assert time.monotonic() >= inside  # and it never runs backwards, also after the mock
    assert 150 <= time.time() - wall < 160
    assert real_sleeps == []


def test_other_threads_sleep_for_real_while_a_job_runs(real_sleeps: list[float]) -> None:
    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        before = emulator.now()
        other = threading.Thread(target=time.sleep, args=(REAL,))
        other.start()
        other.join()
        assert real_sleeps == [REAL] and emulator.now() == before
        time.sleep(60)  # this thread polls the mock: virtual
        assert real_sleeps == [REAL] and emulator.now() == before + 60


def test_sleeps_stay_real_until_the_thread_calls_the_mock(real_sleeps: list[float]) -> None:
    with mock_sagemaker() as emulator:
        time.sleep(REAL)
        assert real_sleeps == [REAL] and emulator.now() == sagemaker_lite.VirtualClock().time()


def test_with_nothing_in_flight_a_call_allows_a_minute_of_pauses(
    real_sleeps: list[float],
) -> None:
    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        end = emulator.run_until_idle().timestamp()
        sm.describe_training_job(TrainingJobName="job-1")
        time.sleep(5)  # pauses after a call (the SDK sleeps before describing)
        time.sleep(IDLE_ALLOWANCE - 5)
        assert emulator.now() == end + IDLE_ALLOWANCE and real_sleeps == []
        time.sleep(REAL)  # beyond the allowance: code sleeping for other reasons
        assert emulator.now() == end + IDLE_ALLOWANCE and real_sleeps == [REAL]
        sm.describe_training_job(TrainingJobName="job-1")
        time.sleep(3600)  # one pause after a call, however long
        time.sleep(REAL)
        assert emulator.now() == end + IDLE_ALLOWANCE + 3600 and real_sleeps == [REAL] * 2


def test_a_job_ending_between_describes_keeps_the_pauses_up_to_the_next(
    real_sleeps: list[float],
) -> None:
    # The SDK's log loop sleeps 10 s three times between describes: when the job
    # ends during the first, the two after it stay virtual.
    with mock_sagemaker() as emulator:
        emulator.script_training(
            durations={"Starting": 60, "Downloading": 10, "Training": 100, "Uploading": 10}
        )
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        emulator.advance(175)
        assert sm.describe_training_job(TrainingJobName="job-1")["TrainingJobStatus"] == (
            "InProgress"
        )
        for _ in range(3):
            time.sleep(10)
        job = sm.describe_training_job(TrainingJobName="job-1")
    assert job["TrainingJobStatus"] == "Completed" and real_sleeps == []
    assert _past_end(emulator, job) == 25


@pytest.mark.parametrize("mode", ["real", "waiters"])
def test_opting_out_keeps_time_sleep_real(mode: Any, real_sleeps: list[float]) -> None:
    with mock_sagemaker(sleep=mode) as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        before = emulator.now()
        time.sleep(REAL)
        assert real_sleeps == [REAL] and emulator.now() == before


def test_waiters_mode_still_makes_waiters_virtual(real_sleeps: list[float]) -> None:
    with mock_sagemaker(sleep="waiters"):
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        sm.get_waiter("training_job_completed_or_stopped").wait(TrainingJobName="job-1")
    assert real_sleeps == []


def test_global_mode_makes_every_threads_sleep_virtual(real_sleeps: list[float]) -> None:
    with mock_sagemaker(sleep="global") as emulator:
        before = emulator.now()
        other = threading.Thread(target=time.sleep, args=(60,))
        other.start()
        other.join()
        time.sleep(60)  # no call made, nothing in flight: virtual all the same
    assert real_sleeps == [] and emulator.now() == before + 120


def test_patch_sleep_inside_a_mock_and_out_of_order() -> None:
    with mock_sagemaker() as emulator:
        patch = emulator.patch_sleep()
        patch.__enter__()
    before = emulator.now()
    time.sleep(30)  # the mock exited first: patch_sleep is still open
    assert emulator.now() == before + 30
    patch.__exit__(None, None, None)
    assert time.sleep.__module__ == "time"


def test_a_sleep_patched_before_the_mock_still_takes_the_real_sleeps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # e.g. a test's own fake sleep, or another tool's: it stays in charge of what is not ours.
    calls: list[float] = []
    monkeypatch.setattr(time, "sleep", calls.append)
    with mock_sagemaker() as emulator:
        time.sleep(3)  # before any call: real, i.e. the fake
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        before = emulator.now()
        time.sleep(30)  # polling: virtual
        assert emulator.now() == before + 30
    assert calls == [3]
    assert time.sleep == calls.append


def test_an_unknown_sleep_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="sleep must be one of 'auto', 'waiters'"):
        mock_sagemaker(sleep="sometimes")  # type: ignore[arg-type]


def test_real_sleep_errors_are_kept(real_sleeps: list[float]) -> None:
    with mock_sagemaker():
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        with pytest.raises(ValueError):
            time.sleep(-1)
        with pytest.raises(TypeError):
            time.sleep("1")  # type: ignore[arg-type]
        with pytest.raises(OverflowError):  # beyond what the clock holds: as time.sleep does
            time.sleep(1e12)


def test_sleeps_are_patched_only_while_a_mock_is_active() -> None:
    originals = (time.sleep, asyncio.sleep, botocore.waiter.time)
    with mock_sagemaker():
        assert time.sleep is not originals[0] and botocore.waiter.time is not time
    assert (time.sleep, asyncio.sleep, botocore.waiter.time) == originals


# --- aiobotocore: async clients are served too ---------------------------------------------

aiobotocore_session = pytest.importorskip("aiobotocore.session")


def test_an_aiobotocore_client_is_served_and_asyncio_sleep_is_virtual(
    real_sleeps: list[float],
) -> None:
    async def run() -> tuple[list[str], Any, dict[str, str]]:
        loop_started = asyncio.get_running_loop().time()
        session = aiobotocore_session.get_session()
        async with session.create_client("sagemaker", region_name="eu-west-1") as sm:
            created = await sm.create_training_job(**training_request())
            assert created["TrainingJobArn"].startswith("arn:aws:sagemaker:eu-west-1:")
            seen: list[str] = []
            while True:
                job = await sm.describe_training_job(TrainingJobName="job-1")
                seen.append(job["SecondaryStatus"])
                if job["TrainingJobStatus"] in TERMINAL:
                    break
                await asyncio.sleep(POLL)
            # The event loop's clock is the timeline's: it moved with the polls.
            took = (job["TrainingEndTime"] - job["CreationTime"]).total_seconds()
            assert asyncio.get_running_loop().time() - loop_started >= took
            try:
                await sm.describe_training_job(TrainingJobName="missing")
            except sm.exceptions.ClientError as error:
                return sorted(set(seen), key=seen.index), job, error.response["Error"]
        raise AssertionError("describing a missing job did not fail")

    with mock_sagemaker(account_id="111122223333") as emulator:
        statuses, job, error = asyncio.run(run())
    assert statuses == ["Starting", "Downloading", "Training", "Uploading", "Completed"]
    assert [j.arn.split(":")[4] for j in emulator.jobs()] == ["111122223333"]
    assert error == {"Code": "ValidationException", "Message": "Requested resource not found."}
    assert real_sleeps == [] and 0 <= _past_end(emulator, job) < POLL


def test_patch_sleep_works_without_botocore() -> None:
    """botocore is not a dependency: the direct client and patch_sleep() run without it."""
    import subprocess
    import sys
    from pathlib import Path

    script = """
import sys
sys.modules["botocore"] = None  # as if not installed
import time
import sagemaker_lite
sm = sagemaker_lite.client()
sm.create_training_job(
    TrainingJobName="j",
    AlgorithmSpecification={"TrainingImage": "img", "TrainingInputMode": "File"},
    RoleArn="arn:aws:iam::123456789012:role/R",
    OutputDataConfig={"S3OutputPath": "s3://b/o"},
    ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
    StoppingCondition={"MaxRuntimeInSeconds": 3600},
)
with sm.emulator.patch_sleep():
    while sm.describe_training_job(TrainingJobName="j")["TrainingJobStatus"] == "InProgress":
        time.sleep(60)
print(sm.describe_training_job(TrainingJobName="j")["TrainingJobStatus"])
"""
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=root, check=False
    )
    assert (done.returncode, done.stdout.strip()) == (0, "Completed"), done.stderr
