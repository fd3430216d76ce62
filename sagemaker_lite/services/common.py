"""What every job family's handlers share: lookup, echoing, listing and paging."""

from __future__ import annotations

import base64
import binascii
import itertools
import json
from collections.abc import Callable, Iterable, Mapping, Reversible
from typing import Any, TypeVar

from .. import messages, spec
from ..clock import to_datetime
from ..errors import ApiError, validation_error
from ..jobs import Job
from ..timestamps import to_epoch
from ..world import World

Summary = Callable[[Job], dict[str, Any]]
T = TypeVar("T")


def echoed_members(create_operation: str, describe_operation: str) -> tuple[str, ...]:
    """Request members a describe answers back unchanged: those both shapes share, by name."""
    model = spec.load_model()
    create = model["shapes"][model["operations"][create_operation]["input"]]
    describe = model["shapes"][model["operations"][describe_operation]["output"]]
    created = dict(create["members"])
    return tuple(name for name, shape in describe["members"] if created.get(name) == shape)


def find(world: World, kind: str, name: str, missing: tuple[str, str]) -> Job:
    """The job ``name`` of ``kind``, or the (code, message) error AWS gives for a missing one."""
    job = world.get(kind, name)
    if job is None:
        raise ApiError(*missing)
    return job


def timestamp(epoch: float | None) -> Any:
    """A response timestamp (tz-aware datetime), or None when the moment has not come."""
    return None if epoch is None else to_datetime(epoch)


def drop_none(response: dict[str, Any]) -> dict[str, Any]:
    """AWS omits absent members rather than sending nulls."""
    return {k: v for k, v in response.items() if v is not None}


# --- listing ------------------------------------------------------------------

# The filters every List* operation shares: request member -> test on a job.
_FILTERS: dict[str, Callable[[Job, Any], bool]] = {
    "CreationTimeAfter": lambda job, t: job.created > t,
    "CreationTimeBefore": lambda job, t: job.created < t,
    "LastModifiedTimeAfter": lambda job, t: job.modified > t,
    "LastModifiedTimeBefore": lambda job, t: job.modified < t,
    "NameContains": lambda job, s: s in job.name.lower(),
    "StatusEquals": lambda job, s: job.status == s,
}
_TIME_FILTERS = frozenset(
    ("CreationTimeAfter", "CreationTimeBefore", "LastModifiedTimeAfter", "LastModifiedTimeBefore")
)
SORT_KEYS: dict[str, Callable[[Job], Any]] = {
    "Name": lambda job: job.name,
    "CreationTime": lambda job: job.created,
    "Status": lambda job: job.status,
}
DEFAULT_MAX_RESULTS = 10


def list_jobs(
    jobs: Reversible[Job],
    request: Mapping[str, Any],
    *,
    result_key: str,
    summary: Summary,
    extra_filters: Mapping[str, Callable[[Job, Any], bool]] | None = None,
    sort_keys: Mapping[str, Callable[[Job], Any]] | None = None,
    default_sort: tuple[str, str] = ("CreationTime", "Descending"),
) -> dict[str, Any]:
    """One page of a List* answer: filter, sort (newest first by default), page.

    ``jobs`` are in creation order, so ordering by creation time is a walk
    (backwards for newest first) that stops as soon as the page is full: a
    first page costs the same at a hundred thousand jobs as at a thousand.
    Jobs a sort key cannot rank (key None) are left out, as AWS leaves out
    children without an objective when sorting by it.
    """
    filters = {**_FILTERS, **(extra_filters or {})}
    tests = []
    for member, test in filters.items():
        if request.get(member) is not None:
            value = request[member]
            if member in _TIME_FILTERS:
                value = to_epoch(value)
            elif member == "NameContains":
                value = value.lower()
            tests.append((test, value))
    sort_by = request.get("SortBy") or default_sort[0]
    descending = (request.get("SortOrder") or default_sort[1]) == "Descending"

    def matches(job: Job) -> bool:
        return all(test(job, value) for test, value in tests)

    ordered: Iterable[Job]
    if sort_by == "CreationTime":
        ordered = filter(matches, reversed(jobs) if descending else jobs)
    else:
        key = {**SORT_KEYS, **(sort_keys or {})}[sort_by]
        ranked = ((key(job), job.created, job) for job in jobs if matches(job))
        ordered = [
            entry[2]
            for entry in sorted(
                (e for e in ranked if e[0] is not None), key=lambda e: e[:2], reverse=descending
            )
        ]
    jobs_page, token = page(ordered, request, DEFAULT_MAX_RESULTS)
    response: dict[str, Any] = {result_key: [summary(job) for job in jobs_page]}
    if token is not None:
        response["NextToken"] = token
    return response


def page(
    items: Iterable[T], request: Mapping[str, Any], default_max: int
) -> tuple[list[T], str | None]:
    """The page of ``items`` that the request's NextToken and MaxResults select, and the
    token of the next page (None on the last).  Stops reading ``items`` once it knows."""
    offset = decode_token(request.get("NextToken"))
    limit = request.get("MaxResults") or default_max
    window = list(itertools.islice(items, offset, offset + limit + 1))
    return window[:limit], (encode_token(offset + limit) if len(window) > limit else None)


def encode_token(offset: int) -> str:
    """An opaque NextToken for the page starting at ``offset``."""
    return base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode()


def decode_token(token: str | None) -> int:
    """The offset a NextToken stands for; a token we did not issue is a ValidationException."""
    if not token:
        return 0
    try:
        offset = json.loads(base64.urlsafe_b64decode(token.encode()))["offset"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeError):
        raise validation_error(messages.INVALID_NEXT_TOKEN) from None
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise validation_error(messages.INVALID_NEXT_TOKEN)
    return offset
