"""List paging as SageMaker pages (docs/fidelity.md, "Paging"), on both paths.

MaxResults is applied first and the filters after it, so pages can be short or
empty and still carry a NextToken; a NextToken holds a position in a sorted
order, so paging is stable while jobs come and go.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import factories
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sagemaker_lite
from sagemaker_lite import Emulator, mock_sagemaker

PATHS = ("direct", "boto3")


@pytest.fixture(params=PATHS)
def served(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Emulator]]:
    """(client, its emulator) of either path: the direct client, or real boto3 under
    mock_sagemaker()."""
    if request.param == "direct":
        client = sagemaker_lite.client()
        yield client, client.emulator
    else:
        with mock_sagemaker() as emulator:
            yield boto3.client("sagemaker", region_name="us-east-1"), emulator


@pytest.fixture
def sm(served: tuple[Any, Emulator]) -> Any:
    return served[0]


def names(response: dict[str, Any]) -> list[str]:
    return [s["TrainingJobName"] for s in response["TrainingJobSummaries"]]


def stop_at_first_empty_page(sm: Any, **request: Any) -> list[str]:
    """The pagination bug of boto/boto3#2838: stop as soon as a page comes back empty."""
    found: list[str] = []
    response = sm.list_training_jobs(**request)
    while response["TrainingJobSummaries"]:
        found += names(response)
        if "NextToken" not in response:
            break
        response = sm.list_training_jobs(**request, NextToken=response["NextToken"])
    return found


def follow_every_token(call: Callable[..., dict[str, Any]], **request: Any) -> list[dict[str, Any]]:
    pages = [call(**request)]
    while "NextToken" in pages[-1]:
        pages.append(call(**request, NextToken=pages[-1]["NextToken"]))
    return pages


def _create(sm: Any, names_: list[str]) -> None:
    for name in names_:
        sm.create_training_job(**factories.training_request(name))


def test_max_results_is_applied_before_the_filters(sm: Any) -> None:
    # Newest first: 12 "other" jobs, then (older) 3 "avenger" jobs.
    _create(sm, [f"avenger-{i}" for i in range(3)] + [f"other-{i}" for i in range(12)])
    first = sm.list_training_jobs(NameContains="avenger", MaxResults=10)
    # The 10 newest jobs are read, none matches: an empty page that carries a token.
    assert first["TrainingJobSummaries"] == []
    assert "NextToken" in first
    # A loop that stops at the first empty page misses every match, as on AWS...
    assert stop_at_first_empty_page(sm, NameContains="avenger", MaxResults=10) == []
    # ...following every token finds them all.
    pages = follow_every_token(sm.list_training_jobs, NameContains="avenger", MaxResults=10)
    assert sorted(n for page in pages for n in names(page)) == [
        "avenger-0",
        "avenger-1",
        "avenger-2",
    ]


def test_status_filter_reads_max_results_jobs_first(served: tuple[Any, Emulator]) -> None:
    """The ListTrainingJobs note: MaxResults jobs of any status, then those InProgress."""
    sm, emulator = served
    _create(sm, ["old-0", "old-1"])
    emulator.run_until_idle()  # old-* are Completed
    _create(sm, ["new-0", "new-1", "new-2"])
    page = sm.list_training_jobs(StatusEquals="Completed", MaxResults=3)
    assert page["TrainingJobSummaries"] == [] and "NextToken" in page
    page = sm.list_training_jobs(StatusEquals="Completed", MaxResults=4)
    assert names(page) == ["old-1"]


def test_boto3_paginators_still_return_every_job(sm: Any) -> None:
    _create(sm, [f"avenger-{i}" for i in range(3)] + [f"other-{i}" for i in range(25)])
    paginator = sm.get_paginator("list_training_jobs")
    pages = list(paginator.paginate(NameContains="avenger", PaginationConfig={"PageSize": 5}))
    assert any(page["TrainingJobSummaries"] == [] for page in pages)  # empty pages happen
    found = [n for page in pages for n in names(page)]
    assert sorted(found) == ["avenger-0", "avenger-1", "avenger-2"]
    everything = paginator.paginate(PaginationConfig={"PageSize": 7}).build_full_result()
    assert len(everything["TrainingJobSummaries"]) == 28


def test_the_last_page_carries_no_token(sm: Any) -> None:
    _create(sm, [f"job-{i}" for i in range(6)])
    pages = follow_every_token(sm.list_training_jobs, MaxResults=3)
    assert [len(page["TrainingJobSummaries"]) for page in pages] == [3, 3]


# --- default orders ---------------------------------------------------------------------


