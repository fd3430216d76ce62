"""What every job family's handlers share: lookup, echoing, listing and paging."""

from __future__ import annotations

import base64
import binascii
import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from sagemaker_lite.contract import messages, spec
from sagemaker_lite.contract.errors import ApiError, validation_error
from sagemaker_lite.contract.timestamps import to_epoch
from sagemaker_lite.engine.clock import to_datetime
from sagemaker_lite.engine.jobs import Job
from sagemaker_lite.engine.ordering import KindIndex, RankedJobs
from sagemaker_lite.engine.world import World

Summary = Callable[[Job], dict[str, Any]]
T = TypeVar("T")


def pop_tags(request: dict[str, Any]) -> dict[str, str]:
    """The request's ``Tags`` as a dict, taken out of it (a job keeps its tags apart
    from its request: TagResource and DeleteTags change them later)."""
    tags = request.pop("Tags", None)
    return {tag["Key"]: tag["Value"] for tag in tags} if tags else {}


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


#: The registry's package kind (``engine/lifecycle.py``), looked up here because models
#: (CreateModel from a package) and the registry both resolve package names.
MODEL_PACKAGE_KIND = "model-package"


def find_model_package(world: World, name_or_arn: str) -> Job:
    """The model package ``name_or_arn`` names (an unversioned name, or any package's ARN,
    ``.../model-package/<group>/<version>`` for a version), or AWS's ValidationException."""
    name = name_or_arn.split("/", 1)[1] if name_or_arn.startswith("arn:") else name_or_arn
    package = world.get(MODEL_PACKAGE_KIND, name)
    if package is None:
        arn = world.arn(MODEL_PACKAGE_KIND, name)
        raise validation_error(messages.model_package_not_found(arn))
    return package


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
DEFAULT_MAX_RESULTS = 10
# A page never holds more than this many items, whatever MaxResults says (a
# model without a maximum, like ListTags's, lets any integer through).
_PAGE_CAP = 1 << 31


def list_jobs(
    source: KindIndex | RankedJobs,
    request: Mapping[str, Any],
    *,
    result_key: str,
    summary: Summary,
    extra_filters: Mapping[str, Callable[[Job, Any], bool]] | None = None,
    default_sort: tuple[str, str],
) -> dict[str, Any]:
    """One page of a List* answer, paged as SageMaker pages (docs/fidelity.md, "Paging").

    MaxResults is applied first: the page reads the next MaxResults jobs of the
    requested order (``source``: a kind's index, or an order built for one
    call), and only then are the filters applied to them.  A page can so be
    short, or empty, and still carry a NextToken: a loop that stops at the
    first empty page misses jobs, as on AWS; following NextToken to its end
    (boto3's paginators do) returns every job.  The token holds the position
    of the last job read, so a page costs O(log N + MaxResults).
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
    after = decode_token(request.get("NextToken"))
    if after is not None and not source.fits(sort_by, after):
        raise validation_error(messages.INVALID_NEXT_TOKEN)
    walk = source.walk(sort_by, after, descending)
    limit = min(request.get("MaxResults") or DEFAULT_MAX_RESULTS, _PAGE_CAP)
    window = list(itertools.islice(walk, limit + 1))
    read = window[:limit]
    jobs = [job for _, job in read if all(test(job, value) for test, value in tests)]
    response: dict[str, Any] = {result_key: [summary(job) for job in jobs]}
    if len(window) > limit:
        response["NextToken"] = encode_token(read[-1][0])
    return response


def lister(
    kind: str,
    result_key: str,
    summary: Summary,
    *,
    default_sort: tuple[str, str],
    extra_filters: Mapping[str, Callable[[Job, Any], bool]] | None = None,
    doc: str,
) -> Callable[[World, dict[str, Any]], dict[str, Any]]:
    """The List* handler of a kind: :func:`list_jobs` over the kind's index."""

    def handler(world: World, request: dict[str, Any]) -> dict[str, Any]:
        return list_jobs(
            world.index(kind),
            request,
            result_key=result_key,
            summary=summary,
            extra_filters=extra_filters,
            default_sort=default_sort,
        )

    handler.__doc__ = doc
    return handler


def page(
    items: Sequence[T], request: Mapping[str, Any], default_max: int
) -> tuple[list[T], str | None]:
    """The page of ``items`` (a short list: a resource's tags) that the request's
    NextToken and MaxResults select, and the next page's token (None on the last).

    The token holds an offset: with at most 50 tags, a position in a stable
    order would buy nothing.
    """
    offset = decode_token(request.get("NextToken"), offset=True)
    start = 0 if offset is None else offset[0]
    limit = min(request.get("MaxResults") or default_max, _PAGE_CAP)
    end = start + limit
    return list(items[start:end]), (encode_token([end]) if end < len(items) else None)


def encode_token(position: list[Any]) -> str:
    """An opaque NextToken for the page after ``position``."""
    return base64.urlsafe_b64encode(json.dumps({"after": position}).encode()).decode()


def decode_token(token: str | None, *, offset: bool = False) -> list[Any] | None:
    """The position a NextToken stands for (None: no token, the first page).

    A token we did not issue (not base64, not JSON, no position; the caller
    checks the position's shape) is AWS's ValidationException, never a Python
    error.  With ``offset``, the position must be one non-negative integer; an
    offset past the end is an empty last page.
    """
    if not token:
        return None
    try:
        position = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))["after"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeError, RecursionError):
        raise validation_error(messages.INVALID_NEXT_TOKEN) from None
    if not isinstance(position, list):
        raise validation_error(messages.INVALID_NEXT_TOKEN)
    if offset and not (
        len(position) == 1
        and isinstance(position[0], int)
        and not isinstance(position[0], bool)
        and position[0] >= 0
    ):
        raise validation_error(messages.INVALID_NEXT_TOKEN)
    return position


def find_model(world: World, name: str) -> Job:
    """The model ``name``, or the ValidationException AWS answers for a missing one."""
    model = world.get("model", name)
    if model is None:
        raise validation_error(messages.model_not_found(world.arn("model", name)))
    return model
