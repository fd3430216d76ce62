"""Reliability: the model's patterns cost time linear in the value, on every path (issue 24.1).

A 64 KB ``S3Uri`` took 42 s: ``re`` backtracked on ``(https|s3)://([^/]+)/?(.*)``.
Every request check now matches through :func:`patterns.matcher` (a lazily built
DFA).  These tests hold the class: every pattern of botocore's whole SageMaker
model builds in that engine and agrees with ``re``; values built to make a
backtracking engine retry cost milliseconds; a megabyte ``S3Uri`` is refused at
once on both the fast and the interpreted path, with both of its violations.
"""

from __future__ import annotations

import functools
import random
import re

import boto3
import pytest
from factories import processing_request
from hypothesis import given, settings
from hypothesis import strategies as st

import sagemaker_lite
from sagemaker_lite import mock_sagemaker
from sagemaker_lite.contract import patterns
from sagemaker_lite.contract.errors import ClientError

from .growth import assert_linear
from .hostile import model_patterns, pattern_attacks

#: botocore's patterns neither engine can read.  Java's quantified ``$`` (``...${1,256}``,
#: CustomerMetadataKey's) translates to one anchor, so every pattern of the model builds.
NOT_REGEXES: set[str] = set()
_ALPHABET = "aZ09-_./:@=+ \t\n\r\u00e9\u4e2d\U00010000\u2028"


def test_every_pattern_of_botocores_model_runs_in_the_linear_engine() -> None:
    """Lookaheads, one-character lookbehinds, \\b, counted repeats: all build."""
    refused = set()
    for pattern in model_patterns(full=True):
        try:
            patterns.matcher(pattern)
        except patterns.UnsupportedPattern:
            refused.add(pattern)
    assert refused == NOT_REGEXES


def _samples(pattern: str, rnd: random.Random) -> list[str]:
    values = ["".join(rnd.choice(_ALPHABET) for _ in range(rnd.randint(0, 10))) for _ in range(12)]
    return values + [v + "\n" for v in values] + [v + "-" for v in values]


def test_the_linear_engine_agrees_with_re_on_every_pattern() -> None:
    """Random short values, with final newlines and dashes (``$`` and ``(?<!-)`` cases)."""
    rnd = random.Random(24)
    for pattern in sorted(set(model_patterns(full=True)) - NOT_REGEXES):
        search = patterns.compiled(pattern).search
        for value in _samples(pattern, rnd):
            assert patterns.full_match(pattern, value) is (search(value) is not None), (
                pattern,
                value,
            )


#: Generating values of the big Unicode classes takes Hypothesis seconds each: those
#: patterns are covered by the random values above.
_SMALL_PATTERNS = [p for p in model_patterns(full=False) if len(patterns.to_python(p)) < 400]


@functools.cache
def _generator(pattern: str) -> st.SearchStrategy[str]:
    return st.from_regex(patterns.compiled(pattern), fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_values_a_pattern_generates_match_and_their_mutants_agree(data: st.DataObject) -> None:
    """Matching values of the shipped patterns (from ``re``'s own generator), and one edit away."""
    pattern = data.draw(st.sampled_from(_SMALL_PATTERNS))
    value = data.draw(_generator(pattern))
    assert patterns.full_match(pattern, value)
    at = data.draw(st.integers(0, len(value)))
    mutant = value[:at] + data.draw(st.sampled_from(_ALPHABET)) + value[at + 1 :]
    expected = patterns.compiled(pattern).search(mutant) is not None
    assert patterns.full_match(pattern, mutant) is expected


@pytest.mark.parametrize("pattern", model_patterns(full=False))
def test_no_value_makes_a_pattern_slow(pattern: str) -> None:
    """200 values that fail late cost time linear in their length: ``re`` is quadratic on
    the S3 pattern alone (``s3://aaa...a/\\n``); the engine is not."""
    matcher = patterns.matcher(pattern)
    attacks = {size: pattern_attacks(size) for size in (500, 5_000)}

    def match_all(size: int) -> None:
        for value in attacks[size]:
            matcher(value)

    assert_linear(match_all, 500, 5_000)


def _uri_error(call: object, big: str) -> str:
    request = processing_request()
    request["ProcessingInputs"][0]["S3Input"]["S3Uri"] = big
    with pytest.raises(ClientError) as caught:
        call(**request)  # type: ignore[operator]
    return str(caught.value.response["Error"]["Message"])


def test_a_megabyte_s3_uri_is_refused_at_once_with_both_violations() -> None:
    """Length and pattern both fail: AWS lists both (max length first), on both paths,
    at a cost linear in the value."""

    def uri(size: int) -> str:
        return "s3://" + "a" * size + "/\n"

    direct_call = sagemaker_lite.client().create_processing_job
    direct = _uri_error(direct_call, uri(1_000_000))
    # Sizes a hundredfold apart: in a long-lived worker a fresh megabyte can cost several
    # times more per byte than reused kilobytes (the allocator's regime, not our code),
    # which stays far below the ten-thousandfold of quadratic work.
    assert_linear(lambda size: _uri_error(direct_call, uri(size)), 10_000, 1_000_000)
    with mock_sagemaker():
        client = boto3.client("sagemaker", region_name="us-east-1")
        via_boto3 = _uri_error(client.create_processing_job, uri(1_000_000))
        assert_linear(
            lambda size: _uri_error(client.create_processing_job, uri(size)), 10_000, 1_000_000
        )
    assert direct == via_boto3
    length = direct.index("Member must have length less than or equal to 1024")
    assert direct.index("Member must satisfy regular expression pattern", length) > length


def test_a_long_valid_uri_passes_the_fast_path_quickly() -> None:
    """Within the maximum, a value that matches is accepted (no fall back to ``re``)."""
    client = sagemaker_lite.client()
    request = processing_request()
    request["ProcessingInputs"][0]["S3Input"]["S3Uri"] = "s3://b/" + "a/" * 508
    client.create_processing_job(**request)
    described = client.describe_processing_job(ProcessingJobName=request["ProcessingJobName"])
    uri = described["ProcessingInputs"][0]["S3Input"]["S3Uri"]
    assert re.fullmatch(r"s3://b/(a/)+", uri)
