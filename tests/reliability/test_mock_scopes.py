"""Reliability: mocks in several threads, and mocks closed in any order (issue 14, items 6-7).

Each thread inside its own ``mock_sagemaker()`` gets its own emulator, account and
clock; closing mocks (and ``patch_sleep`` blocks) in any order leaves every patched
function exactly as it was.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from contextlib import AbstractContextManager
from typing import Any

import boto3
import botocore.client
import botocore.waiter
from hypothesis import given, settings
from hypothesis import strategies as st

from sagemaker_lite import Emulator, mock_sagemaker

_TRAINING = {
    "AlgorithmSpecification": {
        "TrainingImage": "1.dkr.ecr.us-east-1.amazonaws.com/x:1",
        "TrainingInputMode": "File",
    },
    "RoleArn": "arn:aws:iam::123456789012:role/R",
    "OutputDataConfig": {"S3OutputPath": "s3://bucket/out"},
    "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
    "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
}


def _patched() -> tuple[Any, ...]:
    """Everything a mock may replace while it is open."""
    return (
        time.sleep,
        time.time,
        time.time_ns,
        time.monotonic,
        time.monotonic_ns,
        asyncio.sleep,
        botocore.waiter.time,
        botocore.client.BaseClient.__init__,
        os.environ.get("AWS_ACCESS_KEY_ID"),
        os.environ.get("AWS_DEFAULT_REGION"),
    )


# --- item 6: one emulator per thread's mock -------------------------------------------------


def test_threads_each_inside_their_own_mock_get_their_own_emulator() -> None:
    threads, accounts = 4, [f"{i}" * 12 for i in range(1, 5)]
    inside = threading.Barrier(threads)
    results: dict[str, tuple[Emulator, list[str], float]] = {}
    errors: list[BaseException] = []

    def work(account: str) -> None:
        try:
            with mock_sagemaker(account_id=account) as emulator:
                sm = boto3.client("sagemaker", region_name="us-east-1")
                inside.wait()  # every mock is open before anyone calls
                sm.create_training_job(TrainingJobName="same-name", **_TRAINING)
                sm.create_training_job(TrainingJobName=f"job-{account}", **_TRAINING)
                while True:  # each thread's virtual sleeps move its own clock only
                    job = sm.describe_training_job(TrainingJobName="same-name")
                    if job["TrainingJobStatus"] != "InProgress":
                        break
                    time.sleep(30)
                summaries = sm.list_training_jobs()["TrainingJobSummaries"]
                names = [s["TrainingJobName"] for s in summaries]
                inside.wait()  # no mock closes while another thread still calls
                results[account] = (emulator, sorted(names), emulator.now())
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
            inside.abort()

    workers = [threading.Thread(target=work, args=(a,)) for a in accounts]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    emulators = {id(r[0]) for r in results.values()}
    assert len(emulators) == threads
    for account, (emulator, names, _) in results.items():
        assert names == sorted(["same-name", f"job-{account}"])
        assert {job.arn.split(":")[4] for job in emulator.jobs()} == {account}
    ends = {round(now) for _, _, now in results.values()}
    assert len(ends) == 1  # same job, same polling: the same virtual end in every thread


def test_a_worker_thread_without_a_mock_is_served_by_its_clients_mock() -> None:
    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        worker = threading.Thread(
            target=sm.create_training_job, kwargs={"TrainingJobName": "j", **_TRAINING}
        )
        worker.start()
        worker.join()
    assert [job.name for job in emulator.jobs()] == ["j"]


def test_one_mock_open_in_two_threads_at_once_closes_cleanly() -> None:
    before = _patched()
    shared = Emulator()
    first_in, second_out = threading.Event(), threading.Event()

    @mock_sagemaker(shared)
    def first() -> None:
        boto3.client("sagemaker", region_name="us-east-1").create_training_job(
            TrainingJobName="first", **_TRAINING
        )
        first_in.set()
        second_out.wait(10)  # exits after the second thread did

    @mock_sagemaker(shared)
    def second() -> None:
        first_in.wait(10)
        boto3.client("sagemaker", region_name="us-east-1").create_training_job(
            TrainingJobName="second", **_TRAINING
        )

    workers = [threading.Thread(target=first), threading.Thread(target=second)]
    for worker in workers:
        worker.start()
    workers[1].join()
    assert time.sleep is not before[0]  # the first thread's entry is still open
    second_out.set()
    workers[0].join()
    assert sorted(job.name for job in shared.jobs()) == ["first", "second"]
    assert _patched() == before


# --- item 7: closing in any order restores everything --------------------------------------


def test_mocks_exited_out_of_order_restore_everything() -> None:
    before = _patched()
    m1, m2 = mock_sagemaker(), mock_sagemaker(sleep="global")
    m1.__enter__()
    m2.__enter__()
    m1.__exit__(None, None, None)
    assert time.sleep is not before[0]  # m2 is still open
    m2.__exit__(None, None, None)
    assert _patched() == before
    started = time.perf_counter()
    time.sleep(0.05)
    assert time.perf_counter() - started >= 0.05  # sleeps for real again


_Scope = st.sampled_from(["auto", "waiters", "global", "real", "patch_sleep"])


@settings(max_examples=60, deadline=None)
@given(kinds=st.lists(_Scope, min_size=1, max_size=4), data=st.data())
def test_any_open_and_close_order_restores_everything(kinds: list[str], data: Any) -> None:
    before = _patched()
    scopes: list[AbstractContextManager[Any]] = [
        Emulator().patch_sleep() if kind == "patch_sleep" else mock_sagemaker(sleep=kind)  # type: ignore[arg-type]
        for kind in kinds
    ]
    # Interleave opens and closes: each scope opens before it closes, any order otherwise.
    events = data.draw(st.permutations([(i, op) for i in range(len(scopes)) for op in "oc"]))
    opened: set[int] = set()
    pending = list(events)
    order: list[tuple[int, str]] = []
    while pending:
        for event in pending:
            index, op = event
            if op == "o" or index in opened:
                break
        pending.remove(event)
        order.append(event)
        if op == "o":
            opened.add(index)
            scopes[index].__enter__()
        else:
            scopes[index].__exit__(None, None, None)
            opened.discard(index)
        if opened:
            assert time.sleep is not before[0]
        else:
            assert _patched() == before, order
    assert _patched() == before
