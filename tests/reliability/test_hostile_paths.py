"""Reliability: hostile requests through both paths, judged against botocore itself.

Every operation gets hostile requests (see :mod:`.hostile`: huge and negative
integers, lone surrogates, lying subclasses, forged NextTokens, catastrophic
MetricDefinitions regexes run against scripted logs, map keys that look like
snapshot tags) through the direct client and through boto3 under
``mock_sagemaker()``, both serving one emulator.  For each call:

* only API errors escape (``ParamValidationError``, ``ClientError`` with a code
  the operation can answer), except where botocore itself raises before
  sending: then the same exception, word for word, on both paths;
* a failed call changes nothing (the snapshot, request ids aside);
* afterwards the emulator's snapshot survives JSON and restores to itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore import xform_name
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sagemaker_lite import mock_sagemaker
from sagemaker_lite.contract.errors import ClientError, ParamValidationError
from sagemaker_lite.contract.operations import OPERATIONS
from sagemaker_lite.surfaces.emulator import Emulator
from sagemaker_lite.testing import strategies as sms

from .hostile import (
    FORGED_TOKENS,
    HOSTILE_LOG,
    botocore_agrees,
    botocore_refusal,
    hostile_requests,
    service_model,
    twisted_requests,
)
from .test_atomicity import _base_requests
from .test_fuzz import allowed_codes

EXAMPLES = 40
#: The operations boto3 has (the emulator also serves the early API's DescribeTuningJob).
BOTO_OPERATIONS = sorted(set(OPERATIONS) & set(service_model().operation_names))
Call = Callable[[str, dict[str, Any]], dict[str, Any]]


class Served:
    """One emulator, a direct client and a boto3 client of the same world."""

    def __init__(self, emulator: Emulator, boto: Any) -> None:
        self.emulator = emulator
        direct = emulator.client()
        self.paths: dict[str, Call] = {
            "direct": direct.call,
            "boto3": lambda op, request: getattr(boto, xform_name(op))(**request),
        }
        emulator.script_training(logs=HOSTILE_LOG)
        base = _base_requests()
        for operation, request in base.items():
            direct.call(operation, request)
        emulator.advance(700)
        self.base = emulator.snapshot()

    def state(self) -> str:
        """The snapshot as JSON text, request ids aside (NaN compares equal as text)."""
        state = self.emulator.snapshot()
        del state["request_ids"]
        return json.dumps(state)


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with mock_sagemaker() as emulator:
        yield Served(emulator, boto3.client("sagemaker", region_name="us-east-1"))


def judge(served: Served, path: str, operation: str, request: dict[str, Any]) -> None:
    """One hostile call, checked against botocore's own refusal of the same parameters."""
    refusal = botocore_refusal(operation, request)
    refused = None if refusal is None else refusal[1]
    before = served.state()
    try:
        response = served.paths[path](operation, request)
    except ParamValidationError as error:
        if isinstance(refused, ParamValidationError):
            assert str(error) == str(refused)
        else:  # botocore's validator crashed: see botocore_agrees
            assert path == "direct" and botocore_agrees(operation, request, error), refused
    except ClientError as error:
        assert refused is None, refused
        assert error.response["Error"]["Code"] in allowed_codes(operation), error
        assert error.response["Error"]["Message"]
    except Exception as error:  # only what botocore itself raises before sending
        if path == "boto3":
            assert (type(error), str(error)) == (type(refused), str(refused)), error
        else:
            assert botocore_agrees(operation, request, error), error
    else:
        assert refused is None, refused
        assert isinstance(response, dict) and "ResponseMetadata" in response
        return
    assert served.state() == before, f"a failed {operation} changed the emulator"


def round_trips(emulator: Emulator) -> None:
    """The snapshot survives JSON and restores to the same snapshot."""
    text = json.dumps(emulator.snapshot())
    restored = Emulator.from_snapshot(json.loads(text))
    assert json.dumps(restored.snapshot()) == text


@pytest.mark.parametrize("path", ["direct", "boto3"])
@pytest.mark.parametrize("operation", BOTO_OPERATIONS)
def test_hostile_requests_through_both_paths(served: Served, path: str, operation: str) -> None:
    """Responses or API errors (or botocore's own refusal); failures change nothing."""

    @settings(
        max_examples=EXAMPLES,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(request=hostile_requests(operation))
    def run(request: dict[str, Any]) -> None:
        served.emulator.restore(served.base)
        judge(served, path, operation, request)
        round_trips(served.emulator)

    run()


LIST_OPERATIONS = [op for op in BOTO_OPERATIONS if op.startswith("List") and op != "ListTags"]


@pytest.mark.parametrize("path", ["direct", "boto3"])
def test_forged_tokens_through_both_paths(served: Served, path: str) -> None:
    """Forged NextTokens and absurd MaxResults on every List operation: API errors only."""

    @settings(max_examples=EXAMPLES, database=None)
    @given(
        operation=st.sampled_from(LIST_OPERATIONS),
        token=st.sampled_from(FORGED_TOKENS),
        limit=st.sampled_from((None, 1, 100, 10**30, -(2**63))),
    )
    def run(operation: str, token: str, limit: int | None) -> None:
        served.emulator.restore(served.base)
        request: dict[str, Any] = {"NextToken": token}
        if limit is not None:
            request["MaxResults"] = limit
        judge(served, path, operation, request)

    run()


@pytest.mark.parametrize("path", ["direct", "boto3"])
@pytest.mark.parametrize("operation", sms.CREATE_OPERATIONS)
def test_twisted_valid_requests_through_both_paths(
    served: Served, path: str, operation: str
) -> None:
    """Valid creates with subclasses, surrogates, huge ints, evil regexes, tag-like keys:
    judged as above, and every job they store runs to its end (none stuck InProgress)."""

    @settings(max_examples=EXAMPLES, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(request=twisted_requests(operation))
    def run(request: dict[str, Any]) -> None:
        emulator = served.emulator
        emulator.restore(served.base)
        judge(served, path, operation, request)
        emulator.run_until_idle()
        assert all(job.terminal for job in emulator.jobs())
        round_trips(emulator)

    run()
