"""Reliability: forged NextTokens and outsized MaxResults on every paged operation, both paths.

A token we did not issue (an offset past any list, a negative one, not base64,
JSON of the wrong shape) is AWS's ValidationException, and a MaxResults the
model lets through (ListTags has no maximum) pages as any other: never a
Python exception, and nothing changes.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import boto3
import factories
import pytest
from botocore.exceptions import ClientError as BotocoreClientError
from hypothesis import given, settings
from hypothesis import strategies as st

import sagemaker_lite
from sagemaker_lite import mock_sagemaker
from sagemaker_lite.contract.errors import ClientError
from sagemaker_lite.contract.messages import INVALID_NEXT_TOKEN


def _b64(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


FORGED = [
    _b64({"offset": 2**63}),
    _b64({"offset": -1}),
    _b64({"offset": 10**400}),
    _b64([1, 2, 3]),
    _b64({"after": "name"}),
    _b64({"after": [2**63, "x", None]}),
    _b64({"after": [True]}),
    _b64({"after": [[]]}),
    base64.urlsafe_b64encode(b'{"after": [NaN, 1]}').decode(),
    _b64(None),
    "not base64!!",
    "////",
    "eyJhZnRlciI6",  # truncated JSON
    "\u00e9t\u00e9",
]
#: Positions of the right shape but far outside any list: an empty last page.
FAR = [_b64({"after": [2**63]}), _b64({"after": [-(2**63)]}), _b64({"after": ["\uffff" * 10]})]

PAGED = {
    "list_training_jobs": {},
    "list_compilation_jobs": {},
    "list_hyper_parameter_tuning_jobs": {},
    "list_training_jobs_for_hyper_parameter_tuning_job": {"HyperParameterTuningJobName": "tune"},
    "list_tags": {},  # ResourceArn filled in per path
}


def _populate(sm: Any) -> str:
    arn: str = sm.create_training_job(
        **factories.training_request(
            "job-0", Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(3)]
        )
    )["TrainingJobArn"]
    sm.create_compilation_job(**factories.compilation_request("comp-0"))
    sm.create_hyper_parameter_tuning_job(**factories.tuning_request("tune", max_jobs=2))
    return arn


@pytest.fixture(params=("direct", "boto3"))
def served(request: pytest.FixtureRequest) -> Iterator[tuple[Any, str]]:
    if request.param == "direct":
        sm = sagemaker_lite.client()
        yield sm, _populate(sm)
    else:
        with mock_sagemaker():
            sm = boto3.client("sagemaker", region_name="us-east-1")
            yield sm, _populate(sm)


def _call(sm: Any, method: str, arn: str, **extra: Any) -> dict[str, Any]:
    request = {**PAGED[method], **extra}
    if method == "list_tags":
        request["ResourceArn"] = arn
    result: dict[str, Any] = getattr(sm, method)(**request)
    return result


@pytest.mark.parametrize("method", sorted(PAGED))
def test_forged_tokens_are_a_validation_exception(served: tuple[Any, str], method: str) -> None:
    sm, arn = served
    for token in FORGED:
        with pytest.raises((ClientError, BotocoreClientError)) as caught:
            _call(sm, method, arn, NextToken=token)
        error = caught.value.response["Error"]
        assert error["Code"] == "ValidationException", token
        assert error["Message"] == INVALID_NEXT_TOKEN, token


@pytest.mark.parametrize("method", sorted(PAGED))
def test_positions_past_every_job_give_a_last_page(served: tuple[Any, str], method: str) -> None:
    sm, arn = served
    tokens = (
        FAR if method != "list_tags" else [_b64({"after": [2**63]}), _b64({"after": [10**400]})]
    )
    for token in tokens:
        try:
            response = _call(sm, method, arn, NextToken=token)
        except (ClientError, BotocoreClientError) as error:
            # A position of another order's shape is a token we did not issue.
            assert error.response["Error"]["Code"] == "ValidationException"
            continue
        assert "NextToken" not in response


def test_list_tags_takes_any_max_results_the_model_allows(served: tuple[Any, str]) -> None:
    sm, arn = served
    for limit in (50, 10**9, 2**31 - 1):
        response = sm.list_tags(ResourceArn=arn, MaxResults=limit)
        assert [t["Key"] for t in response["Tags"]] == ["k0", "k1", "k2"]
        assert "NextToken" not in response
    # Past a Java int the service cannot read the number at all (see test_hostile_ints).
    for limit in (2**31, 2**63, 10**30):
        with pytest.raises((ClientError, BotocoreClientError)) as caught:
            sm.list_tags(ResourceArn=arn, MaxResults=limit)
        assert caught.value.response["Error"]["Code"] == "SerializationException"


@settings(max_examples=200, database=None)
@given(
    token=st.one_of(
        st.text(max_size=40),
        st.binary(max_size=40).map(lambda raw: base64.urlsafe_b64encode(raw).decode()),
        st.recursive(
            st.none()
            | st.booleans()
            | st.integers()
            | st.floats(allow_nan=False)
            | st.text(max_size=5),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.sampled_from(["after", "offset"]), inner, max_size=2)
            ),
            max_leaves=6,
        ).map(_b64),
    )
)
def test_any_token_gets_a_page_or_a_validation_exception(token: str) -> None:
    sm = sagemaker_lite.client()
    arn = _populate(sm)
    for method in PAGED:
        for sort in ({}, {"SortBy": "Name"}, {"SortBy": "Status", "SortOrder": "Descending"}):
            extra = sort if method not in ("list_tags",) else {}
            try:
                _call(sm, method, arn, NextToken=token, **extra)
            except ClientError as error:
                assert error.response["Error"]["Code"] == "ValidationException"
            if method == "list_tags":
                break
