"""Waiters and paginators: on the direct client (our interpreter) and on boto3 under the mock."""

from __future__ import annotations

import time
from typing import Any

import boto3
import jmespath
import pytest
from botocore.exceptions import OperationNotPageableError, WaiterError
from hypothesis import given, settings
from hypothesis import strategies as st
from test_boto3_adapter import training_request

import sagemaker_lite
from sagemaker_lite import mock_sagemaker
from sagemaker_lite.contract.spec import extras
from sagemaker_lite.surfaces.paginators import PAGINATORS, search
from sagemaker_lite.surfaces.waiters import WAITERS


def test_shipped_waiter_and_paginator_data_is_what_botocore_gives() -> None:
    for path, text in extras.generate().items():
        assert path.read_text(encoding="utf-8") == text, f"run python -m {extras.__name__} refresh"
    assert "training_job_completed_or_stopped" in WAITERS
    assert {
        "list_training_jobs",
        "list_training_jobs_for_hyper_parameter_tuning_job",
        "list_hyper_parameter_tuning_jobs",
        "list_compilation_jobs",
    } <= set(PAGINATORS)


def test_every_expression_in_the_data_is_in_our_jmespath_subset() -> None:
    doc = {"TrainingJobStatus": "Completed", "A": [{"B": 1}, {"B": 2}, {}], "N": None}
    expressions = [
        a["argument"] for w in WAITERS.values() for a in w["acceptors"] if "argument" in a
    ] + [p["result_key"] for p in PAGINATORS.values()]
    for expression in [*expressions, "A[].B", "A[*].B", "N.x", "A.B", "Missing"]:
        assert search(expression, doc) == jmespath.search(expression, doc), expression


# --- waiters ----------------------------------------------------------------------------


def test_direct_waiter_returns_at_once_in_virtual_time_through_real_statuses() -> None:
    sm = sagemaker_lite.client()
    sm.create_training_job(**training_request())
    start = time.monotonic()
    sm.get_waiter("training_job_completed_or_stopped").wait(TrainingJobName="job-1")
    assert time.monotonic() - start < 2
    job = sm.describe_training_job(TrainingJobName="job-1")
    assert job["TrainingJobStatus"] == "Completed"
    statuses = [t["Status"] for t in job["SecondaryStatusTransitions"]]
    assert statuses[0] == "Starting" and statuses[-1] == "Completed" and "Training" in statuses
    # It polled every 120 s (the model's delay): the clock is a multiple past creation.
    waited = (sm.emulator.clock.now() - job["CreationTime"]).total_seconds()
    assert waited % 120 == 0 and waited >= (job["TrainingEndTime"] - job["CreationTime"]).seconds


def test_waiter_failure_texts_are_botocores() -> None:
    sm = sagemaker_lite.client()
    sm.emulator.script_training(fail_at="Training", failure_reason="AlgorithmError: boom")
    sm.create_training_job(**training_request())
    waiter = sm.get_waiter("training_job_completed_or_stopped")
    with pytest.raises(WaiterError) as failed:
        waiter.wait(TrainingJobName="job-1")
    assert str(failed.value) == (
        "Waiter TrainingJobCompletedOrStopped failed: Waiter encountered a terminal failure "
        'state: For expression "TrainingJobStatus" we matched expected path: "Failed"'
    )
    assert failed.value.last_response["FailureReason"] == "AlgorithmError: boom"
    with pytest.raises(
        WaiterError, match="Matched expected service error code: ValidationException"
    ):
        waiter.wait(TrainingJobName="missing")


def test_waiter_config_limits_attempts() -> None:
    sm = sagemaker_lite.client()
    sm.create_training_job(**training_request())
    with pytest.raises(WaiterError, match="Max attempts exceeded"):
        sm.get_waiter("training_job_completed_or_stopped").wait(
            TrainingJobName="job-1", WaiterConfig={"Delay": 1, "MaxAttempts": 3}
        )
    assert sm.emulator.clock.now().second == 2  # two virtual sleeps of 1 s


def test_stopped_job_satisfies_the_waiter() -> None:
    sm = sagemaker_lite.client()
    sm.create_training_job(**training_request())
    sm.emulator.advance(200)
    sm.stop_training_job(TrainingJobName="job-1")
    sm.get_waiter("training_job_completed_or_stopped").wait(TrainingJobName="job-1")
    assert sm.describe_training_job(TrainingJobName="job-1")["TrainingJobStatus"] == "Stopped"


