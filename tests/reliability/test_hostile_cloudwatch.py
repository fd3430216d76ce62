"""Reliability: the CloudWatch views answer hostile input in CloudWatch's words (issue 24.2, 24.9).

Every request reaching the views (botocore's validation off, or the handler
called directly) gets the service's own code and message, never a Python
exception: the issue's cases by name, and a fuzz of every served operation
with hostile values anywhere in its input shape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from factories import training_request
from hypothesis import given, settings
from hypothesis import strategies as st

import sagemaker_lite
from sagemaker_lite import mock_sagemaker
from sagemaker_lite.surfaces import observability

from .hostile import hostile_values

GROUP = NAMESPACE = "/aws/sagemaker/TrainingJobs"
START, END = dt.datetime(2020, 1, 1), dt.datetime(2100, 1, 1)
METRIC = {"Namespace": NAMESPACE, "MetricName": "validation:loss"}
DIMENSION = [{"Name": "TrainingJobName", "Value": "job-1"}]


@pytest.fixture(scope="module")
def clients() -> Iterator[tuple[Any, Any, str]]:
    """logs and cloudwatch clients without botocore's validation, and a stream with events."""
    with mock_sagemaker() as emulator:
        session = boto3.Session(region_name="us-east-1")
        session.client("sagemaker").create_training_job(**training_request())
        emulator.run_until_idle()
        off = Config(parameter_validation=False)
        logs, cloudwatch = (
            session.client("logs", config=off),
            session.client("cloudwatch", config=off),
        )
        stream = logs.describe_log_streams(logGroupName=GROUP)["logStreams"][0]["logStreamName"]
        yield logs, cloudwatch, stream