def test_default_orders(served: tuple[Any, Emulator]) -> None:
    sm, emulator = served
    for name in ("b-job", "c-job", "a-job"):
        sm.create_training_job(**factories.training_request(name))
        sm.create_compilation_job(**factories.compilation_request(name))
        emulator.advance(1)
    # ListTrainingJobs: newest first (the operation's note), whatever its member docs say.
    assert names(sm.list_training_jobs()) == ["a-job", "c-job", "b-job"]
    # ListCompilationJobs: CreationTime, Ascending (its member docs).
    compiled = sm.list_compilation_jobs()["CompilationJobSummaries"]
    assert [s["CompilationJobName"] for s in compiled] == ["b-job", "c-job", "a-job"]
    # SortOrder alone keeps the default SortBy; SortBy alone keeps the default SortOrder.
    assert names(sm.list_training_jobs(SortOrder="Ascending")) == ["b-job", "c-job", "a-job"]
    assert names(sm.list_training_jobs(SortBy="Name")) == ["c-job", "b-job", "a-job"]


def test_tuning_lists_default_to_name_ascending(sm: Any) -> None:
    for name in ("tune-b", "tune-a"):
        sm.create_hyper_parameter_tuning_job(**factories.tuning_request(name, max_jobs=3))
    tuning = sm.list_hyper_parameter_tuning_jobs()["HyperParameterTuningJobSummaries"]
    assert [s["HyperParameterTuningJobName"] for s in tuning] == ["tune-a", "tune-b"]
    children = sm.list_training_jobs_for_hyper_parameter_tuning_job(
        HyperParameterTuningJobName="tune-a"
    )
    listed = names(children)
    assert listed == sorted(listed) and listed


# --- stable tokens ------------------------------------------------------------------------

SORTS = [
    (by, order)
    for by in ("Name", "CreationTime", "Status")
    for order in ("Ascending", "Descending")
]


@settings(max_examples=40)
@given(
    sort=st.sampled_from(SORTS),
    initial=st.integers(min_value=0, max_value=30),
    page=st.integers(min_value=1, max_value=7),
    meanwhile=st.lists(
        st.tuples(st.booleans(), st.integers(min_value=0, max_value=10_000)),
        max_size=40,
        unique_by=lambda change: change[1],
    ),
)
def test_tokens_are_stable_while_jobs_come_and_go(
    sort: tuple[str, str], initial: int, page: int, meanwhile: list[tuple[bool, int]]
) -> None:
    """No job present for the whole listing is returned twice or missed, whatever is
    created or deleted between two pages."""
    sm = sagemaker_lite.client()
    for i in range(initial):
        sm.create_training_job(**factories.training_request(f"s{i:03d}"))
        if i % 3 == 0:
            sm.emulator.advance(300)  # a mix of statuses and creation times
    sm.emulator.advance(2000)  # the first jobs are terminal, so they can be deleted
    stable = {f"s{i:03d}" for i in range(initial)}
    seen: list[str] = []
    changes = list(meanwhile)
    request = {"SortBy": sort[0], "SortOrder": sort[1], "MaxResults": page}
    response = sm.list_training_jobs(**request)
    while True:
        seen += names(response)
        if changes:
            create, number = changes.pop(0)
            if create:
                sm.create_training_job(**factories.training_request(f"n{number:05d}"))
            elif stable:  # delete a terminal job: it is then not present throughout
                victim = sorted(stable)[number % len(stable)]
                status = sm.describe_training_job(TrainingJobName=victim)["TrainingJobStatus"]
                if status in ("Completed", "Failed", "Stopped"):
                    sm.delete_training_job(TrainingJobName=victim)
                    stable.discard(victim)
        if "NextToken" not in response:
            break
        response = sm.list_training_jobs(**request, NextToken=response["NextToken"])
    assert len(seen) == len(set(seen)), "a job was returned twice"
    assert stable <= set(seen), f"missed {sorted(stable - set(seen))}"


def test_paging_through_a_tuning_jobs_children_by_objective() -> None:
    sm = sagemaker_lite.client()
    sm.create_hyper_parameter_tuning_job(**factories.tuning_request("tune", max_jobs=9, parallel=3))
    sm.emulator.run_until_idle()
    pages = follow_every_token(
        sm.list_training_jobs_for_hyper_parameter_tuning_job,
        HyperParameterTuningJobName="tune",
        SortBy="FinalObjectiveMetricValue",
        SortOrder="Descending",
        MaxResults=2,
    )
    values = [
        s["FinalHyperParameterTuningJobObjectiveMetric"]["Value"]
        for page in pages
        for s in page["TrainingJobSummaries"]
    ]
    assert len(values) == 9 and values == sorted(values, reverse=True)