def test_boto3_waiter_default_config_takes_virtual_not_wall_time() -> None:
    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        start = time.perf_counter()  # wall time: the waiter's thread reads virtual monotonic
        sm.get_waiter("training_job_completed_or_stopped").wait(TrainingJobName="job-1")
        assert time.perf_counter() - start < 5
        described = sm.describe_training_job(TrainingJobName="job-1")
        assert described["TrainingJobStatus"] == "Completed"
        # The job's whole duration passed, virtually.
        assert emulator.clock.now() >= described["TrainingEndTime"]
    # Outside the context botocore's waiters sleep for real again.
    import botocore.waiter

    assert botocore.waiter.time is time


def test_both_waiters_agree_on_failures() -> None:
    def outcome(client: Any) -> str:
        try:
            client.get_waiter("training_job_completed_or_stopped").wait(
                TrainingJobName="job-1", WaiterConfig={"Delay": 30, "MaxAttempts": 5}
            )
        except WaiterError as error:
            return str(error)
        return "ok"

    direct = sagemaker_lite.client()
    direct.create_training_job(**training_request())
    with mock_sagemaker():
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_training_job(**training_request())
        assert outcome(sm) == outcome(direct)


def test_unknown_waiter_and_paginator_raise_like_boto3() -> None:
    sm = sagemaker_lite.client()
    with pytest.raises(ValueError, match="Waiter does not exist: nope"):
        sm.get_waiter("nope")
    with pytest.raises(OperationNotPageableError):
        sm.get_paginator("describe_training_job")
    assert sm.can_paginate("list_training_jobs") and not sm.can_paginate("create_training_job")


# --- paginators -------------------------------------------------------------------------


def _pages(iterator: Any) -> list[list[str]]:
    return [[s["TrainingJobName"] for s in page["TrainingJobSummaries"]] for page in iterator]


@settings(max_examples=30, deadline=None)
@given(
    jobs=st.integers(0, 12),
    max_items=st.none() | st.integers(1, 14),
    page_size=st.none() | st.integers(1, 5),
)
def test_direct_paginator_matches_botocores_page_for_page(
    jobs: int, max_items: int | None, page_size: int | None
) -> None:
    config = {k: v for k, v in (("MaxItems", max_items), ("PageSize", page_size)) if v}
    direct = sagemaker_lite.client()
    with mock_sagemaker() as emulator:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        for i in range(jobs):
            direct.create_training_job(**training_request(f"job-{i}"))
            sm.create_training_job(**training_request(f"job-{i}"))
            direct.emulator.advance(1)
            emulator.advance(1)
        ours = direct.get_paginator("list_training_jobs").paginate(PaginationConfig=config)
        theirs = sm.get_paginator("list_training_jobs").paginate(PaginationConfig=config)
        assert _pages(ours) == _pages(theirs)
        assert ours.resume_token == theirs.resume_token
        if ours.resume_token:  # a token resumes on either kind of client
            rest = {"StartingToken": ours.resume_token, **config}
            assert _pages(
                direct.get_paginator("list_training_jobs").paginate(PaginationConfig=rest)
            ) == _pages(sm.get_paginator("list_training_jobs").paginate(PaginationConfig=rest))
        full = (
            direct.get_paginator("list_training_jobs")
            .paginate(PaginationConfig=config)
            .build_full_result()
        )
        full_boto = (
            sm.get_paginator("list_training_jobs")
            .paginate(PaginationConfig=config)
            .build_full_result()
        )
        assert full == full_boto


def test_paginating_everything_returns_every_job_once_newest_first() -> None:
    sm = sagemaker_lite.client()
    for i in range(23):
        sm.create_training_job(**training_request(f"job-{i}"))
        sm.emulator.advance(1)
    paginator = sm.get_paginator("list_training_jobs")
    names = list(
        paginator.paginate(SortOrder="Descending").search("TrainingJobSummaries[].TrainingJobName")
    )
    assert names == [f"job-{i}" for i in reversed(range(23))]
    first = paginator.paginate(PaginationConfig={"MaxItems": 7}).build_full_result()
    assert len(first["TrainingJobSummaries"]) == 7
    rest = paginator.paginate(PaginationConfig={"StartingToken": first["NextToken"]})
    assert len(rest.build_full_result()["TrainingJobSummaries"]) == 16