def _code(call: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call(**params)
    return caught.value.response["Error"]["Code"], caught.value.response["Error"]["Message"]


def test_log_tokens_no_listing_issued(clients: tuple[Any, Any, str]) -> None:
    logs, _, stream = clients
    for token in ("f/²", "f/" + "9" * 5000, "x/1", "f/12", "b/" + "1" * 55 + "x"):
        code, message = _code(
            logs.get_log_events, logGroupName=GROUP, logStreamName=stream, nextToken=token
        )
        assert (code, message) == (
            "InvalidParameterException",
            "The specified nextToken is invalid.",
        )


@pytest.mark.parametrize(
    ("params", "code", "fragment"),
    [
        ({"limit": "5"}, "SerializationException", ""),
        ({"limit": 0}, "InvalidParameterException", "Value '0' at 'limit' failed to satisfy"),
        ({"logStreamNamePrefix": 5}, "SerializationException", ""),
        (
            {"orderBy": "Sideways"},
            "InvalidParameterException",
            "Member must satisfy enum value set",
        ),
    ],
)
def test_log_requests_of_the_wrong_shape(
    clients: tuple[Any, Any, str], params: dict[str, Any], code: str, fragment: str
) -> None:
    logs, _, _ = clients
    got, message = _code(logs.describe_log_streams, logGroupName=GROUP, **params)
    assert got == code and fragment in message


@pytest.mark.parametrize("pattern", ["[", "{", "%", "%ERR(R%", "[a, b"])
def test_malformed_filter_patterns(clients: tuple[Any, Any, str], pattern: str) -> None:
    logs, _, _ = clients
    code, _ = _code(logs.filter_log_events, logGroupName=GROUP, filterPattern=pattern)
    assert code == "InvalidParameterException"


def test_a_regex_filter_pattern_matches(clients: tuple[Any, Any, str]) -> None:
    logs, _, _ = clients
    found = logs.filter_log_events(logGroupName=GROUP, filterPattern="%val_lo.s%")["events"]
    assert found and all("val_loss" in e["message"] for e in found)


def _statistics(cloudwatch: Any, **params: Any) -> tuple[str, str]:
    request = {
        **METRIC,
        "Dimensions": DIMENSION,
        "StartTime": START,
        "EndTime": END,
        "Period": 60,
        "Statistics": ["Average"],
    }
    return _code(cloudwatch.get_metric_statistics, **{**request, **params})


def test_metric_statistics_hostile(clients: tuple[Any, Any, str]) -> None:
    _, cloudwatch, _ = clients
    assert _statistics(cloudwatch, Statistics=["Avg"]) == (
        "InvalidParameterValue",
        "The parameter Statistics.member.1 must be a value in the set "
        "[ Minimum, Maximum, Average, SampleCount, Sum ].",
    )
    code, message = _statistics(cloudwatch, Period=0)
    assert code == "ValidationError" and "at 'period'" in message
    assert _statistics(cloudwatch, Period=2**70)[0] == "SerializationException"
    code, message = _statistics(cloudwatch, Dimensions=[{"Name": "TrainingJobName"}])
    assert code == "ValidationError" and "Value null at 'dimensions.1.member.value'" in message


def _query(ident: str, stat: str = "Average") -> dict[str, Any]:
    metric = {**METRIC, "Dimensions": DIMENSION}
    return {"Id": ident, "MetricStat": {"Metric": metric, "Period": 60, "Stat": stat}}


def test_metric_data_duplicate_ids_tokens_and_stats(clients: tuple[Any, Any, str]) -> None:
    _, cloudwatch, _ = clients
    window = {"StartTime": START, "EndTime": END}
    assert _code(
        cloudwatch.get_metric_data, MetricDataQueries=[_query("a"), _query("a")], **window
    ) == ("ValidationError", "The values for parameter id in MetricDataQueries are not unique.")
    assert (
        _code(cloudwatch.get_metric_data, MetricDataQueries=[_query("a")], NextToken="x", **window)[
            0
        ]
        == "InvalidNextToken"
    )
    code, message = _code(
        cloudwatch.get_metric_data, MetricDataQueries=[_query("a", "Avg")], **window
    )
    assert code == "ValidationError" and "MetricDataQueries.member.1.MetricStat.Stat" in message
    answer = cloudwatch.get_metric_data(MetricDataQueries=[_query("a", "p90")], **window)
    assert answer["MetricDataResults"][0]["Values"]
    assert _code(cloudwatch.list_metrics, Namespace=NAMESPACE, NextToken="forged")[0] == (
        "InvalidParameterValue"
    )


_REQUESTS = {
    "DescribeLogStreams": {"logGroupName": GROUP},
    "GetLogEvents": {"logGroupName": GROUP, "logStreamName": "job-1/algo-1-0"},
    "FilterLogEvents": {"logGroupName": GROUP},
    "ListMetrics": {"Namespace": NAMESPACE},
    "GetMetricStatistics": {
        **METRIC,
        "StartTime": START,
        "EndTime": END,
        "Period": 60,
        "Statistics": ["Average"],
    },
    "GetMetricData": {"MetricDataQueries": [_query("a")], "StartTime": START, "EndTime": END},
}
_MEMBERS = {
    "DescribeLogStreams": ["logStreamNamePrefix", "orderBy", "descending", "nextToken", "limit"],
    "GetLogEvents": ["startTime", "endTime", "nextToken", "limit", "startFromHead"],
    "FilterLogEvents": ["logStreamNames", "filterPattern", "nextToken", "limit", "startTime"],
    "ListMetrics": ["MetricName", "Dimensions", "NextToken", "RecentlyActive"],
    "GetMetricStatistics": ["Dimensions", "Period", "Statistics", "ExtendedStatistics", "Unit"],
    "GetMetricData": ["MetricDataQueries", "NextToken", "ScanBy", "MaxDatapoints", "EndTime"],
}


@pytest.fixture(scope="module")
def direct() -> Any:
    client = sagemaker_lite.client()
    client.create_training_job(**training_request())
    client.emulator.run_until_idle()
    return client


@settings(max_examples=150, deadline=None)
@given(
    operation=st.sampled_from(sorted(_REQUESTS)),
    data=st.data(),
)
def test_fuzz_every_served_operation_answers_in_cloudwatch_words(
    direct: Any, operation: str, data: st.DataObject
) -> None:
    """Any member replaced by anything hostile: an answer or the service's error."""
    service = "logs" if operation[0] in "DGF" and "Metric" not in operation else "cloudwatch"
    request = dict(_REQUESTS[operation])
    for member in data.draw(st.lists(st.sampled_from(_MEMBERS[operation]), max_size=3)):
        request[member] = data.draw(hostile_values())
    serve = observability.handler(service, operation, request)
    if serve is None:
        return  # no longer names a SageMaker group or namespace: not ours to answer
    status, _, answer = observability.call(direct, serve, request)
    assert status == 200 or set(answer) == {"Error"}
