"""Generated JSON Schemas, Java-to-Python pattern translation and timestamp inputs."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sagemaker_lite.contract import patterns, schema, timestamps
from sagemaker_lite.contract.spec import load_model
from sagemaker_lite.contract.validation import (
    ResponseSchemaError,
    check_response,
    request_violations,
)
from sagemaker_lite.testing.schema_strategies import (
    present_members,
    request_strategy,
    shape_strategy,
)

PROPERTY = settings(
    max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


def _defs(op: str) -> dict[str, Any]:
    defs: dict[str, Any] = schema.input_schema(op)["$defs"]
    return defs


# --- generator, per constraint kind ------------------------------------------


def test_string_constraints_become_length_and_anchored_pattern() -> None:
    name = _defs("CreateTrainingJob")["TrainingJobName"]
    assert name["type"] == "string"
    assert (name["minLength"], name["maxLength"]) == (1, 63)
    assert name["pattern"].startswith("\\A(?:") and name["pattern"].endswith(")\\Z")


def test_enum_required_list_map_and_timestamp_shapes() -> None:
    defs = _defs("CreateTrainingJob")
    assert "ml.m5.xlarge" in defs["TrainingInstanceType"]["enum"]
    request = schema.input_schema("CreateTrainingJob")
    assert request["$ref"] == "#/$defs/CreateTrainingJobRequest"
    root = defs["CreateTrainingJobRequest"]
    assert {"TrainingJobName", "RoleArn"} <= set(root["required"])
    assert root["additionalProperties"] is False
    assert root["properties"]["ResourceConfig"] == {"$ref": "#/$defs/ResourceConfig"}
    tags = defs["TagList"]
    assert tags == {
        "type": "array",
        "items": {"$ref": "#/$defs/Tag"},
        "minItems": 0,
        "maxItems": 50,
    }
    hyper = defs["HyperParameters"]
    assert hyper["propertyNames"] == {"$ref": "#/$defs/HyperParameterKey"}
    assert hyper["additionalProperties"] == {"$ref": "#/$defs/HyperParameterValue"}
    assert hyper["maxProperties"] == 100
    assert _defs("ListTrainingJobs")["Timestamp"] == {"format": "aws-timestamp"}
    assert schema.output_schema("DescribeTrainingJob")["$defs"]["Timestamp"] == {
        "format": "aws-datetime"
    }


def test_numeric_bounds() -> None:
    runtime = _defs("CreateHyperParameterTuningJob")["HyperParameterTuningMaxRuntimeInSeconds"]
    assert runtime == {"type": "integer", "minimum": 120, "maximum": 15768000}


def test_validator_applies_every_kind() -> None:
    validator = schema.input_validator("ListTrainingJobs")
    assert validator is schema.input_validator("ListTrainingJobs")  # compiled once
    assert not list(validator.iter_errors({"MaxResults": 10, "CreationTimeAfter": "2024-01-01"}))
    kinds = {e.validator for e in validator.iter_errors({"MaxResults": 0, "SortBy": "Size"})}
    assert kinds == {"minimum", "enum"}
    assert [e.validator for e in validator.iter_errors({"CreationTimeAfter": "soon"})] == ["format"]
    assert [e.validator for e in validator.iter_errors({"MaxResults": True})] == ["type"]
    assert [e.validator for e in validator.iter_errors({"Bogus": 1})] == ["additionalProperties"]


# --- pattern translation -----------------------------------------------------


def test_unicode_tag_values_pass_the_tag_value_pattern() -> None:
    pattern = load_model()["shapes"]["TagValue"]["pattern"]
    assert patterns.full_match(pattern, "données ml")
    assert patterns.full_match(pattern, "東京 ١٢٣ team:a/b=c+d-e@f")
    assert patterns.full_match(pattern, "non\u00a0breaking")  # \p{Z} includes NBSP
    assert not patterns.full_match(pattern, "a,b")
    assert not patterns.full_match(pattern, "tab\there")  # a tab is not \p{Z}


@pytest.mark.parametrize(
    ("java", "value", "matches"),
    [
        ("[a-z]+", "abc\n", False),  # whole-value match: no trailing newline
        ("[a-z]+", "xabc", True),
        ("b", "ab", False),  # anchored at the start too
        ("\\w+", "é", False),  # Java's \w is ASCII
        ("\\d{2}", "١٢", False),  # Java's \d is ASCII
        ("\\p{Alnum}+", "aZ9", True),
        ("\\p{Alnum}+", "é", False),  # POSIX classes are ASCII in Java
        ("\\p{L}+", "éß", True),
        ("\\p{N}+", "١٢½", True),
        ("\\P{L}", "1", True),
        ("\\P{L}", "a", False),
        (".*", "a\rb", False),  # Java's . stops at every line terminator
        ("[\\S\\s]*", "a\r\nb", True),
        ("[\\S]{1,3}", "é", True),  # Java's \S is "not ASCII whitespace"
        ("[^]a]+", "bc", True),
        ("(?:a)(?<!-)", "a", True),
        ("a*+b", "aab", True),
        # An escaped UTF-16 surrogate pair is one supplementary code point in Java.
        ("[\\u0020-\\uD7FF\\uD800\\uDC00-\\uDBFF\\uDFFF]+", "emoji \U0001f600", True),
        ("[\\u0020-\\uD7FF\\uD800\\uDC00-\\uDBFF\\uDFFF]+", "bell \x07", False),
        ("[^\\S]", " ", True),  # not (not whitespace): whitespace
        ("[^\\S]", "a", False),
        ("[a\\P{L}]+", "a1-", True),  # a negated item next to plain ones
        ("[a\\P{L}]+", "ab", False),
        ("[\\S\\s]", "\U0010ffff", True),
    ],
)
def test_java_constructs_mean_the_same(java: str, value: str, matches: bool) -> None:
    assert patterns.full_match(java, value) is matches


@pytest.mark.parametrize("java", ["[a-z&&[^b]]", "\\p{Bogus}"])
def test_untranslatable_constructs_are_refused(java: str) -> None:
    with pytest.raises(patterns.UnsupportedPattern):
        patterns.to_python(java)


def test_every_model_pattern_translates() -> None:
    for shape in load_model()["shapes"].values():
        if "pattern" in shape:
            patterns.compiled(shape["pattern"])


# --- timestamps ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "epoch"),
    [
        (dt.datetime(2024, 1, 1), 1704067200.0),  # naive means UTC, as botocore assumes
        (dt.datetime(2024, 1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))), 1704067200.0),
        (1704067200, 1704067200.0),
        (1704067200.5, 1704067200.5),
        ("1704067200", 1704067200.0),
        ("2024-01-01", 1704067200.0),
        ("2024-01-01T00:00:00Z", 1704067200.0),
        ("2024-01-01T02:00:00+02:00", 1704067200.0),
        (decimal.Decimal("1704067200"), 1704067200.0),
    ],
)
def test_timestamps_accept_what_boto3_accepts(value: Any, epoch: float) -> None:
    assert timestamps.to_epoch(value) == epoch
    assert timestamps.is_timestamp(value)


@pytest.mark.parametrize("value", ["soon", None, [], {}, "nan", float("inf")])
def test_timestamps_reject_what_boto3_rejects(value: Any) -> None:
    assert not timestamps.is_timestamp(value)
    with pytest.raises(ValueError):
        timestamps.to_epoch(value)


@given(
    st.one_of(
        st.datetimes(min_value=dt.datetime(1971, 1, 1), max_value=dt.datetime(2999, 1, 1)),
        st.integers(0, 2**33),
        st.floats(0, 2**33),
        st.text(max_size=12),
        st.dates().map(str),
    )
)
@settings(max_examples=150, deadline=None, database=None)
def test_timestamp_parsing_agrees_with_botocore(value: Any) -> None:
    utils = pytest.importorskip("botocore.utils")
    try:
        expected: Any = utils.parse_to_aware_datetime(value)
    except (TypeError, ValueError, AttributeError, OverflowError, RuntimeError):
        expected = None
    if expected is None:
        assert not timestamps.is_timestamp(value)
    else:
        assert timestamps.to_datetime(value) == expected


# --- responses -----------------------------------------------------------------


def test_check_response_accepts_a_well_formed_response_and_ignores_metadata() -> None:
    check_response(
        "StopTrainingJob", {"ResponseMetadata": {"RequestId": "x", "HTTPStatusCode": 200}}
    )
    check_response(
        "ListTrainingJobs",
        {
            "TrainingJobSummaries": [
                {
                    "TrainingJobName": "job-1",
                    "TrainingJobArn": "arn:aws:sagemaker:us-east-1:123456789012:training-job/job-1",
                    "CreationTime": dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
                    "TrainingJobStatus": "InProgress",
                }
            ]
        },
    )


def test_check_response_names_what_is_wrong() -> None:
    with pytest.raises(ResponseSchemaError, match="CreationTime"):
        check_response(
            "ListTrainingJobs",
            {
                "TrainingJobSummaries": [
                    {
                        "TrainingJobName": "job-1",
                        "TrainingJobArn": "arn:aws:sagemaker:us-east-1:123456789012:training-job/j",
                        "TrainingJobStatus": "Running",
                    }
                ]
            },
        )


# --- the fast checker and the JSON Schema agree ----------------------------------

_AGREEMENT_OPS = ["CreateTrainingJob", "CreateCompilationJob", "ListTrainingJobs", "AddTags"]
_JUNK = st.one_of(
    st.text(max_size=3),
    st.integers(-5, 5),
    st.just(""),
    st.just("x" * 300),
    st.just([]),
    st.just({}),
    st.just("not-in-any-enum"),
)


@pytest.mark.parametrize("op", _AGREEMENT_OPS)
@given(data=st.data())
@PROPERTY
def test_fast_checker_and_json_schema_agree(op: str, data: st.DataObject) -> None:
    request = data.draw(request_strategy(op))
    root = load_model()["operations"][op]["input"]
    members = [m for m in present_members(root, request) if m[0]]
    mutate: bool = data.draw(st.booleans())
    if members and mutate:
        path, _, _ = data.draw(st.sampled_from(members))
        target = request
        for seg in path[:-1]:
            target = target[seg]
        target[path[-1]] = data.draw(_JUNK)
    schema_valid = not list(schema.input_validator(op).iter_errors(request))
    try:
        fast_valid = not request_violations(op, request)
    except Exception:  # a JSON type mismatch: SerializationException in check_request
        fast_valid = False
    assert fast_valid == schema_valid


def test_shape_strategy_draws_constrained_values() -> None:
    @given(shape_strategy("TrainingJobName"))
    @PROPERTY
    def check(name: str) -> None:
        assert 1 <= len(name) <= 63
        assert patterns.full_match("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", name)

    check()


def test_java_end_of_input_anchors_translate() -> None:
    """``\\A...\\z`` (sagemaker-runtime's InferenceId) matches whole values only."""
    check = patterns.matcher(r"\A\S[\p{Print}]*\z")
    assert check("abc-1 x") and not check(" abc") and not check("") and not check("ab\n")
